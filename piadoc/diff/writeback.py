"""`piadoc changes --write`: append new rows to the spec's 変更箇所 block, leaving every other byte alone.

Rows already in the table (same 項目, 変更前 and 変更後) are kept as the user edited them (their 説明,
a 事後 chosen under 規則第9条第2項), so running it twice adds nothing.
"""
from __future__ import annotations

import re

from ..language import DASHES, Insertion
from ..model import NotApplicable, Report
from ..schema import Form
from .compare import ChangeRow
from .formats import as_pia


#: A line as the parser counts lines: ended by \r\n, \r or \n, never by U+2028, U+0085 or the other
#: separators str.splitlines() also splits at (they are ordinary characters inside a value).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _key(text: str) -> str:
    """Whitespace-insensitive; a cell of dashes is 「―」 whatever the dash (it reads back as not applicable)."""
    key = re.sub(r"\s", "", text)
    return "―" if key in DASHES else key


def _cell(answer: object) -> str:
    """A recorded cell as the differ prints it: its text, or 「―」 for a cell written as not applicable (a
    value that became ― is written back as ―, which reads as NotApplicable: it must still match)."""
    if isinstance(answer, NotApplicable):
        return answer.mark
    return getattr(answer, "text", "")


def recorded(form: Form, report: Report) -> set[tuple[str, str, str]]:
    """(項目, 変更前, 変更後) of the rows already in the table, whitespace-insensitive."""
    table = form.changes
    if table is None:
        return set()
    item, before, after = (table.column(r).id for r in ("item", "before", "after"))
    out = set()
    for n in range(1, report.count(table.rows.id) + 1):
        texts = [_cell(report.get(i, (n,))) for i in (item, before, after)]
        out.add(tuple(_key(t) for t in texts))
    return out


def row_key(row: ChangeRow) -> tuple[str, str, str]:
    """(項目, 変更前, 変更後) of a proposed row, as recorded() gives them for rows in the table."""
    return _key(row.item), _key(row.before), _key(row.after)


def new_rows(form: Form, report: Report, rows: list[ChangeRow]) -> list[ChangeRow]:
    seen = recorded(form, report)
    return [r for r in rows if row_key(r) not in seen]


def insert_rows(raw: str, form: Form, where: Insertion, rows: list[ChangeRow], date: str) -> str:
    """The file's text with the rows added at ``where`` (found by pipeline.changes_insertion); every
    existing byte stays (line endings included)."""
    if not rows:
        return raw
    newline = "\r\n" if "\r\n" in raw else "\n"
    block = as_pia(rows, form, date, where.indent)
    if where.heading is not None:
        block = f"{newline if raw.strip() else ''}{where.heading}\n{block}"
    block = block.replace("\n", newline)
    lines = _LINE.findall(raw)
    head, tail = lines[: where.line], lines[where.line :]
    if head and not head[-1].endswith(("\n", "\r")):
        head[-1] += newline
    return "".join(head) + block + "".join(tail)
