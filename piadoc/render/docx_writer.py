"""Docx stage: layout blocks → a Word document on the template's styles; section templates and documents
a user brings are joined in with docxcompose.

Code names styles; sizes, fonts, page set-up, header and footer live in the template (base.docx), which an
organisation replaces with --template DIR.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn

from . import ooxml, styles
from .revisions import apply_to_table
from .layout import (
    Attachment,
    Band,
    Block,
    ChangeTable,
    Contents,
    Cover,
    GridLine,
    ItemRow,
    Section,
)

#: Column widths in mm for a 170 mm text width: side label, label, value.
ITEM_COLUMNS = (8, 50, 112)
#: 変更日 holds 「令和6年11月11日」 on one line (IPAex digits are 0.62 em, and Word and LibreOffice put 0.2 em
#: between kanji and digits: 30 mm with the cell margins), 提出時期 「事前」「事後」 (its header and the rare
#: 「一部事前」 wrap), 説明 a sentence in a few lines; 変更前・変更後 keep as much as they can.
CHANGE_COLUMNS = (32, 26, 36, 36, 13, 27)
#: The text width inside a value cell (Table Grid's cell margins are 1.9 mm a side).
GRID_WIDTH = ITEM_COLUMNS[2] - 3.8
#: The body text's size in base.docx (PIA本文), used only to share a checkbox grid's width among its columns.
GRID_POINTS = 9


def _width(text: str) -> float:
    """Printed width in full-width characters: ASCII and half-width forms count half."""
    return sum(0.5 if ord(c) < 0x80 or 0xFF61 <= ord(c) <= 0xFF9F else 1 for c in text)


def grid_widths(lines: tuple[GridLine, ...], total: float = GRID_WIDTH) -> tuple[float, ...]:
    """Column widths for a checkbox grid: a column whose widest option fits its share gets what it needs,
    the rest is shared by the others (their long options wrap), so that as few options as possible wrap.
    Widths are estimated at the body text's size (GRID_POINTS): the template may differ a little."""
    count = max((len(g.cells) for g in lines if not g.across), default=1)
    needs = [max((_width(g.cells[i]) for g in lines if not g.across and i < len(g.cells)), default=1.0)
             * GRID_POINTS * 25.4 / 72 + 0.5 for i in range(count)]
    if sum(needs) <= total:
        spare = (total - sum(needs)) / count
        return tuple(round(n + spare, 1) for n in needs)
    widths = [0.0] * count
    left, open_ = total, sorted(range(count), key=lambda i: needs[i])
    while open_ and needs[open_[0]] <= left / len(open_):
        i = open_.pop(0)
        widths[i] = needs[i]
        left -= needs[i]
    for i in open_:
        widths[i] = left / len(open_)
    return tuple(round(x, 1) for x in widths)


class TemplateError(Exception):
    """The template folder lacks base.docx or one of the styles the renderer uses."""


def open_template(template_dir: Path) -> DocumentObject:
    """A fresh document on the template (base.docx): its styles, page set-up, header and footer.

    Every part the report writes uses this one file: docxcompose keeps only the master's section
    properties, so a separate template for some parts would lose its header."""
    path = template_dir / "base.docx"
    if not path.is_file():
        raise TemplateError(f"{path} がありません")
    doc = Document(str(path))
    names = {s.name for s in doc.styles}
    missing = [n for n in styles.ALL if n not in names]
    if missing:
        raise TemplateError(f"{path} に必要なスタイルがありません: {', '.join(missing)}")
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}p") or child.tag.endswith("}tbl"):
            body.remove(child)
    return doc


