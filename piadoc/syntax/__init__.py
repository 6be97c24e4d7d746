"""Syntax stage: SourceFile → nodes.Spec. Raises DiagnosticError for the first syntax error."""
from __future__ import annotations

import os
from functools import lru_cache

from lark.exceptions import UnexpectedCharacters, UnexpectedInput

from ..diagnostics import Diagnostic, DiagnosticError
from ..nodes import Spec, Statement
from ..source import SourceFile
from .builder import Builder
from .chunks import cut
from .errors import NBSP, from_lark, nbsp_fixes
from .indentation import every_line
from .parser import get_parser


def parse(source: SourceFile) -> Spec:
    """Parse one file. Empty files parse to an empty Spec; the checker says what is missing.

    Results are kept (a Spec is immutable): the language server checks a spec on every change, and neither
    its unchanged includes nor the unchanged top-level parts of the spec itself (chunks.py) are parsed again.
    Any error is reported by parsing the whole file, exactly as without the parts."""
    return _parse(source.path, source.text, source.real)


@lru_cache(maxsize=16)
def _parse(path: str, text: str, real: str) -> Spec:
    parts = cut(text)
    if parts is not None and len(parts) > 1:
        try:
            statements: list[Statement] = []
            for start, part in parts:
                statements.extend(_parse_part(path, real, start, part))
            return Spec(path, tuple(statements))
        except DiagnosticError:
            pass  # the whole file names the first error, as a single parse does
    return _parse_whole(path, text, real)


@lru_cache(maxsize=1024)
def _parse_part(path: str, real: str, start: int, part: str) -> tuple[Statement, ...]:
    """One top-level part, after ``start`` newlines so that its positions are those in the whole file."""
    return _parse_whole(path, "\n" * start + part, real).statements


def _every_line(diag: Diagnostic, source: SourceFile) -> Diagnostic:
    """An indentation error names every such line of the file, and the fix when it is safe (indentation.py)."""
    return every_line(diag, source) if diag.code in ("E205", "E208") else diag


def _parse_whole(path: str, text: str, real: str) -> Spec:
    source = SourceFile(path, text, real)
    parser = get_parser()
    parser.options.postlex.path = source.path  # the indenter reports positions in this file
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        tree = parser.parse(text)
    except DiagnosticError as err:
        err.source = source
        err.diagnostic = _every_line(err.diagnostic, source)
        raise
    except UnexpectedInput as err:
        diag = from_lark(err, source)
        if isinstance(err, UnexpectedCharacters) and err.char == NBSP:
            diag = nbsp_fixes(diag, source, parser.parse)
        raise DiagnosticError(_every_line(diag, source), source) from None
    try:
        base = os.path.dirname(source.real) if source.real else ""
        return Builder(source.path, base).spec(tree)
    except DiagnosticError as err:
        err.source = source
        raise
