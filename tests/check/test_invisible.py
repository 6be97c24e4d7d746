"""Characters that show as nothing or as a space (W728), and the excerpt under a warning: what a terminal would
draw as a line break or as nothing is shown as one visible cell, so the caret stays under it."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc import cli
from piadoc.diagnostics import render_all, width
from piadoc.pipeline import load_and_check


def test_fix_removes_invisible_characters_and_keeps_crlf_and_bom(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    raw = "\ufeff評価書: 重点項目評価書\r\n特記事項: 住民\u200b基本台帳。Windows\u00a0Server、イン\u00adターネット\u2060\r\n"
    (tmp_path / "s.pia").write_bytes(raw.encode("utf-8"))
    cli.main(["check", "--fix", "s.pia"])
    out, err = capsys.readouterr()
    assert (tmp_path / "s.pia").read_bytes().decode("utf-8") == (
        "\ufeff評価書: 重点項目評価書\r\n特記事項: 住民基本台帳。Windows Server、インターネット\r\n")
    assert "s.pia:2:9: 「U+200B」→「」" in err and "4 か所を直しました" in err
    cli.main(["check", "s.pia"])
    assert "W728" not in capsys.readouterr().out


def test_a_joiner_between_emoji_is_reported_and_not_removed(tmp_path: Path) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text("評価書: 重点項目評価書\n特記事項: 👨\u200d👩 と 住民\u200d基本\n", encoding="utf-8")
    found = [d for d in load_and_check(spec).result.diagnostics if d.code == "W728"]
    assert [(d.span.column, bool(d.fixes)) for d in found] == [(8, False), (15, True)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085", "\u200b", "\u200d", "\u2060", "\ufeff", "\u00a0",
                                  "\u00ad"])
def test_excerpt_shows_the_character_and_the_caret_stays_under_it(tmp_path: Path, char: str) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text(f"評価書: 重点項目評価書\n特記事項: 住民{char}基本台帳\n", encoding="utf-8")
    loaded = load_and_check(spec)
    diag = next(d for d in loaded.result.diagnostics if d.code in ("W727", "W728"))
    head, excerpt, caret = render_all([diag], loaded.sources).split("\n")[:3]
    assert char not in excerpt and "\u2028" not in head
    shown = excerpt[len("  2 | "):]
    assert shown.startswith("特記事項: 住民") and shown.endswith("基本台帳") and len(shown) == len("特記事項: 住民基本台帳") + 1
    marked = shown[len("特記事項: 住民")]
    assert width(marked) == 1  # one cell: the caret below it is the one cell it takes
    assert caret == "    | " + " " * sum(width(c) for c in "特記事項: 住民") + "^"
