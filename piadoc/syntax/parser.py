"""The Lark LALR parser for .pia, built once, with an indentation post-lexer that reports in Japanese."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import lark
from lark import Lark, Token
from lark.grammar import Rule
from lark.indenter import Indenter
from lark.lexer import TerminalDef

from ..diagnostics import Diagnostic, DiagnosticError, Span
from ..resources import grammar_path
from .tables import read_tables

#: The forms nest five deep; a much deeper file is a mistake, and would exhaust Python's stack later.
MAX_DEPTH = 40


class PiaIndenter(Indenter):
    """Turns leading spaces after each newline into _INDENT/_DEDENT, as Python's grammar does.

    Lark's own DedentError carries no position, so an inconsistent dedent is reported here, where the
    newline token (and so the line) is known. ``path`` is set by :func:`parse_tree` for each run.
    """

    NL_type = "_NL"
    OPEN_PAREN_types: list[str] = []
    CLOSE_PAREN_types: list[str] = []
    INDENT_type = "_INDENT"
    DEDENT_type = "_DEDENT"
    tab_len = 8
    path = "<spec>"

    def handle_NL(self, token: Token) -> Iterator[Token]:
        indent_str = token.rsplit("\n", 1)[1]
        line = (token.end_line or token.line or 1)
        if "\t" in indent_str:
            col = indent_str.index("\t") + 1
            raise DiagnosticError(Diagnostic.error("E205", Span(self.path, line, col, line, col + 1)))
        indent = len(indent_str)
        if indent > self.indent_level[-1] and len(self.indent_level) > MAX_DEPTH:
            raise DiagnosticError(Diagnostic.error("E209", Span(self.path, line, indent + 1, line, indent + 2),
                                                   max=MAX_DEPTH))
        if indent > self.indent_level[-1] or indent in self.indent_level:
            yield from super().handle_NL(token)
            return
        raise DiagnosticError(Diagnostic.error(
            "E202", Span(self.path, line, indent + 1, line, indent + 2),
            notes=[f"前の字下げ: {', '.join(str(n) for n in self.indent_level)} 文字"]))


#: The options that shape the analysis; they are stored in the tables.
ANALYSED: dict[str, Any] = {"parser": "lalr", "maybe_placeholders": True}


def _runtime() -> dict[str, Any]:
    """The options Lark does not store in its tables: given again when they are loaded."""
    return {"postlex": PiaIndenter(), "propagate_positions": False}


def grammar_text() -> str:
    return grammar_path().read_text(encoding="utf-8")


def build_parser(grammar: str) -> Lark:
    """Analyse the grammar (~50 ms): what the shipped tables save."""
    return Lark(grammar, **ANALYSED, **_runtime())


def analysed(parser: Lark) -> tuple[dict[str, Any], dict[Any, Any]]:
    """(data, memo): a built parser's tables as Lark serialises them, without the runtime options."""
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["options"] = {k: v for k, v in data["options"].items() if k not in _runtime()}
    return data, memo


def load_parser(grammar: str) -> Lark | None:
    """The parser from the shipped tables (a few ms), or None when they were made from another grammar or
    another Lark version."""
    tables = read_tables(grammar, lark.__version__)
    if tables is None:
        return None
    return Lark._load_from_dict(*tables, **_runtime())


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The parser, once per process: from the shipped tables, else analysed from the grammar. Never from
    Lark's own cache (``cache=True``), which unpickles whatever lies in the shared temp folder."""
    grammar = grammar_text()
    return load_parser(grammar) or build_parser(grammar)
