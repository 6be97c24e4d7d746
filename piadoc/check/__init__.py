"""Check stage: nodes.Spec (includes expanded) + schema.Form → CheckResult (a Report when no error)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from pathlib import Path

from .. import nodes
from ..diagnostics import Diagnostic, Diagnostics, Span, sort_key
from ..files import DiskFiles, Files
from ..language import EMPTY_SLOTS
from ..model import Report
from ..schema import Form
from .rules import Context
from .table import active
from .threshold import ThresholdFacts
from .walk import Walker

__all__ = ["CheckResult", "check"]


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
          files: Files | None = None, warnings: bool = True,
          preset: Mapping[str, str] | None = None) -> CheckResult:
    """Every diagnostic the spec deserves, in file order; never raises for the user's mistakes.

    ``root`` is the project folder that files brought with @file must stay in (default: the working folder).
    ``warnings=False`` skips the rules that can only warn (for `piadoc diff`, which needs the report only).
    The walk collects and converts the answers; the rule table (check/table.py) does the rest.
    ``preset``: variables shared by a project (piadoc.toml [variables]): defaults the spec's own @set replaces.
    """
    diags = Diagnostics()
    walker = Walker(form, diags, (root or Path.cwd()).resolve(), files or DiskFiles())
    walker.walk(spec.statements)
    got = walker.out
    for name, value in (preset or {}).items():
        got.variables.setdefault(name, value)
    ctx = Context(form, got, diags, form_span)
    for rule in active(warnings, spec.fragment):  # check/table.py: fill rules, then judge rules
        rule.run(ctx)
    ordered = tuple(sorted(diags.items, key=sort_key))
    if diags.has_errors:
        return CheckResult(None, ordered, ctx.facts)
    instances = {key: len(nums) for key, nums in got.instances.items()}
    report = Report(form.name, dict(got.answers), instances, dict(got.variables),
                    all_slots=got.settings.get(EMPTY_SLOTS, False))
    return CheckResult(report, ordered, ctx.facts)
