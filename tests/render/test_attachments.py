"""Appendices a user brings (（別添１）事務の内容): an image in its cell, a Word document joined with
docxcompose keeping its own styles and numbering, deterministic output, clear errors."""
from __future__ import annotations

import io
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Callable

import pytest
from docx import Document
from docx.enum.style import WD_STYLE_TYPE

SPEC = """評価書: 全項目評価書
（別添１）事務の内容 [1]
  （図）: @file "図/flow.png"
  （備考）: 1-①住民が申請する。
（別添１）事務の内容 [2]
  （図）: @file "図/flow.docx"
  （備考）: 2-①証明書を交付する。
"""


def _png(path: Path, w: int = 240, h: int = 120) -> None:
    rows = b"".join(b"\x00" + b"".join(bytes((x % 256, (y * 2) % 256, 128)) for x in range(w)) for y in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _docx(path: Path) -> None:
    doc = Document()
    doc.styles.add_style("フロー本文", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("事務の流れ（添付文書）", style="Heading 1")
    for step in ("申請を受け付ける", "証明書を発行する", "記録を保管する"):
        doc.add_paragraph(step, style="List Number")
    doc.add_paragraph("添付文書の本文", style="フロー本文")
    doc.save(str(path))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    (tmp_path / "図").mkdir()
    _png(tmp_path / "図" / "flow.png")
    _docx(tmp_path / "図" / "flow.docx")
    (tmp_path / "spec.pia").write_text(SPEC, encoding="utf-8")
    return tmp_path


def test_image_and_document_are_inserted(project: Path, run_cli) -> None:
    out = project / "out.docx"
    result = run_cli("build", "spec.pia", "-o", "out.docx", cwd=project)
    assert result.returncode == 0, result.stderr
    doc = Document(str(out))
    assert len(doc.inline_shapes) == 1
    texts = [p.text for p in doc.paragraphs]
    assert "事務の流れ（添付文書）" in texts and "申請を受け付ける" in texts and "添付文書の本文" in texts
    assert "フロー本文" in {s.name for s in doc.styles}  # the attachment's own style came along
    again = project / "again.docx"
    assert run_cli("build", "spec.pia", "-o", "again.docx", cwd=project).returncode == 0
    assert out.read_bytes() == again.read_bytes()


def test_libreoffice_renders_attachments(project: Path, run_cli, need_tools) -> None:
    exe = need_tools("soffice", "pdftotext")["soffice"]
    assert run_cli("build", "spec.pia", "-o", "out.docx", cwd=project).returncode == 0
    subprocess.run([exe, f"-env:UserInstallation=file://{project / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(project), str(project / "out.docx")], check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", str(project / "out.pdf"), "-"], capture_output=True, text=True).stdout
    text = "".join(text.split())
    assert "申請を受け付ける" in text and "2-①証明書を交付する。" in text


def test_missing_outside_and_wrong_type(project: Path, run_cli) -> None:
    (project / "notes.txt").write_text("x", encoding="utf-8")
    (project / "spec.pia").write_text(SPEC.replace("図/flow.png", "図/nope.png").replace("図/flow.docx", "notes.txt")
                                      + "（別添１）事務の内容 [3]\n  （図）: @file \"../../etc/passwd\"\n", encoding="utf-8")
    result = run_cli("check", "spec.pia", cwd=project)
    assert result.returncode == 1
    for code in ("E607", "E608", "E602"):
        assert code in result.stdout


# Hostile attachments (issue 9, item 4): each is refused by `check` with E610 at the @file, never E901 at build.

def _png_bytes(w: int, h: int) -> bytes:
    path = Path(tempfile.mkdtemp()) / "x.png"
    _png(path, w, h)
    return path.read_bytes()


def _png_dpi(ppm: int) -> bytes:
    """A 1x1 PNG stating ``ppm`` pixels per metre."""
    data = struct.pack(">IIB", ppm, ppm, 1)
    phys = struct.pack(">I", len(data)) + b"pHYs" + data + struct.pack(">I", zlib.crc32(b"pHYs" + data) & 0xFFFFFFFF)
    png = _png_bytes(1, 1)
    return png[:33] + phys + png[33:]  # after the signature (8) and IHDR (25)


def _docx_bytes(tmp: Path, document: bytes | Callable[[bytes], bytes] | None = None, drop: str = "") -> bytes:
    """The valid fixture document, with word/document.xml replaced or one part left out."""
    _docx(tmp / "base.docx")
    out = io.BytesIO()
    with zipfile.ZipFile(tmp / "base.docx") as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == drop:
                continue
            body = src.read(info)
            if info.filename == "word/document.xml" and document is not None:
                body = document(body) if callable(document) else document
            dst.writestr(info.filename, body)
    return out.getvalue()


def _with_doctype(doctype: bytes, text: bytes):
    def edit(xml: bytes) -> bytes:
        decl, rest = xml.split(b"?>", 1)
        return decl + b"?>" + doctype + rest.replace("事務の流れ（添付文書）".encode(), text, 1)
    return edit


LAUGHS = (b'<!DOCTYPE w:document [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%s;" % (b"" if i == 1 else str(i - 1).encode())
                                                               for _ in range(10))) for i in range(1, 10))
          + b"]>")
