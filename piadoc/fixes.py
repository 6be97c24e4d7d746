"""`piadoc check --fix`: apply the safe edits diagnostics carry (Diagnostic.fixes) to the spec files.

Generic over rules: any diagnostic may offer (span, replacement) edits: W725 (a CJK radical copied from a PDF
for the ideograph it looks like), W727 (a line separator), W728 (an invisible character), E205/E208 (indentation
by tabs or full-width spaces, when the structure does not depend on the tab width: syntax/indentation.py),
E201 for a no-break space where a space goes or a full-width space after a directive (syntax/errors.py),
W730–W733 (a 変更箇所 row's path as the form has it).
A replacement may hold a newline (a line separator inside a block becomes one): it is written with the line's
own ending. Each file is edited on its raw text, so line endings and
every other byte stay; a file that changed since it was checked is left alone. Writes go through
output.write_atomically under output.locked, as `piadoc changes --write` does.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterable, TextIO

from .diagnostics import Diagnostic, Fix, visible
from .output import OutputRefused, locked, write_atomically
from .pipeline import load_and_check
from .source import SourceFile

#: A line as the parser counts lines (\r\n, \r or \n), its ending kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def apply(raw: str, source: SourceFile, fixes: Iterable[Fix]) -> str | None:
    """``raw`` with the edits made, or None when ``raw`` no longer holds the text that was checked."""
    lines = _LINE.findall(raw.removeprefix("\ufeff"))
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    ordered = sorted(fixes, key=lambda f: (f.span.line, f.span.column), reverse=True)  # right to left
    for n in {f.span.line for f in ordered}:
        if not 1 <= n <= len(lines) or lines[n - 1].rstrip("\r\n") != source.line(n):
            return None
    for fix in ordered:
        n, start, end = fix.span.line, fix.span.column - 1, fix.span.end_column - 1
        if fix.span.end_line != n:
            return None
        body = lines[n - 1].rstrip("\r\n")
        ending = lines[n - 1][len(body):]
        replacement = fix.replacement.replace("\n", ending or _ending(lines))
        lines[n - 1] = body[:start] + replacement + body[end:] + ending
    return bom + "".join(lines)


#: Characters a terminal shows as nothing, as a space or as a line break (W727, W728): named by their code point in
#: what --fix shows.
_INVISIBLE = re.compile("[\u2028\u2029\u0085\u200b\u200c\u200d\u2060\ufeff\u00a0\u00ad]")


#: Indentation an E205/E208 fix replaces, named: a tab shows as blank space, a full-width space as nothing much.
_NAMED = {"\t": "[タブ]", "\u3000": "[全角空白]"}


def _shown(text: str) -> str:
    text = "".join(_NAMED.get(ch, ch) for ch in text)
    return _INVISIBLE.sub(lambda m: f"U+{ord(m.group()):04X}", text)


def _ending(lines: list[str]) -> str:
    """The file's line ending, for a newline on its last line (which has none)."""
    ended = next((line for line in lines if line.endswith(("\n", "\r"))), "\n")
    return "\r\n" if ended.endswith("\r\n") else ended[-1]


def fix_files(specs: Iterable[Path], out: TextIO | None = None, write: bool = True) -> int:
    """Check each spec and show every offered fix (file:line:col: 「was」→「becomes」) before applying it to
    the file it points into; with ``write=False`` (`check --diff`) only show them. The number of edits."""
    out = out or sys.stderr
    made = 0
    for spec in specs:
        loaded = load_and_check(spec)
        by_path: dict[str, list[tuple[Diagnostic, Fix]]] = {}
        for diag in loaded.result.diagnostics:
            for fix in diag.fixes:
                by_path.setdefault(fix.span.path, []).append((diag, fix))
        for path, found in by_path.items():
            source = loaded.sources.get(path)
            if source is None or not source.real:
                continue
            for _, fix in found:  # shown before anything is written
                was = source.line(fix.span.line)[fix.span.column - 1 : fix.span.end_column - 1]
                print(visible(f"{path}:{fix.span.line}:{fix.span.column}: 「{_shown(was)}」→「{fix.replacement}」"),
                      file=out)
            made += len(found)
            if not write:
                print(f"{path}: {len(found)} か所を直せます（--fix で書き込みます）", file=out)
                continue
            target = Path(source.real)
            with locked(target):
                raw = target.read_bytes().decode("utf-8")
                updated = apply(raw, source, [fix for _, fix in found])
                if updated is None:
                    raise OutputRefused("E806", path, "検査のあとでファイルが変わりました")
                write_atomically(target, updated.encode("utf-8"))
            print(f"{path}: {len(found)} か所を直しました", file=out)
    return made
