"""A PDF of the form's ruled tables → a stream of lines and rows (stream.py), page by page.

Cells come from the ruling lines (pdfplumber's lines strategy), so their order is the table's, not the text
stream's. A cell's lines that were wrapped at the cell width are joined again; the author's own breaks (a
short line, a line before ・ ① 【 （1）, a sentence ending in 。) are kept. A row split over a page break (the
label cell empty on the new page) is joined to the row it continues.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .stream import ImportFailed, Item, Line, Row

KIND = "PDF"
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_PADDING = 11.0
"""Left and right cell margins together (pt): LibreOffice's and Word's default 0.19 cm each, with slack."""
_KEEP_BREAK = re.compile(r"^\s*(?:[・●○◆■□※【\[［]|[①-⑳]|[(（]\d+[)）]|\d+[.．)）\s]|[a-zａ-ｚ][.．)）])")
_PAGE_NUMBER = re.compile(r"^\s*[-－‐]?\s*\d+\s*[-－‐]?\s*$")


def _units(text: str) -> float:
    """Width in em: wide characters 1, others ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def join_wrapped(text: str, width: float, size: float) -> str:
    """Join the lines of a cell that the cell's width broke, keep the author's breaks."""
    lines = text.split("\n")
    if len(lines) < 2 or size <= 0:
        return "\n".join(lines)
    room = (width - _PADDING) / size
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        full = _units(prev) >= room - 1.6
        if full and prev and not prev.endswith("。") and not _KEEP_BREAK.match(line):
            glue = " " if prev[-1:].isascii() and prev[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum() else ""
            out[-1] = prev + glue + line
        else:
            out.append(line)
    return "\n".join(out)


def read_pdf(path: Path) -> list[Item]:
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as err:  # pragma: no cover - a dependency of the package
        raise ImportFailed("E116", kind=KIND, reason=str(err)) from None
    items: list[Item] = []
    try:
        with pdfplumber.open(path) as pdf:
            table_id, chars_seen = 0, 0
            for pn, page in enumerate(pdf.pages, 1):
                chars_seen += len(page.chars)
                sizes = sorted(c["size"] for c in page.chars)
                size = sizes[len(sizes) // 2] if sizes else 10.5
                tables = page.find_tables(_SETTINGS)
                placed: list[tuple[float, int, Item | list[Row]]] = []
                rest = page
                for t in tables:
                    rest = rest.outside_bbox(t.bbox)
                for line in rest.extract_text_lines(return_chars=False):
                    text = line["text"].strip()
                    if text and not _PAGE_NUMBER.match(text):
                        placed.append((line["top"], 0, Line(text, f"p.{pn}")))
                for t in tables:
                    rows: list[Row] = []
                    for r, (geometry, texts) in enumerate(zip(t.rows, t.extract()), 1):
                        cells = tuple(join_wrapped(txt or "", box[2] - box[0], size)
                                      for box, txt in zip(geometry.cells, texts) if box is not None)
                        if cells:
                            rows.append(Row(cells, f"p.{pn} 表の{r}行目", 0))
                    placed.append((t.bbox[1], 1, rows))
                placed.sort(key=lambda p: (p[0], p[1]))
                first = True
                for _, kind, what in placed:
                    if isinstance(what, Line):
                        items.append(what)
                        first = False
                        continue
                    # A table at the top of a page continues the last one (a header row's columns still apply).
                    if not (first and items and isinstance(items[-1], Row)):
                        table_id += 1
                    for k, row in enumerate(what):
                        row = Row(row.cells, row.where, table_id, page_top=first and k == 0)
                        prev = items[-1] if items else None
                        if (first and k == 0 and isinstance(prev, Row) and len(row.cells) == len(prev.cells) >= 2
                                and not row.cells[0].strip()):
                            items[-1] = Row(prev.cells[:-1] + (prev.cells[-1] + "\n" + row.cells[-1],),
                                            prev.where, prev.table)
                            continue
                        items.append(row)
                    first = False
    except (PDFSyntaxError, PdfminerException, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ImportFailed("E116", kind=KIND, reason=type(err).__name__ + (f": {err}" if str(err) else "")) from None
    if not chars_seen:
        raise ImportFailed("E119")
    return items
