"""`piadoc import` of text extracted from a PDF, in the published seeds' style: cells out of order, lines cut at
the cell's right edge, choices and boxes printed in pieces. Each fixture below is small and made up for the test;
each test shows one mechanism of piadoc/importer/text_repair.py and mapper.py's plain-text reading."""
from __future__ import annotations

from pathlib import Path

from piadoc.cli import main
from piadoc.model import Report
from piadoc.pipeline import load_and_check

TITLE = "特定個人情報保護評価書（重点項目評価書）"


def _import(tmp_path: Path, lines: list[str]) -> tuple[Report, str]:
    src = tmp_path / "extract.txt"
    src.write_text("\n".join([TITLE, ""] + lines) + "\n", encoding="utf-8")
    draft = tmp_path / "draft.pia"
    assert main(["import", str(src), "--form", "重点項目評価書", "-o", str(draft)]) == 0
    report = load_and_check(draft).result.report
    assert report is not None  # the draft checks with no errors
    return report, draft.read_text(encoding="utf-8")


def _text(report: Report, item: str, inst: tuple[int, ...] = ()) -> str | None:
    answer = report.answers.get((item, inst))
    return getattr(answer, "text", None)


def test_printed_file_numbers_put_each_file_in_its_own_instance(tmp_path: Path) -> None:
    """Ⅱ and Ⅲ are printed once per 特定個人情報ファイル: the number printed with the file's name, （２）, says which
    file the cells that follow belong to, even when a page repeats a label of the first file."""
    report, _ = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " １．特定個人情報ファイル名", "", "（１） 予防接種ファイル", "",
        " ⑥事務担当部署 健康課", "",
        " ２．基本情報", "",
        " １．特定個人情報ファイル名", "", "（２） 宛名ファイル", "",
        " ⑥事務担当部署 市民課", "",
        " ③対象となる本人の範囲　※ 市内に住所を有する者", "",
        "Ⅲ　リスク対策　※（７．②を除く。）",
        " １．特定個人情報ファイル名", "", "（１） 予防接種ファイル", "",
        " １．特定個人情報ファイル名", "", "（２） 宛名ファイル", "",
    ])
    assert _text(report, "II.1", (1,)) == "（１） 予防接種ファイル"
    assert _text(report, "II.1", (2,)) == "（２） 宛名ファイル"
    assert _text(report, "II.2.6", (1,)) == "健康課"
    assert _text(report, "II.2.6", (2,)) == "市民課"
    assert _text(report, "II.2.3", (2,)) == "市内に住所を有する者"
    assert _text(report, "III.1", (2,)) == "（２） 宛名ファイル"


def test_a_contents_list_starts_no_part(tmp_path: Path) -> None:
    """項目一覧 prints the part headings one after another: none of them is the start of its part, so the Ⅲ
    listed there makes no empty first file (the draft would fail E503 and lose Ⅲ). Nor does a part's heading
    met again: only a file's name starts the next file."""
    report, _ = _import(tmp_path, [
        "項目一覧", "", "Ⅰ　基本情報", "", "Ⅱ　特定個人情報ファイルの概要", "", "Ⅲ　リスク対策", "",
        "（別添２）　変更箇所", "", "2", "",
        "Ⅱ　特定個人情報ファイルの概要",
        " １．特定個人情報ファイル名 予防接種ファイル",
        "Ⅲ　リスク対策　※（７．②を除く。）",
        " １．特定個人情報ファイル名 予防接種ファイル", "",
        " ⑥事務担当部署 健康課", "",  # a cell of Ⅱ printed on Ⅲ's page: Ⅲ's heading comes again
        "Ⅲ　リスク対策　※（７．②を除く。）",
        " １０．その他のリスク対策 なし",
    ])
    assert _text(report, "II.1", (1,)) == "予防接種ファイル"
    assert _text(report, "II.2.6", (1,)) == "健康課"
    assert _text(report, "III.1", (1,)) == "予防接種ファイル"
    assert _text(report, "III.10", (1,)) == "なし"


