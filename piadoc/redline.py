"""A redline for reviewers: the NEW document in which every change that `piadoc diff` finds is a Word tracked
change (校閲: 承諾 / 元に戻す work), everything else plain.

Built from the model diff, not by comparing two .docx: the diff's rows name the answers (keys) that changed and
the repeat instances added or removed; the NEW layout's rows carry their keys, so the changed rows get the old
value as w:del and the new as w:ins, the rows of an added instance become inserted rows, and the rows of a
removed instance are taken from the OLD layout and put back as deleted rows where they stood.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .diff import ChangeRow, diff_reports
from .model import Key, Report
from .render import render_docx
from .render.layout import Band, Block, Cover, ItemRow, Revision, Section, layout
from .schema import Form


def _instances(report: Report) -> set[Key]:
    return {(rid, ctx + (n,)) for (rid, ctx), count in report.instances.items() for n in range(1, count + 1)}


def _within(form: Form, key: Key | None, instance: Key) -> bool:
    """Is ``key`` the instance itself or an answer inside it?"""
    if key is None:
        return False
    item_id, inst = key
    rid, rinst = instance
    if inst[: len(rinst)] != rinst:
        return False
    return item_id == rid or rid in {a.id for a in form.ancestors(item_id)}


def _printed_in(form: Form, key: Key) -> Key:
    """The row that prints an answer: its own, or for a count (件数) or a heading checkbox (委託しない) the row of
    the item or group it belongs to."""
    item = form.item(key[0])
    parent = form.parent_of.get(item.id)
    if parent is not None and (item.kind == "count" or item.placement == "heading"):
        return (parent, key[1])
    return key


def _lines(row: ItemRow | Band | None) -> tuple[str, ...]:
    """The printed lines of a row, as the writer prints them (a band: its heading, then its checkboxes)."""
    if isinstance(row, Band):
        return (f"{row.text}　{row.title}" if row.title else row.text, *row.boxes)
    return row.lines if row is not None else ()


def redline_blocks(form: Form, old: Report, new: Report, rows: list[ChangeRow]) -> list[Block]:
    """The NEW layout with a Revision on every row the diff names."""
    old_inst, new_inst = _instances(old), _instances(new)
    keys = {r.key for r in rows}
    added = {k for k in keys if k in new_inst and k not in old_inst}
    removed = {k for k in keys if k in old_inst and k not in new_inst}
    changed = {_printed_in(form, k) for k in keys - added - removed}
    old_blocks = layout(form, old)
    old_rows: dict[Key, ItemRow | Band] = {}
    old_cover: Cover | None = None
    for block in old_blocks:
        if isinstance(block, Section):
            old_rows.update({r.key: r for r in block.rows if r.key is not None})
        elif isinstance(block, Cover):
            old_cover = block

    def mark(row: ItemRow | Band) -> ItemRow | Band:
        if any(_within(form, row.key, k) for k in added):
            return replace(row, revision=Revision("ins"))
        if row.key in changed:
            return replace(row, revision=Revision("change", _lines(old_rows.get(row.key))))
        return row

    out: list[Block] = []
    for block in layout(form, new):
        if isinstance(block, Cover) and old_cover is not None:
            revisions = {label: Revision("change", tuple(old_cover.fields.get(label, "").split("\n")))
                         for label, key in block.keys.items() if key in changed}
            out.append(replace(block, revisions=revisions))
        elif isinstance(block, Section):
            marked = [mark(r) for r in block.rows]
            out.append(replace(block, rows=tuple(_put_back(form, marked, old_blocks, block.part, removed))))
        else:
            out.append(block)
    return out


def _put_back(form: Form, rows: list, old_blocks: list[Block], part: str, removed: set[Key]) -> list:
    """Rows of removed instances, from the OLD layout, as deleted rows after the row that preceded them."""
    for old_block in old_blocks:
        if not (isinstance(old_block, Section) and old_block.part == part):
            continue
        olds = list(old_block.rows)
        i = 0
        while i < len(olds):
            gone = next((k for k in removed if _within(form, olds[i].key, k)), None)
            if gone is None:
                i += 1
                continue
            j = i
            while j < len(olds) and _within(form, olds[j].key, gone):
                j += 1
            taken = [replace(r, revision=Revision("del")) for r in olds[i:j]]
            at = len(rows)
            for prev in reversed(olds[:i]):  # after the nearest earlier row the new layout still has
                found = next((n for n, r in enumerate(rows) if r.key is not None and r.key == prev.key), None)
                if found is not None:
                    at = found + 1
                    while at < len(rows) and rows[at].revision is not None and rows[at].revision.kind == "del":
                        at += 1
                    break
            rows[at:at] = taken
            i = j
    return rows


def render_redline(form: Form, old: Report, new: Report, author: str, date: str,
                   template: Path | None = None) -> tuple[bytes, list[ChangeRow]]:
    """The redline .docx (deterministic: same reports, author and date → same bytes) and the diff's rows."""
    from .render.revisions import number_revisions

    rows = diff_reports(form, old, new)
    blocks = redline_blocks(form, old, new, rows)
    data = render_docx(new, form, template, blocks=blocks,
                       finish=lambda doc: number_revisions(doc.element.body, author, date))
    return data, rows


def change_date(form: Form, report: Report) -> str:
    """The latest 変更日 of the report's 変更箇所 rows, as ISO 8601 (w:date); "" when there is none."""
    from .model import DateAnswer

    if form.changes is None:
        return ""
    column = form.changes.column("date").id
    dates = [a.date for k, a in report.answers.items() if k[0] == column and isinstance(a, DateAnswer)]
    if not dates:
        return ""
    d = max(dates, key=lambda d: d.sort_key())
    return f"{d.year:04d}-{d.month:02d}-{d.day or 1:02d}T00:00:00Z"


def iso_date(d) -> str:
    """A WarekiDate as w:date."""
    return f"{d.year:04d}-{d.month:02d}-{d.day or 1:02d}T00:00:00Z"


def git_author(near: Path) -> str:
    """git config user.name, or "piadoc"."""
    import subprocess

    try:
        done = subprocess.run(["git", "config", "user.name"], cwd=near, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "piadoc"
    return done.stdout.strip() or "piadoc"


def commit_date(spec: Path) -> str:
    """The date of the last commit that touched ``spec``, as UTC ISO 8601; "" outside git."""
    import datetime as dt
    import subprocess

    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct", "--", spec.name], cwd=spec.parent or Path("."),
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    if done.returncode or not done.stdout.strip():
        return ""
    when = dt.datetime.fromtimestamp(int(done.stdout.strip()), dt.timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
