"""`piadoc import` brings a report's figures along: the image in （別添１）の（図） is written beside the draft
and named there with `@file`, from .docx and from PDF; a draft printed to standard output says where a figure was."""
from __future__ import annotations

import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from piadoc.cli import main
from piadoc.importer.stream import PICTURE_MARK
from piadoc.importer.values import parse
from piadoc.pipeline import load_and_check
from piadoc.schema import load_form

SPEC = Path(__file__).resolve().parents[2] / "specs" / "takatsuki-yobousesshu-zenkoumoku.pia"


def _png(width: int, height: int) -> bytes:
    """A plain PNG: large enough (pt at 96 dpi) to be a figure, not decoration."""
    rows = b"".join(b"\x00" + bytes((200, 30, 30)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, bytes]:
    """The 予防接種 全項目 spec with its （図） given as an image, built to .docx."""
    text = SPEC.read_text(encoding="utf-8")
    start = text.index("  （図）: \"\"\"")
    end = text.index("\n  \"\"\"\n", start) + len("\n  \"\"\"\n")
    (tmp_path / "図").mkdir()
    image = _png(240, 120)
    (tmp_path / "図" / "flow.png").write_bytes(image)
    (tmp_path / "y.pia").write_text(text[:start] + "  （図）: @file \"図/flow.png\"\n" + text[end:], encoding="utf-8")
    assert main(["build", str(tmp_path / "y.pia"), "-o", str(tmp_path / "y.docx"), "-q"]) == 0
    return tmp_path / "y.docx", image


def _figure_line(draft: Path) -> str:
    """The draft's （図） entry, checked to sit under （別添１）."""
    lines = draft.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("（図）"))
    heading = next(line for line in reversed(lines[:at]) if line and not line.startswith((" ", "#")))
    assert heading.startswith("（別添１）"), heading
    return lines[at].strip()


def test_docx_figure_is_written_beside_the_draft_and_named_with_file(built, tmp_path: Path) -> None:
    docx, image = built
    draft = tmp_path / "out" / "yobou.pia"
    assert main(["import", str(docx), "-o", str(draft)]) == 0
    assert _figure_line(draft) == "（図）: @file \"yobou_図/図1.png\""
    assert (tmp_path / "out" / "yobou_図" / "図1.png").read_bytes() == image  # the very bytes of the original
    back = load_and_check(draft)
    assert back.result.report is not None
    # Built again, the document holds the same picture.
    assert main(["build", str(draft), "-o", str(tmp_path / "again.docx"), "-q"]) == 0
    with zipfile.ZipFile(tmp_path / "again.docx") as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert media == [image]


def test_draft_on_standard_output_says_where_the_figure_was(built, capsys) -> None:
    docx, _ = built
    assert main(["import", str(docx)]) == 0
    out = capsys.readouterr().out
    assert "# 要確認: 図 図1.png がありました。-o で出力先を指定すると図のファイルも書き出します\n  （図）:" in out
    assert "@file" not in out


def test_pdf_figure_is_extracted_into_its_cell(built, tmp_path: Path, need_tools) -> None:
    soffice = need_tools("soffice")["soffice"]
    docx, _ = built
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300)
    draft = tmp_path / "p.pia"
    assert main(["import", str(docx.with_suffix(".pdf")), "-o", str(draft)]) == 0
    assert _figure_line(draft) == "（図）: @file \"p_図/図1.png\""
    data = (tmp_path / "p_図" / "図1.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (240, 120)
    assert load_and_check(draft).result.report is not None


def test_a_picture_where_the_form_has_no_figure_is_flagged_not_placed() -> None:
    form = load_form("全項目評価書")
    assert form is not None
    text_item = form.item("ANX1.remarks")
    got = parse(text_item, f"備考の文\n{PICTURE_MARK}図2.png")
    assert got.text == "備考の文" and got.file is None
    assert got.doubts == ["この項目には図を置けません。図 図2.png は取り込みませんでした"]
    figure = parse(form.item("ANX1.diagram"), f"説明\n{PICTURE_MARK}図1.png")
    assert figure.file == "図1.png" and figure.doubts and "説明" in figure.doubts[0]
