"""A jinja2 sandbox with a budget: a spec may come from anyone, and `check` must answer in bounded time and memory.

jinja2's sandbox stops attribute tricks but not sheer size: `{{ 'x' * 10**9 }}`, `{{ 9**(9**10) }}` or two nested
`range(100000)` loops run for minutes or exhaust memory. Here every operation that can make something big is
checked *before* it runs (binary operators, calls, filters, loops, literals, `~`), and the whole render has a
budget of loop rounds, printed characters and time. Exceeding any of them raises TemplateLimit, reported as E605.
"""
from __future__ import annotations

import re
import string
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Callable

from jinja2 import StrictUndefined, nodes
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from .values import MAX_TEXT

#: Characters (or items) any one value, string or list may hold; also the longest rendered value.
MAX_SIZE = MAX_TEXT
#: Bits of the largest integer an operator may produce (Python prints at most 4,300 digits anyway).
MAX_INT_BITS = 16_000
#: Loop rounds in one value, all loops together. Filters that work item by item in Python (sort, map,
#: unique …: microseconds an item; wordwrap ten times that) spend rounds too, one an item.
MAX_ROUNDS = 200_000
_PER_ITEM = dict.fromkeys(("sort", "unique", "map", "select", "reject", "selectattr", "rejectattr", "groupby",
                           "dictsort", "min", "max", "sum", "batch", "slice", "join", "tojson", "pprint", "xmlattr",
                           "urlencode"), 1) | {"wordwrap": 10}
#: Seconds one value may take to render.
MAX_SECONDS = 3.0

_LOOP, _SIZED, _CONCAT = "piadoc_loop__", "piadoc_sized__", "piadoc_concat__"


class TemplateLimit(Exception):
    """A template asked for more than the budget allows; the message is for the user (Japanese)."""


def too_big() -> TemplateLimit:
    return TemplateLimit(f"値が大きすぎます（{MAX_SIZE:,} 文字まで）")


@dataclass
class Budget:
    """What one value's render may still spend."""

    deadline: float = field(default_factory=lambda: time.monotonic() + MAX_SECONDS)
    rounds: int = MAX_ROUNDS
    printed: int = MAX_SIZE

    def spend(self, rounds: int) -> None:
        self.rounds -= rounds
        if self.rounds < 0:
            raise TemplateLimit(f"繰り返しが多すぎます（合計 {MAX_ROUNDS:,} 回まで）")

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimit(f"変数の展開に時間がかかりすぎます（{MAX_SECONDS:g} 秒まで）")


_budget: ContextVar[Budget] = ContextVar("piadoc_template_budget")


def budget() -> Budget:
    try:
        return _budget.get()
    except LookupError:  # compiled outside render_bounded (tests of the environment itself)
        _budget.set(Budget())
        return _budget.get()


def measure(*objs: Any, limit: int = MAX_SIZE) -> int:
    """Characters and items reachable from ``objs`` (shared and cyclic parts counted each time they are
    reached), stopping just past ``limit``: what printing them could cost, in at most ``limit`` steps."""
    total, stack = 0, list(objs)
    while stack and total <= limit:
        obj = stack.pop()
        if isinstance(obj, (str, bytes, bytearray)):
            total += len(obj)
        elif isinstance(obj, dict):
            total += 1 + len(obj)
            if total <= limit:
                stack.extend(obj.keys())
                stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            total += 1 + len(obj)
            if total <= limit:
                stack.extend(obj)
        elif isinstance(obj, int) and not isinstance(obj, bool):
            total += 1 + obj.bit_length() // 3
        else:
            total += 1
    return total


def _require(size: int) -> None:
    if size > MAX_SIZE:
        raise too_big()


def _big_int(n: Any) -> bool:
    return isinstance(n, int) and not isinstance(n, bool) and abs(n) > MAX_SIZE


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?")


