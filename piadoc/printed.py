"""Answers as the form prints them: `[ 十分である ]`, `[ ○ ] 紙`, `（ 3 ）件`, 和暦 dates.

Shared by the docx renderer and by the differ (change tables), so a value reads the same everywhere.
"""
from __future__ import annotations

from .model import (
    Answer,
    Blank,
    CheckboxAnswer,
    ChoiceAnswer,
    CountAnswer,
    DateAnswer,
    NotApplicable,
    TextAnswer,
)
from .schema import ItemDef

TICK, BLANK = "[ ○ ]", "[ 　 ]"


def choice_lines(item: ItemDef, answer: Answer | None) -> list[str]:
    """`[ 十分である ]`, then ＜選択肢＞ and the numbered options."""
    chosen = answer.text if isinstance(answer, ChoiceAnswer) else answer.mark if isinstance(answer, NotApplicable) else "　"
    return [f"[ {chosen} ]", "＜選択肢＞", *[o.printed for o in item.options]]


def checkbox_lines(item: ItemDef, answer: Answer | None) -> list[str]:
    """Every option with its box; free text in （ ）, counts as （ n ）件."""
    ticked = answer if isinstance(answer, CheckboxAnswer) else CheckboxAnswer(())
    lines: list[str] = []
    grouped = {opt: name for name, opts in item.option_groups for opt in opts}
    current_group = None
    for opt in item.options:
        group = grouped.get(opt.text)
        if group and group != current_group:
            lines.append(group)
            current_group = group
        got = ticked.get(opt.text)
        text = f"{TICK if got else BLANK} {opt.text}"
        if opt.takes_text:
            text += f" （ {got.extra if got and got.extra else '　'} ）"
        if opt.counts:
            text += f" （ {got.count if got and got.count is not None else '　'} ）件"
        lines.append(text)
    return lines


def count_text(answer: Answer | None) -> str:
    return f"（ {answer.n if isinstance(answer, CountAnswer) else '　'} ）　件"


def value_lines(item: ItemDef, answer: Answer | None) -> list[str]:
    """The value cell of an item, line by line (an item left Blank on purpose prints as unanswered)."""
    if isinstance(answer, NotApplicable) and item.kind not in ("choice", "checkboxes"):
        return [answer.mark]
    if item.kind == "choice":
        return choice_lines(item, answer)
    if item.kind == "checkboxes":
        return checkbox_lines(item, answer)
    if item.kind == "count":
        return [count_text(answer)]
    if isinstance(answer, DateAnswer):
        return [answer.date.wareki()]
    if isinstance(answer, TextAnswer):
        return answer.text.split("\n")
    return [""]


def short_value(item: ItemDef, answer: Answer | None) -> str:
    """One-cell form for change tables: only what was chosen or ticked."""
    if answer is None or isinstance(answer, Blank):
        return "記載なし"
    if isinstance(answer, NotApplicable):
        return answer.mark
    if isinstance(answer, ChoiceAnswer):
        return f"[ {answer.text} ]"
    if isinstance(answer, CheckboxAnswer):
        parts = []
        for c in answer.checked:
            text = f"{TICK} {c.option}"
            if c.extra:
                text += f" （ {c.extra} ）"
            if c.count is not None:
                text += f" （ {c.count} ）件"
            parts.append(text)
        return "\n".join(parts) or "記載なし"
    if isinstance(answer, CountAnswer):
        return count_text(answer)
    return "\n".join(value_lines(item, answer))
