"""The glyphs and ruling objects of each PDF page, read with PDFium (pypdfium2, which pdfplumber itself
depends on): its C parser reads a 67-page report in a fraction of the time pdfminer takes. Glyphs and rules
come out as pdfplumber's dicts (top-left origin), so pdfplumber's table finder builds the cells from them.
"""
from __future__ import annotations

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
            for k in range(text.count_chars()):
                if raw.FPDFText_IsGenerated(text.raw, k) == 1:
                    continue
                code = raw.FPDFText_GetUnicode(text.raw, k)
                if code < 0x20 or code in (0x7F, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
                    continue
                left, bottom, right, top = text.get_charbox(k, loose=True)
                chars.append({"text": chr(code), "x0": left, "x1": right, "top": height - top,
                              "bottom": height - bottom, "size": raw.FPDFText_GetFontSize(text.raw, k)})
            rects: list[dict] = []
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                rects.append({"object_type": "rect", "x0": left, "x1": right, "top": height - top,
                              "bottom": height - bottom, "doctop": height - top, "y0": bottom, "y1": top,
                              "width": right - left, "height": top - bottom})
            yield Page(index + 1, chars, rects)
            text.close()
            page.close()
    finally:
        pdf.close()
