"""Checks on the 変更箇所 table: the debris of hand-made tables (the 福岡市 table shows them all) and the
rules of 提出時期. A 項目 must end with an item of the form; a ※ item changed 事後 needs a 説明."""
from __future__ import annotations

import re

from ..model import ChoiceAnswer, DateAnswer, TextAnswer
from ..schema import Form, ItemDef, norm
from .resolve import item_path, nearest
from .rules import Context

_HTML = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?\s*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.I)
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")


def named_item(form: Form, text: str) -> ItemDef | None:
    """The item a 項目 cell ends with (repeat instances such as 委託事項2 included), if any."""
    key = norm(text)
    endings = form.index.endings()
    for length, items in endings.by_length:
        if length <= len(key) and key[-length:] in items:
            return items[key[-length:]]
    for pattern, it in endings.patterns:
        if pattern.search(key):
            return it
    return None


def change_table(ctx: Context) -> None:
    form = ctx.form
    table = form.changes
    if table is None:
        return
    rows = table.rows
    date_col, item_col, before_col, after_col, timing_col, reason_col = (
        table.column(r) for r in ("date", "item", "before", "after", "timing", "reason"))
    after_option = table.timing("after")
    previous = None
    for n in sorted(ctx.got.instances.get((rows.id, ()), ())):
        got = {c.id: ctx.got.answers.get((c.id, (n,))) for c in rows.children}
        row_span = ctx.got.spans[(rows.id, (n,))]

        def where(col: ItemDef, n: int = n, row_span=row_span):
            """The cell's value (the message is about it), else its key, else the row when the cell is blank."""
            key = (col.id, (n,))
            return ctx.got.value_spans.get(key) or ctx.got.spans.get(key, row_span)

        text = {c.id: got[c.id].text for c in (item_col, before_col, after_col, reason_col)
                if isinstance(got[c.id], TextAnswer)}
        for col in (item_col, before_col, after_col):
            value = text.get(col.id, "")
            if _NUMBER.match(value):
                ctx.diags.add("W705", where(col), column=col.label, text=value.strip())
            if _HTML.search(value):
                ctx.diags.add("W706", where(col), column=col.label, text=_HTML.search(value).group(0))
        target = None
        if item_col.id in text and not _NUMBER.match(text[item_col.id]):
            target = named_item(form, text[item_col.id])
            if target is None:
                last = text[item_col.id].split()[-1] if text[item_col.id].split() else text[item_col.id]
                close = nearest(form, [], norm(last))
                notes = ["近い項目: " + " / ".join(item_path(form, it) for it in close)] if close else []
                ctx.diags.add("W702", where(item_col), notes, text=text[item_col.id].replace("\n", " "))
        before, after = text.get(before_col.id), text.get(after_col.id)
        written = [c for c in (before_col, after_col)
                   if got[c.id] is not None and (c.id not in text or text[c.id].strip())]
        if not written:  # a continuation row still says what it continues with
            hint = f"追記なら「{before_col.label}: -」、削除なら「{after_col.label}: -」のように、記載がないことを書いてください"
            ctx.diags.add("W720", row_span, [hint])
        if before and after and re.sub(r"\s", "", before) == re.sub(r"\s", "", after):
            ctx.diags.add("W707", where(after_col))
        timing = got[timing_col.id]
        if (target is not None and target.important and isinstance(timing, ChoiceAnswer)
                and after_option is not None and timing.number == after_option.number
                and not text.get(reason_col.id, "").strip()):
            ctx.diags.add("W703", where(timing_col),
                          [f"{after_option.text}とする理由（規則第9条第2項の緊急時など）を書いてください"],
                          label=target.title)
        date = got[date_col.id]
        if isinstance(date, DateAnswer):
            if previous is not None and date.date.sort_key() < previous.sort_key():
                ctx.diags.add("W704", where(date_col), previous=previous.wareki())
            previous = date.date
