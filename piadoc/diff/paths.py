"""項目 as the 変更箇所 table names it: the official path from the section down to the item, with the
instance in repeats (委託事項2) and the file in multi-file reports (Ⅱ…（２）住民基本台帳ファイル)."""
from __future__ import annotations

from ..model import Key, Report, TextAnswer
from ..schema import Form, ItemDef


def _file_name(form: Form, repeat: ItemDef, inst: tuple[int, ...], reports: tuple[Report, ...]) -> str:
    """The 特定個人情報ファイル名 of one file: the first text item of the per-file section."""
    first = next((c for c in repeat.children if c.kind == "text"), None)
    for report in reports:
        answer = report.get(first.id, inst) if first else None
        if isinstance(answer, TextAnswer):
            return answer.text.split("\n")[0]
    return ""


def item_path(form: Form, key: Key, *reports: Report) -> str:
    """`Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ③使用目的` for key ("II.3.3", (1,))."""
    item_id, inst = key
    item = form.item(item_id)
    chain = [a for a in form.ancestors(item_id) if a.role != "cover"] + [item]
    parts: list[str] = []
    depth = 0
    for it in chain:
        if it.kind == "repeat" and depth < len(inst):
            n = inst[depth]
            depth += 1
            if it.numbered_label:
                parts.append(it.instance_label(n))
                continue
            if it.repeat_key and max((r.count(it.id) for r in reports), default=0) > 1:
                name = _file_name(form, it, inst[:depth], reports)
                parts.append(f"{it.title}（{n}）{name}".rstrip())
                continue
            if it.auto_number:
                continue
        parts.append(it.title)
    return " ".join(parts)
