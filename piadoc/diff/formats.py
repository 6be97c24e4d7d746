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
    """The table's six columns, header first; cells with line breaks are quoted (Excel reads them)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
    part = form.part("changes")
    columns = next(c for c in part.children if c.auto_number).children if part else ()
    writer.writerow([c.label for c in columns])
    for row in rows:
        writer.writerow([date, row.item, row.before, row.after, row.timing, row.reason])
    return buf.getvalue()


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
    part = form.part("changes")
    repeat = next(c for c in part.children if c.auto_number)
    date_col, item_col, before_col, after_col, timing_col, reason_col = repeat.children[:6]
    out: list[str] = []
    pad = indent + "  "
    for row in rows:
        out.append(f"{indent}{ref_of(repeat)}")
        out.append(f"{pad}{date_col.label}: {date}".rstrip())
        out += _value(item_col.label, row.item, pad)
        out += _value(before_col.label, row.before, pad)
        out += _value(after_col.label, row.after, pad)
        out.append(f"{pad}{timing_col.label}: [{row.timing}]")
        out += _value(reason_col.label, row.reason, pad)
    return "\n".join(out) + ("\n" if out else "")
