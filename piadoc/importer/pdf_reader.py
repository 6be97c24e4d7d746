"""A PDF of the form's ruled tables → a stream of lines and rows (stream.py), page by page.

Glyphs and ruling objects are read with PDFium (pdf_pages.py); pdfplumber's table finder builds the cells from
the rules, so their order is the table's, not the text stream's. A ruled box standing alone (a part printed as
one box) is a table of one cell, read as the .docx reader reads one: a row with an empty label. A cell's text
is rebuilt from its glyphs and the gaps between them (full- and half-width spaces, indentation); an empty
paragraph shows as a larger gap between lines than the page's usual one. A line is joined to the next when the
cell's width broke it: the next line's first word (with what may not begin a line, as LibreOffice keeps them
together) would not have fitted in the room left. The author's breaks (a short line, a line before ・ ① 【 （1） → "1 ", after a bracketed
heading ＜…＞) are kept, but a full line ending in a space or a comma, or inside a number, was wrapped whatever
follows. In a checkbox grid a wrapped line goes back into the column the width broke.

A row split over a page break is joined here, every column with the same rules, because only the glyphs tell a
wrap from a paragraph (the mapper sees text): the row after the repeated header row continues the one before
the break when its first cell is empty and each cell it goes on with ran down to the page's bottom. A box goes
on in a box only.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from .pdf_pages import Page, pages
from .stream import PICTURE_MARK, ImportFailed, Item, Line, Picture, Row

KIND = "PDF"
_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_KEEP_BREAK = re.compile(r"^\s*(?:[・●○◆■□※【\[［→]|\d+[ 　]|[①-⑳]|[(（]※?\d+[)）]|\d+[.．)）]|[a-zａ-ｚ][.．)）])")
_SPACE_EM = 0.29
"""Width of a half-width space in em, in the fonts the form uses (MS 明朝 / IPAex 明朝)."""
_PADDING = 6.2
"""A cell's left and right margin at most (pt): Word's and LibreOffice's default 0.19 cm, with slack."""
_AUTOSPACE_EM = 0.275
"""Above this gap between a Latin and an Asian glyph there was a space: the layout's own spacing measured
0.18–0.27 em, a space 0.29 em."""
_PAGE_NUMBER = re.compile(r"^\s*[-－‐]?\s*\d+\s*[-－‐]?\s*$")
_NO_LINE_START = frozenset("、。，．）」』】〕ー・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ)]},.:;!?")
"""Characters a Japanese line may not begin with: the one before them moves to the next line with them."""
_NO_LINE_END = frozenset("（([「『【〔＜")
"""Opening brackets: a line may not end with one, so it moves with the word after it."""
_COMMA = frozenset("、，,")


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    first_word: float
    """Width of what could not have been split from the line's start (a Latin word, a character and the
    punctuation that may not begin a line)."""
    columns: tuple[tuple[int, float, float], ...] = ()
    """Where a checkbox grid's next column starts on the line (`[ ○ ] 個人番号　　[ 　 ] 個人番号対応符号`):
    the index in text of the spaces before it, the right edge of the text before them, the left of the column."""


def _box(glyphs: list[dict]) -> bool:
    """The glyphs start a checkbox as the form prints it: [ ○ ] or [ 　 ] (PDFium may leave the spaces out)."""
    text = "".join(c["text"] for c in glyphs).replace(" ", "").replace("\u3000", "")
    return text[:1] in "[［" and text[1:2] in ("○", "]", "］")


def _spaced(row: list[dict], size: float) -> tuple[str, tuple[tuple[int, float, float], ...]]:
    """A line's glyphs left to right, with the spaces a reader left out where they stood (PDFium reports one
    space of several): a gap of a full em is a full-width space, a narrower one a half-width space. And where
    a checkbox grid's columns start after such a gap (_Line.columns)."""
    out = [row[0]["text"]]
    columns: list[tuple[int, float, float]] = []
    for k, (prev, c) in enumerate(zip(row, row[1:]), 1):
        gap = c["x0"] - prev["x1"]
        if c["text"] in "[［" and not prev["text"].isspace() and _box(row[k:k + 6]):
            columns.append((len("".join(out)), prev["x1"], c["x0"]))
        # Between Latin and Asian text the layout adds up to ¼ em of its own (none beside a space).
        mixed = prev["text"].isascii() != c["text"].isascii() and " " not in (prev["text"], c["text"])
        if gap > size * 0.8:
            out.append("\u3000" * max(round(gap / size), 1))
        elif gap > size * (_AUTOSPACE_EM if mixed else 0.25):
            out.append(" " * max(round(gap / (size * _SPACE_EM)), 1))
        out.append(c["text"])
    return "".join(out), tuple(columns)


