"""The one place where piadoc positions (1-based lines, code-point columns) meet LSP positions (0-based,
in the client's units: UTF-16 by default, so 𠮷 counts two).

Lines end at \r\n, \r or \n, as LSP counts them and as the checker does (source.py makes each of them \n).
Never at U+2028, U+2029, U+0085, \v, \f or \x1c–\x1e, where Python's str.splitlines also splits: text pasted
from Word or a PDF holds them, and every position after one would name another line (documents.py keeps the
editor's incremental changes to the same count)."""
from __future__ import annotations

import re
from typing import Sequence

from lsprotocol import types as T
from pygls.workspace.position_codec import PositionCodec

from ..span import Span


#: A line break as LSP and the checker count them.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: A line with its ending (the last one may have none): what pygls's documents are made of.
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def lines_of(text: str) -> list[str]:
    """The lines of ``text`` without their endings (a text ending in a newline ends with an empty line)."""
    return LINE_BREAK.split(text)


def lines_with_ends(text: str) -> tuple[str, ...]:
    """The lines of ``text`` with their endings, as str.splitlines(keepends=True) would give them if it split
    at line breaks only."""
    return tuple(LINE.findall(text))


def position(codec: PositionCodec, lines: Sequence[str], line: int, column: int) -> T.Position:
    """A 1-based line and code-point column (piadoc's) as an LSP position."""
    if line < 1:
        return T.Position(0, 0)
    text = lines[line - 1] if line - 1 < len(lines) else ""
    return T.Position(line - 1, codec.client_num_units(text[: max(column - 1, 0)]))


def span_range(codec: PositionCodec, lines: Sequence[str], span: Span) -> T.Range:
    start = position(codec, lines, span.line, span.column)
    if span.end_line < span.line or (span.end_line == span.line and span.end_column <= span.column):
        return T.Range(start, start)
    return T.Range(start, position(codec, lines, span.end_line, span.end_column))


def column_of(codec: PositionCodec, lines: Sequence[str], pos: T.Position) -> int:
    """The 0-based code-point column of an LSP position."""
    text = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(text):
        if units >= pos.character:
            return i
        units += codec.client_num_units(ch)
    return len(text)


def line_range(codec: PositionCodec, lines: Sequence[str], line0: int, start: int, end: int) -> T.Range:
    """A range on 0-based line ``line0`` between code-point columns ``start`` and ``end`` (0-based)."""
    return T.Range(position(codec, lines, line0 + 1, start + 1), position(codec, lines, line0 + 1, end + 1))
