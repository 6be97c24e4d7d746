"""Input stage: bytes on disk → SourceFile. Decoding problems become diagnostics, never exceptions."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from .diagnostics import Diagnostic, DiagnosticError, Span
from .files import DiskFiles, Files, os_reason

#: Characters XML 1.0 cannot hold (a .docx is XML): C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One decoded input file."""

    path: str
    """The path as shown in messages (relative to the working directory when possible)."""
    text: str
    """Decoded text, newlines normalised to \\n, BOM removed."""
    real: str = ""
    """The absolute path it was read from: figures and includes are found relative to it."""
    _lines: tuple[str, ...] | None = field(default=None, init=False, repr=False, compare=False)
    """The text split into lines, on the first call of :meth:`line`: a check with hundreds of diagnostics
    shows a line for each, and splitting the whole file every time made it quadratic."""

    def line(self, n: int) -> str:
        """Line ``n`` (1-based), without its newline; '' past the end."""
        lines = self._lines
        if lines is None:
            lines = tuple(self.text.split("\n"))
            object.__setattr__(self, "_lines", lines)  # a cache, not a change: the text stays as it was
        return lines[n - 1] if 1 <= n <= len(lines) else ""


def newlines(text: str) -> str:
    """\\r\\n and \\r made \\n: a line ends where LSP and every editor end it, so that a position is the same line
    for the checker and the editor (never at U+2028 and the other breaks of str.splitlines: lookalikes.py)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_source(data: bytes, path: str) -> SourceFile:
    """Decode UTF-8 strictly (a BOM is dropped); an invalid byte is reported at its line and column, and a file
    in Shift_JIS or UTF-16, or not a text file at all, is said to be so (piadoc.encodings)."""
    from .encodings import RESAVE_NOTES, POWERSHELL_NOTE, not_a_spec, shift_jis, utf16

    binary = not_a_spec(data, path)
    if binary is not None:
        raise DiagnosticError(Diagnostic.error("E107", Span(path, 0, 0, 0, 0), kind=binary.kind))
    wide = utf16(data)
    if wide is not None:
        raise DiagnosticError(Diagnostic.error("E106", Span(path, 0, 0, 0, 0), (*RESAVE_NOTES, POWERSHELL_NOTE)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        sjis = shift_jis(data, err.start)
        if sjis is not None and sjis.text is not None:  # the excerpt as the user sees it in the editor
            prefix = newlines(data[: err.start].decode("cp932", errors="replace"))
            line = prefix.count("\n") + 1
            column = len(prefix) - (prefix.rfind("\n") + 1) + 1
            raise DiagnosticError(Diagnostic.error("E105", Span(path, line, column, line, column + 1), RESAVE_NOTES),
                                  SourceFile(path, newlines(sjis.text))) from None
        prefix = newlines(data[: err.start].decode("utf-8", errors="replace").removeprefix("\ufeff"))
        line = prefix.count("\n") + 1
        column = len(prefix) - (prefix.rfind("\n") + 1) + 1
        shown = data[err.start : err.start + 1].hex()
        text = newlines(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))
        raise DiagnosticError(
            Diagnostic.error("E101", Span(path, line, column, line, column + 1), RESAVE_NOTES, byte=shown),
            SourceFile(path, text),
        ) from None
    text = newlines(text.removeprefix("\ufeff"))
    source = SourceFile(path, text)
    bad = XML_ILLEGAL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise DiagnosticError(
            Diagnostic.error("E102", Span(path, line, column, line, column + 1), CONTROL_NOTES.get(bad.group(), ()),
                             char=f"U+{ord(bad.group()):04X}"),
            source,
        )
    return source


#: Where a control character usually comes from, said beside E102.
CONTROL_NOTES: dict[str, tuple[str, ...]] = {
    "\x0b": ("Word で Shift+Enter を押した改行（垂直タブ）が貼り付けられています。普通の改行（Enter）にしてください",),
    "\x0c": ("Word の改ページが貼り付けられています。削除してください",),
}


def read_source(path: Path, files: Files | None = None) -> SourceFile:
    """Read and decode a spec file (from the working tree, or a git revision); a missing or unreadable file
    is a diagnostic too."""
    files = files or DiskFiles()
    name = files.shown(path)
    try:
        data = files.read_bytes(path)
    except OSError as err:
        raise DiagnosticError(Diagnostic.error("E103", Span(name, 0, 0, 0, 0), reason=os_reason(err))) from None
    return replace(decode_source(data, name), real=str(path.resolve()))
