"""The rule table: every check that runs after the walk, one entry each, and the one loop that runs them.

Order: every *fill* rule first (answers the spec leaves to the form, the rows or the variables), then every
*judge* rule, so each judge sees the report as it will be printed (a computed 件数, a filled-in variable).
Within a phase, rules run in table order. Fill rules report nothing; judge rules change no answer.

A rule declares the codes it can emit (a test holds it to them, and finds a golden case for each), whether it
needs the whole report (a fragment checked alone skips it) — and whether it only warns follows from its
codes: `piadoc diff` (``warnings=False``) skips those.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Literal

from ..codes import CODES, severity_of
from .changes import change_table
from .rules import (
    Context,
    computed_counts,
    conditions_hold,
    consecutive_instances,
    counts_match_rows,
    exclusive_options,
    filled_variables,
    fixed_answers,
    repeats_agree,
    unanswered,
    variables_valid,
)
from .threshold import evaluate

Phase = Literal["fill", "judge"]
PHASES: tuple[Phase, ...] = ("fill", "judge")


@dataclass(frozen=True)
class Rule:
    name: str
    run: Callable[[Context], None]
    phase: Phase
    codes: tuple[str, ...] = ()
    """Every code the rule can emit (none for a fill rule)."""
    whole_report: bool = False
    """Needs the whole report (instance numbering, 件数, 未記入): a fragment checked alone skips it."""

    def __post_init__(self) -> None:
        if self.phase not in PHASES or (self.phase == "fill") == bool(self.codes) \
                or not set(self.codes) <= set(CODES):
            raise ValueError(f"rule {self.name}: a fill rule emits no code, a judge rule known codes")

    @property
    def warns_only(self) -> bool:
        """Every code it can emit is a warning: the report and the errors do not depend on it."""
        return self.phase == "judge" and all(severity_of(c) == "warning" for c in self.codes)


def threshold_rule(ctx: Context) -> None:
    """The しきい値判断: the stated result against the rule; the facts are kept for --explain and agreement."""
    ctx.facts = evaluate(ctx.form, ctx.got, ctx.diags)


RULES: tuple[Rule, ...] = (
    Rule("fixed_answers", fixed_answers, "fill"),
    Rule("computed_counts", computed_counts, "fill", whole_report=True),
    Rule("filled_variables", filled_variables, "fill"),
    Rule("consecutive_instances", consecutive_instances, "judge", ("E308",), whole_report=True),
    Rule("repeats_agree", repeats_agree, "judge", ("E503",), whole_report=True),
    Rule("counts_match_rows", counts_match_rows, "judge", ("E502",), whole_report=True),
    Rule("conditions_hold", conditions_hold, "judge", ("E501",)),
    Rule("exclusive_options", exclusive_options, "judge", ("E504",)),
    Rule("unanswered", unanswered, "judge", ("W701",), whole_report=True),
    Rule("change_table", change_table, "judge", ("W702", "W703", "W704", "W705", "W706", "W707", "W720", "W730",
                                                 "W731", "W732", "W733", "W734")),
    Rule("threshold", threshold_rule, "judge", ("E505", "E506"), whole_report=True),
    Rule("variables_valid", variables_valid, "judge", ("E604", "E605", "E609")),
)


def active(warnings: bool, fragment: bool) -> Iterator[Rule]:
    """The rules to run, in the order they run."""
    for phase in PHASES:
        for rule in RULES:
            if rule.phase == phase and (warnings or not rule.warns_only) and not (fragment and rule.whole_report):
                yield rule
