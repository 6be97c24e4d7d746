"""項目 as the 変更箇所 table names it: the official path from the section down to the item, with the
instance in repeats (委託事項2) and the file in multi-file reports (Ⅱ…（２）住民基本台帳ファイル)."""
from __future__ import annotations

from ..language import official_path
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
    depth = [0]

    def instance(it: ItemDef) -> tuple[int, str] | None:
        """The instance of each enclosing repeat, outermost first, from the key; a file's name only when the
        report has several files."""
        if depth[0] >= len(inst):
            return None
        n = inst[depth[0]]
        depth[0] += 1
        if it.repeat_key and not it.numbered_label:
            if max((r.count(it.id) for r in reports), default=0) <= 1:
                return None
            return n, _file_name(form, it, inst[:depth[0]], reports)
        return n, ""

    path = official_path(chain, instance)
    return path if path is not None else " ".join(it.title for it in chain)
