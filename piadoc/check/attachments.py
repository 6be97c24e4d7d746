"""Attachments (@file) opened and validated at check time, so that `build` never meets a file it cannot use.

A figure must be the image its name says, whole, with a size; a Word document must be a zip that opens within
limits read from its central directory *before* anything is decompressed (a 2 MB zip can hold 2 GB), with XML
parts that parse without a DTD: a DOCTYPE could declare entities (a billion laughs, `file:///etc/passwd`) that
the join would carry into the output, which then does not reopen. A .docx never needs one.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from ..files import DiskFiles, Files

#: The largest attachment file read at all (bytes).
MAX_FILE = 20 * 1024 * 1024
#: Image width and height (pixels): beyond this no printed page shows more, and viewers struggle.
MAX_PIXELS = 20_000
#: A Word document's parts: how many, each and all together uncompressed (bytes), and how much smaller a
#: large part may be when compressed (text XML compresses 5–20 times; a bomb thousands of times).
MAX_PARTS = 2_000
MAX_PART = 100 * 1024 * 1024
MAX_TOTAL = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM = 1024 * 1024

_SIGNATURES = {
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "JPEG": (b"\xff\xd8\xff",),
    "GIF": (b"GIF87a", b"GIF89a"),
    "BMP": (b"BM",),
}
_KIND_OF_SUFFIX = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP"}


def attachment_problem(files: Files, path: Path, kind: str) -> str | None:
    """What is wrong with the attachment at ``path`` (Japanese, for E610), or None when `build` can use it."""
    if isinstance(files, DiskFiles):
        try:
            size = path.stat().st_size
        except OSError as err:
            return f"読めません: {err.strerror}"
        if size > MAX_FILE:
            return _too_large(size)
    try:
        data = files.read_bytes(path)
    except (OSError, FileNotFoundError) as err:
        return f"読めません: {getattr(err, 'strerror', None) or err}"
    if not data:
        return "空のファイルです"
    if len(data) > MAX_FILE:
        return _too_large(len(data))
    if kind == "docx":
        return docx_problem(data)
    return image_problem(data, _KIND_OF_SUFFIX.get(path.suffix.lower(), ""))


def _too_large(size: int) -> str:
    return f"ファイルが大きすぎます（{size / 1024 / 1024:,.1f} MB、{MAX_FILE // 1024 // 1024} MB まで）"


def _sniff(data: bytes) -> str:
    """What the bytes look like, for a message that helps (a .docx renamed .png, a text file)."""
    for name, sigs in _SIGNATURES.items():
        if data.startswith(sigs):
            return f"中身は {name} 画像です"
    if data.startswith(b"PK\x03\x04"):
        return "中身は zip（Word 文書など）です"
    return "画像のデータではありません"


def image_problem(data: bytes, expected: str) -> str | None:
    if not data.startswith(_SIGNATURES.get(expected, (b"\0never",))):
        return f"{expected} 画像として読めません。{_sniff(data)}"
    if expected == "PNG":
        problem = _png_problem(data)
        if problem:
            return problem
    from docx.image.exceptions import UnexpectedEndOfFileError
    from docx.image.image import Image

    try:
        image = Image.from_blob(data)
        width, height = image.px_width, image.px_height
        printed = (image.width, image.height)  # what build places: pixels at the image's own resolution
    except UnexpectedEndOfFileError:
        return "画像のデータが途中で切れています"
    except Exception:  # python-docx's parsers raise several kinds for bytes they cannot read
        return f"{expected} 画像として読めません"
    if width <= 0 or height <= 0:
        return f"画像の大きさが 0 です（{width}×{height} 画素）"
    if width > MAX_PIXELS or height > MAX_PIXELS:
        return f"画像が大きすぎます（{width}×{height} 画素、縦横 {MAX_PIXELS:,} 画素まで）"
    if min(printed) <= 0:
        return "画像の解像度（dpi）の値が大きすぎて、印刷の大きさが 0 になります"
    return None


def _png_problem(data: bytes) -> str | None:
    """Every chunk whole with its checksum, IHDR first and IEND last: a cut or damaged PNG shows as nothing."""
    pos, first = 8, True
    while True:
        if pos + 12 > len(data):
            return "画像のデータが途中で切れています"
        length, tag = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            return "画像のデータが途中で切れています"
        crc = struct.unpack(">I", data[end - 4:end])[0]
        if zlib.crc32(data[pos + 4:end - 4]) & 0xFFFFFFFF != crc:
            return f"画像のデータが壊れています（{tag.decode('latin-1')} の検査値が合いません）"
        if first and tag != b"IHDR":
            return "PNG 画像の先頭に IHDR がありません"
        first = False
        pos = end
        if tag == b"IEND":
            return None


def docx_problem(data: bytes) -> str | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        return "Word 文書（zip）として読めません"
    with zf:
        problem = _zip_limits(infos)
        if problem:
            return problem
        names = {i.filename for i in infos}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            return "Word 文書の本文（word/document.xml）がありません"
        for info in infos:
            try:
                body = zf.read(info)  # the CRC is verified; a size that lies stops at the stated size
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError, zlib.error) as err:
                return f"{info.filename} を展開できません（{type(err).__name__}）"
            name = info.filename.lower()
            if name.endswith((".xml", ".rels")):
                problem = xml_problem(info.filename, body)
                if problem:
                    return problem
    return _opens(data)


def _zip_limits(infos: list[zipfile.ZipInfo]) -> str | None:
    """Sizes as the central directory states them: checked before anything is decompressed."""
    if len(infos) > MAX_PARTS:
        return f"部品が多すぎます（{len(infos):,} 個、{MAX_PARTS:,} 個まで）"
    total = 0
    for info in infos:
        if info.file_size > MAX_PART:
            return f"展開すると大きすぎる部品があります（{info.filename}: {info.file_size / 1024 / 1024:,.0f} MB）"
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return f"圧縮率が異常に高い部品があります（{info.filename}）"
        total += info.file_size
    if total > MAX_TOTAL:
        return f"展開すると大きすぎます（{total / 1024 / 1024:,.0f} MB、{MAX_TOTAL // 1024 // 1024} MB まで）"
    return None


def xml_problem(name: str, body: bytes) -> str | None:
    """Parsed with DTDs, entities and the network off; any DOCTYPE is refused."""
    from lxml import etree

    if any(marker in body for marker in _DOCTYPE):  # before parsing: libxml2 may fail on its entities first
        return _doctype(name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError) as err:
        return f"{name} の XML が壊れています（{str(err)[:80]}）"
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        return _doctype(name)
    return None


_DOCTYPE = tuple("<!DOCTYPE".encode(e) for e in ("utf-8", "utf-16-le", "utf-16-be"))


def _doctype(name: str) -> str:
    return f"{name} に DOCTYPE（実体の宣言）があります。Word 文書には不要なもので、出力に持ち込めません"


def _opens(data: bytes) -> str | None:
    """python-docx opens it as `build` will (a main part of the right type, relationships that resolve)."""
    from docx import Document

    try:
        Document(io.BytesIO(data))
    except Exception as err:  # python-docx raises many kinds for a package it cannot use; all mean the same here
        return f"Word 文書として開けません（{type(err).__name__}）"
    return None
