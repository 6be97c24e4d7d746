"""The shipped parser tables: made from today's grammar, parsing exactly as the analysed grammar does, and
no pickle read from the shared temp folder (where Lark's ``cache=True`` would look)."""
from __future__ import annotations

import json
import os
import pickle
import tempfile
from pathlib import Path

import lark
import pytest
from lark import Lark

import piadoc.syntax.tables as tables
from piadoc.source import SourceFile
from piadoc.syntax import parse
from piadoc.syntax.parser import ANALYSED, PiaIndenter, build_parser, get_parser, grammar_text, load_parser

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").rglob("*.pia")) + sorted((REPO / "tests").rglob("*.pia"))
BROKEN = ["a: 1\n   b: 2\n  c: 3\n", "a: [x\n", 'a: """\nb\n', "a:\n\tb: 1\n", "a: 1\n  - 2\n: 3\n"]


def test_tables_are_made_from_this_grammar() -> None:
    stored = json.loads(tables.TABLES.read_text(encoding="utf-8"))
    hint = "the grammar or Lark changed: run tools/gen_parser_tables.py and commit piadoc/syntax/parser_tables.json"
    assert stored["grammar_sha256"] == tables.grammar_digest(grammar_text()), hint
    assert stored["lark"] == lark.__version__, hint
    assert load_parser(grammar_text()) is not None


def _outcome(parser: Lark, text: str) -> object:
    parser.options.postlex.path = "t.pia"
    try:
        return parser.parse(text)
    except Exception as err:  # noqa: BLE001 - the same failure, at the same place, is the point
        return (type(err).__name__, getattr(err, "line", None), getattr(err, "column", None),
                sorted(getattr(err, "expected", None) or getattr(err, "allowed", None) or ()))


def _table(parser: Lark):
    return parser.parser.parser.parser.parse_table  # frontend → LALR_Parser → _Parser → its table


def _rule(rule) -> tuple:
    options = {name: getattr(rule.options, name) for name in rule.options.__serialize_fields__}
    return rule.origin, rule.expansion, rule.alias, options


def test_loaded_tables_are_the_analysed_ones() -> None:
    """The same automaton, state for state: Lark numbers states differently from run to run, so the two are
    walked side by side from the start state, comparing every action on every terminal."""
    loaded, built = _table(load_parser(grammar_text())), _table(build_parser(grammar_text()))
    assert loaded.start_states.keys() == built.start_states.keys()
    pairs = {loaded.start_states[k]: built.start_states[k] for k in built.start_states}
    todo, seen = list(pairs), set()
    while todo:
        mine = todo.pop()
        if mine in seen:
            continue
        seen.add(mine)
        a, b = loaded.states[mine], built.states[pairs[mine]]
        assert a.keys() == b.keys()
        for symbol, (action, arg) in a.items():  # terminals, and the gotos on rules
            other_action, other_arg = b[symbol]
            assert action.name == other_action.name
            if action.name == "Shift":
                assert pairs.setdefault(arg, other_arg) == other_arg
                todo.append(arg)
            else:
                assert _rule(arg) == _rule(other_arg)
    assert len(seen) == len(set(pairs.values())) == len(loaded.states) == len(built.states)
    assert {k: pairs[v] for k, v in loaded.end_states.items()} == built.end_states


def test_loaded_tables_parse_as_the_grammar_does() -> None:
    loaded, built = load_parser(grammar_text()), build_parser(grammar_text())
    assert loaded is not None
    texts = [p.read_bytes().decode("utf-8", "replace") for p in SPECS] + BROKEN
    assert len(texts) > 10
    for text in texts:
        assert _outcome(loaded, text) == _outcome(built, text)


def test_tables_round_trip_exactly() -> None:
    data = {"states": {0: {3: (0, 1), 4: (1, {"@": 7})}}, "t": ("a", ["b", ()]), "o": {}}
    assert tables.loads(json.dumps(tables.encode(data))) == data
    with pytest.raises(TypeError):
        tables.encode({"x": object()})


def test_stale_or_broken_tables_fall_back_to_the_grammar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for content in ('{"grammar_sha256": "0", "lark": "0", "data": {}, "memo": {}}', "{not json", ""):
        (tmp_path / "t.json").write_text(content, encoding="utf-8")
        monkeypatch.setattr(tables, "TABLES", tmp_path / "t.json")
        assert load_parser(grammar_text()) is None
    get_parser.cache_clear()
    try:
        assert parse(SourceFile("t.pia", "a: 1\n  b: 2\n")).statements[0].ref == "a"
    finally:
        get_parser.cache_clear()


class Hostile:
    """Unpickling this makes the marker folder: any code could run in its place."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_a_pickle_planted_in_the_temp_folder_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    marker = tmp_path / "owned"
    # Where Lark's cache=True keeps this grammar with piadoc's options: let Lark name the file itself.
    Lark(grammar_text(), **ANALYSED, postlex=PiaIndenter(), propagate_positions=False, cache=True)
    (cache,) = tmp_path.glob(".lark_cache*")
    first_line = cache.read_bytes().split(b"\n", 1)[0]

    def plant() -> None:
        cache.write_bytes(first_line + b"\n" + pickle.dumps(Hostile(marker)))

    plant()  # the threat is real: Lark's own cache runs the planted pickle
    Lark(grammar_text(), **ANALYSED, postlex=PiaIndenter(), propagate_positions=False, cache=True)
    assert marker.exists()
    marker.rmdir()
    plant()
    get_parser.cache_clear()
    try:
        assert parse(SourceFile("t.pia", "a: 1\n  b: 2\n")).statements[0].children[0].ref == "b"
    finally:
        get_parser.cache_clear()
    assert not marker.exists()
