"""Extracted text: a label left alone on its line (特記事項 printed blank) does not take a repeat's heading read
later (システム1) as its value."""
from __future__ import annotations

from pathlib import Path

from piadoc.cli import main
from piadoc.pipeline import load_and_check


def test_a_blank_label_does_not_take_a_repeat_heading(tmp_path: Path) -> None:
    src = tmp_path / "extract.txt"
    src.write_text("\n".join([
        "特定個人情報保護評価書（重点項目評価書）", "", "評価書番号 21", "", "特記事項", "", "", "項目一覧", "",
        "Ⅰ　基本情報", "", "システム1", "", "①システムの名称 予防接種台帳システム", ""]) + "\n", encoding="utf-8")
    draft = tmp_path / "draft.pia"
    assert main(["import", str(src), "--form", "重点項目評価書", "-o", str(draft)]) == 0
    report = load_and_check(draft).result.report
    assert report is not None
    assert not any(getattr(v, "text", None) == "システム1" for v in report.answers.values())
    assert getattr(report.answers.get(("I.2.sys.1", (1,))), "text", None) == "予防接種台帳システム"
