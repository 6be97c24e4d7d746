"""Whether a file at an output path is one piadoc made, before a build replaces it.

A user who imports last year's 予防接種.docx into 予防接種.pia and builds it gets 予防接種.docx as the default
output: the very document they imported from (the published report, or one edited in Word). A build replaces a
file only when piadoc made it and nobody saved it since: a .docx whose docProps/app.xml names piadoc (Word
names itself when it saves), a PDF whose keywords carry piadoc's mark and whose producer is LibreOffice (the
converter piadoc drives; Word's "save as PDF" keeps the keywords but names Word). Anything else needs --force.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .render.package import MARK

_APPLICATION = re.compile(rb"<(?:\w+:)?Application>\s*piadoc\s*</(?:\w+:)?Application>")


def made_by_piadoc(path: Path) -> bool:
    """True when ``path`` is a .docx or PDF piadoc made and nothing has saved since; False when it is anything
    else or cannot be read (a build refuses to replace it without --force)."""
    try:
        with path.open("rb") as f:
            head = f.read(5)
    except OSError:
        return False
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                return bool(_APPLICATION.search(z.read("docProps/app.xml")))
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False
    if head == b"%PDF-":
        return _pdf_is_ours(path)
    return False


def _pdf_is_ours(path: Path) -> bool:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except (pdfium.PdfiumError, OSError, ValueError):
        return False
    try:
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    keywords = {k.strip() for k in re.split(r"[,;\s]+", meta.get("Keywords", ""))}
    return MARK in keywords and meta.get("Producer", "").startswith("LibreOffice")
