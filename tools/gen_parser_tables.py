"""Write piadoc/syntax/parser_tables.json: the grammar's analysed LALR tables, shipped so that no run has
to analyse the grammar (and none uses Lark's pickle cache). Run after editing grammar/pia.lark or
upgrading Lark; tests/syntax/test_tables.py fails until you do.

    .venv/bin/python tools/gen_parser_tables.py [--force]

Lark numbers the parser states in an order that changes from run to run, so tables still made from the
same grammar and Lark are left alone (no diff to review) unless --force is given.
"""
from __future__ import annotations

import sys

import lark

from piadoc.syntax.parser import analysed, build_parser, grammar_text
from piadoc.syntax.tables import TABLES, read_tables, tables_text


def main() -> None:
    grammar = grammar_text()
    if "--force" not in sys.argv and read_tables(grammar, lark.__version__) is not None:
        print(f"{TABLES.name}: up to date (grammar and lark {lark.__version__})")
        return
    text = tables_text(grammar, lark.__version__, *analysed(build_parser(grammar)))
    TABLES.write_text(text, encoding="utf-8")
    print(f"{TABLES.name}: written ({len(text)} bytes, lark {lark.__version__})")


if __name__ == "__main__":
    main()