class PartWriter:
    """Writes blocks into one document. Style ids are looked up once: python-docx's by-name lookup
    scans every style on each call and was 70% of build time."""

    def __init__(self, doc: DocumentObject) -> None:
        self.doc = doc
        self.style_ids = {s.name: s.style_id for s in doc.styles}

    def paragraph(self, text: str, style: str):
        p = self.doc.add_paragraph()
        ooxml.set_style_id(p, self.style_ids[style])
        if text:
            p.add_run(text)
        return p  # body paragraphs are few; the proxy is kept for add_break

    def cell(self, lines: Sequence[str], style: str, **kw) -> ooxml.CellSpec:
        return ooxml.CellSpec(tuple(lines), self.style_ids[style], **kw)

    def table(self, widths: tuple[float, ...], rows: list[tuple[list[ooxml.CellSpec], bool, bool]]) -> None:
        """Append a table before the section properties that close the body."""
        tbl = ooxml.table_element(widths, rows, self.style_ids[styles.TABLE], revise=apply_to_table)
        body = self.doc.element.body
        sect = body.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(tbl)
        else:
            body.append(tbl)

    def picture(self, path: str):
        """An inline picture element, at most as wide as the value column; the image goes into this part."""
        from docx.image.image import Image
        from docx.shared import Mm

        native = Image.from_file(path)
        limit = Mm(ITEM_COLUMNS[2] - 4)
        width = min(native.width, limit)
        return self.doc.part.new_pic_inline(path, width, None)

    def page_break(self) -> None:
        self.paragraph("", styles.BODY).add_run().add_break(WD_BREAK.PAGE)

    def cover(self, cover: Cover) -> None:
        if cover.stamp:
            self.paragraph(cover.stamp, styles.SMALL)
        self.paragraph(cover.title, styles.TITLE)
        self.paragraph("", styles.BODY)
        # 評価書番号 and 評価書名 side by side, as the form prints them; the rest as boxed label/value pairs.
        pair, rest = cover.labels[:2], cover.labels[2:]
        self.table((40, 130), [
            ([self.cell([label], styles.LABEL, shade=True) for label in pair], False, True),
            ([self.cell(cover.fields[label].split("\n"), styles.BODY, revision=cover.revisions.get(label))
              for label in pair], False, False),
        ])
        for label in rest:
            self.paragraph("", styles.BODY)
            self.table((170,), [([self.cell([label], styles.LABEL, shade=True)], False, True),
                                ([self.cell(cover.fields[label].split("\n"), styles.BODY,
                                            revision=cover.revisions.get(label))], False, False)])

    def contents(self, contents: Contents) -> None:
        self.paragraph(contents.title, styles.SECTION)
        for entry in contents.entries:
            self.paragraph(entry, styles.BODY)

    def section(self, section: Section) -> None:
        self.paragraph(section.heading, styles.SECTION)
        if not section.rows:
            return
        rows: list[tuple[list[ooxml.CellSpec], bool, bool]] = []
        for index, data in enumerate(section.rows):
            if isinstance(data, Band):
                head = f"{data.text}　{data.title}" if data.title else data.text
                rows.append(([self.cell([head, *data.boxes], styles.BAND, span=3, shade=True,
                                        revision=data.revision)], False, True))
                continue
            if data.full:
                rows.append(([self.cell(data.lines, styles.BODY, span=3, revision=data.revision)], False, False))
                continue
            whole = data.revision if data.revision is not None and data.revision.kind != "change" else None
            label = self.cell([("　" * data.indent) + data.label], styles.LABEL, span=1 if data.side_key else 2,
                              revision=whole)
            # checkboxes in columns; a tracked change prints its lines, which the revision compares
            grid = ooxml.Grid(grid_widths(data.grid), tuple(g.cells for g in data.grid)) \
                if data.grid and data.revision is None else None
            value = self.cell(() if grid else data.lines, styles.BODY,
                              picture=self.picture(data.picture) if data.picture else None, grid=grid,
                              revision=data.revision)
            cells = [label, value]
            if data.side_key:  # the vertical label beside its rows (再委託 beside ④⑤⑥)
                previous = section.rows[index - 1] if index else None
                first = not (isinstance(previous, ItemRow) and previous.side_key == data.side_key)
                cells.insert(0, self.cell([data.side or ""] if first else [], styles.LABEL,
                                          vmerge="restart" if first else "continue", vertical=True))
            rows.append((cells, False, len(data.lines) < 12))
        self.table(ITEM_COLUMNS, rows)

    def changes(self, changes: ChangeTable) -> None:
        self.paragraph(changes.heading, styles.SECTION)
        rows = [([self.cell([title], styles.LABEL, shade=True) for title in changes.columns], True, True)]
        for data in changes.rows or [("",) * len(changes.columns)]:
            rows.append(([self.cell(text.split("\n"), styles.SMALL) for text in data], False, False))
        self.table(CHANGE_COLUMNS, rows)


def write_document(blocks: list[Block], template_dir: Path) -> DocumentObject:
    """The report written on the template (base.docx); parts from elsewhere joined with docxcompose.

    Every part starts on a new page. Before a part, its section template is joined in when the template
    folder has one (`cover.docx`, `contents.docx`, `<section id>.docx` such as `II.docx`, `changes.docx`):
    an organisation's fixed text or logo for that section. A Word document the user brings (（別添１）) is
    joined after its section. docxcompose keeps their styles and numbering apart from the report's.
    """
    parts: list[DocumentObject] = []
    writer: PartWriter | None = None
    for index, block in enumerate(blocks):
        if index:  # every part after the first starts on a new page
            writer = writer or PartWriter(open_template(template_dir))
            writer.page_break()
        prefix = template_dir / f"{block.part}.docx" if not isinstance(block, Attachment) else None
        if isinstance(block, Attachment) or (prefix is not None and prefix.is_file()):
            if writer is not None:
                parts.append(writer.doc)
                writer = None
            parts.append(Document(str(block.path if isinstance(block, Attachment) else prefix)))
            if isinstance(block, Attachment):
                continue
        writer = writer or PartWriter(open_template(template_dir))
        if isinstance(block, Cover):
            writer.cover(block)
        elif isinstance(block, Contents):
            writer.contents(block)
        elif isinstance(block, Section):
            writer.section(block)
        elif isinstance(block, ChangeTable):
            writer.changes(block)
    if writer is not None:
        parts.append(writer.doc)
    if not blocks or isinstance(blocks[-1], Attachment):
        parts.append(open_template(template_dir))  # the report's template sets the page, not a joined part
    if len(parts) == 1:
        return parts[0]  # nothing to join: no section template, no user document
    from docxcompose.composer import (
        Composer,  # imported only when joining (it pulls in babel)
    )

    # The last part (the body, normally the largest) is the master and the others are inserted in front of
    # it: docxcompose walks every element of what it joins, so the small parts are the ones walked.
    composer = Composer(parts[-1])
    for part in reversed(parts[:-1]):
        composer.insert(0, part)
    ooxml.stable_numbering_ids(composer.doc)
    return composer.doc
