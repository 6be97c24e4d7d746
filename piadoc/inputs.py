"""The spec files a command was given: directories and globs expanded by piadoc, since cmd.exe and
PowerShell pass `specs\\*.pia` to the program as it was typed.

A directory means every *.pia below it (recursively, hidden folders skipped) that is a spec of its own:
a fragment (a file with an `@under` line, or one that another file there includes) is checked as part of
the spec that includes it, not alone. A file named explicitly is always taken as it is.
"""
from __future__ import annotations

import glob
import re
from pathlib import Path

_GLOB = re.compile(r"[*?\[]")
_INCLUDE = re.compile(r'^[ \t]*@include[ \t]+"([^"\n]+)"', re.M)
_UNDER = re.compile(r"^[ \t]*@under\b", re.M)


class NoInputs(Exception):
    """A glob or a directory that names no spec: a usage error."""


def expand(names: list[str]) -> list[str]:
    """Each name as given, a glob's matches (sorted) or a directory's specs; `-` (stdin) is kept."""
    out: list[str] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = specs_in(path)
            if not found:
                raise NoInputs(f"フォルダに仕様ファイル（.pia）がありません: {name}")
            out += found
        elif name != "-" and _GLOB.search(name) and not path.exists():
            found = sorted(glob.glob(name, recursive=True))
            if not found:
                raise NoInputs(f"一致するファイルがありません: {name}")
            out += found
        else:
            out.append(name)
    return list(dict.fromkeys(out))  # a file named twice is checked once


def specs_in(folder: Path) -> list[str]:
    """The specs of their own below ``folder``: fragments (@under, or included by a file there) left out."""
    files = sorted(p for p in folder.rglob("*.pia")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))
    texts = {p: _text(p) for p in files}
    included = {(p.parent / target).resolve() for p, text in texts.items() for target in _INCLUDE.findall(text)}
    return [str(p) for p in files if p.resolve() not in included and not _UNDER.search(texts[p])]


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""  # reported when it is checked