XXE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _bomb(tmp: Path) -> bytes:
    """A .docx whose document.xml is 200 MB of blanks, under 1 MB compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(200):
                f.write(b" " * (1 << 20))
    return out.getvalue()


HOSTILE = {
    "text named .png": ("a.png", lambda tmp: b"just text\n", "PNG 画像として読めません"),
    "empty png": ("a.png", lambda tmp: b"", "空のファイル"),
    "png cut in its header": ("a.png", lambda tmp: _png_bytes(8, 8)[:20], "途中で切れて"),
    "png cut in its data": ("a.png", lambda tmp: _png_bytes(8, 8)[:-20], "途中で切れて"),
    "png with a bad checksum": ("a.png", lambda tmp: _png_bytes(8, 8)[:40] + b"\0" + _png_bytes(8, 8)[41:], "検査値"),
    "docx named .png": ("a.png", lambda tmp: _docx_bytes(tmp), "中身は zip"),
    "0x0 png": ("a.png", lambda tmp: _png_bytes(0, 0), "大きさが 0"),
    "png 100000 pixels wide": ("a.png", lambda tmp: _png_bytes(100_000, 1), "画像が大きすぎます"),
    "png printed 0 wide (absurd dpi)": ("a.png", lambda tmp: _png_dpi(4_000_000_000), "dpi"),
    "png named .jpg": ("a.jpg", lambda tmp: _png_bytes(8, 8), "中身は PNG 画像"),
    "empty docx": ("a.docx", lambda tmp: b"", "空のファイル"),
    "truncated docx": ("a.docx", lambda tmp: _docx_bytes(tmp)[:3000], "zip"),
    "text named .docx": ("a.docx", lambda tmp: b"not a zip", "zip"),
    "zip without document.xml": ("a.docx", lambda tmp: _docx_bytes(tmp, drop="word/document.xml"), "document.xml"),
    "document.xml not XML": ("a.docx", lambda tmp: _docx_bytes(tmp, b"<w:document"), "XML が壊れて"),
    "billion laughs": ("a.docx", lambda tmp: _docx_bytes(tmp, _with_doctype(LAUGHS, b"&lol9;")), "DOCTYPE"),
    "external entity": ("a.docx", lambda tmp: _docx_bytes(tmp, _with_doctype(XXE, b"&xxe;")), "DOCTYPE"),
    "zip bomb": ("a.docx", _bomb, "大きすぎる部品"),
}


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_attachment_is_refused_at_check(tmp_path: Path, case) -> None:
    from piadoc.pipeline import load_and_check

    name, make, detail = case
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    (tmp_path / name).write_bytes(make(tmp_path))
    (tmp_path / "spec.pia").write_text(f"評価書: 全項目評価書\n（別添１）事務の内容\n  （図）: @file \"{name}\"\n",
                                       encoding="utf-8")
    errors = [d for d in load_and_check(tmp_path / "spec.pia").result.diagnostics if d.is_error]
    assert [(d.code, d.span.line, d.span.column) for d in errors] == [("E610", 3, 14)], errors
    assert detail in errors[0].message, errors[0].message


def test_hostile_attachments_never_reach_build(project: Path, run_cli) -> None:
    """`build` stops at the same diagnostics: exit 1, no E901, nothing written."""
    spec = "評価書: 全項目評価書\n"
    for n, (label, (name, make, _)) in enumerate(HOSTILE.items(), start=1):
        if label == "zip bomb":
            continue  # slow to make; the in-process test covers it
        file = f"{n}{name}"
        (project / file).write_bytes(make(project))
        spec += f"（別添１）事務の内容 [{n}]\n  （図）: @file \"{file}\"\n"
    (project / "bad.pia").write_text(spec, encoding="utf-8")
    result = run_cli("build", "bad.pia", "-o", "bad.docx", cwd=project)
    assert result.returncode == 1 and "E901" not in result.stderr, result.stderr[-3000:]
    assert result.stderr.count("[E610]") == len(HOSTILE) - 1
    assert not (project / "bad.docx").exists()


def test_valid_png_and_docx_still_pass_check(project: Path) -> None:
    from piadoc.pipeline import load_and_check

    result = load_and_check(project / "spec.pia").result
    assert not result.has_errors, [d for d in result.diagnostics if d.is_error]


def test_attachment_is_validated_as_committed(project: Path) -> None:
    """`diff --since REV` checks the attachment as it was at REV, not the working copy."""
    from piadoc.files import GitFiles
    from piadoc.pipeline import load_and_check

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "figures")
    (project / "図" / "flow.png").write_bytes(b"broken")
    now = [d.code for d in load_and_check(project / "spec.pia").result.diagnostics if d.is_error]
    then = load_and_check(project / "spec.pia", files=GitFiles("HEAD", project)).result
    assert now == ["E610"] and not then.has_errors
