"""Each form carries its own look-up tables: after a form is freed and another loaded (an editor server, a
batch build), references still resolve to the new form's items. Tables keyed by id() of objects got this
wrong: the new form's objects reuse the freed ones' addresses and inherit their keys."""
from __future__ import annotations

import gc

from piadoc.check.itempath import resolve as read_path
from piadoc.check.resolve import resolve
from piadoc.schema import Form, load_form


def named_item(form: Form, text: str):
    """The item a 項目 cell names, read as the checker reads it (itempath.py, whose tables live on the form)."""
    return read_path(form, text).item

NAME = "重点項目評価書"


def resolve_all(form: Form) -> dict[str, str | None]:
    """Every item looked up by its printed label in its own scope (the id found, or None)."""
    out: dict[str, str | None] = {}
    for it in form.walk():
        if it.numbered_label:
            continue
        parent = form.parent_of[it.id]
        scope = form.item(parent).children if parent is not None else form.items
        found = resolve(form, scope, it.printed)
        out[it.id] = found.match.item.id if found.match is not None else None
    return out


def renamed(text: str) -> str:
    """The same form with other labels (as another form, or an edited copy, would have)."""
    return text.replace("label: ", "label: 旧")


def test_references_resolve_after_forms_are_freed(copy_forms) -> None:
    root = str(copy_forms(renamed))
    expected = resolve_all(load_form(NAME))
    assert sum(v is not None for v in expected.values()) > 150
    suffix = named_item(load_form(NAME), "Ⅰ 基本情報 １．特定個人情報ファイルを取り扱う事務 ③対象人数")
    assert suffix is not None and suffix.id == "I.1.3"
    for _ in range(3):
        other = load_form(NAME, root)
        resolve_all(other)  # fills the other form's tables
        named_item(other, "旧対象人数")
        del other
        load_form.cache_clear()
        gc.collect()
        form = load_form(NAME)
        assert resolve_all(form) == expected
        assert named_item(form, "Ⅰ 基本情報 １．特定個人情報ファイルを取り扱う事務 ③対象人数").id == "I.1.3"
        del form
        load_form.cache_clear()
        gc.collect()


def test_tables_do_not_depend_on_object_addresses(copy_forms, monkeypatch) -> None:
    """The worst case of address reuse made explicit: every object reports the same id()."""
    import piadoc.check.itempath as itempath
    import piadoc.check.resolve as resolve_module

    expected = resolve_all(load_form(NAME))
    other = load_form(NAME, str(copy_forms(renamed)))
    for module in (itempath, resolve_module):
        monkeypatch.setattr(module, "id", lambda obj: 1, raising=False)
    resolve_all(other)
    assert named_item(other, "旧対象人数").id == "I.1.3"
    form = load_form(NAME)
    assert resolve_all(form) == expected
    assert named_item(form, "③対象人数").id == "I.1.3"
