"""Hostile templates and values (issue 9, items 3 and 5): check answers fast with a positioned E605 / E609 / E409
instead of running for minutes, exhausting memory, or passing what build cannot write."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from piadoc.check import bounded
from piadoc.model import TextAnswer
from piadoc.pipeline import load_and_check

HEAD = "評価書: 重点項目評価書\n評価書番号: 1\n"  # the hostile value is on line 4


def _check(tmp_path: Path, line: str):
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    spec = tmp_path / "spec.pia"
    spec.write_text(HEAD + "@set 機関 = 市\n" + line + "\n", encoding="utf-8")
    started = time.monotonic()
    result = load_and_check(spec).result
    return result, time.monotonic() - started


HOSTILE = {
    "repeat a string 10**9 times": "{{ 'x' * 10**9 }}",
    "a power with 3 billion digits": "{{ 9**(9**10) }}",
    "nested loops, nothing printed": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "nested loops, printing": "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "range too long": "{% for i in range(10**9) %}{% endfor %}",
    "list repeated": "{{ ['x' * 1000] * 10**6 }}",
    "string concatenation": "{% set a = 'x' * 900000 %}{{ a + a }}",
    "tilde concatenation": "{% set a = 'x' * 900000 %}{{ a ~ a }}",
    "literals nested": "{% set a = ['x' * 600000] %}{% set b = [a, a] %}{{ b|length }}",
    "center filter": "{{ 'x'|center(10**9) }}",
    "indent filter": "{{ ('\\n' * 100000)|indent(1000) }}",
    "replace filter": "{{ ('x' * 1000)|replace('x', 'y' * 1001) }}",
    "replace method": "{{ ('x' * 1000).replace('x', 'y' * 1001) }}",
    "ljust method": "{{ 'x'.ljust(10**9) }}",
    "percent width": "{{ '%999999999s'|format(1) }}",
    "percent operator width": "{{ '%*s' % (10**9, 'x') }}",
    "str.format width": "{{ '{:>999999999}'.format(1) }}",
    "str.format nested width": "{{ '{:>{w}}'.format(1, w=10**9) }}",
    "list doubling itself": "{% set l = [1] %}{% for i in range(40) %}{% set _ = l.extend(l) %}{% endfor %}",
    "macro output doubled": "{% macro f() %}{{ 'x' * 1000000 }}{% endmacro %}{{ f() ~ f() }}",
    "printed total": "{% for i in range(2000) %}{{ 'x' * 1000 }}{% endfor %}",
    "item-by-item filter on a long string": "{{ ('x' * 900000)|sort|length }}",
    "wordwrap at every character": "{{ ('x ' * 50000)|wordwrap(1)|length }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
}


@pytest.mark.parametrize("template", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_template_is_refused_quickly(tmp_path: Path, template: str) -> None:
    result, took = _check(tmp_path, f"評価実施機関名: {template}")
    errors = [d for d in result.diagnostics if d.is_error]
    assert [(d.code, d.span.line) for d in errors] == [("E605", 4)], errors
    assert result.report is None
    assert took < 10, f"took {took:.1f} s"


@pytest.mark.parametrize("template", [
    "{{ '\\x01' }}", "{{ '%c'|format(65534) }}", "{{ '%c'|format(0xD800) }}", "前{{ '\\x0b' }}後",
])
def test_characters_xml_cannot_hold_brought_by_variables(tmp_path: Path, template: str) -> None:
    result, _ = _check(tmp_path, f"評価実施機関名: {template}")
    assert [(d.code, d.span.line) for d in result.diagnostics if d.is_error] == [("E609", 4)]


def test_time_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bounded, "MAX_SECONDS", 0.0)
    result, _ = _check(tmp_path, "評価実施機関名: {{ 'a'|upper }}")
    assert [(d.code, "時間" in d.message) for d in result.diagnostics if d.is_error] == [("E605", True)]


ORDINARY = {
    "{{ '{:,}'.format(1234567890) }}円": "1,234,567,890円",
    "{{ '%d件'|format(1234567890) }}": "1234567890件",
    "{% for i in range(3) %}{{ loop.index }}{% endfor %}": "123",
    "{{ ['a', 'b']|join('、') }}{{ 2**64 }}": "a、b18446744073709551616",
    "{{ ('x' * 10)|replace('x', 'yz') }}|{{ 'ab'|center(6) }}|": "yzyzyzyzyzyzyzyzyzyz|  ab  |",
    "{% set a = 'x' * 999999 %}{{ a|length }}": "999999",
    "{{ (1, 2) ~ {'k': [1]} }}": "(1, 2){'k': [1]}",
    "{{ 機関.missing|default('既定') }}{{ 機関|indent(2) }}": "既定市",
}


@pytest.mark.parametrize("template,expected", ORDINARY.items(), ids=range(len(ORDINARY)))
def test_ordinary_templates_still_render(tmp_path: Path, template: str, expected: str) -> None:
    result, _ = _check(tmp_path, f"評価実施機関名: {template}")
    assert not result.has_errors, result.diagnostics
    assert result.report.get("COVER.org") == TextAnswer(expected)


def test_value_of_a_million_characters_is_the_limit(tmp_path: Path) -> None:
    limit = bounded.MAX_SIZE
    result, _ = _check(tmp_path, "特記事項: " + "あ" * limit)
    assert not result.has_errors
    result, took = _check(tmp_path, "特記事項: " + "あ" * (limit + 1))
    errors = [d for d in result.diagnostics if d.is_error]
    assert [(d.code, d.span.line) for d in errors] == [("E409", 4)]
    assert "1,000,001" in errors[0].message


def test_long_cover_name_builds(tmp_path: Path, run_cli) -> None:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    (tmp_path / "spec.pia").write_text(HEAD + "評価書名: " + "名" * 300 + "\n評価実施機関名: " + "機" * 300 + "\n",
                                       encoding="utf-8")
    done = run_cli("build", "spec.pia", "-o", "out.docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    from docx import Document

    doc = Document(str(tmp_path / "out.docx"))
    assert doc.core_properties.title == "名" * 255 and doc.core_properties.author == "機" * 255
    assert any(cell.text == "名" * 300 for table in doc.tables for row in table.rows for cell in row.cells)


def test_a_repeat_heading_title_has_the_same_limit(tmp_path: Path) -> None:
    """委託事項1: <title> is a text value too: the same E409, at its line."""
    limit = bounded.MAX_SIZE
    line = "Ⅱ 特定個人情報ファイルの概要\n  ４．特定個人情報ファイルの取扱いの委託\n    委託事項1: " + "あ" * (limit + 1)
    result, _ = _check(tmp_path, line)
    assert [(d.code, d.span.line) for d in result.diagnostics if d.is_error] == [("E409", 6)]
