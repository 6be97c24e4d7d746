"""Compare two reports item by item, on the model: what the form would print differently.

Reformatting, moved lines and comments change nothing here: values are compared as the form prints
them. A repeat instance (委託事項3, a second 特定個人情報ファイル) added or removed is one row.
提出時期 is proposed as cities decide it (docs/changes.md): one 提出時期 for the whole revision, the early one
when any row is a 重要な変更 — a change of a ※ item, unless it is one the 解説 does not count (a typo-level
edit, a new person in a post, the deletion of an incident's text: see minor_reason) — and the late one
otherwise. A city may choose the 提出時期 and the reason itself (an urgent change evaluated afterwards,
規則第9条第2項): `--timing` and `--reason`.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from ..model import Key, Report
from ..printed import short_value
from ..schema import Form, ItemDef
from .paths import item_path

NONE = "記載なし"
IMPORTANT, ORDINARY = "重要な変更", "重要な変更にあたらない"


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One row of the 変更箇所 table (変更日 is the user's: given when rows are written)."""

    item: str
    before: str
    after: str
    timing: str
    reason: str
    key: Key


def _in_changes(form: Form, item_id: str) -> bool:
    part = form.changes.part if form.changes is not None else None
    return part is not None and (item_id == part.id or item_id.startswith(part.id + "."))


def _instances(form: Form, report: Report) -> set[Key]:
    out: set[Key] = set()
    for (rid, ctx), count in report.instances.items():
        item = form.item(rid)
        if not item.auto_number and not _in_changes(form, rid):
            out.update((rid, ctx + (n,)) for n in range(1, count + 1))
    return out


def _within(form: Form, key: Key, instance: Key) -> bool:
    """Is ``key`` inside repeat instance ``instance`` (same repeat, same instance numbers)?"""
    item_id, inst = key
    rid, rinst = instance
    if inst[: len(rinst)] != rinst:
        return False
    return item_id == rid or rid in {a.id for a in form.ancestors(item_id)}


def _summary(form: Form, report: Report, instance: Key) -> tuple[str, bool]:
    """The printed content of one repeat instance, and whether it holds a ※ item."""
    lines, important = [], False
    order = {it.id: i for i, it in enumerate(form.walk())}
    title = report.answers.get(instance)
    if title is not None:
        lines.append(short_value(form.item(instance[0]), title))
    for key in sorted((k for k in report.answers if k != instance and _within(form, k, instance)),
                      key=lambda k: (k[1], order[k[0]])):
        item = form.item(key[0])
        important |= item.important
        lines.append(f"{item.title}: {short_value(item, report.answers[key])}")
    return "\n".join(lines) or NONE, important


def _timings(form: Form) -> tuple[str, str]:
    """The 提出時期 options for a 重要な変更 and for any other change (事前, 事後): the options playing the
    roles before and after (both required when a form has a change table)."""
    table = form.changes
    if table is None:
        return "", ""
    early, late = table.timing("before"), table.timing("after")
    return (early.text if early else ""), (late.text if late else "")


#: What the 解説 lets a ※ item change without it being a 重要な変更, by the item's `minor_changes:` kind.
_MINOR_WHY = {"post": "担当者・役職の変更", "deletion": "記載の削除"}
#: A typo-level edit: at most this share of the text's characters changed (and at most _TYPO_CHARS).
_TYPO_SHARE, _TYPO_CHARS = 0.05, 4
#: Shorter texts have no typos: one character is their meaning (有 → 無).
_TYPO_MIN = 10


def _changed_chars(before: str, after: str) -> int:
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in ops if tag != "equal")


def minor_reason(item: ItemDef, before: str, after: str) -> str | None:
    """Why a change of ``item`` is no 重要な変更 even when the item is ※, if the code can see it: the item says
    so for this kind of change (form.yaml `minor_changes:`), or the edit is a typo's size."""
    if "post" in item.minor_changes:
        return _MINOR_WHY["post"]
    if "deletion" in item.minor_changes and after in (NONE, ""):
        return _MINOR_WHY["deletion"]
    if item.kind == "text" and len(before) >= _TYPO_MIN and after not in (NONE, "") and before != NONE:
        changed = _changed_chars(before, after)
        if changed <= min(_TYPO_CHARS, max(1, int(len(before) * _TYPO_SHARE))):
            return "誤字・表記の修正"
    return None


def _row(form: Form, item: str, before: str, after: str, important: bool, key: Key,
         minor: str | None = None) -> ChangeRow:
    early, late = _timings(form)
    if minor is not None:
        return ChangeRow(item, before, after, late, f"{ORDINARY}（{minor}）", key)
    return ChangeRow(item, before, after, early if important else late, IMPORTANT if important else ORDINARY, key)


def timing_option(form: Form, text: str) -> str | None:
    """The 提出時期 option a city named on the command line (as the form prints it), or None if none is."""
    table = form.changes
    option = table.column("timing").option_by_text(text) if table is not None else None
    return option.text if option is not None else None


def per_revision(form: Form, rows: list[ChangeRow], timing: str | None = None,
                 reason: str | None = None) -> list[ChangeRow]:
    """One 提出時期 for the revision: ``timing`` when the city chose it, else the early one if any row is a
    重要な変更. ``reason`` (the city's) replaces each row's 説明."""
    early, late = _timings(form)
    chosen = timing or (early if any(r.timing == early for r in rows) else late)
    return [replace(r, timing=chosen, reason=reason if reason is not None else r.reason) for r in rows]


def diff_reports(form: Form, old: Report, new: Report, timing: str | None = None,
                 reason: str | None = None) -> list[ChangeRow]:
    """The rows, in form order (then instance order), with one 提出時期 for the revision (per_revision)."""
    return per_revision(form, row_by_row(form, old, new), timing, reason)


def row_by_row(form: Form, old: Report, new: Report) -> list[ChangeRow]:
    """The rows, in form order (then instance order), each with the 提出時期 its own change calls for."""
    order = {it.id: i for i, it in enumerate(form.walk())}
    rows: list[tuple[tuple, ChangeRow]] = []
    old_inst, new_inst = _instances(form, old), _instances(form, new)
    moved = [(k, old) for k in old_inst - new_inst] + [(k, new) for k in new_inst - old_inst]
    for key, side in moved:
        text, important = _summary(form, side, key)
        item = form.item(key[0])
        important = important or item.important
        before, after = (text, NONE) if side is old else (NONE, text)
        rows.append(((key[1], order[key[0]]), _row(form, item_path(form, key, new, old), before, after, important,
                                                   key)))
    covered = [k for k, _ in moved]
    for key in set(old.answers) | set(new.answers):
        item_id = key[0]
        if _in_changes(form, item_id) or any(_within(form, key, c) for c in covered):
            continue
        item = form.item(item_id)
        a, b = old.answers.get(key), new.answers.get(key)
        before = short_value(item, a) if a is not None else NONE
        after = short_value(item, b) if b is not None else NONE
        if before == after:
            continue
        minor = minor_reason(item, before, after) if item.important or item.minor_changes else None
        rows.append(((key[1], order[item_id]), _row(form, item_path(form, key, new, old), before, after,
                                                    item.important, key, minor)))
    rows.sort(key=lambda r: (_section_order(form, r[1].key, order), r[0]))
    return [r for _, r in rows]


def _section_order(form: Form, key: Key, order: dict[str, int]) -> int:
    """Rows follow the printed order of sections first (Ⅱ of every file before Ⅲ)."""
    chain = form.ancestors(key[0]) + [form.item(key[0])]
    return order[chain[0].id]


