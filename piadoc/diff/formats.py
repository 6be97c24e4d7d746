"""Change rows as text: a table for the terminal, TSV for spreadsheets, and .pia `変更` blocks to paste."""
from __future__ import annotations

import csv
import io

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


def _value(label: str, text: str, pad: str) -> list[str]:
    """One line when it can be, else a verbatim block (also for text that starts like a choice)."""
    if "\n" not in text and not text.startswith(("[", '"', "@", " ")) and text.strip() == text and text:
        return [f"{pad}{label}: {text}"]
    inner = pad + "  "
    return [f'{pad}{label}: """', *[f"{inner}{line}" if line else "" for line in text.split("\n")], f'{inner}"""']


def as_pia(rows: list[ChangeRow], date: str = "", indent: str = "  ") -> str:
    """`変更` blocks in the spec's own syntax, ready to go under the 変更箇所 heading."""
    out: list[str] = []
    pad = indent + "  "
    for row in rows:
        out.append(f"{indent}変更")
        out.append(f"{pad}変更日: {date}" if date else f"{pad}変更日:")
        out += _value("項目", row.item, pad)
        out += _value("変更前の記載", row.before, pad)
        out += _value("変更後の記載", row.after, pad)
        out.append(f"{pad}提出時期: [{row.timing}]")
        out += _value("提出時期に係る説明", row.reason, pad)
    return "\n".join(out) + ("\n" if out else "")
