"""Change rows as text: a table for the terminal, TSV for spreadsheets, and .pia `変更` blocks to paste."""
from __future__ import annotations

import csv
import io
import re

from ..language import ref_of
from ..schema import Form
from .compare import ChangeRow


def as_table(rows: list[ChangeRow]) -> str:
    if not rows:
        return "変更はありません。\n"
    out = []
    for i, row in enumerate(rows, 1):
        out.append(f"[{i}] {row.timing}  {row.item}")
        for label, text in (("変更前", row.before), ("変更後", row.after)):
            lines = text.split("\n")
            out.append(f"    {label}: {lines[0]}")
            out.extend(f"            {line}" for line in lines[1:])
        out.append(f"    説明: {row.reason}")
    return "\n".join(out) + "\n"


def as_tsv(rows: list[ChangeRow], form: Form, date: str = "") -> str:
    """The table's columns in the form's order (placed by role), header first; cells with line breaks are
    quoted (Excel reads them)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    writer.writerows(as_cells(rows, form, date))
    return buf.getvalue()


def as_cells(rows: list[ChangeRow], form: Form, date: str = "") -> list[list[str]]:
    """The table as TSV and .xlsx write it: the columns' labels, then one list of cells per row."""
    columns = form.changes.rows.children if form.changes is not None else ()
    out = [[c.label for c in columns]]
    for row in rows:
        cells = {"date": date, "item": row.item, "before": row.before, "after": row.after, "timing": row.timing,
                 "reason": row.reason}
        out.append([cells.get(c.role or "", "") for c in columns])
    return out


#: The first brace of a template marker ({{, {%, {#) in a value: written back as an expression that prints
#: it, so the spec gives the same text again instead of a template (a value may hold `{{` after rendering).
_MARKER = re.compile(r"\{(?=[{%#])")


def _value(label: str, text: str, pad: str) -> list[str]:
    """One line when it can be, else a verbatim block (also for text that starts like a choice)."""
    text = _MARKER.sub("{{ '{' }}", text)
    if "\n" not in text and not text.startswith(("[", '"', "@", " ")) and text.strip() == text and text:
        return [f"{pad}{label}: {text}"]
    inner = pad + "  "
    return [f'{pad}{label}: """', *[f"{inner}{line}" if line else "" for line in text.split("\n")], f'{inner}"""']


def as_pia(rows: list[ChangeRow], form: Form, date: str = "", indent: str = "  ") -> str:
    """`変更` blocks in the spec's own syntax (labels from the form), ready to go under the 変更箇所 heading."""
    table = form.changes
    if table is None:
        return ""
    out: list[str] = []
    pad = indent + "  "
    for row in rows:
        out.append(f"{indent}{ref_of(table.rows)}")
        out.append(f"{pad}{table.column('date').label}: {date}".rstrip())
        out += _value(table.column("item").label, row.item, pad)
        out += _value(table.column("before").label, row.before, pad)
        out += _value(table.column("after").label, row.after, pad)
        out.append(f"{pad}{table.column('timing').label}: [{row.timing}]")
        out += _value(table.column("reason").label, row.reason, pad)
    return "\n".join(out) + ("\n" if out else "")
