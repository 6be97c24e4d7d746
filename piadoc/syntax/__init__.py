"""Syntax stage: SourceFile → nodes.Spec. Raises DiagnosticError for the first syntax error."""
from __future__ import annotations

import os
from functools import lru_cache

from lark.exceptions import UnexpectedInput

from ..diagnostics import DiagnosticError
from ..nodes import Spec
from ..source import SourceFile
from .builder import Builder
from .errors import from_lark
from .parser import get_parser


def parse(source: SourceFile) -> Spec:
    """Parse one file. Empty files parse to an empty Spec; the checker says what is missing.

    The last few results are kept (a Spec is immutable): the language server checks a spec on every change,
    and its unchanged includes need not be parsed again."""
    return _parse(source.path, source.text, source.real)


@lru_cache(maxsize=16)
def _parse(path: str, text: str, real: str) -> Spec:
    source = SourceFile(path, text, real)
    parser = get_parser()
    parser.options.postlex.path = source.path  # the indenter reports positions in this file
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        tree = parser.parse(text)
    except DiagnosticError as err:
        err.source = source
        raise
    except UnexpectedInput as err:
        raise DiagnosticError(from_lark(err, source), source) from None
    try:
        base = os.path.dirname(source.real) if source.real else ""
        return Builder(source.path, base).spec(tree)
    except DiagnosticError as err:
        err.source = source
        raise
