"""Parsing a spec part by part (syntax/chunks.py) gives exactly the AST of parsing it whole, positions included."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from piadoc.diagnostics import DiagnosticError
from piadoc.source import SourceFile
from piadoc.syntax import _parse, _parse_whole
from piadoc.syntax.chunks import cut

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").rglob("*.pia"))


def both(text: str) -> tuple[object, object]:
    def run(fn):  # noqa: ANN001
        try:
            return fn("spec.pia", text, "")
        except DiagnosticError as err:
            return ("error", err.diagnostic)
    _parse.cache_clear()
    return run(_parse), run(_parse_whole)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_parts_give_the_whole_ast(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8")
    parts = cut(text)
    assert parts is not None and "\n".join(p for _, p in parts) == text
    chunked, whole = both(text)
    assert chunked == whole


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_edited_spec_parses_the_same_in_parts(rng: random.Random) -> None:
    """Random line edits (deleted, duplicated, re-indented, quotes and colons typed) of a real spec: the parts
    give the same AST, or the same first error."""
    lines = (REPO / "specs" / "takatsuki-juki-kiso.pia").read_text(encoding="utf-8").split("\n")
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(lines))
        action = rng.choice(["del", "dup", "indent", "dedent", "quotes", "colon", "bracket"])
        if action == "del":
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = "  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip(" ")
        elif action == "quotes":
            lines[i] = lines[i] + rng.choice(['"""', ': """', '"'])
        elif action == "colon":
            lines[i] = lines[i].replace(":", "", 1) if ":" in lines[i] else lines[i] + ":"
        else:
            lines[i] = lines[i] + "["
    chunked, whole = both("\n".join(lines))
    assert chunked == whole


def test_many_top_level_lines_make_few_parts() -> None:
    """Parts are parsed after their preceding newlines: a part per line of a long file would be quadratic."""
    text = "".join(f"項目{i}: 値\n" for i in range(20_000))
    parts = cut(text)
    assert parts is not None and len(parts) <= 64
    assert "\n".join(p for _, p in parts) == text
    chunked, whole = both(text)
    assert chunked == whole
