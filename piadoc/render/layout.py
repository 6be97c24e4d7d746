"""Layout stage: schema.Form + model.Report → a list of blocks (pure data), one per printed part.

Every item of the form is laid out, answered or not: the printed form is fixed. The docx writer turns
the blocks into tables; tests can read the blocks without opening Word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from ..model import Answer, ChoiceAnswer, DateAnswer, FileAnswer, Key, NotApplicable, Report, TextAnswer
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
class GridLine:
    """One line of a checkbox grid: up to `columns` options side by side, or a line printed across
    (a group header ・識別情報, an option followed by its free text)."""

    cells: tuple[str, ...]
    across: bool = False


@dataclass(frozen=True, slots=True)
class ItemRow:
    label: str
    lines: tuple[str, ...]
    indent: int = 0
    grid: tuple[GridLine, ...] = ()
    """Checkboxes laid out in columns (the form's `columns`); printed instead of `lines` when present."""
    full: bool = False
    """A part that is one text box across the page (（別添１）特定個人情報ファイル記録項目): no label cell."""
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
    all_slots: bool = False
    rows: list[Row] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)


def layout(form: Form, report: Report, all_slots: bool = False) -> list[Block]:
    """The whole document, in printed order. ``all_slots`` (`build --all-slots`, or the report's own
    `@空き枠 印刷する`) prints every slot heading of a repeat (システム6～10 …), empty, as the blank form does;
    by default a slot heading is printed only above an instance."""
    all_slots = all_slots or report.all_slots
    blocks: list[Block] = []
    for item in form.items:
        if item.role == "cover":
            blocks.append(cover(form, report, item))
        elif item.role == "contents":
            blocks.append(contents(form, report, item))
        elif item.role == "changes":
            blocks.append(change_table(form, report, item))
        elif item.kind == "repeat":
            if item.optional and not report.count(item.id):
                continue  # 別紙 exist only when a report needs them
            for n in range(1, max(report.count(item.id), 1) + 1):
                blocks.extend(section(form, report, item, (n,), all_slots))
        else:
            blocks.extend(section(form, report, item, (), all_slots))
    return blocks


def _change_rows(form: Form, report: Report) -> int:
    return report.count(form.changes.rows.id) if form.changes is not None else 0


def contents(form: Form, report: Report, item: ItemDef) -> Contents:
    """項目一覧: every part the document has, as the form lists them (its fixed_text) or, when the form gives
    no list, the numbered parts in order. The change part (（別添２）変更箇所) is listed when the report has
    change rows, as published reports list it."""
    changes = form.changes.part if form.changes is not None else None
    listed = _change_rows(form, report) > 0
    if item.fixed_text:
        entries = tuple(e for e in item.fixed_text
                        if listed or changes is None or not changes.number or not e.startswith(changes.number))
    else:
        entries = tuple(_MARK.sub("", i.printed) for i in form.items
                        if i.number and (not i.role or (i.role == "changes" and listed)))
    return Contents("contents", item.label, entries)


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


def section(form: Form, report: Report, item: ItemDef, inst: tuple[int, ...], all_slots: bool = False) -> list[Block]:
    """A numbered section as one table, followed by the Word documents its items bring."""
    ctx = _Ctx(form, report, all_slots)
    if item.kind in ("group", "repeat"):
        for child in item.children:
            _item(ctx, child, inst, level=0, side=None)
    else:  # a part that is one answer: a box across the page
        ctx.rows.append(_box(item, report, inst))
    return [Section(item.id, _part_heading(item, report, inst), tuple(ctx.rows)),
            *(Attachment(p) for p in ctx.attachments)]


def _box(item: ItemDef, report: Report, inst: tuple[int, ...]) -> ItemRow:
    """One text box across the page, no label: a part that is one answer (重点 （別添１）), or a field whose
    form says `layout: box` (全項目 （別添２）, the list of 記録項目 of each file). The importer reads such a
    label-less row back into the same item (importer/mapper.py)."""
    return ItemRow("", tuple(value_lines(item, report.get(item.id, inst))), full=True, key=(item.id, inst))


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
    if item.layout == "box":
        ctx.rows.append(_box(item, report, inst))
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
    grid = checkbox_grid(item, answer) if item.columns > 1 and not isinstance(answer, NotApplicable) else ()
    ctx.rows.append(ItemRow(item.printed, tuple(lines), indent=1 if _is_subrow(ctx, item) else 0,
                            side=side_label, side_key=f"{side.id}{inst}" if side else None, grid=grid,
                            key=(item.id, inst)))
    for child in item.children:
        if child.kind != "count":
            _item(ctx, child, inst, level + 1, side)


def checkbox_grid(item: ItemDef, answer: Answer | None) -> tuple[GridLine, ...]:
    """The checkboxes `item.columns` to a line, each group starting a new line under its header; an option
    with free text on a line of its own (its （ … ） may be long)."""
    headers = {name for name, _ in item.option_groups}
    options = iter(item.options)
    out: list[GridLine] = []
    row: list[str] = []

    def flush() -> None:
        if row:
            out.append(GridLine(tuple(row)))
            row.clear()

    for line in checkbox_lines(item, answer):
        if line in headers:
            flush()
            out.append(GridLine((line,), across=True))
            continue
        if next(options).takes_text:
            flush()
            out.append(GridLine((line,), across=True))
            continue
        row.append(line)
        if len(row) == item.columns:
            flush()
    flush()
    return tuple(out)


def _is_subrow(ctx: _Ctx, item: ItemDef) -> bool:
    parent = ctx.form.parent_of.get(item.id)
    return parent is not None and ctx.form.item(parent).kind not in ("group", "repeat")


def _slot_heading(item: ItemDef, n: int) -> str | None:
    """The slot heading row printed before instance ``n`` (システム2～5 before システム2)."""
    return next((heading for heading in item.slot_headings if item.slot_start(heading) == n), None)


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
    if not ctx.all_slots:
        return  # published reports leave out the headings of empty slots
    for heading in item.slot_headings:  # the blank form prints the remaining slot headings, empty
        start = item.slot_start(heading)
        if start is not None and start > shown:
            ctx.rows.append(Band(heading, level=level))


def change_table(form: Form, report: Report, item: ItemDef) -> ChangeTable:
    """（別添２）変更箇所: six columns, the rows in the order the spec writes them (W704 warns about dates out
    of order, the table prints what the author wrote: a row continued on the next page (（続き）) and a row
    with a blank 変更日 or 項目 that belongs to the row above stay where they are)."""
    rows_item = next(c for c in item.children if c.auto_number)
    columns = tuple(c.label for c in rows_item.children)
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
        rows.append(tuple(cells))
    return ChangeTable("changes", item.printed, columns, tuple(rows))