def _lines(chars: list[dict], size: float) -> list[_Line]:
    """Glyphs → lines, top to bottom, each left to right."""
    out: list[_Line] = []
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["top"] / (size * 0.4)), c["x0"])):
        if rows and abs(rows[-1][0]["top"] - c["top"]) < size * 0.4:
            rows[-1].append(c)
        else:
            rows.append([c])
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        k = _first_word([c["text"] for c in row])
        text, columns = _spaced(row, size)
        out.append(_Line(text, row[0]["x0"], row[-1]["x1"], row[0]["top"], row[k - 1]["x1"] - row[0]["x0"], columns))
    return out


def _first_word(text: list[str]) -> int:
    """How many of a line's first glyphs could not have been split from its start: a Latin word or a
    character, with the punctuation that may not begin a line after it. A comma followed by a half-width
    number holds on to it, as LibreOffice lays out 16の２、16の３ (and the character the number counts)."""
    k = 0
    while k < len(text) - 1 and text[k] in _NO_LINE_END:
        k += 1
    while k < len(text):
        if text[k].isascii() and text[k].isalnum():
            while k < len(text) and text[k].isascii() and not text[k].isspace():
                k += 1
            if text[k - 1].isdigit() and k < len(text) and not text[k].isascii():
                k += 1  # 2項, 10日: a number keeps the character it counts
        else:
            k += 1
        while k < len(text) and text[k] in _NO_LINE_START:
            k += 1
        if not (text[k - 1] in _COMMA and k < len(text) and text[k].isascii() and text[k].isdigit()):
            return k
    return k


def _indented(line: _Line, indent: float, size: float) -> _Line:
    """The spaces that indent a line, where the reader did not report them (PDFium drops leading ones)."""
    if line.text[:1].isspace() or indent < size * 0.2:
        return line
    spaces = "\u3000" * round(indent / size) if indent > size * 0.8 else " " * max(round(indent / (size * _SPACE_EM)), 1)
    return _Line(spaces + line.text, line.x0 - indent, line.x1, line.top, line.first_word,
                 tuple((i + len(spaces), a, b) for i, a, b in line.columns))


@dataclass(frozen=True, slots=True)
class _Cell:
    """A cell's text, with what the next page's part of it needs to be joined on: its first and last lines,
    the right edge of its text, the font size of the page and the distance between lines."""
    text: str
    first: _Line | None
    last: _Line | None
    right: float
    size: float
    pitch: float
    top: float = 0.0
    bottom: float = 0.0
    """The top and bottom of the row the cell stands in."""


_NO_LABEL = _Cell("", None, None, 0.0, 0.0, 0.0)
"""The label cell a box of one cell lacks: its row reads as the .docx reader reads a table of one cell
(docx_reader.py), an empty label before the text, so the mapper takes both alike."""


_PAIRS = {"（": "）", "(": ")", "＜": "＞", "<": ">", "【": "】", "［": "］", "[": "]", "「": "」", "〔": "〕", "≪": "≫", "《": "》"}


def _bracketed(paragraph: str) -> bool:
    """A paragraph that is one bracketed phrase, ＜…における措置＞ or （…機能）: a heading, which its author ends."""
    text = paragraph.strip()
    close = _PAIRS.get(text[:1])
    if close is None or not text.endswith(close) or len(text) < 2:
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == text[0]) - (ch == close)
        if depth == 0:
            return i == len(text) - 1
    return False


def _fits(prev: _Line, line: _Line, right: float, size: float) -> bool:
    """The next line's first word would have fitted in the room left on the line before."""
    return right - prev.x1 >= line.first_word + size * 0.25


