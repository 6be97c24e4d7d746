"""Code reads the form by role, never by position: a copy of a form with its change-table columns in another
order gives the same diagnostics, diff rows, TSV cells (by header), `変更` blocks and rendered rows."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

import pytest
import yaml

from piadoc.check import check
from piadoc.diff.compare import row_by_row as diff_reports  # each row with its own 提出時期: the roles at work
from piadoc.diff.formats import as_pia, as_tsv
from piadoc.diff.writeback import recorded
from piadoc.includes import load_expanded, project_root
from piadoc.pipeline import find_form
from piadoc.render.layout import change_table
from piadoc.schema import Form, load_form

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"
NAME = "重点項目評価書"


def edit_yaml(change: Callable[[dict], None]) -> Callable[[str], str]:
    """A text edit of form.yaml that loads the data, changes it and writes it back."""
    def edit(text: str) -> str:
        raw = yaml.safe_load(text)
        change(raw)
        return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    return edit


def change_rows(raw: dict) -> dict:
    part = next(i for i in raw["items"] if i.get("role") == "changes")
    return next(c for c in part["children"] if c.get("auto_number"))


def reverse_columns(raw: dict) -> None:
    rows = change_rows(raw)
    rows["children"].reverse()


def swap_date_and_item(raw: dict) -> None:
    cols = change_rows(raw)["children"]
    cols[0], cols[1] = cols[1], cols[0]


def checked(form: Form, spec: Path):
    sources: dict = {}
    ast = load_expanded(spec, sources)
    _, span = find_form(ast, next(iter(sources.values())))
    return check(ast, form, span, project_root(spec))


def by_header(tsv: str) -> list[dict[str, str]]:
    header, *rows = list(csv.reader(io.StringIO(tsv), delimiter="\t"))
    return [dict(zip(header, row)) for row in rows]


@pytest.fixture
def edited_spec(tmp_path: Path) -> Path:
    """The 小金井市 spec with a ※ item and an ordinary item changed (for diff rows of both timings)."""
    text = SPEC.read_text(encoding="utf-8")
    text = text.replace("③使用目的: 予防接種対象者の個人番号を利用して効率的な事務運用を図るため",
                        "③使用目的: 予防接種対象者の個人番号を利用して、効率的かつ正確な事務運用を図るため")
    text = text.replace("    ①部署: 福祉保健部健康課", "    ①部署: 福祉保健部健康課予防係")
    path = tmp_path / "edited.pia"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("reorder", [swap_date_and_item, reverse_columns])
def test_reordered_columns_change_nothing(copy_forms, edited_spec: Path, reorder) -> None:
    ours = load_form(NAME)
    root = copy_forms(edit_yaml(reorder))
    theirs = load_form(NAME, str(root))
    assert [c.role for c in theirs.changes.rows.children] != [c.role for c in ours.changes.rows.children]

    old_a, old_b = checked(ours, SPEC), checked(theirs, SPEC)
    codes = {d.code for d in old_a.diagnostics}
    assert {"W702", "W703", "W704", "W707"} <= codes  # the change-table warnings are really exercised
    assert old_a.diagnostics == old_b.diagnostics
    assert old_a.report == old_b.report

    new_a, new_b = checked(ours, edited_spec), checked(theirs, edited_spec)
    rows_a = diff_reports(ours, old_a.report, new_a.report)
    rows_b = diff_reports(theirs, old_b.report, new_b.report)
    assert rows_a == rows_b
    assert {r.timing for r in rows_a} == {"事前", "事後"}
    assert by_header(as_tsv(rows_a, ours, "令和7年3月21日")) == by_header(as_tsv(rows_b, theirs, "令和7年3月21日"))
    assert as_pia(rows_a, ours, "令和7年3月21日") == as_pia(rows_b, theirs, "令和7年3月21日")
    assert recorded(ours, old_a.report) == recorded(theirs, old_b.report)

    table_a = change_table(ours, old_a.report, ours.changes.part)
    table_b = change_table(theirs, old_b.report, theirs.changes.part)
    assert [dict(zip(table_a.columns, r)) for r in table_a.rows] == [dict(zip(table_b.columns, r))
                                                                     for r in table_b.rows]


def test_timing_by_role_not_by_position(copy_forms, edited_spec: Path) -> None:
    """The 事前 and 事後 options found by their roles, wherever they stand in the list."""
    def reorder_options(raw: dict) -> None:
        timing = next(c for c in change_rows(raw)["children"] if c.get("role") == "timing")
        timing["options"] = ["事後", "事前", "一部事前"]
    form = load_form(NAME, str(copy_forms(edit_yaml(reorder_options))))
    assert form.changes.timing("after").text == "事後"
    assert form.changes.timing("before").text == "事前"
    old = checked(form, SPEC)
    assert [d.code for d in old.diagnostics].count("W703") == 1
    rows = diff_reports(form, old.report, checked(form, edited_spec).report)
    assert {(r.reason, r.timing) for r in rows} == {("重要な変更", "事前"), ("重要な変更にあたらない", "事後")}


def _remove_column_role(raw: dict) -> None:
    del change_rows(raw)["children"][5]["role"]


def _remove_timing_role(raw: dict) -> None:
    del change_rows(raw)["children"][4]["option_roles"]["事後"]


def _remove_cover_role(raw: dict) -> None:
    cover = next(i for i in raw["items"] if i.get("role") == "cover")
    del next(c for c in cover["children"] if c.get("role") == "published")["role"]


def _misspell_key(raw: dict) -> None:
    item = raw["items"][2]["children"][0]["children"][2]
    item["lable"] = item.pop("label")


def _unknown_level(raw: dict) -> None:
    raw["threshold"]["level"] = "中間"


def _unknown_kind(raw: dict) -> None:
    raw["items"][2]["children"][0]["children"][0]["kind"] = "textarea"


def _unknown_op(raw: dict) -> None:
    item = next(c for c in raw["items"][2]["children"][4]["children"] if "present_when" in c)
    item["present_when"] = {"item": "I.5.1", "equals": "実施する"}


def _unknown_option(raw: dict) -> None:
    item = next(c for c in raw["items"][2]["children"][4]["children"] if "present_when" in c)
    item["present_when"] = {"item": "I.5.1", "is": "実施"}


def _unknown_reference(raw: dict) -> None:
    raw["threshold"]["pairing"] = "I.1.9"


def _unknown_role(raw: dict) -> None:
    raw["items"][2]["children"][0]["children"][0]["role"] = "name"


def _second_role(raw: dict) -> None:
    cols = change_rows(raw)["children"]
    cols[3]["role"] = cols[2]["role"]


@pytest.mark.parametrize("edit, where, message", [
    (_remove_column_role, "items[8].children[0] (ANX2.row)", "missing role 'reason'"),
    (_remove_timing_role, "items[8].children[0].children[4] (ANX2.row.timing).option_roles", "missing role 'after'"),
    (_remove_cover_role, "items[0] (COVER)", "missing role 'published'"),
    (_misspell_key, "items[2].children[0].children[2] (I.1.3)", "unknown key 'lable' (did you mean 'label'?)"),
    (_unknown_level, "threshold.level", "unknown level '中間'"),
    (_unknown_kind, "items[2].children[0].children[0] (I.1.1)", "unknown kind 'textarea'"),
    (_unknown_op, "items[2].children[4].children[1] (I.5.2).present_when", "unknown key 'equals'"),
    (_unknown_option, "items[2].children[4].children[1] (I.5.2).present_when", "'実施' is not an option of I.5.1"),
    (_unknown_reference, "threshold.pairing", "unknown item 'I.1.9'"),
    (_unknown_role, "items[2].children[0].children[0] (I.1.1)", "unknown role 'name'"),
    (_second_role, "items[8].children[0].children[3] (ANX2.row.after)", "role 'before' is also given to"),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_broken_form_names_file_and_key(copy_forms, edit, where, message) -> None:
    from piadoc.schema import SchemaError

    root = copy_forms(edit_yaml(edit))
    with pytest.raises(SchemaError) as err:
        load_form(NAME, str(root))
    text = str(err.value)
    assert text.startswith(str(root / "juten" / "form.yaml") + ": ")
    assert f": {where}" in text and message in text


def test_packaged_forms_name_their_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A packaged form in error is named as templates/<form>/form.yaml (what a maintainer opens)."""
    from piadoc.resources import templates_dir
    from piadoc.schema import SchemaError
    from piadoc.schema.loader import parse_form

    path = templates_dir() / "juten" / "form.yaml"
    data = path.read_bytes().replace(b"level: \xe9\x87\x8d\xe7\x82\xb9", b"level: X")  # 重点 → X
    with pytest.raises(SchemaError, match=r"^templates/juten/form\.yaml: threshold\.level: unknown level 'X'"):
        parse_form(path, data)


def test_cli_shows_a_broken_form_clearly(copy_forms, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A broken form is the template author's bug, not the spec writer's: exit 3 naming file and key."""
    import piadoc.schema.loader as loader
    from piadoc.cli import main

    root = copy_forms(edit_yaml(_unknown_level))
    monkeypatch.setattr(loader, "templates_dir", lambda: root)
    spec = tmp_path / "a.pia"
    spec.write_text("評価書: 重点項目評価書\n", encoding="utf-8")
    assert main(["check", str(spec)]) == 3
    err = capsys.readouterr().err
    assert "templates/juten/form.yaml: threshold.level: unknown level '中間'" in err
    assert "Traceback" not in err and "E901" not in err
