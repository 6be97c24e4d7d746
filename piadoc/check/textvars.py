"""Variables in text values ({{ 機関名 }}): found at check time, filled in a sandboxed jinja2 environment."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from .. import nodes
from ..diagnostics import Diagnostics, Span
from ..source import XML_ILLEGAL

if TYPE_CHECKING:  # pragma: no cover
    from jinja2 import nodes as jinja_nodes

    from .bounded import BoundedEnvironment


@lru_cache(maxsize=1)
def environment() -> "BoundedEnvironment":
    """Sandboxed and bounded (check/bounded.py): a spec may come from anyone; no autoescape (not HTML).

    Imported on first use: most specs have no variables, and jinja2 is a fifth of start-up.
    """
    from .bounded import BoundedEnvironment

    return BoundedEnvironment()


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


def parse_text(value: nodes.Text, variables: dict[str, str], diags: Diagnostics) -> "jinja_nodes.Template | None":
    """The template's syntax tree; None (reported) for a syntax error or an unknown variable."""
    from jinja2 import TemplateSyntaxError, meta

    try:
        ast = environment().parse(value.text)
    except TemplateSyntaxError as err:
        diags.add("E605", _span_in(value, "{", err.lineno), detail=err.message or "")
        return None
    ok = True
    for name in sorted(meta.find_undeclared_variables(ast)):
        if name not in variables:
            notes = [f"定義済みの変数: {', '.join(sorted(variables))}"] if variables else [f"@set {name} = 値 で定義してください"]
            diags.add("E604", _span_in(value, name), notes, name=name)
            ok = False
    return ast if ok else None


class Filled:
    """What filling in one text gave: the text, or why it could not be built into a document."""

    __slots__ = ("text", "why", "illegal")

    def __init__(self, text: str | None = None, why: str = "", illegal: str = "") -> None:
        self.text, self.why, self.illegal = text, why, illegal


#: Why a template failed, in Japanese, by the exception's class (and its bases, nearest first).
_WHY = {"SecurityError": "安全のため使えません", "UndefinedError": "値にないものを参照しています",
        "ZeroDivisionError": "0 で割っています", "ArithmeticError": "計算できません",
        "LookupError": "値にないものを参照しています", "TypeError": "値の種類が合いません",
        "ValueError": "値が正しくありません", "TemplateError": "変数を埋められません",
        "RecursionError": "マクロの呼び出しが深すぎます"}


def fill(value: nodes.Text, variables: dict[str, str]) -> Filled | None:
    """The value with its variables filled in (a fill rule: reports nothing). None when the template does not
    read or names an unknown variable: parse_text reports that, in the judge rule."""
    from jinja2 import TemplateError

    from .bounded import TemplateLimit, render_bounded

    ast = parse_text(value, variables, Diagnostics())
    if ast is None:
        return None
    try:
        text = render_bounded(environment(), ast, variables)
    except TemplateLimit as err:  # a template asking for too much (bounded.py)
        return Filled(why=str(err))
    except (TemplateError, ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as err:
        # What the sandbox refuses and what an expression raises on the user's values ({{ 1/0 }},
        # {{ 'a' - 1 }}, {{ x[1:2:0] }}, a macro calling itself). Anything else (AssertionError, NameError …) is a bug and surfaces
        # as E901.
        why = next((_WHY[c.__name__] for c in type(err).__mro__ if c.__name__ in _WHY), "")
        return Filled(why=f"{why}（{str(err)[:200]}）")
    bad = XML_ILLEGAL.search(text)
    if bad:  # a character XML cannot hold, brought in by a variable
        return Filled(illegal=f"U+{ord(bad.group()):04X}")
    return Filled(text)