def _wraps(prev: _Line, line: _Line, right: float, size: float, paragraph: str = "") -> bool:
    """Whether the cell's width broke the text between two lines (not its author).

    The next line's first word would not have fitted in the room left on the line before: a wrap, unless the
    next line starts as the author starts a new paragraph (a bullet ・, ①, （1）, an indent). A full line that
    ends in a space or a comma was wrapped whatever comes next: an author ends neither a paragraph nor a path
    heading with one, and LibreOffice draws the space it broke at."""
    if line.text[:1].isspace() or _fits(prev, line, right, size):
        return False
    if prev.text[-1:].isspace() or prev.text[-1:] in _COMMA:
        return True
    if prev.text[-1:].isdigit() and line.text[:1].isdigit():
        return True  # ３|５．: a number the width broke, not an item numbered after one
    if _bracketed(paragraph):
        return False
    # A bullet-like start （２）, ８） keeps the break, unless the line before left a bracket open.
    inside = sum(prev.text.count(b) for b in "（(") > sum(prev.text.count(b) for b in "）)")
    return inside or not _KEEP_BREAK.match(line.text)


def _full_column(prev: _Line, line: _Line, size: float) -> int | None:
    """In a checkbox grid, where the first column the width broke ends in the line before: the next line,
    aligned with the grid, starts with what would not have fitted before the next column."""
    if abs(line.x0 - prev.x0) > size * 0.5 or line.text[:1].isspace() or _KEEP_BREAK.match(line.text):
        return None
    return next((at for at, end, start in prev.columns if start - end < line.first_word + size * 1.25), None)


def _continued(paragraph: str, prev: _Line, line: _Line, size: float) -> str:
    """The paragraph with a wrapped line added: at its end, or after the checkbox grid's column it belongs to."""
    full = _full_column(prev, line, size)
    if full is None or not paragraph.endswith(prev.text):
        return paragraph + line.text
    at = len(paragraph) - len(prev.text) + full
    return paragraph[:at] + line.text + paragraph[at:]


def _cell(chars: list[dict], x0: float, x1: float, size: float, pitch: float | None = None) -> _Cell:
    """pitch: the page's distance between lines, for a cell of two lines with an empty one between them."""
    lines = _lines(chars, size)
    if not lines:
        return _Cell("", None, None, x1, size, size)
    pad = min(max(min(ln.x0 for ln in lines) - x0, 0.0), _PADDING)
    right, left = x1 - pad, x0 + pad
    lines = [_indented(ln, ln.x0 - left, size) for ln in lines]
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top - a.top > size * 0.5]
    pitch = min(gaps + [pitch or size * 2]) if gaps else pitch or size
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        blank = max(round((line.top - prev.top) / pitch) - 1, 0)
        if not blank and (_wraps(prev, line, right, size, parts[-1]) or _full_column(prev, line, size) is not None):
            parts[-1] = _continued(parts[-1], prev, line, size)
        else:
            parts += [""] * blank + [line.text]
    return _Cell("\n".join(parts), lines[0], lines[-1], right, size, pitch)


def cell_text(chars: list[dict], x0: float, x1: float, size: float, pitch: float | None = None) -> tuple[str, bool]:
    """The text of a cell between x0 and x1, and whether its last line ran to the cell's edge."""
    cell = _cell(chars, x0, x1, size, pitch)
    return cell.text, cell.last is not None and cell.right - cell.last.x1 < size * 1.5


def _joined(a: _Cell, b: _Cell) -> _Cell:
    """A cell a page break split: the line before the break and the first after it are joined as in a cell."""
    if not b.text:
        return a
    if not a.text:
        return b
    if a.last is None or b.first is None:
        return dataclasses.replace(b, text=a.text + "\n" + b.text, first=a.first)
    # An empty paragraph shows as the room of a line left below the last line, or above the first.
    blank = max(round((a.bottom - a.last.top) / a.pitch) - 1, 0) + max(round((b.first.top - b.top) / b.pitch), 0)
    wrapped = not blank and _wraps(a.last, b.first, a.right, a.size, a.text.rsplit("\n", 1)[-1])
    glue = "" if wrapped else "\n" * (blank + 1)
    return dataclasses.replace(b, text=a.text + glue + b.text, first=a.first)


def _pitch(chars: list[dict], size: float) -> float | None:
    """The distance between lines the page's text mostly has: between glyphs that start lines at one left
    edge, one above the other (in half points)."""
    tops: dict[int, list[float]] = {}
    for c in chars:
        tops.setdefault(int(c["x0"] * 2), []).append(c["top"])
    counts: dict[int, int] = {}
    low, high = size * 0.5, size * 3
    for column in tops.values():
        if len(column) < 2:
            continue
        column.sort()
        for a, b in zip(column, column[1:]):
            if low < b - a < high:
                key = int((b - a) * 2 + 0.5)
                counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: (counts[k], -k)) / 2 if counts else None