def test_a_label_cut_in_two_and_a_wrapped_value_are_joined(tmp_path: Path) -> None:
    """A label cut at the cell's edge (in three here) is one label again; a value line as wide as its block's
    widest goes on on the next line; a line starting a list item (・) keeps its break."""
    report, _ = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " ２．基本情報", "",
        " ③対象となる",
        "本人の",
        "範囲　※ 予防接種法に定める予防接種の対象者", "",
        " その必要性", "",
        "予防接種の実施に関する記録を、転出した者の分も含めて正確に管理し、他市区町村からの照会に答",
        "える必要がある。",
        "・転出者の記録は５年間保管する。",
    ])
    assert _text(report, "II.2.3", (1,)) == "予防接種法に定める予防接種の対象者"
    assert _text(report, "II.2.3.need", (1,)) == (
        "予防接種の実施に関する記録を、転出した者の分も含めて正確に管理し、他市区町村からの照会に答える必要がある。\n"
        "・転出者の記録は５年間保管する。")


def test_choices_and_boxes_printed_in_the_seeds_style_are_read(tmp_path: Path) -> None:
    """＜選択肢＞ lists between a label and its value, `[ 10万人以上100万人未満` with its `]` lost, ticked boxes
    printed away from their label (before and after it, gathered into one item), an option above its label."""
    report, text = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " ２．基本情報", "",
        " ①ファイルの種類　※", "",
        "＜選択肢＞", "1） システム用ファイル", "2） その他の電子ファイル（表計算ファイル等）", "",
        "[ システム用ファイル ]", "",
        " ②対象となる本人の数 [ 10万人以上100万人未満", "",
        "＜選択肢＞", "1） 1万人未満", "2） 1万人以上10万人未満", "]", "",
        " ３．特定個人情報の入手・使用", "",
        "[ ○ ] 専用線", "",
        " ②入手方法", "",
        "[ ○ ] 電子メール [ ] 専用線", "",
        " ③使用目的", "", "1） 10人未満", "", "予防接種の実施のため", "",
        "[ ○ ] 紙 [", "",
        " ④使用の主体", "",
        "[ 10人以上50人未満 ＜選択肢＞", "",
        " 使用部署", "※", "", "健康課", "",
        " 使用者数", "",
    ])
    assert report.answers[("II.2.1", (1,))].text == "システム用ファイル"
    assert report.answers[("II.2.2", (1,))].text == "10万人以上100万人未満"
    assert [c.option for c in report.answers[("II.3.2", (1,))].checked] == ["紙", "電子メール", "専用線"]
    assert report.answers[("II.3.4.users", (1,))].text == "10人以上50人未満"
    assert "項目名より前にあったためこの項目の値としました" in text  # the guess is marked for review
    assert _text(report, "II.3.4.dept", (1,)) == "健康課"
    assert _text(report, "II.3.3", (1,)) == "予防接種の実施のため"  # not the option list line before it


def test_values_printed_after_a_run_of_labels_find_their_labels(tmp_path: Path) -> None:
    """A page's labels printed first, then their values: prose after a choice's label is the value of the text
    label read before it; a text goes on after a blank line only with its next list item."""
    report, _ = _import(tmp_path, [
        "Ⅰ　基本情報",
        " １．特定個人情報ファイルを取り扱う事務", "",
        " ①事務の名称", "",
        " ③対象人数", "",
        "予防接種に関する事務", "",
        "[ 10万人以上30万人未満", "",
        " ②事務の内容 予防接種法に基づき予防接種を実施する。", "",
        "・接種記録を管理する。", "",
        "浦安市は個人のプライバシー等の権利利益の保護に取り組む。",
    ])
    assert _text(report, "I.1.1") == "予防接種に関する事務"
    assert report.answers[("I.1.3", ())].text == "10万人以上30万人未満"
    assert _text(report, "I.1.2") == "予防接種法に基づき予防接種を実施する。\n・接種記録を管理する。"


def test_a_repeat_item_met_again_belongs_to_the_next_instance(tmp_path: Path) -> None:
    """A page prints 委託事項2's cells before its heading: ①委託内容 read again while 委託事項1's is filled is
    委託事項2's."""
    report, _ = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " ４．特定個人情報ファイルの取扱いの委託", "",
        " 委託の有無 [ 委託する", "",
        " 委託事項1 健康管理システムの保守", "",
        " ①委託内容 システムの保守", "",
        " ①委託内容 接種記録の入力", "",
        " 委託事項2 接種記録の入力業務", "",
    ])
    assert _text(report, "II.4.item.1", (1, 1)) == "システムの保守"
    assert _text(report, "II.4.item.1", (1, 2)) == "接種記録の入力"


