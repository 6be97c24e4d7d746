"""`piadoc changes --write`: append new rows to the spec's 変更箇所 block, leaving every other byte alone.

Rows already in the table (same 項目, 変更前 and 変更後) are kept as the user edited them (their 説明,
a 事後 chosen under 規則第9条第2項), so running it twice adds nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import nodes
from ..check.resolve import resolve
from ..model import Report
from ..schema import Form
from ..source import SourceFile
from ..syntax import parse
from .compare import ChangeRow
from .formats import as_pia


def _key(text: str) -> str:
    return re.sub(r"\s", "", text)


def recorded(form: Form, report: Report) -> set[tuple[str, str, str]]:
    """(項目, 変更前, 変更後) of the rows already in the table, whitespace-insensitive."""
    table = form.changes
    if table is None:
        return set()
    item, before, after = (table.column(r).id for r in ("item", "before", "after"))
    out = set()
    for n in range(1, report.count(table.rows.id) + 1):
        texts = [getattr(report.get(i, (n,)), "text", "") for i in (item, before, after)]
        out.add(tuple(_key(t) for t in texts))
    return out


def new_rows(form: Form, report: Report, rows: list[ChangeRow]) -> list[ChangeRow]:
    seen = recorded(form, report)
    return [r for r in rows if (_key(r.item), _key(r.before), _key(r.after)) not in seen]


@dataclass(frozen=True)
class Insertion:
    line: int
    """Insert before this 0-based line index (== number of lines to keep above)."""
    indent: str
    heading: str | None
    """A heading line to write first, when the spec has no 変更箇所 block yet."""


def _last_line(entry: nodes.Entry) -> int:
    last = entry.ref_span.end_line
    if entry.value is not None:
        last = max(last, entry.value.span.end_line)
    for child in entry.children:
        if isinstance(child, nodes.Entry):
            last = max(last, _last_line(child))
        else:
            last = max(last, child.span.end_line)
    return last


def find_insertion(form: Form, source: SourceFile) -> Insertion:
    """After the last line of the top-level 変更箇所 block, or a new block at the end of the file."""
    spec = parse(source)
    part = form.part("changes")
    for stmt in spec.statements:
        if isinstance(stmt, nodes.Entry):
            found = resolve(form, form.items, stmt.ref).match
            if found is not None and part is not None and found.item.id == part.id:
                children = [c for c in stmt.children if isinstance(c, nodes.Entry)]
                column = children[0].ref_span.column if children else stmt.ref_span.column + 2
                return Insertion(_last_line(stmt), " " * (column - 1), None)
    lines = source.text.rstrip("\n").split("\n")
    return Insertion(len(lines), "  ", part.printed if part is not None else "変更箇所")


def insert_rows(raw: str, form: Form, source: SourceFile, rows: list[ChangeRow], date: str) -> str:
    """The file's text with the rows added; every existing byte stays (line endings included)."""
    if not rows:
        return raw
    where = find_insertion(form, source)
    newline = "\r\n" if "\r\n" in raw else "\n"
    block = as_pia(rows, form, date, where.indent)
    if where.heading is not None:
        block = f"{newline if raw.strip() else ''}{where.heading}\n{block}"
    block = block.replace("\n", newline)
    lines = raw.splitlines(keepends=True)
    head, tail = lines[: where.line], lines[where.line :]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] += newline
    return "".join(head) + block + "".join(tail)
