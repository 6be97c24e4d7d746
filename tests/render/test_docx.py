"""The built .docx read back with python-docx: every fixed label, deterministic bytes, Japanese fonts
declared, atomic writes. Answers are asserted in the row of their item in test_layout.py."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*.pia"))


def document_text(path: Path) -> str:
    """All text of body tables and paragraphs, whitespace removed (cells wrap differently than specs)."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    parts.append("".join(t.text or "" for t in cell._tc.iter(qn("w:t"))))  # nested grids too
    return re.sub(r"\s", "", "\n".join(parts))


def in_changes(form, item_id: str) -> bool:
    changes = form.part("changes")
    return changes is not None and (item_id == changes.id or item_id.startswith(changes.id + "."))


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_every_fixed_label_is_in_the_document(spec: Path, built) -> None:
    path, loaded = built[spec.stem]
    text = document_text(path)
    form = loaded.form
    missing = []
    for item in form.walk():
        if in_changes(form, item.id) and item.role != "changes" or item.role in ("cover", "contents") \
                or form.parent_of.get(item.id) == (form.part("cover") or item).id or item.fixed:
            continue
        if any(a.optional for a in form.ancestors(item.id) + [item]) and item.kind == "repeat" \
                or any(a.optional and a.kind == "repeat" for a in form.ancestors(item.id)):
            continue  # optional appendices (別紙) are printed only when a report has them
        if item.layout == "box":
            continue  # one box across the page, printed without its label (全項目 （別添２）)
        label = re.sub(r"\s", "", item.printed.replace("{n}", "1"))
        if label not in text:
            missing.append(label)
        for opt in item.options:
            if re.sub(r"\s", "", opt.printed) not in text:
                missing.append(opt.printed)
    assert not missing, missing[:5]
    assert form.title in text


def test_koganei_answers_read_back_exactly(built) -> None:
    path, _ = built["koganei-yobousesshu-juten"]
    text = document_text(path)
    for expected in ("評価書番号", "24", "令和5年6月27日", "東京都小金井市長", "[○]その他（健康情報システム）",
                     "[再委託しない]", "（3）件", "（2）件", "[十分である]＜選択肢＞1）特に力を入れている"):
        assert re.sub(r"\s", "", expected) in text, expected


def test_change_table_header_repeats_and_rows_are_in_the_specs_order(built) -> None:
    """Rows as the author wrote them: the spec's order, not sorted by 変更日 (published tables keep theirs)."""
    path, loaded = built["koganei-yobousesshu-juten"]
    doc = Document(str(path))
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["変更日", "項目", "変更前の記載", "変更後の記載", "提出時期",
                                                      "提出時期に係る説明"]
    assert table.rows[0]._tr.trPr.xpath("./w:tblHeader")
    report = loaded.result.report
    date = loaded.form.changes.column("date").id
    written = [report.get(date, (n,)) for n in range(1, report.count("ANX2.row") + 1)]
    assert [row.cells[0].text for row in table.rows[1:]] == [d.date.wareki() if d else "" for d in written]


def test_same_spec_same_bytes(tmp_path: Path, run_cli) -> None:
    spec = REPO / "specs" / "koganei-yobousesshu-juten.pia"
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run_cli("build", str(spec), "-o", str(a)).returncode == 0
    assert run_cli("build", str(spec), "-o", str(b)).returncode == 0
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        infos = z.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {(2023, 6, 27, 0, 0, 0)}  # the 公表日
        assert all(i.external_attr != 0 for i in infos)
        core = z.read("docProps/core.xml").decode()
        assert "2023-06-27T00:00:00Z" in core and "東京都小金井市長" in core


def test_east_asian_fonts_declared(built) -> None:
    path, _ = built["koganei-yobousesshu-juten"]
    with zipfile.ZipFile(path) as z:
        styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="ＭＳ 明朝"' in styles and 'w:eastAsia="ＭＳ ゴシック"' in styles
    assert 'w:eastAsia="ja-JP"' in styles


