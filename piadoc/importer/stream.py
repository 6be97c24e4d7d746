"""What a reader hands the mapper: the document as a stream of lines and table rows, in reading order.

Readers (.docx, PDF, plain text) know formats, never the form; the mapper knows the form, never formats.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True, slots=True)
class Line:
    """Text outside the tables: the title, part headings (Ⅱ　特定個人情報ファイルの概要), page furniture."""

    text: str
    where: str
    """Where it stands, for the user (表3, p.4)."""
    gap: bool = False
    """Plain text: a blank line stood before it (extracted text separates the PDF's text boxes so)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One table row, merged cells counted once, each cell's lines joined with \\n."""

    cells: tuple[str, ...]
    where: str
    table: int
    """Which table (rows of one table share a header row)."""


@dataclass(frozen=True, slots=True)
class Picture:
    """An image the document holds. Its place in the text is a line of OBJECT REPLACEMENT CHARACTER (U+FFFC,
    Unicode's stand-in for an embedded object) followed by ``name``: the mapper places it like any text, and
    the draft names it with `@file` once the image is written beside the spec."""

    name: str
    """図1.png, 図2.jpeg …: numbered in document order, with the extension of the stored image."""
    data: bytes


PICTURE_MARK = "\uFFFC"

Item = Union[Line, Row]


class ImportFailed(Exception):
    """The input cannot be imported: ``code`` (E115–E119) and the message's fields."""

    def __init__(self, code: str, **fields: str) -> None:
        super().__init__(code)
        self.code, self.fields = code, fields
