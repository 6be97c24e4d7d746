"""`piadoc diff --format xlsx|tsv -o FILE`: a workbook Excel reads as the form's table, the same bytes for the
same rows, and a TSV file Japanese Excel does not turn into mojibake."""
from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from piadoc.diff.compare import ChangeRow
from piadoc.diff.xlsx import BOM, FIXED, as_xlsx, rows_file
from piadoc.schema import load_form

openpyxl = pytest.importorskip("openpyxl")

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"
FORM = "重点項目評価書"


def _rows() -> list[ChangeRow]:
    return [ChangeRow("Ⅰ　基本情報 ②事務の内容", "旧\n二行目", "=SUM(A1) 新\n二行目", "事後", "", ()),
            ChangeRow("Ⅱ ③使用目的", "前", "後", "事前", "説明", ())]


def test_workbook_reads_as_the_forms_table() -> None:
    form = load_form(FORM)
    book = openpyxl.load_workbook(io.BytesIO(as_xlsx(_rows(), form, "令和7年3月21日")))
    sheet = book.active
    assert sheet.title == form.changes.part.label
    labels = [c.label for c in form.changes.rows.children]
    assert [c.value for c in sheet[1]] == labels
    assert sheet.freeze_panes == "A2"
    row = {label: cell for label, cell in zip(labels, sheet[2])}
    date, before, after = (row[form.changes.column(r).label] for r in ("date", "before", "after"))
    assert date.value == "令和7年3月21日"
    assert before.value == "旧\n二行目" and before.alignment.wrap_text
    assert after.value == "=SUM(A1) 新\n二行目" and after.data_type == "s"  # text, never a formula
    assert row[form.changes.column("reason").label].value is None
    assert sheet.column_dimensions[after.column_letter].width >= 40  # the long texts get room
    assert sheet.column_dimensions[row[form.changes.column("timing").label].column_letter].width <= 12


def test_same_rows_same_bytes(monkeypatch) -> None:
    """Fixed dates in the document properties and in every zip entry: a later run writes the same file."""
    form = load_form(FORM)
    first = as_xlsx(_rows(), form)
    import datetime as real

    class Later(real.datetime):
        @classmethod
        def now(cls, tz=None):
            return real.datetime(2031, 6, 7, 8, 9, 10, tzinfo=tz)

    monkeypatch.setattr("openpyxl.packaging.core.datetime.datetime", Later)
    monkeypatch.setattr("time.localtime", lambda *a: (2031, 6, 7, 8, 9, 10, 0, 0, 0))
    second = as_xlsx(_rows(), form)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {FIXED.timetuple()[:6]}
    assert openpyxl.load_workbook(io.BytesIO(first)).properties.created == FIXED


def test_tsv_file_has_a_bom_and_stdout_has_none(run_cli, tmp_path: Path) -> None:
    form = load_form(FORM)
    assert rows_file("tsv", _rows(), form).startswith(BOM.encode("utf-8"))
    assert not rows_file("pia", _rows(), form).startswith(BOM.encode("utf-8"))
    repo = tmp_path
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "spec.pia").write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(["git", "add", "spec.pia"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "a"],
                   cwd=repo, check=True)
    text = (repo / "spec.pia").read_text(encoding="utf-8").replace("①部署: 福祉保健部健康課", "①部署: 健康課予防係")
    (repo / "spec.pia").write_text(text, encoding="utf-8")
    result = run_cli("diff", "--since", "HEAD", "spec.pia", "--format", "tsv", "-o", "rows.tsv", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = (repo / "rows.tsv").read_bytes()
    assert data.startswith(BOM.encode("utf-8")) and "健康課予防係" in data.decode("utf-8-sig")
    shown = run_cli("diff", "--since", "HEAD", "spec.pia", "--format", "tsv", cwd=repo)
    assert not shown.stdout.startswith(BOM) and shown.stdout == data.decode("utf-8-sig")
    result = run_cli("diff", "--since", "HEAD", "spec.pia", "--format", "xlsx", "-o", "rows.xlsx", cwd=repo)
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(repo / "rows.xlsx").active
    assert any("健康課予防係" in (c.value or "") for c in sheet[2])
    assert run_cli("diff", "--since", "HEAD", "spec.pia", "--format", "xlsx", cwd=repo).returncode == 2
    refused = run_cli("diff", "--since", "HEAD", "spec.pia", "--format", "xlsx", "-o", "spec.pia", cwd=repo)
    assert refused.returncode == 1 and "E801" in refused.stderr
    assert (repo / "spec.pia").read_text(encoding="utf-8") == text
