"""The one place where piadoc positions (1-based lines, code-point columns) meet LSP positions (0-based,
in the client's units: UTF-16 by default, so 𠮷 counts two)."""
from __future__ import annotations

from typing import Sequence

from lsprotocol import types as T
from pygls.workspace.position_codec import PositionCodec

from ..span import Span


def lines_of(text: str) -> list[str]:
    """Lines split on \\n only (as the client counts them), \\r of CRLF dropped."""
    return [line.removesuffix("\r") for line in text.split("\n")]


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
