"""Saving: deterministic bytes (fixed zip times and core properties) and an atomic write.

python-docx stamps the current time into every zip entry; the same spec must give the same bytes, so
the zip is rewritten with a fixed time taken from the spec (the 公表日). Entries get a real DOS date and
external_attr set, since an all-zero header makes Word for Mac call the file damaged.
"""
from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from docx.document import Document as DocumentObject

#: Regular file, rw-r--r--, and the MS-DOS archive bit, as Word writes its entries.
EXTERNAL_ATTR = (0o100644 << 16) | 0x20


def deterministic_bytes(doc: DocumentObject, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """Save ``doc`` and rewrite its zip so every entry carries ``stamp`` and nothing else varies."""
    raw = io.BytesIO()
    doc.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        ordered = ["[Content_Types].xml"] + sorted(n for n in names if n != "[Content_Types].xml")
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = EXTERNAL_ATTR
            info.create_system = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it: a failed build never leaves a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the output is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