def test_the_change_table_keeps_its_rows(tmp_path: Path) -> None:
    """（別添２）変更箇所's 項目 column prints part headings and labels of every part: once the table's heading
    is read, they stay in the table instead of moving the reading back to Ⅰ."""
    report, text = _import(tmp_path, [
        "Ⅰ　基本情報",
        " １．特定個人情報ファイルを取り扱う事務", "",
        " ①事務の名称 予防接種に関する事務", "",
        "（別添２）変更箇所",
        "変更日 項目 変更前の記載 変更後の記載 提出時期 提出時期に係る説明", "",
        "令和4年7月22日", "",
        "Ⅰ　基本情報",
        "１．特定個人情報ファイルを取り扱う事務",
        "②事務の内容", "",
        "新型コロナウイルス感染症に係る予防接種を追加する。", "",
    ])
    assert _text(report, "I.1.1") == "予防接種に関する事務"
    assert ("I.1.2", ()) not in report.answers  # the change's text is no answer of Ⅰ
    assert "新型コロナウイルス感染症に係る予防接種を追加する。" in text  # kept, for the user to place


def test_a_dash_printed_before_its_label_is_that_items_answer(tmp_path: Path) -> None:
    """`‐ ⑥事務担当部署`: an empty cell's dash extracted before its label, on the same line."""
    report, _ = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " ２．基本情報", "",
        "‐ ⑥事務担当部署", "",
        " ⑤保有開始日 令和3年3月1日",
    ])
    assert getattr(report.answers.get(("II.2.6", (1,))), "mark", None) == "―"


def test_a_label_the_part_prints_twice_goes_to_the_one_still_empty(tmp_path: Path) -> None:
    """法令上の根拠 is printed under ４． and ５．: met after the reading moved on to ６．, it is ５．'s, whose
    value is still missing, not ４．'s again."""
    report, _ = _import(tmp_path, [
        "Ⅰ　基本情報",
        " ４．個人番号の利用", "",
        " 法令上の根拠 番号法第9条第1項", "",
        " ５．情報提供ネットワークシステムによる情報連携", "",
        " ①実施の有無 [ 実施する ]", "",
        " ６．評価実施機関における担当部署", "",
        " ①部署 健康課", "",
        " 法令上の根拠 番号法第19条第8号", "",
    ])
    assert _text(report, "I.4.basis") == "番号法第9条第1項"
    assert _text(report, "I.5.2") == "番号法第19条第8号"


def test_a_choice_label_waits_for_a_line_that_can_be_its_value(tmp_path: Path) -> None:
    """A line of prose between a choice's label and its `[ option` is some other cell's text."""
    report, text = _import(tmp_path, [
        "Ⅰ　基本情報",
        " １．特定個人情報ファイルを取り扱う事務", "",
        " ③対象人数", "",
        "・接種記録を他市区町村に提供する。", "",
        "[ 10万人以上30万人未満", "",
    ])
    assert report.answers[("I.1.3", ())].text == "10万人以上30万人未満"
    assert "・接種記録を他市区町村に提供する。" in text  # unplaced, kept for the user


def test_boxes_printed_on_a_heading_line_are_the_headings(tmp_path: Path) -> None:
    """`６．情報提供ネットワークシステムとの接続 [ ○ ] 接続しない（入手）…`: the boxes the form prints on the
    heading, not a label of another part with its value."""
    report, _ = _import(tmp_path, [
        "Ⅱ　特定個人情報ファイルの概要",
        " １．特定個人情報ファイル名 予防接種ファイル", "",
        "Ⅲ　リスク対策　※（７．②を除く。）",
        " １．特定個人情報ファイル名 予防接種ファイル", "",
        " ６．情報提供ネットワークシステムとの接続 [ ○ ] 接続しない（入手） [ ○ ] 接続しない（提供）", "",
    ])
    assert [c.option for c in report.answers[("III.6.none", (1,))].checked] == ["接続しない（入手）", "接続しない（提供）"]
