"""The しきい値判断 check: the stated result against the rule (piadoc.threshold), the form against what
the rule requires, and a 基礎 spec against the 重点/全項目 spec of the same 事務."""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostics, Span
from ..model import ChoiceAnswer, TextAnswer
from ..schema import Form, norm
from ..threshold import BASIC, LEVELS, NAMES, Outcome, Reasoning, describe, level, mandatory
from .walk import Collected


@dataclass(frozen=True)
class Stated:
    label: str
    mode: str
    outcome: Outcome
    text: str
    span: Span


@dataclass(frozen=True)
class ThresholdFacts:
    """What a spec states and what the rule derives from it: for --explain and cross-spec agreement."""

    form: str
    level: str
    band: int
    band_text: str
    """The 対象人数 option as the form prints it."""
    many_staff: bool | None
    accident: bool | None
    reasoning: Reasoning
    stated: tuple[Stated, ...]
    office: str | None
    """The answer of the form's `threshold.pairing` item (事務の名称), to pair a 基礎 spec with the 重点/全項目
    spec of the same 事務."""
    span: Span


def _flag(got: Collected, pair: tuple[str, int] | None) -> bool | None:
    if pair is None:
        return None
    answer = got.answers.get((pair[0], ()))
    return answer.number == pair[1] if isinstance(answer, ChoiceAnswer) else None


def evaluate(form: Form, got: Collected, diags: Diagnostics) -> ThresholdFacts | None:
    """Check the spec's own しきい値判断 and return the facts (None when 対象人数 is not answered)."""
    th = form.threshold
    if th is None:
        return None
    people = got.answers.get((th.people, ()))
    if not isinstance(people, ChoiceAnswer):
        return None
    many, accident = _flag(got, th.staff), _flag(got, th.accident)
    reasoning = mandatory(people.number, many, accident, people.text)
    expected = " または ".join(f"「{describe(o)}」" for o in reasoning.outcomes).strip("「」")
    stated: list[Stated] = []
    for result in th.results:
        answer = got.answers.get((result.item, ()))
        item = form.item(result.item)
        outcome, text = None, ""
        if isinstance(answer, ChoiceAnswer):
            outcome, text = result.options.get(answer.number), answer.text
        elif isinstance(answer, TextAnswer):
            text = answer.text
            outcome = next((v for k, v in result.texts.items() if norm(text).startswith(norm(k))), None)
        if outcome is None:
            continue
        span = got.spans[(result.item, ())]
        stated.append(Stated(item.title, result.mode, outcome, text, span))
        wrong = (outcome not in reasoning.outcomes if result.mode == "equals"
                 else level(outcome) < min(level(o) for o in reasoning.outcomes))
        if wrong:
            diags.add("E505", span, [f"対象人数: {people.text}、取扱者数: {_yes_no(many, '500人以上', '500人未満')}、"
                                     f"重大事故: {_yes_no(accident, '発生あり', '発生なし')}（piadoc check --explain で理由を表示）"],
                      why=reasoning.why, expected=expected, label=item.title, stated=text)
    required = min(level(o) for o in reasoning.outcomes)
    people_span = got.spans[(th.people, ())]
    if th.level != BASIC and required > LEVELS[th.level]:
        heavier = next(n for n, v in LEVELS.items() if v == required)
        diags.add("E506", people_span, [f"{NAMES[heavier]}書で作成してください"], why=reasoning.why,
                  expected=f"{NAMES[heavier]}が必要です", form=form.name)
    office = got.answers.get((th.pairing, ())) if th.pairing is not None else None
    return ThresholdFacts(form.name, th.level, people.number, people.text, many, accident, reasoning, tuple(stated),
                          office.text if isinstance(office, TextAnswer) else None, people_span)


def _yes_no(flag: bool | None, yes: str, no: str) -> str:
    return "記載なし" if flag is None else yes if flag else no


def explain(facts: ThresholdFacts) -> list[str]:
    """The reasoning, line by line, as `piadoc check --explain` prints it."""
    lines = [f"しきい値判断（{facts.form}）",
             f"  対象人数: {facts.band_text}",
             f"  取扱者数: {_yes_no(facts.many_staff, '500人以上', '500人未満')}",
             f"  重大事故（過去1年以内）: {_yes_no(facts.accident, '発生あり', '発生なし')}",
             f"  → {facts.reasoning.why}、" + " または ".join(describe(o) for o in facts.reasoning.outcomes)]
    for s in facts.stated:
        ok = (s.outcome in facts.reasoning.outcomes if s.mode == "equals"
              else level(s.outcome) >= min(level(o) for o in facts.reasoning.outcomes))
        lines.append(f"  {s.label}: 「{s.text}」 … {'一致' if ok else '不一致'}")
    return lines


def agree(pairs: list[ThresholdFacts], diags: Diagnostics) -> None:
    """A 基礎 spec and a 重点/全項目 spec of the same 事務 (same 事務の名称) must tell the same story."""
    basics = [f for f in pairs if f.level == BASIC]
    details = [f for f in pairs if f.level != BASIC]
    for b in basics:
        for d in details:
            if not b.office or not d.office or norm(b.office) != norm(d.office):
                continue
            note = [f"基礎項目評価書: {b.span.path}:{b.span.line}"]
            if b.band != d.band:
                diags.add("E507", d.span, note, detail=f"対象人数が「{b.band_text}」と「{d.band_text}」で異なります")
            submitted = [s for s in b.stated if s.mode == "at_least"]
            for s in submitted:
                if d.level not in s.outcome:
                    diags.add("E507", d.span, note, detail=f"基礎項目評価書の「{s.label}」は「{s.text}」ですが、"
                                                          f"この評価書は{d.form}です")
            required = b.reasoning.outcomes
            if len(required) == 1 and level(required[0]) > LEVELS[d.level]:
                heavier = next(n for n, v in LEVELS.items() if v == level(required[0]))
                diags.add("E506", d.span, note + [f"{NAMES[heavier]}書で作成してください"],
                          why=f"基礎項目評価書によると{b.reasoning.why}", expected=f"{NAMES[heavier]}が必要です",
                          form=d.form)
            for s in d.stated:
                if s.mode == "equals" and len(required) == 1 and s.outcome not in required:
                    diags.add("E507", s.span, note, detail=f"基礎項目評価書から導かれる判断は「{describe(required[0])}」です")
