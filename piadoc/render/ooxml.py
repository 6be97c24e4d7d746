"""The only module that writes raw WordprocessingML: what python-docx has no API for, or does slowly.

East Asian font slots, the PAGE field, paragraphs and whole tables (borders, shading, merged and
vertical cells, repeated header rows) built in one pass, stable numbering ids after docxcompose.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
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


_PPR, _PSTYLE, _R, _T, _VAL, _SPACE = (qn(t) for t in ("w:pPr", "w:pStyle", "w:r", "w:t", "w:val",
                                                            "xml:space"))


@lru_cache(maxsize=None)
def W(tag: str) -> str:
    """Clark name of a w: tag, computed once (qn() runs thousands of times per document otherwise)."""
    return qn(tag)


def make_paragraph(style_id: str, text: str):
    """A bare <w:p> with its style and one run: built directly, it is ~10x cheaper than the proxies."""
    p = OxmlElement("w:p")
    etree.SubElement(etree.SubElement(p, _PPR), _PSTYLE).set(_VAL, style_id)
    if text:
        t = etree.SubElement(etree.SubElement(p, _R), _T)
        t.text = text
        if text != text.strip():
            t.set(_SPACE, "preserve")
    return p


@dataclass(frozen=True, slots=True)
class CellSpec:
    """One cell of a table built by :func:`table_element`."""

    lines: tuple[str, ...]
    style_id: str
    span: int = 1
    """Grid columns the cell covers (w:gridSpan)."""
    shade: bool = False
    vmerge: str | None = None
    """'restart' on the first cell of a vertical merge, 'continue' below it."""
    vertical: bool = False
    picture: object | None = None
    """An inline picture (wp:inline) placed in its own paragraph after the lines."""
    revision: object | None = None
    """A layout.Revision: the cell's text as a tracked change (piadoc redline); None in a plain build."""


def _mm_to_twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def table_element(widths_mm: tuple[float, ...], rows: list[tuple[list[CellSpec], bool, bool]], table_style_id: str):
    """A whole <w:tbl>: fixed grid, single borders, centred; rows are (cells, repeat_header, cant_split).

    Built in one pass with lxml: python-docx's add_table + per-cell width and merge calls cost ten times more.
    """
    tbl = OxmlElement("w:tbl")
    tblpr = etree.SubElement(tbl, W("w:tblPr"))
    etree.SubElement(tblpr, W("w:tblStyle")).set(W("w:val"), table_style_id)
    tblw = etree.SubElement(tblpr, W("w:tblW"))
    tblw.set(W("w:w"), _mm_to_twips(sum(widths_mm)))
    tblw.set(W("w:type"), "dxa")
    etree.SubElement(tblpr, W("w:jc")).set(W("w:val"), "center")
    borders = etree.SubElement(tblpr, W("w:tblBorders"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = etree.SubElement(borders, W(f"w:{edge}"))
        for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            el.set(W(k), v)
    etree.SubElement(tblpr, W("w:tblLayout")).set(W("w:type"), "fixed")
    look = etree.SubElement(tblpr, W("w:tblLook"))
    look.set(W("w:val"), "0000")
    grid = etree.SubElement(tbl, W("w:tblGrid"))
    for width in widths_mm:
        etree.SubElement(grid, W("w:gridCol")).set(W("w:w"), _mm_to_twips(width))
    for cells, header, cant_split in rows:
        tr = etree.SubElement(tbl, W("w:tr"))
        if header or cant_split:
            trpr = etree.SubElement(tr, W("w:trPr"))
            if cant_split:
                etree.SubElement(trpr, W("w:cantSplit"))
            if header:
                etree.SubElement(trpr, W("w:tblHeader"))
        col = 0
        for cell in cells:
            tc = etree.SubElement(tr, W("w:tc"))
            tcpr = etree.SubElement(tc, W("w:tcPr"))
            tcw = etree.SubElement(tcpr, W("w:tcW"))
            tcw.set(W("w:w"), _mm_to_twips(sum(widths_mm[col : col + cell.span])))
            tcw.set(W("w:type"), "dxa")
            if cell.span > 1:
                etree.SubElement(tcpr, W("w:gridSpan")).set(W("w:val"), str(cell.span))
            if cell.vmerge:
                vm = etree.SubElement(tcpr, W("w:vMerge"))
                if cell.vmerge == "restart":
                    vm.set(W("w:val"), "restart")
            if cell.shade:
                shd = etree.SubElement(tcpr, W("w:shd"))
                for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", "D9D9D9")):
                    shd.set(W(k), v)
            if cell.vertical:
                etree.SubElement(tcpr, W("w:textDirection")).set(W("w:val"), "tbRlV")
            if cell.revision is not None:
                from .revisions import cell_paragraphs

                tc.extend(cell_paragraphs(cell.style_id, cell.lines, cell.revision))
            else:
                for line in cell.lines or (() if cell.picture is not None else ("",)):
                    tc.append(make_paragraph(cell.style_id, line))
            if cell.picture is not None:
                p = make_paragraph(cell.style_id, "")
                run = etree.SubElement(p, qn("w:r"))
                etree.SubElement(run, qn("w:drawing")).append(cell.picture)
                tc.append(p)
            col += cell.span
        row_mark = next((c.revision.kind for c in cells if c.revision is not None  # type: ignore[attr-defined]
                         and c.revision.kind in ("ins", "del")), None)  # type: ignore[attr-defined]
        if row_mark is not None:
            from .revisions import mark_row

            mark_row(tr, row_mark)
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