def _tables(page: Page) -> list:
    """pdfplumber's table finder on the page's rules, given as explicit lines (no pdfminer pass), with each
    ruled box that stands alone as a table of its one cell: the finder keeps only tables of several cells, but
    a part printed as one box (（別添１）, a file's 記録項目) is a table of one cell, and its text needs the
    cell's width to tell a wrap from a break. A box inside a table (a cell's nested grid) is the table's."""
    from pdfplumber.table import Table, TableFinder

    if len(page.rects) < 2:
        return []
    settings = dict(_SETTINGS, vertical_strategy="explicit", horizontal_strategy="explicit",
                    explicit_vertical_lines=page.rects, explicit_horizontal_lines=page.rects)
    finder = TableFinder(page, settings)  # type: ignore[arg-type]
    tables = list(finder.tables)
    grouped = {cell for t in tables for cell in t.cells}
    for cell in finder.cells:
        if cell not in grouped and not any(_within(cell, t.bbox) for t in tables) and _ruled(page, cell):
            tables.append(Table(page, [cell]))
    return tables


_RULE = 2.0
"""A rule is a rect at most this thick (pt); anything thicker is a fill."""


def _ruled(page: Page, cell: tuple[float, float, float, float]) -> bool:
    """Each side of ``cell`` is drawn as a rule. The edges of a fill make a "cell" for the finder too (cairo
    draws a rect behind a title), which is no box to read as a part."""
    x0, top, x1, bottom = cell

    def drawn(horizontal: bool, at: float, start: float, end: float) -> bool:
        for r in page.rects:
            thin, pos = (r["height"], (r["top"] + r["bottom"]) / 2) if horizontal else (r["width"], (r["x0"] + r["x1"]) / 2)
            lo, hi = (r["x0"], r["x1"]) if horizontal else (r["top"], r["bottom"])
            if thin <= _RULE and abs(pos - at) <= _RULE and lo <= start + _RULE and hi >= end - _RULE:
                return True
        return False

    return (drawn(True, top, x0, x1) and drawn(True, bottom, x0, x1)
            and drawn(False, x0, top, bottom) and drawn(False, x1, top, bottom))