def test_a4_portrait_with_page_numbers(built) -> None:
    path, _ = built["koganei-yobousesshu-juten"]
    doc = Document(str(path))
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer_xml = doc.sections[-1].footer._element.xml
    assert "PAGE" in footer_xml


def test_failed_build_leaves_existing_output(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "report.docx"
    out.write_bytes(b"previous good file")
    bad = tmp_path / "bad.pia"
    bad.write_text("評価書: 重点項目評価書\n事務の名前: x\n", encoding="utf-8")
    result = run_cli("build", str(bad), "-o", str(out))
    assert result.returncode == 1 and "E303" in result.stderr
    assert out.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == sorted(["report.docx", "bad.pia"]) or len(list(tmp_path.iterdir())) == 2


def test_write_failure_mid_way_keeps_old_file(tmp_path: Path, monkeypatch) -> None:
    from piadoc import output as package

    out = tmp_path / "report.docx"
    out.write_bytes(b"old")

    def broken_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(package.os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        package.write_atomically(out, b"new content")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_custom_template_dir(tmp_path: Path, run_cli) -> None:
    import shutil

    from piadoc.render import default_template_dir

    shutil.copy(default_template_dir() / "base.docx", tmp_path / "base.docx")
    doc = Document(str(tmp_path / "base.docx"))
    doc.styles["PIA本文"].font.size = __import__("docx.shared").shared.Pt(11)
    doc.sections[0].header.paragraphs[0].text = "小金井市 健康課"
    doc.save(str(tmp_path / "base.docx"))
    out = tmp_path / "out.docx"
    spec = REPO / "specs" / "koganei-yobousesshu-juten.pia"
    assert run_cli("build", str(spec), "-o", str(out), "--template", str(tmp_path)).returncode == 0
    built = Document(str(out))
    assert built.styles["PIA本文"].font.size.pt == 11
    assert built.sections[0].header.paragraphs[0].text == "小金井市 健康課"
    (tmp_path / "base.docx").unlink()
    result = run_cli("build", str(spec), "-o", str(out), "--template", str(tmp_path))
    assert result.returncode == 1 and "base.docx" in result.stderr and "Traceback" not in result.stderr


def test_section_templates_are_joined_before_their_sections(tmp_path: Path, run_cli) -> None:
    """<template>/<part>.docx (cover, contents, a section id such as II, changes) is joined in before the part."""
    import shutil

    from docx.enum.style import WD_STYLE_TYPE

    from piadoc.render import default_template_dir

    shutil.copy(default_template_dir() / "base.docx", tmp_path / "base.docx")
    for part, text in (("cover", "小金井市 健康課（表紙の定型文）"), ("II", "Ⅱの前に置く定型文"), ("changes", "変更箇所の注記")):
        doc = Document()
        style = doc.styles.add_style(f"{part}定型", WD_STYLE_TYPE.PARAGRAPH)
        doc.add_paragraph(text, style=style)
        doc.add_paragraph("手順", style="List Number")
        doc.save(str(tmp_path / f"{part}.docx"))
    spec = REPO / "specs" / "koganei-yobousesshu-juten.pia"
    out, again = tmp_path / "out.docx", tmp_path / "again.docx"
    assert run_cli("build", str(spec), "-o", str(out), "--template", str(tmp_path)).returncode == 0
    assert run_cli("build", str(spec), "-o", str(again), "--template", str(tmp_path)).returncode == 0
    assert out.read_bytes() == again.read_bytes()
    texts = [p.text for p in Document(str(out)).paragraphs if p.text.strip()]
    assert texts[0] == "小金井市 健康課（表紙の定型文）"
    at = texts.index("Ⅱの前に置く定型文")
    assert texts[at + 1:at + 3] == ["手順", "Ⅱ　特定個人情報ファイルの概要"]
    heading = len(texts) - 1 - texts[::-1].index("（別添２）変更箇所")  # 項目一覧 lists it too
    assert texts.index("変更箇所の注記") < heading
    styles = {s.name for s in Document(str(out)).styles}
    assert {"cover定型", "II定型", "changes定型"} <= styles
