"""Source files: lines for the excerpts of diagnostics, and `piadoc check` linear in the number of diagnostics.

Linearity is shown by counting work, not by timing it: the number of Python and builtin calls made to check
a spec and show its diagnostics, and the number of times the whole text is split into lines."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

import piadoc.source
from piadoc.diagnostics import render_all
from piadoc.pipeline import load_and_check
from piadoc.source import SourceFile


class CountingText(str):
    """A text that counts how often it is split (the line index should be built once)."""

    splits = 0

    def split(self, *args, **kwargs):  # type: ignore[override]
        CountingText.splits += 1
        return super().split(*args, **kwargs)


def test_line() -> None:
    source = SourceFile("a.pia", "一\n二\n\n三")
    assert [source.line(n) for n in range(0, 6)] == ["", "一", "二", "", "三", ""]
    assert source == SourceFile("a.pia", "一\n二\n\n三")  # the index is not part of the value
    assert replace(source, real="/x").line(2) == "二"


def row(i: int) -> str:
    """A 変更箇所 row whose before and after are the same: one W707 with an excerpt each."""
    same = f"同じ記載です。{i}"
    return (f"変更\n  変更日: 令和5年4月1日\n  項目: Ⅰ基本情報 １．特定個人情報ファイルを取り扱う事務\n"
            f"  変更前の記載: {same}\n  変更後の記載: {same}\n  提出時期: [事後]\n  提出時期に係る説明: 誤記載\n")


def work(tmp_path: Path, n: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int, int]:
    """(calls, splits of the text, W707 shown) to check a fragment of ``n`` such rows and render them."""
    spec = tmp_path / f"rows{n}.pia"
    spec.write_text("評価書: 全項目評価書\n@under （別添３）変更箇所\n" + "".join(row(i) for i in range(n)),
                    encoding="utf-8")
    decode = piadoc.source.decode_source
    monkeypatch.setattr(piadoc.source, "decode_source", lambda data, path: replace(
        decode(data, path), text=CountingText(decode(data, path).text)))
    CountingText.splits = 0
    calls = 0

    def count(frame, event, arg) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        loaded = load_and_check(spec)
        text = render_all(loaded.result.diagnostics, loaded.sources)
    finally:
        sys.setprofile(None)
    return calls, CountingText.splits, text.count("[W707]")


def test_check_is_linear_in_diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work(tmp_path, 1, monkeypatch)  # warm up: the parser and the form are built once per process
    small, small_splits, small_shown = work(tmp_path, 100, monkeypatch)
    big, big_splits, big_shown = work(tmp_path, 400, monkeypatch)
    assert (small_shown, big_shown) == (100, 400)
    assert small_splits <= 2 and big_splits <= 2, "the text is split into lines for each diagnostic"
    # c + k·n calls give a ratio below 4 whatever c and k are; a loop over the diagnostics per diagnostic does not
    assert big / small < 4.2, f"4× the diagnostics cost {big / small:.2f}× the calls"
