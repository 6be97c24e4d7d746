"""Variables in text values ({{ 機関名 }}): found at check time, filled in a sandboxed jinja2 environment."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .. import nodes
from ..diagnostics import Diagnostics, Span

if TYPE_CHECKING:  # pragma: no cover
    from jinja2.sandbox import SandboxedEnvironment


@lru_cache(maxsize=1)
def environment() -> "SandboxedEnvironment":
    """Sandboxed: a spec may come from anyone; no attribute access to Python internals, no autoescape (not HTML).

    Imported on first use: most specs have no variables, and jinja2 is a fifth of start-up.
    """
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def uses_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def _span_in(value: nodes.Text, needle: str, lineno: int | None = None) -> Span:
    """Where ``needle`` sits inside the value, so the caret points at the variable itself."""
    s = value.span
    if value.block:
        # Block text starts on the line after the opening quotes; find the needle's line in the source later.
        lines = value.text.split("\n")
        for i, line in enumerate(lines):
            if needle and needle in line:
                return Span(s.path, s.line + 1 + i, 1, s.line + 1 + i, 2)
        if lineno:
            return Span(s.path, s.line + lineno, 1, s.line + lineno, 2)
        return s.at_start()
    idx = value.text.find(needle) if needle else -1
    if idx < 0:
        return s.at_start()
    return Span(s.path, s.line, s.column + idx, s.line, s.column + idx + len(needle))


def check_text(value: nodes.Text, variables: dict[str, str], diags: Diagnostics) -> bool:
    """Report unknown variables and template syntax errors; True when the text can be rendered."""
    from jinja2 import TemplateSyntaxError, meta

    env = environment()
    try:
        ast = env.parse(value.text)
    except TemplateSyntaxError as err:
        diags.add("E605", _span_in(value, "{", err.lineno), detail=err.message or "")
        return False
    ok = True
    for name in sorted(meta.find_undeclared_variables(ast)):
        if name not in variables:
            notes = [f"定義済みの変数: {', '.join(sorted(variables))}"] if variables else [f"@set {name} = 値 で定義してください"]
            diags.add("E604", _span_in(value, name), notes, name=name)
            ok = False
    return ok


def render_text(text: str, variables: dict[str, str]) -> str:
    return environment().from_string(text).render(**variables)
