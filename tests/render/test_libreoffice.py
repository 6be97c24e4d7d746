"""A real renderer: LibreOffice headless converts each build to PDF; the pages hold labels and answers."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

SPECS = sorted((Path(__file__).resolve().parents[2] / "specs").glob("*.pia"))


def pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s", "", out.stdout)


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_converts_with_labels_and_answers(spec, pdfs, built) -> None:
    pdf = pdfs[spec.stem]
    assert pdf.exists(), "LibreOffice produced no PDF"
    _, loaded = built[spec.stem]
    assert pages(pdf) >= (10 if loaded.form.threshold.level != "基礎" else 4)
    text = pdf_text(pdf)
    form = loaded.form
    labels = [form.title, "＜選択肢＞", "提出時期に係る説明"]
    labels += [re.sub(r"\s", "", item.printed) for item in form.items if item.number and not item.role]
    for label in labels:
        assert label in text, label
    report = loaded.result.report
    for item_id in ("II.3.3", "COVER.no"):
        answer = report.get(item_id, (1,)) or report.get(item_id)
        if answer is not None:
            first = re.sub(r"\s", "", answer.text.split("\n")[0])[:15]
            assert first in text, (item_id, first)


def test_koganei_specifics_in_pdf(pdfs) -> None:
    text = pdf_text(pdfs["koganei-yobousesshu-juten"])
    for s in ("令和5年6月27日", "東京都小金井市長", "[○]その他（健康情報システム）", "再委託"):
        assert s in text, s


def test_japanese_fonts_embedded(pdfs) -> None:
    """ＭＳ 明朝 / ＭＳ ゴシック resolve to the IPAex fonts (templates/fontconfig) and nothing falls back to
    a Latin font."""
    import os
    import shutil

    match = subprocess.run(["fc-match", "ＭＳ 明朝"], capture_output=True, text=True).stdout if shutil.which("fc-match") else ""
    if "IPAex" not in match:
        if os.environ.get("CI") == "true":
            pytest.fail("fontconfig does not map ＭＳ 明朝 to IPAex明朝: .ci/run installs templates/fontconfig")
        pytest.skip("templates/fontconfig/30-piadoc-ms-fonts.conf is not installed")
    fonts = subprocess.run(["pdffonts", str(pdfs["koganei-yobousesshu-juten"])], capture_output=True, text=True).stdout
    assert "IPAexMincho" in fonts and "IPAexGothic" in fonts
    assert "DejaVu" not in fonts


def bookmarks(path) -> list[str]:
    """The PDF's bookmark titles (LibreOffice writes them as UTF-16 hex strings, outside object streams)."""
    data = Path(path).read_bytes()
    return [bytes.fromhex(h.decode()).decode("utf-16-be") for h in re.findall(rb"/Title\s*<FEFF([0-9A-Fa-f]+)>", data)]


def test_pdf_bookmarks_list_the_parts(pdfs) -> None:
    """The part headings have an outline level, so the PDF (and Word's navigation pane) lists Ⅰ–Ⅴ and the 別添."""
    marks = bookmarks(pdfs["koganei-yobousesshu-juten"])
    for start in ("項目一覧", "Ⅰ", "Ⅱ", "（別添１）", "Ⅲ", "Ⅳ", "Ⅴ", "（別添２）"):
        assert any(m.startswith(start) for m in marks), (start, marks)
