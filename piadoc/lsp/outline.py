"""A tolerant reading of a buffer, line by line: what each line is, and which form item a line or the cursor
stands under. Works on text that does not parse (half-typed lines), unlike the syntax stage.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..check.resolve import resolve
from ..language import FORM_KEY
from ..schema import Form, ItemDef, load_form, norm


@dataclass(frozen=True, slots=True)
class Line:
    kind: str
    """'item' (項目: 値), 'heading', 'check' ([○] …), 'directive' (@…), 'comment', 'blank', 'block' (inside \"\"\")."""
    indent: int
    ref: str = ""
    ref_start: int = 0
    """0-based code-point column of the reference."""
    value: str = ""
    value_start: int = 0


def scan(lines: list[str]) -> list[Line]:
    out: list[Line] = []
    in_block = False
    for text in lines:
        stripped = text.lstrip(" ")
        indent = len(text) - len(stripped)
        if in_block:
            out.append(Line("block", indent))
            in_block = '"""' not in text
            continue
        if not stripped.strip():
            out.append(Line("blank", indent))
        elif stripped.startswith("#"):
            out.append(Line("comment", indent))
        elif stripped.startswith("@"):
            out.append(Line("directive", indent, value=stripped.rstrip(), value_start=indent))
        elif stripped.startswith("["):
            out.append(Line("check", indent, value=stripped.rstrip(), value_start=indent))
        else:
            ref, colon, value = stripped.partition(":")
            if not colon:
                out.append(Line("heading", indent, ref.rstrip(), indent))
                continue
            lead = len(value) - len(value.lstrip(" \t"))
            value = value.strip(" \t")
            out.append(Line("item", indent, ref.rstrip(), indent, value, indent + len(ref) + 1 + lead))
            if value.startswith('"""') and '"""' not in value[3:]:
                in_block = True
    return out


def ancestors(scanned: list[Line], index: int, indent: int) -> list[int]:
    """The lines of the items enclosing a place at ``indent`` on line ``index``, outermost first."""
    chain: list[int] = []
    for j in range(index - 1, -1, -1):
        line = scanned[j]
        if line.kind in ("item", "heading") and line.indent < indent:
            chain.append(j)
            indent = line.indent
            if indent == 0:
                break
    return chain[::-1]


def form_of(scanned: list[Line]) -> Form | None:
    """The form named by the `評価書: …` line."""
    for line in scanned:
        if line.kind == "item" and line.indent == 0 and norm(line.ref) == FORM_KEY:
            return load_form(line.value.strip())
    return None


def _under(scanned: list[Line]) -> list[str]:
    """A fragment's `@under A > B`: where its top-level lines stand."""
    for line in scanned:
        if line.kind == "directive" and line.indent == 0 and line.value.startswith("@under"):
            return [p.strip() for p in line.value[len("@under"):].split(">") if p.strip()]
    return []


@dataclass(frozen=True, slots=True)
class Scope:
    item: ItemDef | None
    """The enclosing item (None at the top level)."""
    children: tuple[ItemDef, ...]


def scope_at(form: Form, scanned: list[Line], index: int, indent: int) -> Scope | None:
    """The form item a place stands under, or None when an enclosing line names no item."""
    refs = _under(scanned) + [scanned[j].ref for j in ancestors(scanned, index, indent)]
    item: ItemDef | None = None
    children = form.items
    for ref in refs:
        if norm(ref) == FORM_KEY:
            continue
        found = resolve(form, children, ref).match
        if found is None:
            return None
        item, children = found.item, found.item.children
    return Scope(item, children)


def item_at(form: Form, scanned: list[Line], index: int) -> ItemDef | None:
    """The item named on line ``index``."""
    line = scanned[index]
    if line.kind not in ("item", "heading"):
        return None
    scope = scope_at(form, scanned, index, line.indent)
    if scope is None:
        return None
    found = resolve(form, scope.children, line.ref).match
    return found.item if found is not None else None


def siblings(scanned: list[Line], index: int, indent: int) -> list[int]:
    """The item lines at ``indent`` in the same block as line ``index`` (before and after it)."""
    out: list[int] = []
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(scanned):
            line = scanned[j]
            if line.kind in ("item", "heading", "check", "directive"):
                if line.indent < indent:
                    break
                if line.indent == indent and line.kind in ("item", "heading"):
                    out.append(j)
            j += step
    return out
