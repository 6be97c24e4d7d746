"""The only module that writes raw WordprocessingML: what python-docx has no API for, or does slowly.

East Asian font slots, the PAGE field, paragraphs and whole tables (borders, shading, merged and
vertical cells, repeated header rows) built in one pass, stable numbering ids after docxcompose.
"""
from __future__ import annotations

from typing import Callable

from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import element_class_lookup
from docx.styles.style import BaseStyle
from lxml import etree


def set_east_asian_font(style: BaseStyle, east_asia: str, latin: str | None = None) -> None:
    """Set w:rFonts/@w:eastAsia (and the Latin slots) and w:lang/@w:eastAsia=ja-JP on a style."""
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), latin or east_asia)
    fonts.set(qn("w:hAnsi"), latin or east_asia)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")


def page_number_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)


def set_style_id(paragraph, style_id: str) -> None:
    """Point a paragraph at a style by id: python-docx's by-name lookup scans every style on each call."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.get_or_add_pStyle().val = style_id


class CellSpec:
    """One cell of a table built by :func:`table_element`. A plain class: thousands are made per document,
    and a frozen dataclass costs a millisecond to define and twice as long to make."""

    __slots__ = ("lines", "style_id", "span", "shade", "vmerge", "vertical", "picture", "grid", "revision")

    def __init__(self, lines: tuple[str, ...], style_id: str, span: int = 1, shade: bool = False,
                 vmerge: str | None = None, vertical: bool = False, picture: object | None = None,
                 grid: "Grid | None" = None, revision: object | None = None) -> None:
        self.lines = lines
        self.style_id = style_id
        self.span = span
        """Grid columns the cell covers (w:gridSpan)."""
        self.shade = shade
        self.vmerge = vmerge
        """'restart' on the first cell of a vertical merge, 'continue' below it."""
        self.vertical = vertical
        self.picture = picture
        """An inline picture (wp:inline) placed in its own paragraph after the lines."""
        self.grid = grid
        """A borderless table inside the cell (checkboxes in columns), printed after the lines."""
        self.revision = revision
        """A layout.Revision: the cell's text as a tracked change (piadoc redline); None in a plain build."""


class Grid:
    """Text laid out in columns inside a cell: rows of texts, a one-text row printed across every column."""

    __slots__ = ("widths_mm", "rows")

    def __init__(self, widths_mm: tuple[float, ...], rows: tuple[tuple[str, ...], ...]) -> None:
        self.widths_mm = widths_mm
        self.rows = rows


def _mm_to_twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


#: Tables are written as XML text and parsed once: lxml's parser makes the elements far faster than a
#: SubElement call per element (a big spec has ~20,000). Blank text is kept as written (the parser
#: python-docx reads parts with drops it), and the elements get python-docx's classes all the same.
_PARSER = etree.XMLParser(remove_blank_text=False, resolve_entities=False)
_PARSER.set_element_class_lookup(element_class_lookup)
_W_NS = nsdecls("w")
_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;",
                               "\r": "&#13;"})


