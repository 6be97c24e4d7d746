"""Where something stands in a source file: shared by the AST, diagnostics and every stage that points
at what the user wrote. The lowest module: it imports nothing of piadoc."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file. Lines and columns are 1-based code points; end_column is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of_token(cls, path: str, tok: object) -> "Span":
        """From a lark Token (or anything with line/column/end_line/end_column)."""
        line, col = tok.line or 0, tok.column or 0  # type: ignore[attr-defined]
        return cls(path, line, col, tok.end_line or line, tok.end_column or col + 1)  # type: ignore[attr-defined]

    def at_start(self) -> "Span":
        """A one-character span at this span's start."""
        return Span(self.path, self.line, self.column, self.line, self.column + 1)
