"""Parser goldens: each golden/<name>.pia parses to exactly the AST dump in <name>.ast.txt."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc.nodes import Checks, Choice, Text, pretty
from piadoc.source import SourceFile
from piadoc.syntax import parse

HERE = Path(__file__).resolve().parent / "golden"
CASES = sorted(HERE.glob("*.pia"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_ast_golden(case: Path, golden) -> None:
    spec = parse(SourceFile(case.name, case.read_text(encoding="utf-8")))
    golden.check(pretty(spec), case.with_suffix(".ast.txt"))


def _value(text: str):
    spec = parse(SourceFile("t.pia", text))
    return spec.statements[0].value


def test_block_keeps_bullets_and_blank_lines() -> None:
    value = _value('a: """\n    ・一つ目\n      (1) 字下げ\n\n    【見出し】\n    """\n')
    assert isinstance(value, Text) and value.block
    assert value.text == "・一つ目\n  (1) 字下げ\n\n【見出し】"


def test_choice_and_inline_checks() -> None:
    assert _value("a: [十分である]\n") == Choice("十分である", _value("a: [十分である]\n").span)
    checks = _value("a: [○] 紙, [ ] 電子メール、[x] その他（FAX）\n")
    assert isinstance(checks, Checks)
    assert [(c.checked, c.text) for c in checks.items] == [(True, "紙"), (False, "電子メール"), (True, "その他（FAX）")]


def test_fullwidth_colon_stays_in_the_label() -> None:
    spec = parse(SourceFile("t.pia", "リスク１：目的外の入手が行われるリスク\n  b: 1\n"))
    assert spec.statements[0].ref == "リスク１：目的外の入手が行われるリスク"


def test_crlf_and_comments() -> None:
    from piadoc.source import decode_source

    spec = parse(decode_source("# c\r\na: 1\r\n  # c2\r\n  b: 2\r\n".encode(), "t.pia"))
    assert [s.ref for s in spec.statements] == ["a"]
    assert spec.statements[0].children[0].ref == "b"
