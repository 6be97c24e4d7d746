"""Compare two reports item by item, on the model: what the form would print differently.

Reformatting, moved lines and comments change nothing here: values are compared as the form prints
them. A repeat instance (委託事項3, a second 特定個人情報ファイル) added or removed is one row.
提出時期 is proposed from the schema's ※ marks: 事前 for a 重要な変更, 事後 otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Key, Report
from ..printed import short_value
from ..schema import Form
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


def _row(form: Form, item: str, before: str, after: str, important: bool, key: Key) -> ChangeRow:
    early, late = _timings(form)
    return ChangeRow(item, before, after, early if important else late, IMPORTANT if important else ORDINARY, key)


def diff_reports(form: Form, old: Report, new: Report) -> list[ChangeRow]:
    """The rows, in form order (then instance order)."""
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
        rows.append(((key[1], order[item_id]), _row(form, item_path(form, key, new, old), before, after,
                                                    item.important, key)))
    rows.sort(key=lambda r: (_section_order(form, r[1].key, order), r[0]))
    return [r for _, r in rows]


def _section_order(form: Form, key: Key, order: dict[str, int]) -> int:
    """Rows follow the printed order of sections first (Ⅱ of every file before Ⅲ)."""
    chain = form.ancestors(key[0]) + [form.item(key[0])]
    return order[chain[0].id]