def _within(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    """The box ``inner`` lies in ``outer`` (x0, top, x1, bottom)."""
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _shaded(page: Page, cell: tuple[float, float, float, float]) -> bool:
    """A filled rect of the cell's size lies on it: a heading band, not an answer box (as docx_reader tells them
    apart). Rules are thin rects; a fill larger than the cell (a page's background) shades no cell of its own."""
    return any(r["width"] > 2 and r["height"] > 2
               and all(abs(a - b) <= 2 for a, b in zip((r["x0"], r["top"], r["x1"], r["bottom"]), cell))
               for r in page.rects)


_Placed = tuple[float, int, "Line | list[tuple[Row, tuple[_Cell, ...]]]"]


def _picture_marks(page: Page, pictures: list[Picture]) -> list[tuple[dict, str]]:
    """The page's images as pictures numbered after those already found, each with its bounds and mark."""
    marks = []
    for bounds, data, ext in page.images:
        pictures.append(Picture(f"図{len(pictures) + 1}{ext}", data))
        marks.append((bounds, PICTURE_MARK + pictures[-1].name))
    return marks


def _inside(bounds: dict, box: tuple[float, float, float, float]) -> bool:
    x, y = (bounds["x0"] + bounds["x1"]) / 2, (bounds["top"] + bounds["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page(page: Page, pictures: list[Picture]) -> list[_Placed]:
    """A page's tables (rows of cell texts, with each cell's lines for joining a split row) and the lines
    outside them, top to bottom. An image stands as its mark (stream.Picture) in the cell that holds it."""
    marks = _picture_marks(page, pictures)
    chars = sorted(page.chars, key=lambda c: c["top"])
    sizes = sorted(c["size"] for c in chars)
    size = sizes[len(sizes) // 2] if sizes else 10.5
    tops = [(c["top"] + c["bottom"]) / 2 for c in chars]
    pitch = _pitch(chars, size)
    placed: list[_Placed] = []
    claimed: set[int] = set()
    for t in _tables(page):
        box = len(t.cells) == 1 and not _shaded(page, t.cells[0])
        rows: list[tuple[Row, tuple[_Cell, ...]]] = []
        for r, geometry in enumerate(t.rows, 1):
            boxes = [b for b in geometry.cells if b is not None]
            if not boxes:
                continue
            top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
            band = chars[bisect.bisect_left(tops, top):bisect.bisect_right(tops, bottom)]
            cells: list[_Cell] = []
            for b in boxes:
                mine = [c for c in band if b[0] <= (c["x0"] + c["x1"]) / 2 <= b[2]
                        and b[1] <= (c["top"] + c["bottom"]) / 2 <= b[3]]
                claimed.update(id(c) for c in mine)
                cell = _cell(mine, b[0], b[2], size, pitch)
                held = [mark for bounds, mark in marks if _inside(bounds, b)]
                if held:
                    marks = [(bounds, mark) for bounds, mark in marks if mark not in held]
                    cell = dataclasses.replace(cell, text="\n".join(([cell.text] if cell.text else []) + held),
                                               last=None)
                cells.append(dataclasses.replace(cell, top=top, bottom=bottom))
            if box:
                cells.insert(0, _NO_LABEL)
            rows.append((Row(tuple(c.text for c in cells), f"p.{page.number} 表の{r}行目", 0), tuple(cells)))
        placed.append((t.bbox[1], 1, rows))
    for line in _lines([c for c in chars if id(c) not in claimed], size):
        text = line.text.strip()
        if text and not _PAGE_NUMBER.match(text):
            placed.append((line.top, 0, Line(text, f"p.{page.number}")))
    placed += [(bounds["top"], 0, Line(mark, f"p.{page.number}")) for bounds, mark in marks]
    placed.sort(key=lambda p: (p[0], p[1]))
    return placed


def _split(row: Row, cells: tuple[_Cell, ...], prev: Item | None, before: tuple[_Cell, ...]) -> bool:
    """The first row of a page (after a repeated header) continues the row the page break split: the same
    columns, its first cell (a label, a date: short, printed before the break) empty, and each cell it goes
    on with ran down to the bottom of the page (a new row whose first cell was left empty has cells the row
    before ended well above it)."""
    if not (isinstance(prev, Row) and len(row.cells) == len(prev.cells) == len(before) == len(cells) >= 2
            and not row.cells[0].strip() and any(c.strip() for c in row.cells)
            and (before[0] is _NO_LABEL) == (cells[0] is _NO_LABEL)):  # a box goes on only in a box
        return False
    return all(not text.strip() or (a.last is not None and a.bottom - a.last.top < a.size * 2.5)
               for text, a in zip(row.cells, before))


def read_pdf(path: Path) -> list[Item | Picture]:
    """The stream, then the pictures it marks (stream.Picture)."""
    items: list[Item] = []
    pictures: list[Picture] = []
    parts: dict[int, tuple[_Cell, ...]] = {}
    """The cells of each row in items, by index, while a page break may still split it."""
    heads: dict[int, tuple[str, ...]] = {}
    """Each table's first row: a table repeats it (a header row) at the top of each page it runs onto."""
    table_id, chars_seen = 0, 0
    try:
        for page in pages(path):
            chars_seen += len(page.chars)
            first = True
            for _, _, what in _page(page, pictures):
                if isinstance(what, Line):
                    items.append(what)
                    first = False
                    continue
                # A table at the top of a page continues the last one (a header row's columns still apply).
                if not (first and items and isinstance(items[-1], Row)):
                    table_id += 1
                    heads[table_id] = what[0][0].cells if what else ()
                target = len(items) - 1 if first else None
                for k, (row, cells) in enumerate(what):
                    # The rows a page break split are joined here, where the lines' geometry tells a wrap from
                    # a paragraph: the mapper sees each row whole.
                    row = Row(row.cells, row.where, table_id)
                    if target is not None and k == 0 and row.cells == heads.get(table_id) and len(what) > 1:
                        items.append(row)  # the header repeated: the row after it may continue the split one
                        continue
                    if target is not None and target in parts and _split(row, cells, items[target], parts[target]):
                        joined = tuple(_joined(a, b) for a, b in zip(parts[target], cells))
                        parts[target] = joined
                        old = items[target]
                        items[target] = Row(tuple(c.text for c in joined), old.where, old.table)  # type: ignore[union-attr]
                        target = None
                        continue
                    target = None
                    parts[len(items)] = cells
                    items.append(row)
                first = False
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise ImportFailed("E116", kind=KIND, reason=type(err).__name__ + (f": {err}" if str(err) else "")) from None
    if not chars_seen:
        raise ImportFailed("E119")
    return [*items, *pictures]
