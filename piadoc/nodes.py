"""The AST: what the user wrote, with positions, nothing resolved against a form.

Plain frozen dataclasses handed from the syntax stage to the include expander and the checker.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .span import Span


@dataclass(frozen=True, slots=True)
class Text:
    """A text value: one line, a quoted line, or a verbatim multi-line block."""

    text: str
    span: Span
    block: bool = False
    quoted: bool = False
    """Written in "…": taken as written (a quoted "-" is a hyphen; "" is blank on purpose)."""


@dataclass(frozen=True, slots=True)
class Choice:
    """``[十分である]`` or ``[2]``: a choice by its option text or number."""

    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Check:
    """``[○] その他（中間サーバー）``: one checkbox line, ticked or not, with its raw text."""

    checked: bool
    mark: str
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Checks:
    """A set of checkbox lines given for one item."""

    items: tuple[Check, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class FileRef:
    """``@file "flow.docx"``: a file the user brings (a diagram as an image or a Word document)."""

    path: str
    span: Span
    base: str = ""
    """The folder of the file that names it: the path is relative to it."""


Value = Union[Text, Choice, Checks, FileRef]


@dataclass(frozen=True, slots=True)
class Entry:
    """``項目: 値`` or a heading, with the statements indented below it."""

    ref: str
    """The item reference as written (number and/or label, maybe an instance number)."""
    ref_span: Span
    value: Value | None
    children: tuple["Statement", ...]
    heading: bool
    """True when written without a colon (a section heading)."""


@dataclass(frozen=True, slots=True)
class Include:
    """``@include "path"``: another file's statements, spliced in at this place."""

    path: str
    span: Span


@dataclass(frozen=True, slots=True)
class SetVar:
    """``@set 名前 = 値``: a variable usable as ``{{ 名前 }}`` in text values."""

    name: str
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Under:
    """``@under 別紙1 > 内容``: in a fragment, the headings its statements sit under when it is included.

    Checking the fragment alone nests its statements there; when it is included, the include's position
    decides and this line is ignored."""

    path: tuple[str, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Setting:
    """``@空き枠 印刷する``: a report-level choice of how the document is printed. The checker judges the value
    against the allowed ones, so a typo is named with what may be written instead."""

    name: str
    """The directive's word without the ``@`` (空き枠)."""
    value: str
    """As written, trailing spaces dropped; "" when the line has no value."""
    span: Span
    """The directive word (``@空き枠``)."""
    value_span: Span
    """The value, or the end of the line when there is none."""


Statement = Union[Entry, Include, SetVar, Under, Setting]


@dataclass(frozen=True, slots=True)
class Spec:
    """A parsed file: its statements in order."""

    path: str
    statements: tuple[Statement, ...]
    fragment: bool = False
    """A fragment checked alone (it has `@under`): rules that need the whole report do not apply."""


def pretty(spec: Spec) -> str:
    """One node per line, two-space indent, values quoted, ``@line:col``: the golden-file AST dump."""
    out: list[str] = [f"Spec {spec.path}"]

    def value_line(v: Value, depth: int) -> None:
        pad = "  " * depth
        if isinstance(v, Text):
            kind = "Block" if v.block else "Text"
            out.append(f"{pad}{kind} {v.text!r} @{v.span.line}:{v.span.column}")
        elif isinstance(v, Choice):
            out.append(f"{pad}Choice {v.text!r} @{v.span.line}:{v.span.column}")
        elif isinstance(v, FileRef):
            out.append(f"{pad}File {v.path!r} @{v.span.line}:{v.span.column}")
        else:
            for c in v.items:
                out.append(f"{pad}Check {'x' if c.checked else '-'} {c.text!r} @{c.span.line}:{c.span.column}")

    def walk(stmts: tuple[Statement, ...], depth: int) -> None:
        pad = "  " * depth
        for s in stmts:
            if isinstance(s, Entry):
                kind = "Heading" if s.heading else "Entry"
                out.append(f"{pad}{kind} {s.ref!r} @{s.ref_span.line}:{s.ref_span.column}")
                if s.value is not None:
                    value_line(s.value, depth + 1)
                walk(s.children, depth + 1)
            elif isinstance(s, Include):
                out.append(f"{pad}Include {s.path!r} @{s.span.line}:{s.span.column}")
            elif isinstance(s, Under):
                out.append(f"{pad}Under {' > '.join(s.path)!r} @{s.span.line}:{s.span.column}")
            elif isinstance(s, Setting):
                out.append(f"{pad}Setting {s.name}={s.value!r} @{s.span.line}:{s.span.column}")
            else:
                out.append(f"{pad}Set {s.name}={s.value!r} @{s.span.line}:{s.span.column}")

    walk(spec.statements, 1)
    return "\n".join(out) + "\n"
