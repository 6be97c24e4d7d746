"""Layout stage: schema.Form + model.Report → a list of blocks (pure data), one per printed part.

Every item of the form is laid out, answered or not: the printed form is fixed. The docx writer turns
the blocks into tables; tests can read the blocks without opening Word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from ..model import ChoiceAnswer, DateAnswer, FileAnswer, Key, Report, TextAnswer
from ..schema import Form, ItemDef
from ..printed import checkbox_lines, count_text, value_lines


@dataclass(frozen=True, slots=True)
class Revision:
    """How a redline (piadoc redline) marks a row: "change" (the value was ``old``), "ins" (a row added),
    "del" (a row removed). None on every row of a plain build."""

    kind: str
    old: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Band:
    """A full-width shaded row: a numbered heading (１．…), a slot heading (システム2～5), an instance."""

    text: str
    title: str = ""
    """The instance's own title, printed after the heading (委託事項1　予防接種業務)."""
    boxes: tuple[str, ...] = ()
    """Checkboxes printed on the heading line (委託しない)."""
    level: int = 0
    key: Key | None = None
    """The group or repeat instance this band heads (an instance's title is its answer)."""
    revision: Revision | None = None


@dataclass(frozen=True, slots=True)
class ItemRow:
    label: str
    lines: tuple[str, ...]
    indent: int = 0
    side: str | None = None
    """The vertical label this row sits beside; consecutive rows with the same side share one cell."""
    side_key: str | None = None
    picture: str | None = None
    """An image file printed in the value cell (（別添１）の図)."""
    key: Key | None = None
    """The answer printed in the value cell: a redline finds changed rows by it."""
    revision: Revision | None = None


Row = Union[Band, ItemRow]


@dataclass(frozen=True)
class Cover:
    part: str
    """The stem of this part's optional section template (<template dir>/<part>.docx)."""
    title: str
    stamp: str | None
    fields: dict[str, str]
    """Cover label → printed value, in form order."""
    labels: tuple[str, ...]
    keys: dict[str, Key] = field(default_factory=dict)
    """Cover label → the answer's key."""
    revisions: dict[str, Revision] = field(default_factory=dict)


@dataclass(frozen=True)
class Contents:
    part: str
    title: str
    entries: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    part: str
    """The form item id (I, II, ANX1 …): a section template is <template dir>/<id>.docx."""
    heading: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Attachment:
    """A Word document the user brings, joined in after the section that names it."""

    path: str


@dataclass(frozen=True)
class ChangeTable:
    part: str
    heading: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Union[Cover, Contents, Section, Attachment, ChangeTable]

_MARK = re.compile(r"\s*※.*$")


@dataclass
class _Ctx:
    form: Form
    report: Report
    rows: list[Row] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def layout(form: Form, report: Report) -> list[Block]:
    """The whole document, in printed order."""
    blocks: list[Block] = []
    for item in form.items:
        if item.role == "cover":
            blocks.append(cover(form, report, item))
        elif item.role == "contents":
            blocks.append(Contents("contents", item.label, item.fixed_text or tuple(_MARK.sub("", i.printed) for i in form.items
                                                                        if i.number and not i.role)))
        elif item.role == "changes":
            blocks.append(change_table(form, report, item))
        elif item.kind == "repeat":
            if item.optional and not report.count(item.id):
                continue  # 別紙 exist only when a report needs them
            for n in range(1, max(report.count(item.id), 1) + 1):
                blocks.extend(section(form, report, item, (n,)))
        else:
            blocks.extend(section(form, report, item, ()))
    return blocks


def cover(form: Form, report: Report, item: ItemDef) -> Cover:
    fields: dict[str, str] = {}
    keys: dict[str, Key] = {}
    labels = []
    for child in item.children:
        if child.fixed:
            continue
        labels.append(child.label)
        fields[child.label] = "\n".join(value_lines(child, report.get(child.id)))
        keys[child.label] = (child.id, ())
    return Cover("cover", form.title, form.version, fields, tuple(labels), keys)


def section(form: Form, report: Report, item: ItemDef, inst: tuple[int, ...]) -> list[Block]:
    """A numbered section as one table, followed by the Word documents its items bring."""
    ctx = _Ctx(form, report)
    if item.kind in ("group", "repeat"):
        for child in item.children:
            _item(ctx, child, inst, level=0, side=None)
    else:
        ctx.rows.append(ItemRow("", tuple(value_lines(item, report.get(item.id, inst))), key=(item.id, inst)))
    return [Section(item.id, _part_heading(item, report, inst), tuple(ctx.rows)),
            *(Attachment(p) for p in ctx.attachments)]


def _part_heading(item: ItemDef, report: Report, inst: tuple[int, ...]) -> str:
    """A part's heading: as printed, or for a numbered repeated part (別紙{n}) its instance and title."""
    if not (item.kind == "repeat" and item.numbered_label and inst):
        return item.printed
    title = report.get(item.id, inst)
    label = item.instance_label(inst[-1])
    return f"{label}　{title.text}" if isinstance(title, TextAnswer) else label


