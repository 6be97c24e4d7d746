"""The glyphs and ruling objects of each PDF page, read with PDFium (pypdfium2, which pdfplumber itself
depends on): its C parser reads a 67-page report in a fraction of the time pdfminer takes. Glyphs and rules
come out as pdfplumber's dicts (top-left origin), so pdfplumber's table finder builds the cells from them.
"""
from __future__ import annotations

import ctypes
import math
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
    images: list[tuple[dict, bytes, str]]
    """Each image: its bounds (x0, x1, top, bottom), its bytes as a file, and that file's extension."""


_LINE_END_HYPHEN = 0x02
"""PDFium reports a hyphen that ends a line as U+0002, taking it for a word-break hyphen; in these reports it is
the text's own (LG-WAN wrapped after LG-), so it is read back as a hyphen."""

_MIN_IMAGE = 24.0
"""Smaller images (pt, either side) are decoration (a seal, a rule drawn as a bitmap), not a figure."""


def _image(pdf, page, obj) -> tuple[bytes, str] | None:
    """The image object as a file (JPEG kept as it is, other encodings re-encoded as PNG), or None."""
    import io

    import pypdfium2 as pdfium

    buffer = io.BytesIO()
    try:
        pdfium.PdfImage(obj, page=page, pdf=pdf).extract(buffer, fb_format="png")
    except (pdfium.PdfiumError, OSError, ValueError, KeyError, ImportError):
        return None
    data = buffer.getvalue()
    ext = ".jpg" if data[:3] == b"\xff\xd8\xff" else ".jp2" if data[4:8] == b"jP  " else ".png"
    return (data, ext) if data else None


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
            handle, rect, matrix = text.raw, raw.FS_RECTF(), raw.FS_MATRIX()
            for k in range(raw.FPDFText_CountChars(handle)):  # the raw calls: no Python object per glyph
                code = raw.FPDFText_GetUnicode(handle, k)
                if code == _LINE_END_HYPHEN:
                    code = 0x2D
                if code < 0x20 or code in (0x7F, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF \
                        or raw.FPDFText_IsGenerated(handle, k) == 1:
                    continue
                raw.FPDFText_GetLooseCharBox(handle, k, rect)
                # The size as drawn: the font size times the text matrix's scale. LibreOffice sets the size
                # (9 pt, scale 1); cairo and other producers set size 1 and scale the matrix by 9.
                raw.FPDFText_GetMatrix(handle, k, matrix)
                size = raw.FPDFText_GetFontSize(handle, k) * math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c))
                ch = chr(code)
                # A wide character advances a full em, whatever its glyph's box (① is drawn narrower).
                right = max(rect.right, rect.left + size) if unicodedata.east_asian_width(ch) in "WFA" \
                    and not ch.isascii() else rect.right
                chars.append({"text": ch, "x0": rect.left, "x1": right, "top": height - rect.top,
                              "bottom": height - rect.bottom, "size": size})
            rects: list[dict] = []
            images: list[tuple[dict, bytes, str]] = []
            left, bottom, right, top = (ctypes.c_float() for _ in range(4))
            for j in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, j)
                kind = raw.FPDFPageObj_GetType(obj)
                if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
                    continue
                raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
                if kind == raw.FPDF_PAGEOBJ_IMAGE:
                    got = _image(pdf, page, obj) if min(x1 - x0, y1 - y0) >= _MIN_IMAGE else None
                    if got is not None:
                        images.append(({"x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0}, *got))
                    continue
                rects.append({"object_type": "rect", "x0": x0, "x1": x1, "top": height - y1,
                              "bottom": height - y0, "doctop": height - y1, "y0": y0, "y1": y1,
                              "width": x1 - x0, "height": y1 - y0})
            yield Page(index + 1, chars, rects, images)
            text.close()
            page.close()
    finally:
        pdf.close()
