"""The 項目 of a change table read segment by segment (check/itempath.py): one fixture per kind of fault,
the rows that must never resolve, --fix, and the figures on a sample of the 福岡市 table (seed 004)."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc import cli
from piadoc.check.changes import without_markup
from piadoc.check.itempath import ABBREVIATED, ELSEWHERE, FORMER, TYPO, canonical, resolve
from piadoc.schema import load_form

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def juten():
    return load_form("重点項目評価書")


@pytest.fixture(scope="module")
def zen():
    return load_form("全項目評価書")


@pytest.mark.parametrize("text,kind,item", [
    ("Ⅰ 基本情報 ６．評価実施機関における担当部署 ②所属長", FORMER, "I.6.2"),
    ("Ⅰ 基本情報 ６．評価実施期間における担当部署 ①部署", TYPO, "I.6.1"),
    ("Ⅱファイルの概要 ３．特定個人情報の入手・使用 ③使用目的", ABBREVIATED, "II.3.3"),
    ("Ⅱ 特定個人情報ファイルの概要 ２．基本情報 ③使用目的", ELSEWHERE, "II.3.3"),
    ("Ⅲ リスク対策 ９．従業員に対する教育・啓発 具体的な方法", TYPO, "III.9.2"),
])
def test_each_fault_names_its_segment_and_the_item(juten, text: str, kind: str, item: str) -> None:
    found = resolve(juten, text)
    assert found.item is not None and found.item.id == item
    assert found.worst is not None and found.worst.kind == kind


@pytest.mark.parametrize("text", [
    "I 基本情報 6. 評価実施機関における担当部署 ①部署",  # half-width Ⅰ and ６．
    "Ⅰ　基本情報　６．評価実施機関における担当部署　①部署",  # full-width spaces
    "Ⅰ基本情報 ６．評価実施機関における担当部署①部署",  # glued
    "Ⅱ 特定個人情報ファイルの概要 ４．特定個人情報ファイルの取扱いの委託 委託事項2 ③委託先名",
    "Ⅱ ４．委託事項2",  # headings cited by their numbers
    "Ⅱ 特定個人情報ファイルの概要5. 特定個人情報の提供・移転(委託に伴うものを除く。)提供先4③提供する情報",
])
def test_tolerated_spellings_are_no_fault(juten, text: str) -> None:
    found = resolve(juten, text)
    assert found.item is not None and found.worst is None


@pytest.mark.parametrize("text", [
    "(別添2)事務の内容",  # 別添2 is not 別添1: never Ⅰ ②事務の内容 nor （別添１）
    "Ⅰ 基本情報 ６．評価実施機関における担当部署 方法",  # a short label under headings that have none
    "Ⅴ 評価実施手続 内容",
])
def test_a_short_label_never_resolves_against_its_headings(juten, text: str) -> None:
    assert resolve(juten, text).item is None


def test_an_annex_is_never_a_typo_of_an_item(zen) -> None:
    """`I 基本情報 (別添1)事務の内容` (rows 53, 197 of seed 004) is the annex, not Ⅰ ②事務の内容."""
    found = resolve(zen, "I 基本情報 (別添1)事務の内容")
    assert found.item.id == "ANX1" and found.worst.kind == ELSEWHERE


def test_failure_says_what_the_form_has_there(juten) -> None:
    found = resolve(juten, "Ⅰ 基本情報 ６．評価実施機関における担当部署 方法")
    assert found.failure.written == "方法" and found.failure.parent.id == "I.6"
    assert {it.id for it in found.failure.here} == {"I.6.1", "I.6.2"}


def test_file_sections_and_repeats(zen) -> None:
    found = resolve(zen, "II 特定個人情報ファイルの概要(2) 4. 特定個人情報ファイルの取扱いの委託委託事項1 ⑥委託先名")
    assert found.item.id == "II.4.item.6" and found.worst is None
    assert canonical(zen, found.steps).startswith("Ⅱ　特定個人情報ファイルの概要（2） ４．")
    # a file name never swallows the rest of the path
    assert resolve(zen, "II 特定個人情報ファイルの概要(2) 3. 特定個人情報の入手・使用 ⑦ 使用の主体 利用者数").worst.kind == TYPO


def test_html_wrapped_label_resolves_without_its_tags(juten) -> None:
    text = without_markup("<p>Ⅰ 基本情報 ６．評価実施機関における担当部署 ①部署</p>&nbsp;")
    found = resolve(juten, text)
    assert found.item.id == "I.6.1" and found.worst is None


def test_fix_rewrites_each_resolvable_item_to_the_canonical_path(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    case = GOLDEN / "W702-W706-W730-W731-W732-W733-W734-item-paths.pia"
    (tmp_path / "s.pia").write_bytes(case.read_bytes())
    cli.main(["check", "--fix", "s.pia"])
    err = capsys.readouterr().err
    assert "4 か所を直しました" in err and "→「Ⅰ　基本情報 ６．評価実施機関における担当部署 ②所属長の役職名」" in err
    text = (tmp_path / "s.pia").read_text(encoding="utf-8")
    assert "項目: Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ③使用目的" in text
    assert "項目: (別添2)事務の内容" in text  # unresolvable: left as it is
    cli.main(["check", "s.pia"])
    assert not any(c in capsys.readouterr().err for c in ("W730", "W731", "W732", "W733"))


def sample() -> list[dict[str, str]]:
    lines = [line for line in (FIXTURES / "seed004-sample.tsv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    head = lines[0].split("\t")
    return [dict(zip(head, line.split("\t"))) for line in lines[1:]]


def test_seed004_sample_recall_and_precision(zen) -> None:
    """55 rows of the 福岡市 table (every 6th), each judged by hand: every wrong 項目 flagged, no correct one."""
    flagged, wrong = set(), set()
    for row in sample():
        found = resolve(zen, without_markup(row["項目"]))
        if found.item is None or found.worst is not None:
            flagged.add(row["番号"])
        if row["誤り"] == "1":
            wrong.add(row["番号"])
    recall = len(flagged & wrong) / len(wrong)
    precision = len(flagged & wrong) / len(flagged)
    assert len(wrong) >= 10 and recall >= 0.9 and precision >= 0.9, (recall, precision, flagged ^ wrong)


@pytest.mark.parametrize("edit,message", [
    ("minor_changes: [post]", "minor_changes: unknown value 'typo'"),
    ("former_labels: [所属長]", "former_labels: expected a list of strings"),
])
def test_new_item_keys_are_validated(tmp_path: Path, edit: str, message: str) -> None:
    """former_labels and minor_changes go through the loader's checks like every other item key."""
    import shutil

    from piadoc.resources import templates_dir
    from piadoc.schema import SchemaError

    root = tmp_path / "templates"
    shutil.copytree(templates_dir(), root)
    path = root / "juten" / "form.yaml"
    bad = edit.replace("[post]", "[typo]").replace("[所属長]", "[1]")
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, bad, 1), encoding="utf-8")
    with pytest.raises(SchemaError, match=message.replace("[", r"\[")):
        load_form("重点項目評価書", str(root))


def test_a_cell_is_read_once_per_form_and_the_oldest_readings_go(juten, monkeypatch) -> None:
    """The language server re-checks the whole change table on every keystroke: a row read before is not read
    again (the walk of one cell costs milliseconds), and the kept readings stay bounded in a long session."""
    from piadoc.check import itempath

    text = "Ⅰ 基本情報 ６．評価実施機関における担当部署 ②所属長"
    first = resolve(juten, text)

    def not_again(form, text):  # noqa: ANN001, ANN202 - a stand-in that fails the test when called
        raise AssertionError(f"read again: {text}")

    monkeypatch.setattr(itempath, "_read", not_again)
    assert resolve(juten, text) is first
    monkeypatch.undo()
    monkeypatch.setattr(itempath, "_RESOLVED", 3)
    for n in range(5):
        resolve(juten, f"Ⅰ 基本情報 ６．評価実施機関における担当部署 ②所属長{n}")
    assert len(itempath._tables(juten).resolved) <= 3 and text not in itempath._tables(juten).resolved