def _text(text: str) -> str:
    """Escaped for element content. str.replace, not str.translate: translate walks a Japanese text
    character by character in Python and cost a quarter of the table."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_BORDER = '="single" w:sz="4" w:space="0" w:color="000000"/>'
_BORDERS = "<w:tblBorders>" + "".join(f"<w:{edge} w:val{_BORDER}" for edge in
                                      ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"


def _paragraph_xml(out: list[str], style: str, text: str) -> None:
    """A <w:p> with its style and one run (none when empty); ``style`` is already escaped."""
    out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>')
    if text:
        space = ' xml:space="preserve"' if text != text.strip() else ""
        out.append(f"<w:r><w:t{space}>{_text(text)}</w:t></w:r>")
    out.append("</w:p>")


def _grid_xml(out: list[str], grid: Grid, style: str) -> None:
    """A borderless nested table with no cell margins, then the paragraph a cell must end with (kept one
    point high, so the grid prints as lines of the cell)."""
    widths = grid.widths_mm
    out.append('<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
               + "".join(f'<w:{edge} w:val="nil"/>' for edge in ("top", "left", "bottom", "right", "insideH",
                                                                  "insideV"))
               + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="0" w:type="dxa"/>'
               '<w:right w:w="0" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>')
    out.extend(f'<w:gridCol w:w="{_mm_to_twips(width)}"/>' for width in widths)
    out.append("</w:tblGrid>")
    for texts in grid.rows:
        out.append("<w:tr>")
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            span = len(widths) - index if last else 1  # a short line: its last cell takes the rest
            width = _mm_to_twips(sum(widths[index:index + span]))
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                       + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + "</w:tcPr>")
            _paragraph_xml(out, style, text)
            out.append("</w:tc>")
        out.append("</w:tr>")
    out.append(f'</w:tbl><w:p><w:pPr><w:pStyle w:val="{style}"/><w:spacing w:line="20" w:lineRule="exact"/>'
               "</w:pPr></w:p>")


def table_element(widths_mm: tuple[float, ...], rows: list[tuple[list[CellSpec], bool, bool]], table_style_id: str,
                  revise: Callable[..., None] | None = None):
    """A whole <w:tbl>: fixed grid, single borders, centred; rows are (cells, repeat_header, cant_split).

    Built in one pass: python-docx's add_table + per-cell width and merge calls cost ten times more.
    """
    out = [f'<w:tbl {_W_NS}><w:tblPr><w:tblStyle w:val="{table_style_id.translate(_ATTR_ESCAPES)}"/>'
           f'<w:tblW w:w="{_mm_to_twips(sum(widths_mm))}" w:type="dxa"/><w:jc w:val="center"/>{_BORDERS}'
           '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>']
    out.extend(f'<w:gridCol w:w="{_mm_to_twips(width)}"/>' for width in widths_mm)
    out.append("</w:tblGrid>")
    spans: dict[tuple[int, int], str] = {}
    pictures: list[object] = []
    revised: list[tuple[int, int, CellSpec]] = []
    marked: list[tuple[int, str]] = []
    for row_index, (cells, header, cant_split) in enumerate(rows):
        out.append("<w:tr>")
        if header or cant_split:
            out.append("<w:trPr>" + ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
                       + "</w:trPr>")
        col = 0
        for cell_index, cell in enumerate(cells):
            width = spans.get((col, cell.span))
            if width is None:
                width = spans[(col, cell.span)] = _mm_to_twips(sum(widths_mm[col : col + cell.span]))
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>')
            if cell.span > 1:
                out.append(f'<w:gridSpan w:val="{cell.span}"/>')
            if cell.vmerge:
                out.append('<w:vMerge w:val="restart"/>' if cell.vmerge == "restart" else "<w:vMerge/>")
            if cell.shade:
                out.append('<w:shd w:val="clear" w:color="auto" w:fill="D9D9D9"/>')
            if cell.vertical:
                out.append('<w:textDirection w:val="tbRlV"/>')
            out.append("</w:tcPr>")
            style = cell.style_id.translate(_ATTR_ESCAPES)
            if cell.revision is not None:  # tracked-change paragraphs are put in after parsing
                revised.append((row_index, cell_index, cell))
            else:
                for line in cell.lines or (() if cell.picture is not None or cell.grid is not None else ("",)):
                    _paragraph_xml(out, style, line)
                if cell.grid is not None:
                    _grid_xml(out, cell.grid, style)
            if cell.picture is not None:
                out.append(f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:drawing/></w:r></w:p>')
                pictures.append(cell.picture)
            out.append("</w:tc>")
            col += cell.span
        row_mark = next((c.revision.kind for c in cells if c.revision is not None  # type: ignore[attr-defined]
                         and c.revision.kind in ("ins", "del")), None)  # type: ignore[attr-defined]
        if row_mark is not None:
            marked.append((row_index, row_mark))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    tbl = etree.fromstring("".join(out).encode("utf-8"), _PARSER)
    for drawing, picture in zip(tbl.iter(qn("w:drawing")), pictures):
        drawing.append(picture)
    if revised or marked:
        if revise is None:
            raise ValueError("cells with tracked changes need a revise function (render/revisions.py)")
        revise(tbl, revised, marked)
    return tbl


def stable_numbering_ids(doc) -> None:
    """docxcompose gives joined lists a random w:nsid (so numbering restarts); derive them from the
    abstract numbering id instead, keeping them unique, so the same spec builds the same bytes."""
    try:
        numbering = doc.part.numbering_part.element
    except NotImplementedError:  # no numbering part: nothing to stabilise
        return
    for anum in numbering.findall(qn("w:abstractNum")):
        nsid = anum.find(qn("w:nsid"))
        if nsid is not None:
            ident = int(anum.get(qn("w:abstractNumId")))
            nsid.set(qn("w:val"), f"{(0x50494100 + ident) & 0xFFFFFFFF:08X}")


def W(tag: str) -> str:
    """Clark name of a w: tag (for the few elements built one by one: tracked changes)."""
    return qn(tag)


def make_paragraph(style_id: str, text: str):
    """One <w:p> element with its style and one run, made as the tables' paragraphs are."""
    out: list[str] = []
    _paragraph_xml(out, style_id.translate(_ATTR_ESCAPES), text)
    return etree.fromstring("".join(out).replace("<w:p>", f"<w:p {_W_NS}>", 1).encode("utf-8"), _PARSER)
