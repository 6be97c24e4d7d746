"""Filling in variables: what a template raises on the user's values is E605; a bug is not hidden as one."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc.pipeline import load_and_check


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.pia"
    path.write_text(f"評価書: 重点項目評価書\n@set 機関名 = 小金井市長\n評価実施機関名: {text}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("text, why", [
    ("{{ 1 / 0 }}", "0 で割っています"),                     # ZeroDivisionError
    ("{{ 10.0 ** 400 }}", "計算できません"),                  # OverflowError
    ("{{ 機関名 - 1 }}", "値の種類が合いません"),             # TypeError
    ("{{ 機関名[1:2:0] }}", "値が正しくありません"),          # ValueError
    ("{{ '%(k)s' % {} }}", "値にないものを参照しています"),   # KeyError
    ("{{ 機関名.__class__ }}", "安全のため使えません"),        # jinja2 SecurityError
    ("{{ 機関名.長さ }}", "値にないものを参照しています"),     # jinja2 UndefinedError
    ("{{ 機関名|truncate('a') }}", "値の種類が合いません"),  # a filter given a wrong argument
])
def test_users_template_failure_is_e605(tmp_path: Path, text: str, why: str) -> None:
    result = load_and_check(_spec(tmp_path, text)).result
    errors = [d for d in result.diagnostics if d.is_error]
    assert [d.code for d in errors] == ["E605"] and why in errors[0].message, errors
    assert result.report is None


def test_filled_in_when_it_works(tmp_path: Path) -> None:
    report = load_and_check(_spec(tmp_path, "{{ 機関名 }}（{{ 2 * 3 }}）")).result.report
    assert report is not None
    assert "小金井市長（6）" in {getattr(answer, "text", None) for answer in report.answers.values()}


def test_a_bug_is_not_reported_as_the_users(tmp_path: Path, monkeypatch) -> None:
    from piadoc.check import bounded

    def broken(env, ast, variables: dict[str, str]) -> str:
        raise AttributeError("a bug in piadoc")

    monkeypatch.setattr(bounded, "render_bounded", broken)
    with pytest.raises(AttributeError):
        load_and_check(_spec(tmp_path, "{{ 機関名 }}"))
