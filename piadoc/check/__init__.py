"""Check stage: nodes.Spec (includes expanded) + schema.Form → CheckResult (a Report when no error)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import nodes
from ..diagnostics import Diagnostic, Diagnostics, Span, sort_key
from ..files import DiskFiles, Files
from ..model import Report, TextAnswer
from ..schema import Form
from .changes import change_table
from .rules import RULES, WARNING_ONLY, WHOLE_REPORT, Context
from .textvars import render_value, uses_template
from .threshold import ThresholdFacts, evaluate
from .walk import FORM_KEY, Walker

__all__ = ["CheckResult", "FORM_KEY", "check"]


@dataclass(frozen=True)
class CheckResult:
    report: Report | None
    """None when any error was found: a report with errors is never built."""
    diagnostics: tuple[Diagnostic, ...]
    threshold: ThresholdFacts | None = None
    """What the spec states for the しきい値判断 and what the rule derives (for --explain and cross-checks)."""

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def check(spec: nodes.Spec, form: Form, form_span: Span, root: Path | None = None,
          files: Files | None = None, warnings: bool = True) -> CheckResult:
    """Every diagnostic the spec deserves, in file order; never raises for the user's mistakes.

    ``root`` is the project folder that files brought with @file must stay in (default: the working folder).
    ``warnings=False`` skips the rules that can only warn (for `piadoc diff`, which needs the report only).
    """
    diags = Diagnostics()
    walker = Walker(form, diags, (root or Path.cwd()).resolve(), files or DiskFiles())
    walker.walk(spec.statements)
    got = walker.out
    ctx = Context(form, got, diags, form_span)
    for rule in RULES:
        if (warnings or rule not in WARNING_ONLY) and not (spec.fragment and rule in WHOLE_REPORT):
            rule(ctx)
    if warnings:
        change_table(ctx)  # warnings only
    facts = None if spec.fragment else evaluate(form, got, diags)
    renderable = True
    for key, value in got.texts:
        if uses_template(value.text):
            rendered = render_value(value, got.variables, diags)
            if rendered is None:
                renderable = False
            else:
                got.answers[key] = TextAnswer(rendered)
    ordered = tuple(sorted(diags.items, key=sort_key))
    if diags.has_errors or not renderable:
        return CheckResult(None, ordered, facts)
    instances = {key: len(nums) for key, nums in got.instances.items()}
    report = Report(form.name, dict(got.answers), instances, dict(got.variables))
    return CheckResult(report, ordered, facts)
