"""`piadoc new FORM`: a complete spec skeleton generated from the form schema, options and our note on what
each item asks for (templates/notes.yaml) as comments."""
from __future__ import annotations

from .language import ref_of
from .schema import Form, ItemDef
from .schema.notes import note_of

_HINTS = {"date": "例: 令和7年3月21日", "count": "数字（書かなければ記載した行の数）"}


def skeleton(form: Form) -> str:
    lines = [f"# {form.title} の雛形（piadoc new で作成）。",
             "# 値は「項目: 値」、複数行は \"\"\" で囲みます。選択肢は [ ] の中に、チェックは [○] と書きます。",
             f"評価書: {form.name}"]

    def emit(items: tuple[ItemDef, ...], depth: int) -> None:
        pad = "  " * depth
        for it in items:
            if it.fixed or it.fixed_answer:
                continue
            if it.auto_number:
                lines.append(f"{pad}# {ref_of(it)}:   ← 行ごとに繰り返します")
                for child in it.children:
                    lines.append(f"{pad}#   {ref_of(child)}:")
                continue
            heading = it.kind in ("group", "repeat")
            if heading and depth == 0:
                lines.append("")
            note = note_of(form, it) if depth == 0 or not heading else None  # a note per field, per part
            if note:
                lines.append(f"{pad}# {note}")
            mark = "　※" if it.important and not heading else ""
            if heading:
                lines.append(f"{pad}{ref_of(it)}")
                emit(it.children, depth + 1)
                continue
            if mark:
                lines.append(f"{pad}# ※ 重要な変更の対象")
            if it.kind == "choice":
                lines.append(f"{pad}# ＜選択肢＞ " + " ".join(o.printed for o in it.options))
                lines.append(f"{pad}{ref_of(it)}: [ ]")
            elif it.kind == "checkboxes":
                lines.append(f"{pad}{ref_of(it)}:")
                for o in it.options:
                    extra = "（ ）" if o.takes_text else ("（ ）件" if o.counts else "")
                    lines.append(f"{pad}  [ ] {o.text}{extra}")
            else:
                if it.kind in _HINTS:
                    lines.append(f"{pad}# {_HINTS[it.kind]}")
                lines.append(f"{pad}{ref_of(it)}:")
            emit(it.children, depth + 1)

    cover = form.part("cover")
    if cover is not None:
        emit(cover.children, 0)  # each part after it starts with a blank line
    emit(tuple(i for i in form.items if i.role != "cover"), 0)
    return "\n".join(lines) + "\n"
