"""Docx stage: layout blocks → a Word document on the template's styles, parts joined with docxcompose.

The cover and the body are built as two documents from the same template and joined, so an
organisation's template (--template DIR) restyles both. Code names styles; sizes and fonts live in the
template.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.shared import Mm
from docx.table import Table, _Cell
from docxcompose.composer import Composer

from . import ooxml, styles
from .layout import Band, Block, ChangeTable, Contents, Cover, Section

#: Column widths in mm for a 170 mm text width: side label, label, value.
ITEM_COLUMNS = (8, 50, 112)
CHANGE_COLUMNS = (22, 34, 42, 42, 12, 18)


class TemplateError(Exception):
    """The template folder lacks base.docx or one of the styles the renderer uses."""


def open_template(template_dir: Path) -> DocumentObject:
    """A fresh document on the template: its styles, page set-up and footer, with an empty body."""
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

    def fill(self, cell: _Cell, lines: Sequence[str], style: str) -> None:
        """Fill a cell line by line; the first line goes in the cell's existing paragraph."""
        style_id = self.style_ids[style]
        ooxml.replace_cell_paragraphs(cell, [ooxml.make_paragraph(style_id, line) for line in (lines or [""])])

    def table(self, widths: tuple[int, ...], rows: int) -> Table:
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.style = self.doc.styles[styles.TABLE]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        ooxml.fixed_layout(table)
        ooxml.table_borders(table)
        for col, width in zip(table.columns, widths):
            col.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Mm(width)
        return table

    def page_break(self) -> None:
        self.paragraph("", styles.BODY).add_run().add_break(WD_BREAK.PAGE)

    def cover(self, cover: Cover) -> None:
        if cover.stamp:
            self.paragraph(cover.stamp, styles.SMALL)
        self.paragraph(cover.title, styles.TITLE)
        self.paragraph("", styles.BODY)
        # 評価書番号 and 評価書名 side by side, as the form prints them; the rest as boxed label/value pairs.
        pair, rest = cover.labels[:2], cover.labels[2:]
        table = self.table((40, 130), 2)
        for i, label in enumerate(pair):
            self.fill(table.rows[0].cells[i], [label], styles.LABEL)
            ooxml.shade(table.rows[0].cells[i])
            self.fill(table.rows[1].cells[i], cover.fields[label].split("\n"), styles.BODY)
        for label in rest:
            self.paragraph("", styles.BODY)
            box = self.table((170,), 2)
            self.fill(box.rows[0].cells[0], [label], styles.LABEL)
            ooxml.shade(box.rows[0].cells[0])
            self.fill(box.rows[1].cells[0], cover.fields[label].split("\n"), styles.BODY)

    def contents(self, contents: Contents) -> None:
        self.paragraph("項目一覧", styles.SECTION)
        for entry in contents.entries:
            self.paragraph(entry, styles.BODY)

    def section(self, section: Section) -> None:
        self.paragraph(section.heading, styles.SECTION)
        if not section.rows:
            return
        table = self.table(ITEM_COLUMNS, len(section.rows))
        sides: dict[str, list[int]] = {}
        for index, (row, data) in enumerate(zip(table.rows, section.rows)):
            if isinstance(data, Band):
                merged = ooxml.span_columns(row, 0, 2)
                head = f"{data.text}　{data.title}" if data.title else data.text
                self.fill(merged, [head, *data.boxes], styles.LABEL)
                ooxml.shade(merged)
                continue
            if len(data.lines) < 12:
                ooxml.cant_split(row)
            label = ("　" * data.indent) + data.label
            cells = row.cells
            if data.side_key:
                sides.setdefault(data.side_key, []).append(index)
                self.fill(cells[1], [label], styles.LABEL)
            else:
                cells = [ooxml.span_columns(row, 0, 1), None, cells[2]]
                self.fill(cells[0], [label], styles.LABEL)
            self.fill(cells[2], list(data.lines), styles.BODY)
        for indexes in sides.values():  # the vertical label beside its rows (再委託 beside ④⑤⑥)
            top = table.rows[indexes[0]].cells[0]
            if len(indexes) > 1:
                top = top.merge(table.rows[indexes[-1]].cells[0])
            self.fill(top, [section.rows[indexes[0]].side or ""], styles.LABEL)
            ooxml.vertical_text(top)

    def changes(self, changes: ChangeTable) -> None:
        self.paragraph(changes.heading, styles.SECTION)
        table = self.table(CHANGE_COLUMNS, 1 + max(len(changes.rows), 1))
        header = table.rows[0]
        ooxml.repeat_header(header)
        for cell, title in zip(header.cells, changes.columns):
            self.fill(cell, [title], styles.LABEL)
            ooxml.shade(cell)
        for row, data in zip(table.rows[1:], changes.rows):
            for cell, text in zip(row.cells, data):
                self.fill(cell, text.split("\n"), styles.SMALL)


def write_document(blocks: list[Block], template_dir: Path) -> DocumentObject:
    """The cover part and the body part, each from the template, joined with docxcompose."""
    cover = PartWriter(open_template(template_dir))
    body = PartWriter(open_template(template_dir))
    first_body = True
    for block in blocks:
        if isinstance(block, Cover):
            cover.cover(block)
            cover.page_break()
            continue
        if not first_body:
            body.page_break()
        first_body = False
        if isinstance(block, Contents):
            body.contents(block)
        elif isinstance(block, Section):
            body.section(block)
        elif isinstance(block, ChangeTable):
            body.changes(block)
    composer = Composer(cover.doc)
    composer.append(body.doc)
    return composer.doc
