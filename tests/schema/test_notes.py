"""templates/notes.yaml: every answerable item of every form has a note, each note reaches the item it means,
and a broken notes file stops with the file, the key and its line (like a broken form.yaml)."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

from piadoc.resources import templates_dir
from piadoc.schema import SchemaError, form_names, load_form
from piadoc.schema.notes import load_notes, note_of


@pytest.fixture(autouse=True)
def _fresh_notes():
    load_notes.cache_clear()
    yield
    load_notes.cache_clear()


def answerable(form) -> list:
    """Items a spec writes a value for: not headings (group, repeat), not printed by the form itself."""
    return [it for it in form.walk() if it.kind not in ("group", "repeat") and not it.fixed]


@pytest.mark.parametrize("name", sorted(form_names()))
def test_every_answerable_item_has_a_note(name: str) -> None:
    form = load_form(name)
    missing = [f"{it.id} {it.printed}" for it in answerable(form) if not note_of(form, it)]
    assert not missing, f"{name}: no note in templates/notes.yaml for {missing}"


def test_a_shared_label_path_reaches_the_same_item_in_each_form_whatever_its_id() -> None:
    juten, zen = load_form("重点項目評価書"), load_form("全項目評価書")
    staff = note_of(juten, juten.item("II.4.item.2"))  # ②委託先における取扱者数 in 重点
    assert staff and note_of(zen, zen.item("II.4.item.3")) == staff  # ③ in 全項目
    assert note_of(zen, zen.item("II.4.item.2")) != staff  # ② in 全項目 is the 範囲 of the file


def test_the_longest_key_wins() -> None:
    """Two items labelled 目的外の入手が行われるリスク > リスクに対する措置の内容: one under 入手, one under 接続."""
    juten = load_form("重点項目評価書")
    by_mail = note_of(juten, juten.item("III.2.R.measures"))
    by_network = note_of(juten, juten.item("III.6.R1.measures"))
    assert by_mail and by_network and by_mail != by_network


@pytest.fixture
def with_notes(copy_forms: Callable[..., Path]) -> Callable[[str], Path]:
    """A copy of templates/ with the packaged notes.yaml plus ``extra`` lines."""
    made = iter(range(100))

    def make(extra: str) -> Path:
        root = copy_forms(name=f"templates{next(made)}")
        text = (templates_dir() / "notes.yaml").read_text(encoding="utf-8")
        (root / "notes.yaml").write_text(text + extra, encoding="utf-8")
        return root
    return make


def error_of(root: Path) -> str:
    with pytest.raises(SchemaError) as err:
        load_notes(str(root))
    return str(err.value)


def test_a_key_naming_no_item_is_refused_with_file_key_and_line(with_notes) -> None:
    root = with_notes("委託事項 > 委託先の取扱者数: 綴りの違うラベル\n")
    lines = (root / "notes.yaml").read_text(encoding="utf-8").count("\n")
    message = error_of(root)
    assert message.startswith(f"{root / 'notes.yaml'}: '委託事項 > 委託先の取扱者数' (line {lines}): names no item")


def test_a_key_every_item_of_which_has_a_longer_key_is_refused(with_notes) -> None:
    message = error_of(with_notes("特定個人情報の消去ルール > ルールの内容及びルール遵守の確認方法 > x: y\n"
                                  "取扱者数 > いつ時点の計数か > 余分: y\n"))
    assert "names no item" in message  # a path longer than any item's
    root = with_notes("")
    (root / "notes.yaml").write_text("ルールの内容及びルール遵守の確認方法: 一般\n"
                                     "特定個人情報の消去ルール > ルールの内容及びルール遵守の確認方法: 消去\n"
                                     "特定個人情報の提供・移転に関するルール > ルールの内容及びルール遵守の確認方法: 提供\n",
                                     encoding="utf-8")
    assert "'ルールの内容及びルール遵守の確認方法' (line 1): reaches no item" in error_of(root)


def test_a_duplicate_key_is_refused_though_yaml_would_keep_the_last(with_notes) -> None:
    message = error_of(with_notes("委託事項 > 委託先名: 二つ目\n"))
    assert "'委託事項 > 委託先名'" in message and "duplicate key" in message
    message = error_of(with_notes("委託事項＞委託先名: 全角の区切り\n"))  # the same key after NFKC
    assert "duplicate key" in message


@pytest.mark.parametrize("extra, expected", [
    ("委託事項 > 委託内容 > : x\n", "an empty label"),
    ("- a list\n", "not readable as YAML"),
])
def test_malformed_entries_are_refused(with_notes, extra: str, expected: str) -> None:
    assert expected in error_of(with_notes(extra))


def test_an_empty_note_and_a_non_string_are_refused(with_notes) -> None:
    root = with_notes("")
    (root / "notes.yaml").write_text("再委託事項: ''\n", encoding="utf-8")
    assert "empty note" in error_of(root)
    (root / "notes.yaml").write_text("再委託事項: [a, b]\n", encoding="utf-8")
    assert "line 1: expected `label path: note`" in error_of(root)


def test_no_notes_file_means_no_notes(copy_forms: Callable[..., Path]) -> None:
    root = copy_forms()
    assert load_notes(str(root)) == {}
    form = load_form("重点項目評価書", str(root))
    assert note_of(form, form.item("II.4.item.2"), str(root)) is None


@pytest.mark.parametrize("name", sorted(form_names()))
def test_the_skeleton_puts_each_note_above_its_item_and_formatting_keeps_them(name: str) -> None:
    """`piadoc new` writes the note as a comment above each field; `piadoc fmt` keeps every one, once."""
    from piadoc.fmt import format_text
    from piadoc.skeleton import skeleton

    form = load_form(name)
    text = skeleton(form)
    lines = text.splitlines()
    for it in answerable(form):
        if it.fixed_answer or form.repeats_above(it.id) and form.repeats_above(it.id)[0].auto_number:
            continue  # not in the skeleton / a commented-out change row
        note = f"# {note_of(form, it)}"
        assert note in text, it.id
    formatted = format_text(text)
    assert format_text(formatted) == formatted
    kept = [line.strip() for line in formatted.splitlines() if line.lstrip().startswith("#")]
    assert kept == [line.strip() for line in lines if line.lstrip().startswith("#")]
