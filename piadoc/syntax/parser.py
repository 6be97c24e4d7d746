"""The Lark LALR parser for .pia, built once, with an indentation post-lexer that reports in Japanese."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from lark import Lark, Token
from lark.indenter import Indenter

from ..diagnostics import Diagnostic, DiagnosticError, Span
from ..resources import grammar_path

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


@lru_cache(maxsize=1)
def get_parser() -> Lark:
    """The parser is built once per process. Lark caches the analysed tables in the temp folder, keyed by
    the grammar's hash (a stale cache is never used), which saves a third of `piadoc check`'s start-up."""
    return Lark(grammar_path().read_text(encoding="utf-8"), parser="lalr", postlex=PiaIndenter(),
                maybe_placeholders=True, propagate_positions=False, cache=True)
