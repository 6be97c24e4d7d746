"""The glyphs and ruling objects of each PDF page, read with PDFium (pypdfium2, which pdfplumber itself
depends on): its C parser reads a 67-page report in a fraction of the time pdfminer takes. Glyphs and rules
come out as pdfplumber's dicts (top-left origin), so pdfplumber's table finder builds the cells from them.
"""
from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .stream import ImportFailed

KIND = "PDF"


@dataclass
class Page:
    number: int
    chars: list[dict]
    rects: list[dict]
    """Every path object's bounds as a rect: ruling lines are thin rects, shaded cells wide ones."""


def pages(path: Path) -> Iterator[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError) as err:
        raise ImportFailed("E116", kind=KIND, reason=str(err)) from None
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            height = page.get_height()
            text = page.get_textpage()
            chars: list[dict] = []
            handle, rect = text.raw, raw.FS_RECTF()
            for k in range(raw.FPDFText_CountChars(handle)):  # the raw calls: no Python object per glyph
                code = raw.FPDFText_GetUnicode(handle, k)
                if code < 0x20 or code in (0x7F, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF \
                        or raw.FPDFText_IsGenerated(handle, k) == 1:
                    continue
                raw.FPDFText_GetLooseCharBox(handle, k, rect)
                size = raw.FPDFText_GetFontSize(handle, k)
                ch = chr(code)
                # A wide character advances a full em, whatever its glyph's box (① is drawn narrower).
                right = max(rect.right, rect.left + size) if unicodedata.east_asian_width(ch) in "WFA" \
                    and not ch.isascii() else rect.right
                chars.append({"text": ch, "x0": rect.left, "x1": right, "top": height - rect.top,
                              "bottom": height - rect.bottom, "size": size})
            rects: list[dict] = []
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            for j in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, j)
                if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
                    continue
                raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
                rects.append({"object_type": "rect", "x0": x0, "x1": x1, "top": height - y1,
                              "bottom": height - y0, "doctop": height - y1, "y0": y0, "y1": y1,
                              "width": x1 - x0, "height": y1 - y0})
            yield Page(index + 1, chars, rects)
            text.close()
            page.close()
    finally:
        pdf.close()
