"""The rule table tells the truth: every code has an emitter, every rule emits only the codes it lists, and
every code a rule lists is seen coming from that rule in a golden case (or a test below)."""
from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

import piadoc.check.table as table
from piadoc.check import check
from piadoc.codes import CODES, RETIRED
from piadoc.diagnostics import Span
from piadoc.includes import load_expanded
from piadoc.pipeline import load_and_check
from piadoc.resources import templates_dir
from piadoc.schema.loader import parse_form

PACKAGE = Path(table.__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"

#: Codes reported outside the rule table, by the stage that reports them.
STAGES: dict[str, set[str]] = {
    "source (source.py, encodings.py)": {"E101", "E102", "E103", "E105", "E106", "E107"},
    "syntax (syntax/)": {c for c in CODES if c.startswith("E2")},
    "includes (includes.py)": {"E601", "E602", "E603", "E611"},
    "form line (pipeline.py)": {"E104", "E301", "E302"},
    "walk (check/walk.py, values.py)": {c for c in CODES if c[:2] in ("E3", "E4") and c != "E308"}
    | {"E602", "E606", "E607", "E608", "E610"},
    "specs checked together (check/threshold.agree, from the CLI)": {"E506", "E507"},
    "output files (output.py, cli.py)": {c for c in CODES if c.startswith("E8")},
    "command line (cli.py)": {"E901"},
    "source text (check/lookalikes.py, from pipeline.py)": {"W725", "W726", "W727", "W728"},
    "import (importer/)": {"E115", "E116", "E117", "E118", "E119", "E120"},
}


def test_every_code_is_claimed_by_a_rule_or_a_stage() -> None:
    by_rules = {c for rule in table.RULES for c in rule.codes}
    by_stages = set().union(*STAGES.values())
    assert set(CODES) - by_rules - by_stages == set()
    assert (by_rules | by_stages) - set(CODES) == set()
    assert RETIRED & set(CODES) == set(), "a retired code is never reused"


def test_every_code_is_emitted_somewhere() -> None:
    """A code in codes.py that no module names is dead (as E206 and E504 were)."""
    named: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("codes.py", "table.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and re.fullmatch(r"[EW]\d{3}", node.value):
                named.add(node.value)
    assert set(CODES) - named == set()


def test_fill_rules_first_then_judge_rules() -> None:
    order = [r.phase for r in table.active(warnings=True, fragment=False)]
    assert order == sorted(order, key=["fill", "judge"].index) and set(order) == {"fill", "judge"}
    assert {r.name for r in table.RULES if r.warns_only} == {"unanswered", "change_table"}
    assert not any(r.warns_only for r in table.active(warnings=False, fragment=False))
    assert not any(r.whole_report for r in table.active(warnings=True, fragment=True))


def test_rule_with_wrong_codes_is_refused() -> None:
    with pytest.raises(ValueError):
        table.Rule("x", lambda ctx: None, "fill", ("E501",))
    with pytest.raises(ValueError):
        table.Rule("x", lambda ctx: None, "judge", ())
    with pytest.raises(ValueError):
        table.Rule("x", lambda ctx: None, "judge", ("E999",))


@pytest.fixture
def recorded(monkeypatch) -> set[tuple[str, str]]:
    """Runs every rule through a recorder: (rule, code) for each diagnostic; a code the rule does not list fails."""
    seen: set[tuple[str, str]] = set()

    def recording(rule: table.Rule) -> table.Rule:
        def run(ctx) -> None:
            before = len(ctx.diags.items)
            rule.run(ctx)
            for d in ctx.diags.items[before:]:
                assert d.code in rule.codes, f"rule {rule.name} emitted {d.code}, not in its codes"
                seen.add((rule.name, d.code))
        return dataclasses.replace(rule, run=run)

    monkeypatch.setattr(table, "RULES", tuple(recording(r) for r in table.RULES))
    return seen


def _heavier_juten(tmp_path: Path) -> object:
    """The 重点 form with a fifth 対象人数 band (30万人以上): a single spec can then need a heavier form.
    No shipped form allows it (重点 stops below 30万人 and states no 取扱者数), so E506 from one spec needs this."""
    text = (templates_dir() / "juten" / "form.yaml").read_text(encoding="utf-8")
    old = "4) 10万人以上30万人未満]"
    assert text.count(old) == 1
    path = tmp_path / "form.yaml"
    path.write_text(text.replace(old, "4) 10万人以上30万人未満, 5) 30万人以上]"), encoding="utf-8")
    return parse_form(path)


def test_single_spec_needing_a_heavier_form(tmp_path: Path, recorded) -> None:
    spec_path = tmp_path / "spec.pia"
    spec_path.write_text("評価書: 重点項目評価書\nⅠ 基本情報\n  １．特定個人情報ファイルを取り扱う事務\n"
                         "    ③対象人数: [30万人以上]\n", encoding="utf-8")
    spec = load_expanded(spec_path, {}, None)
    result = check(spec, _heavier_juten(tmp_path), Span(str(spec_path), 1, 1, 1, 2), tmp_path)
    assert [d.code for d in result.diagnostics if d.is_error] == ["E506"]
    assert result.threshold is not None and ("threshold", "E506") in recorded


def test_each_rule_code_comes_from_its_rule_in_a_golden_case(recorded, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(GOLDEN)
    for case in sorted(GOLDEN.glob("*.pia")):
        load_and_check(Path(case.name))
    test_single_spec_needing_a_heavier_form(tmp_path, recorded)
    claimed = {(r.name, c) for r in table.RULES for c in r.codes}
    assert claimed - recorded == set(), "codes a rule lists but no case shows it emitting"
