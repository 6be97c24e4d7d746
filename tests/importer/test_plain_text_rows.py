"""`piadoc import` of the 変更箇所 table from text extracted from a PDF, in the published seeds' style: a page's
dates together, each row's cells as blocks of cut lines, the 提出時期 option alone or on the line of a neighbour.
The fixtures are small and made up for the tests; each test shows one mechanism of piadoc/importer/text_rows.py
(or, for tab-separated rows, of mapper.py)."""
from __future__ import annotations

from pathlib import Path

from piadoc.cli import main
from piadoc.pipeline import load_and_check
from piadoc.printed import short_value

TITLE = "特定個人情報保護評価書（重点項目評価書）"
HEAD = ["（別添２）変更箇所", "提出時期に係る説明", "", "変更前の記載 変更後の記載 提出時期変更日", ""]
"""The table's heading and its header row, cut in pieces as the seeds print them."""
ROLES = ("date", "item", "before", "after", "timing", "reason")


def _import(tmp_path: Path, lines: list[str]) -> tuple[list[dict[str, str]], str]:
    """The draft's 変更箇所 rows as {role: one-cell value, spaces dropped}, and the draft's text."""
    src = tmp_path / "extract.txt"
    src.write_text("\n".join([TITLE, ""] + lines) + "\n", encoding="utf-8")
    draft = tmp_path / "draft.pia"
    assert main(["import", str(src), "--form", "重点項目評価書", "-o", str(draft)]) == 0
    loaded = load_and_check(draft)
    report, form = loaded.result.report, loaded.form
    assert report is not None and form.changes is not None  # the draft checks with no errors
    cols = {role: form.changes.column(role) for role in ROLES}
    count = max([k[1][0] for k in report.answers if k[0] in {c.id for c in cols.values()}] + [0])
    rows = [{role: "".join(short_value(c, report.answers.get((c.id, (n,)))).split()) for role, c in cols.items()}
            for n in range(1, count + 1)]
    return rows, draft.read_text(encoding="utf-8")


def test_rows_are_rebuilt_from_the_part_heading_the_option_and_the_dates(tmp_path: Path) -> None:
    """The dates of a page come first; each row starts at a 項目 printed with its part's number and label (cut at
    the column's edge), its text blocks are 変更前 then 変更後, the option ends them, its explanation follows."""
    rows, text = _import(tmp_path, HEAD + [
        "令和4年7月22日", "", "令和4年7月22日", "",
        "Ⅰ　基本情報", "６．評価実施機関における担", "当部署", "①部署", "",
        "健康こども部　接種プロジェクト", "",
        "健康こども部　健康増進課", "",
        "事後", "組織変更によるもの", "",
        "変更前の記載 変更後の記載 提出時期変更日", "項目", "",  # the header printed again on the next page
        "Ⅱ　特定個人情報ファイルの", "概要", "２．基本情報", "⑤保有開始日", "",
        "未定", "",
        "保有中", "",
        "一部事前", "規則第９条第２項によるもの", "",
    ])
    assert len(rows) == 2
    assert rows[0] == {"date": "令和4年7月22日", "item": "Ⅰ基本情報６．評価実施機関における担当部署①部署",
                       "before": "健康こども部接種プロジェクト", "after": "健康こども部健康増進課",
                       "timing": "[事後]", "reason": "組織変更によるもの"}
    assert rows[1]["item"].startswith("Ⅱ特定個人情報ファイルの概要")
    assert (rows[1]["before"], rows[1]["after"], rows[1]["timing"]) == ("未定", "保有中", "[一部事前]")
    assert "# 要確認: " in text and "抽出で離れた欄をつないで" in text


def test_an_option_on_a_cells_line_splits_it(tmp_path: Path) -> None:
    """`健康増進課長 事後組織変更による…`: the option between the 変更後 text and the explanation joined to it; `事後令和4年…`:
    the option glued to the next row's date. A word that only begins with an option (`事後評価担当`) is text."""
    rows, _ = _import(tmp_path, HEAD + [
        "令和4年7月22日", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "②所属長の役職名", "",
        "事後評価担当", "",
        "健康増進課長 事後組織変更によるもの", "",  # the explanation's cut lines joined to it
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "①部署", "",
        "健康こども部", "",
        "健康増進課", "",
        "事前令和5年1月4日", "",
    ])
    assert [(r["before"], r["after"], r["timing"], r["reason"]) for r in rows] == [
        ("事後評価担当", "健康増進課長", "[事後]", "組織変更によるもの"), ("健康こども部", "健康増進課", "[事前]", "記載なし")]
    assert [r["date"] for r in rows] == ["令和4年7月22日", "令和5年1月4日"]


def test_an_explanation_printed_before_its_option_is_known_from_other_rows(tmp_path: Path) -> None:
    """A page printed bottom-up puts an explanation among the text blocks: word for word an explanation read
    after an option elsewhere, it is the row's explanation, not its 変更後."""
    rows, _ = _import(tmp_path, HEAD + [
        "令和4年7月22日", "", "令和4年7月22日", "",
        "Ⅰ　基本情報", "３．特定個人情報ファイル名", "",
        "接種記録ファイル", "",
        "（１）接種記録ファイル", "",
        "形式的な文言の修正であり、", "重要な変更に当たらない", "",
        "事後", "",
        "Ⅱ　特定個人情報ファイルの概要", "１．特定個人情報ファイル名", "",
        "接種ファイル", "",
        "（１）接種記録ファイル", "",
        "事後", "形式的な文言の修正であり、", "重要な変更に当たらない", "",
    ])
    assert [(r["before"], r["after"], r["timing"]) for r in rows] == [
        ("接種記録ファイル", "（１）接種記録ファイル", "[事後]"), ("接種ファイル", "（１）接種記録ファイル", "[事後]")]
    assert rows[0]["reason"] == rows[1]["reason"] == "形式的な文言の修正であり、重要な変更に当たらない"


