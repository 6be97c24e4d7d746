"""Cross-item rules, run after the walk: each is a small function over the collected answers.

Two kinds (see check/table.py, which lists them all and runs them): rules that *fill in* answers the spec
leaves to the form or to the rows (fixed answers, computed 件数, variables in text), and rules that *judge*
(instance numbering, counts against rows, when items apply, repeats that must agree, exclusive options,
unanswered items). Fill rules never report; judge rules never change an answer.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..diagnostics import Diagnostics, Span
from ..model import Blank, CheckboxAnswer, ChoiceAnswer, CountAnswer, Key, NotApplicable, TextAnswer
from ..schema import Condition, Form, ItemDef, norm
from .textvars import Filled, fill, parse_text, uses_template
from .walk import Collected

if TYPE_CHECKING:  # pragma: no cover
    from .threshold import ThresholdFacts


class Context:
    """What every rule reads: the form, the collected answers, and where to point when nothing was written;
    and what rules hand on: the しきい値判断 facts, the texts whose variables could not be filled in."""

    def __init__(self, form: Form, got: Collected, diags: Diagnostics, fallback: Span) -> None:
        self.form, self.got, self.diags, self.fallback = form, got, diags, fallback
        self.facts: ThresholdFacts | None = None
        """What the しきい値判断 rule derived (for --explain and cross-spec agreement)."""
        self.unfilled: dict[Key, Filled] = {}
        """Texts whose template failed while filling in, and why (reported by the judge, variables_valid)."""

    def depth(self, item_id: str) -> int:
        """How many instance numbers address this item (its enclosing repeats, itself included if a repeat)."""
        return len(self.form.repeats_above(item_id)) + (self.form.item(item_id).kind == "repeat")

    def count(self, repeat_id: str, inst: tuple[int, ...]) -> int:
        return len(self.got.instances.get((repeat_id, inst), ()))

    def holds(self, cond: Condition, inst: tuple[int, ...]) -> bool | None:
        """True/False, or None when the item it depends on is unanswered."""
        target = self.form.item(cond.item)
        answer = self.got.answers.get((cond.item, inst[: len(self.form.repeats_above(cond.item))]))
        if cond.op in ("is", "is_not"):
            if not isinstance(answer, ChoiceAnswer):
                return None
            same = norm(answer.text) == norm(cond.value)
            return same if cond.op == "is" else not same
        if answer is None and target.placement != "heading":
            return None
        ticked = isinstance(answer, CheckboxAnswer) and answer.get(cond.value) is not None
        return ticked if cond.op == "checked" else not ticked

    def span_for(self, item_id: str, inst: tuple[int, ...]) -> Span:
        """Where the item, or its nearest written ancestor, stands in the spec."""
        chain = [item_id] + [a.id for a in reversed(self.form.ancestors(item_id))]
        for iid in chain:
            depth = self.depth(iid)
            span = self.got.spans.get((iid, inst[:depth]))
            if span is not None:
                return span
        return self.fallback


def consecutive_instances(ctx: Context) -> None:
    """Instances are numbered 1…n on the form: a gap would print an empty block."""
    for (rid, inst), numbers in ctx.got.instances.items():
        missing = sorted(set(range(1, max(numbers, default=0) + 1)) - numbers)
        if missing:
            item = ctx.form.item(rid)
            first = ctx.got.instance_spans[(rid, inst, max(numbers))]
            ctx.diags.add("E308", first, label=item.label.replace("{n}", ""),
                          missing="、".join(item.instance_label(n) for n in missing))


def repeats_agree(ctx: Context) -> None:
    """Repeats with one repeat_key (Ⅱ and Ⅲ per 特定個人情報ファイル) need as many instances."""
    by_key: dict[str, list[ItemDef]] = {}
    for it in ctx.form.walk():
        if it.repeat_key:
            by_key.setdefault(it.repeat_key, []).append(it)
    for key, items in by_key.items():
        counts = [(it, ctx.count(it.id, ())) for it in items]
        written = [(it, n) for it, n in counts if n]
        for (a, na), (b, nb) in zip(written, written[1:]):
            if na != nb:
                span = ctx.span_for(b.id, (nb,))
                ctx.diags.add("E503", span, a=a.title, b=b.title, key=key, na=na, nb=nb)


def computed_counts(ctx: Context) -> None:
    """An unstated 件数 is taken from the rows listed (委託 （3）件 from 委託事項1…3)."""
    for it in ctx.form.walk():
        if it.kind == "count" and it.counts:
            for inst in _contexts(ctx, it.id):
                key = (it.id, inst)
                if not isinstance(ctx.got.answers.get(key), (CountAnswer, Blank)) and _applies(ctx, it, inst):
                    ctx.got.answers[key] = CountAnswer(ctx.count(it.counts, inst), stated=False)


def counts_match_rows(ctx: Context) -> None:
    """A stated 件数 must equal the rows listed."""
    for it in ctx.form.walk():
        if it.kind == "count" and it.counts:
            for inst in _contexts(ctx, it.id):
                rows = ctx.count(it.counts, inst)
                key = (it.id, inst)
                answer = ctx.got.answers.get(key)
                if isinstance(answer, CountAnswer) and answer.stated and answer.n != rows \
                        and not _rest_in_sheets(ctx, answer.n, rows):
                    _count_error(ctx, ctx.got.spans[key], it, it.counts, answer.n, rows)
        for opt in it.options:
            if opt.counts:
                for inst in _contexts(ctx, it.id):
                    answer = ctx.got.answers.get((it.id, inst))
                    ticked = answer.get(opt.text) if isinstance(answer, CheckboxAnswer) else None
                    rows = ctx.count(opt.counts, inst)
                    if ticked is not None and ticked.count is not None and ticked.count != rows \
                            and not _rest_in_sheets(ctx, ticked.count, rows):
                        _count_error(ctx, ctx.got.spans[(it.id, inst)], it, opt.counts, ticked.count, rows,
                                     label=opt.text)


def _rest_in_sheets(ctx: Context, stated: int, rows: int) -> bool:
    """More stated than listed is fine when the report has 別紙: the rest are listed there (高槻市's 提供先 58件)."""
    sheets = ctx.form.part("sheets")
    return stated > rows and sheets is not None and bool(ctx.got.instances.get((sheets.id, ())))


def _count_error(ctx: Context, span: Span, item: ItemDef, repeat_id: str, stated: int, rows: int,
                 label: str | None = None) -> None:
    parent = ctx.form.ancestors(item.id)[-1] if label is None else item
    rows_label = ctx.form.item(repeat_id).label.replace("{n}", "")
    ctx.diags.add("E502", span, [f"件数を書かなければ、{rows_label}の数がそのまま件数になります"],
                  label=label or parent.label, stated=stated, rows=rows_label, actual=rows)


def _contexts(ctx: Context, item_id: str) -> list[tuple[int, ...]]:
    """Every instance context an item exists in: () outside repeats, (1,), (2,) … inside."""
    contexts: list[tuple[int, ...]] = [()]
    for rep in ctx.form.repeats_above(item_id):
        contexts = [c + (n,) for c in contexts for n in sorted(ctx.got.instances.get((rep.id, c), ()))]
    return contexts


def _applies(ctx: Context, item: ItemDef, inst: tuple[int, ...]) -> bool:
    for it in ctx.form.ancestors(item.id) + [item]:
        if it.present_when is not None and ctx.holds(it.present_when, inst) is False:
            return False
    return True


def conditions_hold(ctx: Context) -> None:
    """An item written where its condition is false (再委託の許諾方法 under 再委託しない) is an error."""
    reported: set[Key] = set()
    for key in sorted(ctx.got.spans, key=lambda k: (ctx.got.spans[k].path, ctx.got.spans[k].line)):
        item_id, inst = key
        if (key not in ctx.got.answers and ctx.form.item(item_id).kind != "repeat"):
            continue
        if isinstance(ctx.got.answers.get(key), (NotApplicable, Blank)):
            continue  # 「―」 is what the form prints where an item does not apply; "" prints nothing
        chain = ctx.form.ancestors(item_id) + [ctx.form.item(item_id)]
        for it in chain:
            cond = it.present_when
            if cond is None:
                continue
            outer = inst[: len(ctx.form.repeats_above(it.id))]
            if ctx.holds(cond, outer) is False:
                where = (it.id, outer + ((inst[len(outer)],) if it.kind == "repeat" and len(inst) > len(outer) else ()))
                if where not in reported:
                    reported.add(where)
                    target = ctx.form.item(cond.item)
                    verb = {"is": "", "is_not": "以外", "checked": "にチェック", "not_checked": "にチェックなし"}[cond.op]
                    ctx.diags.add("E501", ctx.got.spans.get(key, ctx.fallback),
                                  label=it.label.replace("{n}", ""), cond=f"{target.label}: {cond.value}{verb}")
                break


def fixed_answers(ctx: Context) -> None:
    """Items the form answers itself (全ての記録項目: 別添１を参照。) are filled in."""
    for it in ctx.form.walk():
        if it.fixed_answer:
            for inst in _contexts(ctx, it.id):
                ctx.got.answers.setdefault((it.id, inst), TextAnswer(it.fixed_answer))


def exclusive_options(ctx: Context) -> None:
    """An option that excludes the others (行っていない beside 提供を行っている) cannot be ticked with them."""
    for it in ctx.form.walk():
        alone = [o.text for o in it.options if o.exclusive]
        if not alone:
            continue
        for inst in _contexts(ctx, it.id):
            answer = ctx.got.answers.get((it.id, inst))
            if not isinstance(answer, CheckboxAnswer):
                continue
            ticked = [c.option for c in answer.checked]
            for a in (t for t in ticked if t in alone):
                others = [t for t in ticked if t != a]
                if others:
                    note = f"「{a}」にチェックするなら、ほかは空欄にしてください"
                    ctx.diags.add("E504", ctx.got.spans[(it.id, inst)], [note], a=others[0], b=a)
                    break


def filled_variables(ctx: Context) -> None:
    """Variables in text values ({{ 機関名 }}) are filled in once every @set line is known."""
    for key, value in ctx.got.texts:
        if uses_template(value.text):
            filled = fill(value, ctx.got.variables)
            if filled is not None and filled.text is not None:
                ctx.got.answers[key] = TextAnswer(filled.text)
            elif filled is not None:
                ctx.unfilled[key] = filled


def variables_valid(ctx: Context) -> None:
    """Every variable used is defined, every template reads, and every text could be filled in."""
    for key, value in ctx.got.texts:
        if uses_template(value.text) and parse_text(value, ctx.got.variables, ctx.diags) is not None:
            failed = ctx.unfilled.get(key)
            if failed is not None and failed.illegal:
                ctx.diags.add("E609", value.span.at_start(), char=failed.illegal)
            elif failed is not None:
                ctx.diags.add("E605", value.span.at_start(), detail=failed.why)


#: How many unanswered labels the one-line summary of a section names (the notes list them all).
SHOWN_BLANKS = 3


def unanswered(ctx: Context) -> None:
    """Warn once per section (表紙, Ⅰ, each Ⅱ file …) that still has blank items (drafts may be incomplete):
    a skeleton from `piadoc new` would otherwise give a line per item. The notes name every blank item;
    `piadoc check --verbose` prints them. The warning points at the section's heading, or at the place the
    section would go when it is not written at all."""
    for top in ctx.form.items:
        groups: dict[tuple[int, ...], list[str]] = {}
        for inst, label in _blanks(ctx, (top,), ()):
            groups.setdefault(inst[:1] if top.kind == "repeat" else (), []).append(label)
        several = top.kind == "repeat" and len(groups) > 1
        for inst, labels in groups.items():
            section = f"{top.title}（{inst[0]}）" if several and inst else top.title
            span, notes = _section_place(ctx, top, inst)
            rest = len(labels) - SHOWN_BLANKS
            shown = "、".join(labels[:SHOWN_BLANKS]) + (f" ほか {rest} 件" if rest > 0 else "")
            if labels == [top.title]:
                shown = "見出しも項目もありません" if top.kind in ("group", "repeat") else "記載がありません"
            ctx.diags.add("W701", span, notes, details=[f"未記入: {label}" for label in labels],
                          section=section, labels=shown)


def _section_place(ctx: Context, top: ItemDef, inst: tuple[int, ...]) -> tuple[Span, list[str]]:
    """The section's heading; else its first written item (表紙 is written without a heading); else the
    heading of the next written section, before which it goes; else the line after the spec's last line."""
    span = ctx.got.spans.get((top.id, inst))
    if span is not None:
        return span, []
    inside = [s for (iid, i), s in ctx.got.spans.items() if iid.startswith(top.id + ".") and i[: len(inst)] == inst]
    if inside:
        return min(inside, key=lambda s: (s.path != ctx.fallback.path, s.line, s.column)), []
    later = ctx.form.items[ctx.form.items.index(top) + 1:]
    for nxt in later:
        written = [s for (iid, _), s in ctx.got.spans.items() if iid == nxt.id or iid.startswith(nxt.id + ".")]
        if written:
            first = min(written, key=lambda s: (s.path != ctx.fallback.path, s.line, s.column))
            return first, [f"「{top.title}」はこの前に書きます"]
    path = ctx.fallback.path
    ends = [s.end_line for s in [*ctx.got.spans.values(), *ctx.got.value_spans.values()] if s.path == path]
    last = max(ends, default=ctx.fallback.line) + 1
    return Span(path, last, 1, last, 2), [f"「{top.title}」はファイルの終わりに書きます"]


def _blanks(ctx: Context, items: tuple[ItemDef, ...], inst: tuple[int, ...]) -> Iterator[tuple[tuple[int, ...], str]]:
    for it in items:
        if it.fixed or it.optional or it.auto_number:
            continue
        if it.present_when is not None and ctx.holds(it.present_when, inst) is not True:
            continue
        if it.kind == "group":
            yield from _blanks(ctx, it.children, inst)
        elif it.kind == "repeat":
            numbers = sorted(ctx.got.instances.get((it.id, inst), ()))
            if not numbers:
                yield inst, it.instance_label(1) if it.numbered_label else it.title
            for n in numbers:
                if it.heading_text and (it.id, inst + (n,)) not in ctx.got.answers:
                    yield inst + (n,), f"{it.instance_label(n)}（見出しの記載）"
                yield from _blanks(ctx, it.children, inst + (n,))
        else:
            key = (it.id, inst)
            if key not in ctx.got.answers and not (it.kind == "checkboxes" and it.placement == "heading"):
                yield inst, _label_in(ctx, it, inst)
            yield from _blanks(ctx, it.children, inst)


def _label_in(ctx: Context, item: ItemDef, inst: tuple[int, ...]) -> str:
    reps = ctx.form.repeats_above(item.id)
    prefix = "".join(f"{r.instance_label(n)} " if r.numbered_label else "" for r, n in zip(reps, inst))
    return prefix + item.title


