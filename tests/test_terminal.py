"""What piadoc prints cannot drive the terminal: a spec's escape sequences and control bytes are shown, not
sent (clear screen, window title, NUL), and carets stay under the character they point at."""
from __future__ import annotations

from pathlib import Path

import unicodedata

import pytest

from piadoc.diagnostics import render_all
from piadoc.pipeline import load_and_check


@pytest.mark.parametrize("payload", ["\x1b[2J\x1b]0;owned\x07", "\x00", "\x7f\x9b", "\u202e"])
def test_excerpts_show_control_characters(tmp_path: Path, payload: str) -> None:
    spec = tmp_path / "x.pia"
    spec.write_bytes(f"評価書: 重点項目評価書\nふしぎ{payload}な項目: x\n".encode("utf-8"))
    loaded = load_and_check(spec)
    text = render_all([d for d in loaded.result.diagnostics if d.code != "W701"], loaded.sources)
    excerpt, caret = text.split("\n")[1:3]
    assert excerpt.startswith("  2 | ふしぎ") and excerpt.endswith("な項目: x")
    controls = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch != "\n" or ch == "\u202e"]
    assert not controls, repr(text)
    if loaded.result.diagnostics[0].code == "E102":  # the caret under the first control character
        assert caret == "    |       ^"  # ふしぎ: three wide characters, six cells
