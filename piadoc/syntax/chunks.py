"""Where a spec can be cut into independently parsed parts: before each line that starts a top-level statement.

The grammar's top level is a plain sequence of statements, and the lexer's state between two of them is the
same wherever the cut is made (after a newline, before a character that begins a statement). So each part
parses alone to the statements the whole file gives there, positions included when the part is parsed after as
many newlines as lines precede it. A part that did not change since the last parse need not be parsed again:
the language server re-checks a spec on every keystroke.

Only triple-quoted blocks reach across lines; where their extent is not certain from the lines alone
(``\"\"\"`` anywhere but alone after an item's colon or alone on the closing line), there is no cut at all.
"""
from __future__ import annotations

_QUOTES = '"""'
#: Each part is parsed after as many newlines as precede it, so parts cost lines × parts: a file of a million
#: short top-level lines must not become a million parts. Neighbouring parts are joined up to this many.
MAX_PARTS = 64


def cut(text: str) -> list[tuple[int, str]] | None:
    """The parts of ``text`` as (0-based first line, text), or None when the file should be parsed whole."""
    lines = text.split("\n")
    starts = [0]
    in_block = False
    for i, line in enumerate(lines):
        if in_block:
            if _QUOTES in line:
                if line.strip() != _QUOTES:
                    return None
                in_block = False
            continue
        if i and line[:1] not in ("", " ", "\t", "#"):
            starts.append(i)
        if _QUOTES in line:
            stripped = line.lstrip(" ")
            _, colon, value = stripped.partition(":")
            if not colon or stripped[:1] in '#@["' or value.strip(" \t") != _QUOTES:
                return None
            in_block = True
    if in_block:
        return None
    step = -(-len(starts) // MAX_PARTS)
    starts = starts[::step]
    ends = starts[1:] + [len(lines)]
    return [(s, "\n".join(lines[s:e])) for s, e in zip(starts, ends)]