def _heading_boxes(ctx: _Ctx, item: ItemDef, inst: tuple[int, ...]) -> tuple[str, ...]:
    """Checkboxes the form prints on a heading line (委託しない, 接続しない（入手）)."""
    lines: list[str] = []
    for child in item.children:
        if child.placement == "heading":
            lines.extend(checkbox_lines(child, ctx.report.get(child.id, inst)))
    return tuple(lines)


def _item(ctx: _Ctx, item: ItemDef, inst: tuple[int, ...], level: int, side: ItemDef | None) -> None:
    report = ctx.report
    if item.placement == "heading" or item.kind == "count":
        return  # printed on the heading line / beside the item they count
    if item.kind == "group" and item.layout == "side":
        for child in item.children:
            _item(ctx, child, inst, level + 1, side=item)
        return
    if item.kind == "group":
        ctx.rows.append(Band(item.printed, boxes=_heading_boxes(ctx, item, inst), level=level, key=(item.id, inst)))
        for child in item.children:
            _item(ctx, child, inst, level + 1, side)
        return
    if item.kind == "repeat":
        _repeat(ctx, item, inst, level, side)
        return
    answer = report.get(item.id, inst)
    if isinstance(answer, FileAnswer):
        if answer.kind == "docx":
            ctx.attachments.append(answer.path)
        ctx.rows.append(ItemRow(item.printed, ("（次のページに掲載）",) if answer.kind == "docx" else (),
                                picture=answer.path if answer.kind == "image" else None, key=(item.id, inst)))
        return
    if item.fixed:
        lines = list(item.fixed_text)
    else:
        lines = value_lines(item, answer)
        if item.suffix:
            lines[-1] = f"{lines[-1]}　{item.suffix}"
        lines.extend(item.fixed_text)
    for child in item.children:
        if child.kind == "count":
            lines.append(count_text(report.get(child.id, inst)))
    side_label = side.label if side else None
    ctx.rows.append(ItemRow(item.printed, tuple(lines), indent=1 if _is_subrow(ctx, item) else 0,
                            side=side_label, side_key=f"{side.id}{inst}" if side else None, key=(item.id, inst)))
    for child in item.children:
        if child.kind != "count":
            _item(ctx, child, inst, level + 1, side)


def _is_subrow(ctx: _Ctx, item: ItemDef) -> bool:
    parent = ctx.form.parent_of.get(item.id)
    return parent is not None and ctx.form.item(parent).kind not in ("group", "repeat")


def _slot_heading(item: ItemDef, n: int) -> str | None:
    """The slot heading row printed before instance ``n`` (システム2～5 before システム2)."""
    for heading in item.slot_headings:
        m = re.search(r"(\d+)(?:～(\d+))?$", heading)
        if m and int(m.group(1)) == n:
            return heading
    return None


def _repeat(ctx: _Ctx, item: ItemDef, inst: tuple[int, ...], level: int, side: ItemDef | None) -> None:
    count = ctx.report.count(item.id, inst)
    shown = max(count, 1)
    for n in range(1, shown + 1):
        slot = _slot_heading(item, n)
        label = item.instance_label(n)
        title = ctx.report.get(item.id, inst + (n,))
        if slot and slot != label:
            ctx.rows.append(Band(slot, level=level))
        ctx.rows.append(Band(label, title.text if isinstance(title, TextAnswer) else "", level=level,
                             key=(item.id, inst + (n,))))
        for child in item.children:
            _item(ctx, child, inst + (n,), level + 1, side)
    for heading in item.slot_headings:  # the form prints the remaining slot headings, empty
        m = re.search(r"(\d+)(?:～(\d+))?$", heading)
        if m and int(m.group(1)) > shown:
            ctx.rows.append(Band(heading, level=level))


def change_table(form: Form, report: Report, item: ItemDef) -> ChangeTable:
    """（別添２）変更箇所: six columns, rows in date order (undated rows of the coming revision last)."""
    rows_item = next(c for c in item.children if c.auto_number)
    columns = tuple(c.label for c in rows_item.children)
    date_col = form.changes.column("date").id if form.changes is not None else None
    rows = []
    for n in range(1, report.count(rows_item.id) + 1):
        cells = []
        for col in rows_item.children:
            answer = report.get(col.id, (n,))
            if answer is None:
                cells.append("")
            elif isinstance(answer, ChoiceAnswer):
                cells.append(answer.text)
            else:
                cells.append("\n".join(value_lines(col, answer)))
        date = report.get(date_col, (n,)) if date_col is not None else None
        key = date.date.sort_key() if isinstance(date, DateAnswer) else (9999, 0, 0)
        rows.append((key, n, tuple(cells)))
    rows.sort()
    return ChangeTable("changes", item.printed, columns, tuple(r[2] for r in rows))

