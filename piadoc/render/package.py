"""Saving: deterministic bytes (fixed zip times and core properties); piadoc/output.py writes them.

python-docx stamps the current time into every zip entry; the same spec must give the same bytes, so
the zip is rewritten with a fixed time taken from the spec (the 公表日). Entries get a real DOS date and
external_attr set, since an all-zero header makes Word for Mac call the file damaged.
"""
from __future__ import annotations

import io
import zipfile

from docx.document import Document as DocumentObject

#: Regular file, rw-r--r--, and the MS-DOS archive bit, as Word writes its entries.
EXTERNAL_ATTR = (0o100644 << 16) | 0x20


class _Members:
    """Collects the package's members instead of zipping them (python-docx's PhysPkgWriter interface)."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


#: The keyword piadoc puts in the core properties of what it makes (LibreOffice carries it into a PDF's
#: keywords): how a later build knows a file at its output path is piadoc's to replace (provenance.py).
MARK = "piadoc"

#: docProps/app.xml as piadoc writes it: the application that made the file, no counts (they would be stale).
APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           "<Application>piadoc</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
           "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
           "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>{version}</AppVersion></Properties>")


def app_version(version: str) -> str:
    """AppVersion as Office writes it (XX.YYYY: Excel and Word read it as a number): 0.1.0 → 00.0100."""
    parts = [int(p) if p.isdigit() else 0 for p in (version.split(".") + ["0", "0"])[:3]]
    return f"{parts[0] % 100:02d}.{(parts[1] % 100) * 100 + parts[2] % 100:04d}"


def name_application(doc: DocumentObject) -> None:
    """docProps/app.xml names piadoc and its version, whatever template (Word's, python-docx's) it came from."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    from .. import __version__

    package = doc.part.package
    blob = APP_XML.format(version=app_version(__version__)).encode("utf-8")
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/app.xml"),
                "application/vnd.openxmlformats-officedocument.extended-properties+xml", blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def deterministic_bytes(doc: DocumentObject, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The package as a zip whose entries all carry ``stamp``, in a fixed order, compressed once.

    python-docx's PackageWriter serialises the parts (its helpers are private API: python-docx is pinned
    below 2, and the determinism tests fail loudly if they change); the zip is written here instead of by
    python-docx, which would stamp the current time on every entry."""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    for part in package.parts:
        part.before_marshal()
    collected = _Members()
    PackageWriter._write_content_types_stream(collected, package.parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, package.parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = collected.members
        for name in ["[Content_Types].xml"] + sorted(n for n in names if n != "[Content_Types].xml"):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = EXTERNAL_ATTR
            info.create_system = 0
            dst.writestr(info, names[name], compresslevel=6)
    return out.getvalue()