def check_format(fmt: Any, args: tuple[Any, ...], kwargs: dict[str, Any], percent: bool) -> None:
    """Widths and precisions in a format string (`%999999999s`, `{:>{w}}`) are sizes too."""
    if not isinstance(fmt, str):
        return
    starred = False
    if percent:
        for width, precision in _PERCENT.findall(fmt):
            for n in (width, precision):
                if n == "*":
                    starred = True
                elif n and int(n) > MAX_SIZE:
                    raise too_big()
    else:
        try:
            parsed = list(string.Formatter().parse(fmt))
        except ValueError:
            return  # str.format raises the same error itself
        for _, _, spec, _ in parsed:
            if spec:
                if "{" in spec:
                    starred = True
                if any(int(n) > MAX_SIZE for n in re.findall(r"\d+", spec)):
                    raise too_big()
    if starred:
        flat = list(args) + list(kwargs.values())
        for a in flat:
            items = a.values() if isinstance(a, dict) else a if isinstance(a, (list, tuple)) else (a,)
            if any(_big_int(x) for x in items):
                raise too_big()


def _check_str_method(name: str, obj: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The str methods whose result can be far bigger than their inputs."""
    if name in ("center", "ljust", "rjust", "zfill") and args and _big_int(args[0]):
        raise too_big()
    if name == "expandtabs":
        size = (args[0] if args else kwargs.get("tabsize", 8))
        if isinstance(size, int):
            _require(len(obj) + obj.count("\t") * size)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        count = len(obj) + 1 if not old else obj.count(old)
        _require(len(obj) + count * max(0, len(new) - len(old)))
    if name == "join" and args:
        seq = args[0]
        if isinstance(seq, (list, tuple)):
            _require(measure(seq) + len(obj) * len(seq))
    if name in ("format", "format_map"):
        check_format(obj, args, kwargs, percent=False)


def _bound_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """The filter ``func`` with its inputs, size arguments and result checked."""
    def checked(*all_args: Any, **kwargs: Any) -> Any:
        budget().tick()
        lead, rest = all_args[:skip], all_args[skip:]
        value, args = (rest[0], rest[1:]) if rest else (None, ())
        for each in (value, *args, *kwargs.values()):
            _require(measure(each))
        if name in _PER_ITEM and isinstance(value, (str, list, tuple, dict, set, range)):
            budget().spend(len(value) * _PER_ITEM[name])
        if name != "format" and any(_big_int(a) for a in (*args, *kwargs.values())):
            raise too_big()
        text = value if isinstance(value, str) else ""  # never str() here: an undefined value raises on it
        if name == "indent":
            width = args[0] if args else kwargs.get("width", 4)
            if isinstance(width, int):
                _require(len(text) + (text.count("\n") + 1) * width)
            elif isinstance(width, str):
                _require(len(text) + (text.count("\n") + 1) * len(width))
        elif name == "wordwrap":
            wrap = args[2] if len(args) > 2 else kwargs.get("wrapstring") or "\n"
            _require(len(text) * (len(str(wrap)) + 1))
        elif name == "replace" and len(args) >= 2:
            _check_str_method("replace", text, (str(args[0]), str(args[1])), {})
        elif name == "join":
            sep = args[0] if args else kwargs.get("d", "")
            n = len(value) if isinstance(value, (list, tuple, dict, set)) else len(text)
            _require(measure(value) + len(str(sep)) * n)
        elif name == "format":
            check_format(text, args, kwargs, percent=True)
        elif name == "tojson":
            indent = args[0] if args else kwargs.get("indent")
            width = indent if isinstance(indent, int) else len(indent) if isinstance(indent, str) else 0
            _require(measure(value) * (width + 2))
        result = func(*lead, *rest, **kwargs)
        _require(measure(result))
        return result

    kind = getattr(func, "jinja_pass_arg", None)  # the context or environment comes first
    skip = 1 if kind is not None else 0
    checked.__name__ = getattr(func, "__name__", name)
    if kind is not None:
        checked.jinja_pass_arg = kind  # type: ignore[attr-defined]
    return checked


def bounded_range(*args: Any) -> range:
    rng = range(*args)
    if len(rng) > MAX_ROUNDS:
        raise TemplateLimit(f"range が大きすぎます（{MAX_ROUNDS:,} 個まで）")
    return rng


def loop(iterable: Any) -> Any:
    """Every `{% for %}` iterates through this: the rounds of all loops together are counted."""
    b = budget()
    for item in iterable:
        b.spend(1)
        b.tick()
        yield item


def sized(value: Any) -> Any:
    """A list, tuple or dict literal: `[a, a, a]` nested a few times would be exponentially big."""
    budget().tick()
    _require(measure(value))
    return value


def concat(parts: Any) -> str:
    """The `~` operator: its operands are printed, so they must be small enough to print."""
    budget().tick()
    _require(measure(*parts))
    return "".join(str(p) for p in parts)


class _Guard(NodeTransformer):
    """Routes loops, literals and `~` through the checks above (as filters: a template cannot rebind them)."""

    def _wrap(self, node: nodes.Expr, name: str) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = self._wrap(node.iter, _LOOP)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return self._wrap(nodes.List(node.nodes, lineno=node.lineno), _CONCAT)

    def _literal(self, node: nodes.Expr) -> nodes.Node:
        self.generic_visit(node)
        return self._wrap(node, _SIZED)

    visit_List = visit_Dict = _literal

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        return self._literal(node) if node.ctx == "load" else self.generic_visit(node)


class BoundedEnvironment(SandboxedEnvironment):
    """The sandbox, with every size-making operation checked before it runs."""

    intercepted_binops = frozenset({"+", "*", "**", "%", "//", "/", "-"})

    def __init__(self) -> None:
        # optimized=False: the optimiser folds constant expressions at compile time, trying an expensive one
        # again for each enclosing node; each operation should run once, within the budget.
        super().__init__(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True,
                         finalize=self._finalize, optimized=False)
        self.globals["range"] = bounded_range
        self.globals.pop("lipsum", None)  # lipsum(n=10**6): pages of Latin, of no use in a report
        self.filters = {name: _bound_filter(name, f) for name, f in self.filters.items()}
        self.filters[_LOOP] = loop
        self.filters[_SIZED] = sized
        self.filters[_CONCAT] = concat

    @staticmethod
    def _finalize(value: Any) -> Any:
        """Each `{{ … }}` before it is printed: the characters of one value, all outputs together, are bounded."""
        b = budget()
        b.tick()
        b.printed -= measure(value)
        if b.printed < 0:
            raise too_big()
        return value

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget().tick()
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1 and (right > MAX_INT_BITS or right * abs(left).bit_length() > MAX_INT_BITS):
                raise TemplateLimit(f"数が大きすぎます（{MAX_INT_BITS:,} ビットまで）")
        elif operator == "*":
            self._check_times(left, right)
        elif operator == "+" and not isinstance(left, (int, float)):
            _require(measure(left, right))
        elif operator == "%" and isinstance(left, str):
            _require(measure(left, right))
            check_format(left, right if isinstance(right, tuple) else (right,), {}, percent=True)
        return super().call_binop(context, operator, left, right)

    @staticmethod
    def _check_times(left: Any, right: Any) -> None:
        for seq, n in ((left, right), (right, left)):
            if isinstance(n, int) and not isinstance(seq, (int, float)) and hasattr(seq, "__len__"):
                _require(measure(seq) * max(n, 0))
                return
        if isinstance(left, int) and isinstance(right, int):
            if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise TemplateLimit(f"数が大きすぎます（{MAX_INT_BITS:,} ビットまで）")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        budget().tick()
        target = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        for each in (owner, *args, *kwargs.values()):
            _require(measure(each))
        if isinstance(owner, str):
            _check_str_method(getattr(target, "__name__", ""), owner, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _require(measure(result))
        return result


def compile_bounded(env: BoundedEnvironment, ast: nodes.Template) -> Any:
    return env.from_string(_Guard().visit(ast))


def render_bounded(env: BoundedEnvironment, ast: nodes.Template, variables: dict[str, str]) -> str:
    """Compile and render with a fresh budget; TemplateLimit when it is exceeded."""
    token = _budget.set(Budget())
    try:
        template = compile_bounded(env, ast)
        out: list[str] = []
        size = 0
        for chunk in template.generate(**variables):
            size += len(chunk)
            if size > MAX_SIZE:
                raise too_big()
            budget().tick()
            out.append(chunk)
        return "".join(out)
    finally:
        _budget.reset(token)
