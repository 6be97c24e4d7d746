"""変更箇所 rows as files: an Excel workbook (.xlsx), and the text formats with the encoding Excel expects.

Staff paste the rows into the 評価書's table or pass them round as a spreadsheet, so the workbook is made to
be read: the form's column labels as a frozen header, wrapped cells (values have line breaks), widths by
column role. The same rows give the same bytes (fixed dates in the document properties and in the zip), so a
committed rows.xlsx only changes when the rows do.
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile

from ..schema import Form
from .compare import ChangeRow
from .formats import as_cells, as_pia, as_table, as_tsv

#: The date stamped in the workbook: any fixed one will do (the zip format starts in 1980).
FIXED = datetime.datetime(1980, 1, 1)
#: Column widths (in characters of the default font; Japanese text takes two) by the column's role.
WIDTHS = {"date": 18, "item": 36, "before": 48, "after": 48, "timing": 10, "reason": 36}
#: A UTF-8 byte order mark: without it Japanese Excel reads a .tsv as Shift_JIS (mojibake).
BOM = "\ufeff"
#: Characters a sheet name cannot hold, and its longest length.
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
#: The workbook's document properties (dates among them) inside the zip.
CORE = "docProps/core.xml"


def as_xlsx(rows: list[ChangeRow], form: Form, date: str = "") -> bytes:
    """The rows as a one-sheet workbook; every cell is text (a value starting with = stays text, not a
    formula)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.xml.functions import tostring
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    table = form.changes
    title = _SHEET_ILLEGAL.sub("", table.part.label if table is not None else "")[:_SHEET_MAX]
    if title:
        sheet.title = title
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for r, values in enumerate(as_cells(rows, form, date), 1):
        for c, value in enumerate(values, 1):
            cell = sheet.cell(row=r, column=c)
            cell.alignment = wrap
            if value:
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # never a formula, whatever the text starts with
            if r == 1:
                cell.font = bold
    columns = table.rows.children if table is not None else ()
    for c, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(c)].width = WIDTHS.get(column.role or "", 24)
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)  # stamps the current time as `modified`: the properties are written again below
    props = book.properties
    props.creator, props.lastModifiedBy = "piadoc", None
    props.created = props.modified = FIXED
    return _fixed_zip(buf.getvalue(), {CORE: tostring(props.to_tree())})


def _fixed_zip(data: bytes, replaced: dict[str, bytes]) -> bytes:
    """The same zip with every entry stamped FIXED (openpyxl stamps the current time), in the same order,
    with the entries named in ``replaced`` given new contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, replaced.get(info.filename, src.read(info)), compresslevel=6)
    return out.getvalue()


def rows_file(fmt: str, rows: list[ChangeRow], form: Form, date: str = "") -> bytes:
    """The bytes `piadoc diff --format FMT -o FILE` writes: UTF-8 text (TSV with a BOM, for Excel) or .xlsx."""
    if fmt == "xlsx":
        return as_xlsx(rows, form, date)
    if fmt == "tsv":
        return (BOM + as_tsv(rows, form, date)).encode("utf-8")
    return (as_pia(rows, form, date) if fmt == "pia" else as_table(rows)).encode("utf-8")
