"""Diagnostics: what every stage reports, and the one renderer that shows them to people and tools."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol

from .codes import message_of, severity_of
from .span import Span

__all__ = ["Diagnostic", "DiagnosticError", "Diagnostics", "Fix", "Lines", "Span", "render_all",
           "render_text", "sort_key"]


class Lines(Protocol):
    """What rendering needs of a source file: its lines (source.SourceFile is one)."""

    path: str

    def line(self, n: int) -> str: ...


@dataclass(frozen=True, slots=True)
class Fix:
    """A safe edit a diagnostic proposes: replace the text at ``span`` (one line) by ``replacement``.

    `piadoc check --fix` applies them (piadoc/fixes.py); a rule offers one only when no reading of the spec
    could want the text as it is (a CJK radical copied from a PDF for the ideograph it looks like)."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code, where, and what was expected."""

    code: str
    severity: str
    """'error' or 'warning'."""
    message: str
    span: Span
    notes: tuple[str, ...] = ()
    """Extra lines that say what was expected (options, nearest labels)."""
    fixes: tuple[Fix, ...] = ()
    """Safe edits that resolve it (`piadoc check --fix`)."""
    details: tuple[str, ...] = ()
    """Lines shown only on request (`piadoc check --verbose`) and in JSON: every blank item of a W701."""

    @classmethod
    def make(cls, code: str, span: Span, notes: Iterable[str] = (), *, fixes: Iterable[Fix] = (),
             details: Iterable[str] = (), **fields: object) -> "Diagnostic":
        return cls(code, severity_of(code), message_of(code, **fields), span, tuple(notes), tuple(fixes),
                   tuple(details))

    error = make  # readability at call sites: Diagnostic.error("E303", span, ...)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class DiagnosticError(Exception):
    """Raised by the front stages (decode, syntax, include) for the first error they meet."""

    def __init__(self, diagnostic: Diagnostic, source: "Lines | None" = None) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.source = source


@dataclass
class Diagnostics:
    """A collector: the checker appends and goes on, so one run lists every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, code: str, span: Span, notes: Iterable[str] = (), *, fixes: Iterable[Fix] = (),
            details: Iterable[str] = (), **fields: object) -> None:
        self.items.append(Diagnostic.make(code, span, notes, fixes=fixes, details=details, **fields))

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)


SEVERITY_JA = {"error": "エラー", "warning": "警告"}


def width(ch: str) -> int:
    """Terminal cells of one character, as wcwidth counts them: East Asian Wide and Fullwidth take two,
    combining marks and format characters none, everything else (Ambiguous included) one."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _mirror(prefix: str) -> str:
    """Blank out ``prefix`` cell for cell with ASCII spaces (tabs stay tabs), so the caret line needs no
    full-width character: a terminal draws a space one cell wide whatever its font."""
    return "".join("\t" if ch == "\t" else " " * width(ch) for ch in prefix)


def _underline(text: str) -> str:
    """ASCII carets under every character, one per cell it takes on screen (two under 漢)."""
    return "".join("^" * width(ch) for ch in text) or "^"


#: What an invisible character without a picture of its own is shown as: ◌ (U+25CC DOTTED CIRCLE, Unicode's
#: placeholder for "a character stands here"), one cell wide (East Asian width N, not Ambiguous, so a Japanese
#: terminal draws it one cell too and the caret stays aligned). Not U+FFFD (�), which reads as a file decoded
#: wrongly (`評価書番号: 2�4` looks like mojibake, not like a character pasted from Word).
HIDDEN = "\u25cc"
#: Control characters (C0 but tab, DEL, C1) and bidirectional overrides shown as one visible character each,
#: so a spec cannot clear the screen, set the window title or reorder the line (and carets stay aligned).
_CONTROLS = {c: chr(0x2400 + c) for c in range(0x20) if c != 0x09}
_CONTROLS[0x7F] = "\u2421"
_CONTROLS.update({c: HIDDEN for c in [*range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
#: Characters a terminal draws as a line break or as nothing at all: U+2028/U+2029 (W727) would break the excerpt
#: line, and a zero-width one (W728) would leave the caret pointing at nothing; each becomes one visible cell.
_CONTROLS.update({0x2028: "\u2424", 0x2029: "\u2424", 0x0085: "\u2424", 0x00A0: "\u2423"})  # ␤ ␣: one cell each
_CONTROLS.update({c: HIDDEN for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)})


def visible(text: str) -> str:
    """``text`` safe to print on a terminal: control characters replaced by their visible pictures (␛, ␀)."""
    return text.translate(_CONTROLS)


def render_text(diag: Diagnostic, sources: Mapping[str, Lines], excerpt: bool = True,
                verbose: bool = False) -> str:
    """gcc/rustc shaped text: `file:line:col: エラー[E303]: message`, the line, a caret, then notes."""
    s = diag.span
    where = f"{s.path}:{s.line}:{s.column}" if s.line else s.path
    head = visible(f"{where}: {SEVERITY_JA[diag.severity]}[{diag.code}]: {diag.message}")
    lines = [head]
    source = sources.get(s.path)
    if excerpt and source is not None and s.line >= 1:
        text = visible(source.line(s.line))
        gutter = f"{s.line:>3} | "
        start = max(s.column - 1, 0)
        end = s.end_column - 1 if s.end_line == s.line and s.end_column > s.column else start + 1
        end = min(max(end, start + 1), max(len(text), start + 1))
        lines.append(gutter + text)
        lines.append(" " * (len(gutter) - 2) + "| " + _mirror(text[:start]) + _underline(text[start:end]))
    for note in diag.notes + (diag.details if verbose else ()):
        lines.append(visible(f"    = {note}"))
    return "\n".join(lines)


def render_all(diags: Iterable[Diagnostic], sources: Mapping[str, Lines], verbose: bool = False) -> str:
    """Every diagnostic as text; the summaries of unanswered items (W701) without the source line, their
    item-by-item details only when ``verbose``."""
    return "\n".join(render_text(d, sources, excerpt=d.code != "W701", verbose=verbose) for d in diags)



def sort_key(diag: Diagnostic) -> tuple[str, int, int, str]:
    return (diag.span.path, diag.span.line, diag.span.column, diag.code)