def test_a_run_of_boxes_is_halved_and_a_missing_date_repeats_the_last(tmp_path: Path) -> None:
    """One box per block (`［ ○ ］庁内連携システム`): the first half is 変更前, the second 変更後. A row beyond the
    page's dates takes the last date read, for review."""
    rows, text = _import(tmp_path, HEAD + [
        "令和4年7月22日", "",
        "Ⅰ　基本情報", "２．特定個人情報ファイルを取り扱う事務において使用するシステム", "システム1",
        "③他のシステムとの接続", "",
        "［ 　 ］庁内連携システム", "", "［ 　 ］その他（　　）", "",
        "［ ○ ］庁内連携システム", "", "［ 　 ］その他（　　）", "",
        "事後 評価の再実施のため", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "①部署", "",
        "健康課", "", "健康増進課", "",
        "事後 組織変更", "",
    ])
    assert "".join(rows[0]["before"].split()) == "［］庁内連携システム［］その他（）"
    assert rows[0]["after"] == "［○］庁内連携システム［］その他（）"
    assert [r["date"] for r in rows] == ["令和4年7月22日", "令和4年7月22日"]
    assert "変更日が読めなかったため" in text


def test_a_tab_separated_row_whose_last_cells_are_empty_is_read(tmp_path: Path) -> None:
    """An extraction that keeps the table as tab-separated cells drops a row's empty last cells with its trailing
    tabs: the row is still one of the table's, its missing cells empty."""
    rows, _ = _import(tmp_path, [
        "（別添２）変更箇所", "",
        "変更日\t項目\t変更前の記載\t変更後の記載\t提出時期\t提出時期に係る説明",
        "令和3年6月29日\tI 基本情報 ①事務の名称\t予防接種\t予防接種の事務\t事後",
        "令和3年10月12日\tI 基本情報 ②事務の内容\t接種\t接種記録\t事前\t事前に提出",
    ])
    assert [(r["date"], r["after"], r["timing"], r["reason"]) for r in rows] == [
        ("令和3年6月29日", "予防接種の事務", "[事後]", "記載なし"), ("令和3年10月12日", "接種記録", "[事前]", "事前に提出")]


def test_a_pages_dates_are_its_rows(tmp_path: Path) -> None:
    """A page that printed fewer dates than rows (a row split by the page break) does not shift the dates of the
    next page: the header printed again starts a page, whose rows take its own dates."""
    rows, _ = _import(tmp_path, HEAD + [
        "令和4年7月8日", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "①部署", "", "健康課", "", "健康増進課", "", "事後", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "②所属長の役職名", "", "課長", "", "所長", "", "事後", "",
        "変更前の記載 変更後の記載 提出時期変更日", "",
        "令和4年11月30日", "",
        "Ⅰ　基本情報", "３．特定個人情報ファイル名", "", "接種ファイル", "", "接種記録ファイル", "", "事前", "",
    ])
    assert [r["date"] for r in rows] == ["令和4年7月8日", "令和4年7月8日", "令和4年11月30日"]


def test_two_cells_on_the_options_line_and_an_option_under_a_full_line(tmp_path: Path) -> None:
    """`主幹 健康増進課長 事後`: a row's only text, on its option's line, is 変更前 and 変更後 apart by the
    extraction's space. An option on the line under a full one (`［ ○ ］宛名システム等` / `事後`) is a cell of its
    own, not the end of a wrapped line."""
    rows, _ = _import(tmp_path, HEAD + [
        "令和4年7月22日", "", "令和4年7月22日", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "②所属長の役職名", "",
        "主幹 健康増進課長 事後", "組織変更によるもの", "",
        "Ⅰ　基本情報", "２．特定個人情報ファイルを取り扱う事務において使用するシステム", "システム3",
        "③他のシステムとの接続", "",
        "［ ○ ］庁内連携システム", "",
        "［ ○ ］庁内連携システム", "［ ○ ］宛名システム等", "事後", "",
    ])
    assert [(r["before"], r["after"], r["timing"]) for r in rows] == [
        ("主幹", "健康増進課長", "[事後]"), ("［○］庁内連携システム", "［○］庁内連携システム［○］宛名システム等", "[事後]")]


def test_a_block_of_two_short_lines_is_the_text_before_and_after(tmp_path: Path) -> None:
    """Two short cells side by side come out as two lines of one block: the first is 変更前, the second 変更後; a
    list (・ ①) of two items stays one text."""
    rows, _ = _import(tmp_path, HEAD + [
        "令和4年7月22日", "", "令和4年7月22日", "",
        "Ⅰ　基本情報", "６．評価実施機関における担当部署", "①部署", "",
        "総務課", "情報戦略室担当", "",
        "事後", "組織変更によるもの", "",
        "Ⅰ　基本情報", "２．特定個人情報ファイルを取り扱う事務において使用するシステム", "システム1", "②システムの機能", "",
        "・接種記録の管理", "・接種券の発行", "",
        "事後", "機能の追加", "",
    ])
    assert [(r["before"], r["after"]) for r in rows] == [
        ("総務課", "情報戦略室担当"), ("記載なし", "・接種記録の管理・接種券の発行")]
