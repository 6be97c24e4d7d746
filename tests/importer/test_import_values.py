"""A value cell read as its item's kind (importer/values.py): checkbox labels wrapped by a narrow cell are joined
back to their box; a line that is not a wrapped label is kept for review, and a ticked box the form lacks says so."""
from __future__ import annotations

from piadoc.importer.values import parse
from piadoc.schema import load_form


def _item(label_end: str):
    form = load_form("重点項目評価書")
    assert form is not None
    return next(i for i in form.walk() if i.kind == "checkboxes" and i.label.endswith(label_end))


def test_a_wrapped_box_label_is_joined_to_its_box() -> None:
    item = _item("主な記録項目")
    got = parse(item, "[ ○ ] 4情報（氏名、性別、生年月日、住\n所）\n[ ] 連絡先（電話番号等）")
    assert got.doubts == []
    assert got.checks == [(True, "4情報（氏名、性別、生年月日、住所）"), (False, "連絡先（電話番号等）")]


def test_a_line_that_is_no_wrapped_label_stays_for_review() -> None:
    item = _item("主な記録項目")
    got = parse(item, "[ ○ ] 4情報（氏名、性別、生年月日、住所）\n手書きのメモ\n[ ○ ] 存在しない項目")
    assert got.checks == [(True, "4情報（氏名、性別、生年月日、住所）")]
    assert got.doubts == ["チェック欄として読めない行「手書きのメモ」", "「存在しない項目」はチェック項目にありません（チェックあり）"]
