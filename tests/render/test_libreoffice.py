"""A real renderer: LibreOffice headless converts each build to PDF; the pages hold labels and answers."""
from __future__ import annotations

import re
import subprocess

import pytest

from pathlib import Path

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
    assert pages(pdf) >= 10
    text = pdf_text(pdf)
    for label in ("特定個人情報保護評価書（重点項目評価書）", "項目一覧", "Ⅰ基本情報", "Ⅱ特定個人情報ファイルの概要",
                  "Ⅲリスク対策※（７．②を除く。）", "Ⅳ開示請求、問合せ", "Ⅴ評価実施手続", "（別添２）変更箇所",
                  "＜選択肢＞", "提出時期に係る説明"):
        assert label in text, label
    _, loaded = built[spec.stem]
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
