"""Checks on the 変更箇所 table: the debris of hand-made tables (the 福岡市 table shows them all) and the
rules of 提出時期. A 項目 is read against the form segment by segment (itempath.py); a ※ item changed 事後 needs a
説明."""
from __future__ import annotations

import html
import re

from ..diagnostics import Fix, Span
from ..model import ChoiceAnswer, DateAnswer, TextAnswer
from ..schema import Form, ItemDef, norm
from .itempath import ABBREVIATED, ELSEWHERE, FORMER, TYPO, Resolution, canonical, path_of, resolve
from .rules import Context

_HTML = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?\s*>|&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.I)
_NUMBER = re.compile(r"^\s*\d+(\.\d+)?\s*$")


#: The diagnostic of a row whose path was read with a fault, by the worst kind of segment in it.
_CODE_OF = {ABBREVIATED: "W730", FORMER: "W731", ELSEWHERE: "W732", TYPO: "W733"}


#: The mark of a row continued from the previous page, as published tables print it before or after the 項目.
_CONTINUED = re.compile(r"^\s*[（(]続き[）)]\s*|\s*[（(]続き[）)]\s*$")


def without_markup(text: str) -> str:
    """A cell's text as a reader sees it: tags dropped, character references decoded (W706 reports them)."""
    return html.unescape(_HTML.sub(" ", text)) if _HTML.search(text) else text


def item_cell(ctx: Context, text: str, span: Span) -> ItemDef | None:
    """Resolve a 項目 cell against the form and report the segment that is wrong (itempath.py); the item it
    names, when it names one."""
    form = ctx.form
    found = resolve(form, _CONTINUED.sub("", without_markup(text)))
    if found.ambiguous:
        ctx.diags.add("W734", span, ["候補: " + " / ".join(path_of(form, it) for it in found.ambiguous[:4])],
                      text=_one_line(text), count=len(found.ambiguous))
        return None
    if found.failure is not None:
        above = found.failure.parent
        ctx.diags.add("W702", span, _failure_notes(form, found), segment=found.failure.written,
                      parent=f"「{above.title.replace('{n}', 'n')}」の下" if above else "最上位の見出し")
        return None
    if found.item is None:  # nothing left to read (a cell of markup or 「（続き）」 alone)
        return None
    missing = _missing_instance(form, found)
    if missing is not None:
        label = missing.label.replace("{n}", "n")
        ctx.diags.add("W734", span, [f"「{label}」の番号（1～{missing.max or 'n'}）を書いてください"],
                      text=_one_line(text), count=missing.max or 2)
        return None
    worst = found.worst
    if worst is not None:
        _report_fault(ctx, found, worst, text, span)
    return found.item


def _missing_instance(form: Form, found: Resolution) -> ItemDef | None:
    """The numbered repeat (システム{n}, 委託事項{n}) a path goes through without saying which one."""
    given = {s.item.id for s in found.steps if s.instance is not None}
    chain = form.ancestors(found.item.id) + [found.item]
    return next((it for it in chain if it.numbered_label and it.id not in given), None)


def _one_line(text: str) -> str:
    return text.replace("\n", " ")


def _failure_notes(form: Form, found: Resolution) -> list[str]:
    failure = found.failure
    notes = []
    if failure.here:
        names = [it.title.replace("{n}", "n") for it in failure.here[:8]]
        notes.append("ここにある項目: " + " / ".join(names) + (" …" if len(failure.here) > 8 else ""))
    if failure.nearest:
        notes.append("近い項目: " + " / ".join(path_of(form, it) for it in failure.nearest))
    return notes


def _report_fault(ctx: Context, found: Resolution, worst, text: str, span: Span) -> None:
    """W730–W733 for the worst segment, the others as notes, and the canonical path as a fix when the cell is
    one line (a fix edits one line)."""
    form = ctx.form
    parent = next((s.item for s, n in zip(found.steps, found.steps[1:]) if n is worst), None)
    others = [s for s in found.steps if s is not worst and s.kind in _CODE_OF]
    notes = [f"「{s.written}」→「{s.expected}」" for s in others]
    path = canonical(form, found.steps)
    fixes = []
    if path is not None:
        notes.append(f"様式どおりの項目: {path}")
        # only where the span holds the text as written (no quotes, one line): a fix edits the source line
        if span.line == span.end_line and span.end_column - span.column == len(text) and path != text \
                and not _CONTINUED.search(text):  # a row continued from the page before keeps its mark
            notes.append("--fix で直せます")
            fixes.append(Fix(span, path))
    ctx.diags.add(_CODE_OF[worst.kind], span, notes, fixes=fixes, written=worst.written, expected=worst.expected,
                  parent=f"「{parent.title}」" if parent else "最上位")


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
        for col in (item_col, before_col, after_col, reason_col):
            value = text.get(col.id, "")
            if col is not reason_col and _NUMBER.match(value):
                ctx.diags.add("W705", where(col), column=col.label, text=value.strip())
            if _HTML.search(value):
                ctx.diags.add("W706", where(col), column=col.label, text=_HTML.search(value).group(0))
        target = None
        if item_col.id in text and not _NUMBER.match(text[item_col.id]):
            target = item_cell(ctx, text[item_col.id], where(item_col))
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
