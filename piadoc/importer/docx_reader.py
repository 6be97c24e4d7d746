"""A .docx laid out as the form → a stream of lines and rows (stream.py), in document order.

Read on the XML directly: python-docx's `_Row.cells` repeats a merged cell once per grid column and per
vertically merged row (python-docx#344); here a cell spanning columns is read once and the continuation of a
vertical merge (the 再委託 label beside its rows) is skipped.
"""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from .stream import PICTURE_MARK, ImportFailed, Item, Line, Picture, Row

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _T, _BR, _TAB, _CR = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "t", "br", "tab", "cr"))
KIND = "Word 文書（.docx）"
_VMERGE, _VAL, _TCPR, _SHD = f"{_W}vMerge", f"{_W}val", f"{_W}tcPr", f"{_W}shd"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"
"""A picture is a DrawingML blip (Word 2007 on, piadoc) or a VML imagedata (older Word files)."""
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class _Pictures:
    """The images met so far, numbered in document order; each relationship read once."""

    def __init__(self, z: zipfile.ZipFile) -> None:
        self.zip = z
        self.targets: dict[str, str] = {}
        try:
            rels = etree.fromstring(z.read("word/_rels/document.xml.rels"),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
            for rel in rels.iter(_RELS):
                if rel.get("TargetMode") != "External" and rel.get("Type", "").endswith("/image"):
                    self.targets[rel.get("Id", "")] = posixpath.normpath(posixpath.join("word", rel.get("Target", "")))
        except (KeyError, etree.XMLSyntaxError):
            pass  # no relationships: no pictures to read
        self.found: list[Picture] = []
        self.named: dict[str, str] = {}

    def mark(self, rid: str) -> str:
        """The text that stands for the picture of relationship ``rid``, or "" when it cannot be read."""
        target = self.targets.get(rid)
        if target is None:
            return ""
        if target not in self.named:
            try:
                data = self.zip.read(target)
            except KeyError:
                return ""
            ext = posixpath.splitext(target)[1].lower() or ".bin"
            self.named[target] = f"図{len(self.found) + 1}{ext}"
            self.found.append(Picture(self.named[target], data))
        return PICTURE_MARK + self.named[target]


def _paragraph(p: etree._Element, pictures: _Pictures | None = None) -> str:
    parts: list[str] = []
    marked = False  # a picture's mark stands on its own line
    for el in p.iter(_T, _BR, _TAB, _CR, _BLIP, _IMAGEDATA):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
        elif el.tag in (_BLIP, _IMAGEDATA):
            mark = pictures.mark(el.get(f"{_R}embed") or el.get(f"{_R}id") or "") if pictures else ""
            if mark:
                parts.append(f"\n{mark}\n")
                marked = True
        else:
            parts.append("\n")
    text = "".join(parts)
    return "\n".join(line for line in text.split("\n") if line) if marked else text


def _cell(tc: etree._Element, pictures: _Pictures | None = None) -> str:
    """A cell's text, a line per paragraph. A table inside the cell (checkboxes printed in columns) reads as
    its cells in row order, one per line, as if the boxes were printed one per line."""
    lines: list[str] = []
    nested = False
    for child in tc.iterchildren(_P, _TBL):
        if child.tag == _P:
            lines.append(_paragraph(child, pictures))
            continue
        nested = True
        for tr in child.iterchildren(_TR):
            lines.extend(_cell(inner, pictures) for inner in tr.iterchildren(_TC))
    while nested and lines and not lines[-1].strip():  # the paragraph a cell must end with, after its table
        lines.pop()
    return "\n".join(lines)


def _shaded(tc: etree._Element) -> bool:
    pr = tc.find(_TCPR)
    return pr is not None and pr.find(_SHD) is not None


def _continues(tc: etree._Element) -> bool:
    """The lower part of a vertical merge: its text belongs to the cell above."""
    pr = tc.find(_TCPR)
    merge = pr.find(_VMERGE) if pr is not None else None
    return merge is not None and merge.get(_VAL) in (None, "continue")


def read_docx(path: Path) -> list[Item | Picture]:
    """The stream, then the pictures it marks (stream.Picture)."""
    try:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("word/document.xml"),
                                    etree.XMLParser(resolve_entities=False, huge_tree=True, no_network=True))
            return _read_body(root, _Pictures(z))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError) as err:
        raise ImportFailed("E116", kind=KIND, reason=type(err).__name__ + (f": {err}" if str(err) else "")) from None


def _read_body(root: etree._Element, pictures: _Pictures) -> list[Item | Picture]:
    body = root.find(f"{_W}body")
    if body is None:
        raise ImportFailed("E116", kind=KIND, reason="word/document.xml に本文がありません")
    items: list[Item] = []
    tables = 0
    for el in body.iterchildren(_P, _TBL):
        if el.tag == _P:
            text = _paragraph(el, pictures).strip()
            if text:
                items.append(Line(text, f"段落 {len(items) + 1}"))
            continue
        tables += 1
        for r, tr in enumerate(el.iterchildren(_TR), 1):
            tcs = [tc for tc in tr.iterchildren(_TC) if not _continues(tc)]
            cells = tuple(_cell(tc, pictures) for tc in tcs)
            if len(tcs) == 1 and not _shaded(tcs[0]) and len(list(el.iterchildren(_TR))) == 1:
                cells = ("",) + cells  # a part that is one answer box (（別添１）): a table of one unshaded cell
            if cells:
                items.append(Row(cells, f"表{tables} 行{r}", tables))
    return items + pictures.found
