"""The .pia language's own words, shared by every stage that reads or writes a spec.

The grammar (grammar/pia.lark) knows only punctuation and indentation; these are the words a spec uses on
top of the form's labels: the line naming the form, how "does not apply" is written, and how a reference
to an item is spelled when piadoc writes one (the skeleton of `piadoc new`, rows added by `piadoc changes`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from .schema import ItemDef

#: The header line naming the form (`評価書: 重点項目評価書`): read by the pipeline, not matched against the form.
FORM_KEY = "評価書"

#: What a spec writes for an item that does not apply (dash-like characters, full-width and half-width);
#: the form prints 「―」.
DASHES = frozenset({"―", "－", "—", "‐", "-", "ー"})

#: Report-level settings (`@空き枠 印刷する`): the directive's word → its values, each with what it means.
#: 空き枠: print every slot heading of a repeat (システム6～10 …) as the blank form does (True), or only the
#: headings above an instance, as most published reports do (False, the default).
EMPTY_SLOTS = "空き枠"
SETTINGS: dict[str, dict[str, bool]] = {EMPTY_SLOTS: {"印刷する": True, "印刷しない": False}}

#: What the editor's hover (piadoc lsp) says about the language's own lines, kept beside the words they explain:
#: a directive or setting added here is explained here, and the forms' notes (templates/notes.yaml) stay about
#: the forms. One line each, in plain Japanese.
FORM_LINE_NOTE = ("評価書の種類（様式）を決める行です。ファイルの最初に書きます。書ける項目とその番号・選択肢、"
                  "検査の内容、作られる .docx の様式は、すべてこの行で決まります。")
DIRECTIVE_NOTES: dict[str, str] = {
    "file": "図や Word 文書を項目の値として添付します（`項目: @file \"図.png\"`）。パスはこのファイルのある場所からの相対パスです。",
    "include": "ほかの .pia ファイルの内容を、この場所・この字下げに差し込みます。パスはこのファイルのある場所からの相対パスです。",
    "set": "変数を定義します。値の中で `{{ 名前 }}` と書くと、ここで決めた値に置き換わります。",
    "under": "分割したファイル（断片）の内容が、評価書のどこに入るかを示します。断片だけで検査するときに使い、差し込まれたときは無視されます。",
    EMPTY_SLOTS: "評価書全体の印刷の設定です。繰り返しの項目の空の枠の見出しを、白紙の様式と同じようにすべて印刷するかを決めます。",
}
#: What each value of a setting (SETTINGS) means, for the hover; the default is the value meaning False.
SETTING_VALUE_NOTES: dict[str, dict[str, str]] = {
    EMPTY_SLOTS: {"印刷する": "空の枠の見出しもすべて印刷します（白紙の様式と同じ）。",
                  "印刷しない": "記載のある枠の見出しだけを印刷します（公表された評価書の多くと同じ）。"},
}

_SECTION_NUMERALS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨ"


def ref_of(item: ItemDef) -> str:
    """How piadoc writes a reference to an item: its alias (変更), its first instance (システム1), a section
    as `Ⅱ 特定個人情報ファイルの概要`, anything else by its printed number and label."""
    if item.aliases:
        return item.aliases[0]
    if item.numbered_label:
        return item.instance_label(1)
    if item.number and item.number[0] in _SECTION_NUMERALS:
        return f"{item.number} {item.label}"
    return item.title


@dataclass(frozen=True, slots=True)
class Insertion:
    """Where piadoc writes a block into a user's spec (`piadoc changes --write`): found by the pipeline,
    which has the AST, and applied to the raw text by the differ, which has not."""

    line: int
    """Insert before this 0-based line index (== the number of lines kept above)."""
    indent: str
    heading: str | None
    """A heading line to write first, when the spec has no such block yet."""


def official_path(chain: Iterable[ItemDef], instance: Callable[[ItemDef], tuple[int, str] | None]) -> str | None:
    """項目 as the 変更箇所 table names it, from the section down to the item: titles, a numbered repeat as its
    instance (委託事項2), a file of a multi-file report as its title（n）and name, the table's own rows left out.
    ``instance(repeat)`` gives the instance and file name a repeat stands for, or None; None when a numbered
    repeat has none. One rule for the differ (rows it writes) and the checker (the path it proposes)."""
    parts: list[str] = []
    for it in chain:
        if it.kind == "repeat":
            got = instance(it)
            if it.numbered_label:
                if got is None:
                    return None
                parts.append(it.instance_label(got[0]))
                continue
            if it.repeat_key and got is not None:
                parts.append(f"{it.title}（{got[0]}）{got[1]}".rstrip())
                continue
            if it.auto_number:
                continue
        parts.append(it.title)
    return " ".join(parts)
