"""Warnings the user chose not to see: `--ignore W701,W702`, a comment `# piadoc: ignore[W701]` on the line
above the one the warning points at, and `# piadoc: ignore-file[W701]` for the whole file.

Comments in a spec are whole lines (a `#` after a value is part of the value), so the inline form goes on
the line above. Only warnings can be silenced: an error stops the build whatever is shown, and hiding it
would leave the user without the reason.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from .codes import CODES
from .diagnostics import Diagnostic

_COMMENT = re.compile(r"^[ \t]*#[ \t]*piadoc:[ \t]*(ignore|ignore-file)\[([^\]\n]*)\]", re.M)


def split_codes(text: str) -> list[str]:
    return [c.strip().upper() for c in re.split(r"[,、，\s]+", text) if c.strip()]


def ignorable(code: str) -> bool:
    return code in CODES and CODES[code][0] == "warning"


def given_codes(values: list[str]) -> list[str]:
    """--ignore W701,W702 (repeatable): warning codes only; ValueError for an unknown code or an error."""
    import difflib

    codes = [c for given in values for c in split_codes(given)]
    for code in codes:
        if code not in CODES:
            digits = code[:1].upper() + code[1:].upper().translate(str.maketrans("OIL", "011"))  # W7O1 → W701
            close = [digits] if digits in CODES else difflib.get_close_matches(code, list(CODES), n=1, cutoff=0.5)
            raise ValueError(f"--ignore: 不明なコードです「{code}」" + (f"\n  もしかして: {close[0]}" if close else ""))
        if not ignorable(code):
            raise ValueError(f"--ignore: {code} はエラーです。無視できるのは警告（W で始まるコード）だけです")
    return codes


def ignored_lines(text: str) -> tuple[set[str], dict[int, set[str]]]:
    """(codes ignored in the whole file, codes ignored by line number) from a file's comments."""
    whole: set[str] = set()
    by_line: dict[int, set[str]] = {}
    lines = text.split("\n")
    for m in _COMMENT.finditer(text):
        codes = set(split_codes(m.group(2)))
        if m.group(1) == "ignore-file":
            whole |= codes
            continue
        n = text.count("\n", 0, m.start()) + 1  # the comment's line; it applies to the next line with content
        target = n + 1
        while target <= len(lines) and (not lines[target - 1].strip() or lines[target - 1].lstrip().startswith("#")):
            target += 1
        by_line.setdefault(target, set()).update(codes)
    return whole, by_line


def keep(diags: Iterable[Diagnostic], texts: Mapping[str, str], codes: Iterable[str] = ()) -> list[Diagnostic]:
    """``diags`` without the warnings ignored by ``codes`` (--ignore) or by comments in ``texts`` (path → text)."""
    given = {c for c in codes if ignorable(c)}
    marks = {path: ignored_lines(text) for path, text in texts.items()}
    out = []
    for d in diags:
        if not d.is_error:
            whole, by_line = marks.get(d.span.path, (set(), {}))
            if d.code in given or d.code in whole or d.code in by_line.get(d.span.line, set()):
                continue
        out.append(d)
    return out
