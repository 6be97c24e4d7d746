"""Value conversions that goldens do not show: dashes, numbers for choices, counts from rows."""
from __future__ import annotations

from pathlib import Path

from piadoc.model import CheckboxAnswer, ChoiceAnswer, CountAnswer, NotApplicable
from piadoc.pipeline import load_and_check

HEAD = "評価書: 重点項目評価書\n"
ITAKU = "Ⅱ 特定個人情報ファイルの概要\n  ４．特定個人情報ファイルの取扱いの委託\n    委託の有無: [委託する]\n"


def _check(tmp_path: Path, body: str):
    path = tmp_path / "s.pia"
    path.write_text(HEAD + body, encoding="utf-8")
    return load_and_check(path).result


def test_dash_is_allowed_where_the_item_does_not_apply(tmp_path: Path) -> None:
    result = _check(tmp_path, ITAKU + "    委託事項1: x\n      ④再委託の有無: [再委託しない]\n      ⑤再委託の許諾方法: ―\n"
                    "Ⅴ 評価実施手続\n  ３．第三者点検\n    ①実施日: －\n")
    assert not result.has_errors, result.diagnostics
    assert result.report.get("II.4.item.5", (1, 1)) == NotApplicable()
    assert result.report.get("V.3.1") == NotApplicable()


def test_choice_by_number_and_count_from_rows(tmp_path: Path) -> None:
    result = _check(tmp_path, ITAKU + "    委託事項1: a\n    委託事項2: b\n"
                    "  ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n    提供・移転の有無: [○] 提供を行っている（1）件\n"
                    "    提供先1: 〇〇市\nⅢ リスク対策\n  ９．従業者に対する教育・啓発\n    従業者に対する教育・啓発: [2]\n")
    assert not result.has_errors, result.diagnostics
    report = result.report
    assert report.get("II.4.count", (1,)) == CountAnswer(2, stated=False)
    assert report.get("III.9.1", (1,)) == ChoiceAnswer(2, "十分に行っている")
    umu = report.get("II.5.umu", (1,))
    assert isinstance(umu, CheckboxAnswer) and umu.get("提供を行っている").count == 1


def test_other_text_keeps_nested_brackets(tmp_path: Path) -> None:
    result = _check(tmp_path, "Ⅱ 特定個人情報ファイルの概要\n  ３．特定個人情報の入手・使用\n"
                    "    ①入手元: [○] その他（ワクチン接種記録システム(VRS)）, [○] 評価実施機関内の他部署（市民課）\n")
    assert not result.has_errors, result.diagnostics
    answer = result.report.get("II.3.1", (1,))
    assert [(c.option, c.extra) for c in answer.checked] == [("評価実施機関内の他部署", "市民課"),
                                                              ("その他", "ワクチン接種記録システム(VRS)")]


def test_counts_beyond_the_rows_need_a_sheet(tmp_path: Path) -> None:
    body = ("Ⅱ 特定個人情報ファイルの概要\n  ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n"
            "    提供・移転の有無: [○] 提供を行っている（58）件\n    提供先1: 情報照会者（別紙１参照）\n")
    path = tmp_path / "s.pia"
    path.write_text("評価書: 全項目評価書\n" + body, encoding="utf-8")
    assert [d.code for d in load_and_check(path).result.diagnostics if d.is_error] == ["E502"]
    path.write_text("評価書: 全項目評価書\n" + body + "別紙1: 提供先一覧\n  内容: ・提供先1 …\n", encoding="utf-8")
    assert not load_and_check(path).result.has_errors
