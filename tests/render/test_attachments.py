"""Appendices a user brings (（別添１）事務の内容): an image in its cell, a Word document joined with
docxcompose keeping its own styles and numbering, deterministic output, clear errors."""
from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

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


def test_libreoffice_renders_attachments(project: Path, run_cli) -> None:
    exe = shutil.which("soffice")
    if exe is None:
        if __import__("os").environ.get("CI") == "true":
            pytest.fail("LibreOffice is required under CI=true")
        pytest.skip("LibreOffice (soffice) not installed")
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
        assert code in result.stderr
