"""`piadoc fmt`: one canonical layout for every spec, without losing a comment or changing a meaning.

The AST drops comments, so the formatter works line by line on the source and asks the parsed AST only what
each line *is* (an item at some depth, checkbox lines, a block, a directive). Lines the AST does not claim are
blank lines and comments, kept where they are. The canonical layout (docs/editors.md):

- two spaces of indentation per level; a comment takes the level its indentation is nearest to; indentation
  by tabs or full-width spaces is converted first, when the structure does not depend on the tab width
  (syntax/indentation.py), else reported as check reports it; so is a no-break space where a space goes;
- ``項目: 値``: no space before the colon, one after it; trailing spaces dropped;
- ticks: a ticked box is ``[○]``, an empty one ``[ ]`` (other marks, reported by check, are kept);
- checkboxes written on the item's line stay there, joined by ``, ``; checkboxes below the item get one line
  each (a box with no text keeps its line as written: alone it would read as ticked);
- triple-quoted blocks: the opening quotes on the item's line, the text one level deeper, the closing quotes at the
  item's level; the block's text (what check reads) is unchanged;
- ``@include``, ``@set 名前 = 値``, ``@under A > B``, ``@空き枠 値`` spelled one way; runs of blank lines become
  one, none at the start or end of the file, which ends with one newline.

The result is parsed again and compared with the input's AST, positions aside (black's assert_equivalent),
and formatted again to be sure it is stable; either failure is a piadoc bug and nothing is written.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from . import nodes
from .diagnostics import Diagnostic, DiagnosticError, Span
from .files import DiskFiles, Files
from .source import SourceFile, read_source
from .syntax import parse
from .syntax.builder import CHECKED_MARKS
from .syntax.indentation import reindented

INDENT = "  "


class FormatBug(Exception):
    """The formatted text would mean something else, or is not stable: a bug of the formatter."""


@dataclass
class _Line:
    """What the AST says a source line is."""

    depth: int
    node: object
    checks: list[nodes.Check] = field(default_factory=list)
    """For a line of checkbox lines under an item: the boxes written on it."""


def _mark(check: nodes.Check) -> str:
    if not check.text:
        return check.mark or " "  # a bare box: alone on a line, any mark reads as ticked; keep it as written
    if check.checked and check.mark in CHECKED_MARKS:
        return "○"
    return check.mark or " "


def _check(check: nodes.Check) -> str:
    box = f"[{_mark(check)}]"
    return f"{box} {check.text}" if check.text else box


class _Formatter:
    def __init__(self, text: str, spec: nodes.Spec) -> None:
        self.lines = text.split("\n")
        self.info: dict[int, _Line] = {}
        self.covered: set[int] = set()
        self.walk(spec.statements, 0)

    def raw(self, n: int) -> str:
        return self.lines[n - 1] if 1 <= n <= len(self.lines) else ""

    def walk(self, stmts: tuple[nodes.Statement, ...], depth: int) -> None:
        for stmt in stmts:
            if isinstance(stmt, nodes.Entry):
                line = stmt.ref_span.line
                self.info[line] = _Line(depth, stmt)
                value = stmt.value
                if isinstance(value, nodes.Text) and value.block:
                    self.covered.update(range(value.span.line + 1, value.span.end_line + 1))
                elif isinstance(value, nodes.Checks):
                    for check in value.items:
                        if check.span.line != line:
                            self.info.setdefault(check.span.line, _Line(depth + 1, None)).checks.append(check)
                self.walk(stmt.children, depth + 1)
            else:
                self.info[stmt.span.line] = _Line(depth, stmt)

    def trailing(self, span: nodes.Span) -> str:
        """A comment after a quoted string on the same line (the grammar ignores it there)."""
        rest = self.raw(span.end_line)[span.end_column - 1:].strip()
        return f" {rest}" if rest else ""

    def token(self, span: nodes.Span) -> str:
        return self.raw(span.line)[span.column - 1: span.end_column - 1]

    def statement(self, n: int, entry: _Line) -> list[str]:
        pad = INDENT * entry.depth
        node = entry.node
        if node is None:  # checkbox lines under an item
            if any(not c.text for c in entry.checks):
                return [pad + " ".join(_check(c) for c in entry.checks)]
            return [pad + _check(c) for c in entry.checks]
        if isinstance(node, nodes.Include):
            return [f"{pad}@include {self.token(node.span)}{self.trailing(node.span)}"]
        if isinstance(node, nodes.Under):
            return [f"{pad}@under {' > '.join(node.path)}"]
        if isinstance(node, nodes.SetVar):
            value = self.raw(n).split("=", 1)[1].strip()
            return [f"{pad}@set {node.name} = {value}"]
        if isinstance(node, nodes.Setting):
            comment = self.trailing(node.value_span) if node.value else ""
            return [f"{pad}@{node.name} {node.value}".rstrip() + comment]
        assert isinstance(node, nodes.Entry)
        if node.heading:
            return [pad + node.ref]
        head = f"{pad}{node.ref}:"
        value = node.value
        if value is None:
            return [head]
        if isinstance(value, nodes.Text) and value.block:
            inner = pad + INDENT
            body = [inner + line if line.strip() else "" for line in value.text.split("\n")] if value.text else []
            return [f'{head} """', *body, f'{pad}"""{self.trailing(value.span)}']
        if isinstance(value, nodes.Text):
            if self.raw(n)[value.span.column - 1:].startswith('"'):
                return [f"{head} {self.token(value.span)}{self.trailing(value.span)}"]
            return [f"{head} {value.text}"]
        if isinstance(value, nodes.Choice):
            return [f"{head} [{value.text or ' '}]"]
        if isinstance(value, nodes.FileRef):
            return [f"{head} @file {self.token(value.span)}{self.trailing(value.span)}"]
        inline = [c for c in value.items if c.span.line == n]
        return [f"{head} {', '.join(_check(c) for c in inline)}" if inline else head]

    def comment_depth(self, n: int, levels: list[int], next_line: int | None) -> int:
        """The level whose indentation is nearest below the comment's own; one deeper if it is indented
        into the block that the next item opens, or into the block of the last statement when no statement
        follows in that block (a commented-out 変更 row under its heading: uncommented, it must stay inside)."""
        col = len(self.raw(n)) - len(self.raw(n).lstrip(" \t"))
        if next_line is not None:
            nxt = self.info[next_line]
            if nxt.depth == len(levels) and col >= self.indent_of(next_line):
                return nxt.depth
        if levels and col > levels[-1] and (next_line is None or self.info[next_line].depth < len(levels)):
            return len(levels)
        depth = 0
        for d, level in enumerate(levels):
            if level <= col:
                depth = d
        return depth

    def indent_of(self, n: int) -> int:
        raw = self.raw(n)
        return len(raw) - len(raw.lstrip(" "))

    def format(self) -> str:
        out: list[str] = []
        levels: list[int] = []  # the source indentation of each open level, outermost first
        following = {}
        nxt = None
        for n in range(len(self.lines), 0, -1):
            following[n] = nxt
            if n in self.info:
                nxt = n
        for n in range(1, len(self.lines) + 1):
            if n in self.covered:
                continue
            raw = self.raw(n)
            if n in self.info:
                entry = self.info[n]
                levels = levels[: entry.depth] + [self.indent_of(n)]
                out.extend(self.statement(n, entry))
            elif not raw.strip():
                if out and out[-1] != "":
                    out.append("")
            elif raw.lstrip().startswith("#"):
                depth = self.comment_depth(n, levels, following[n])
                out.append(INDENT * depth + raw.strip())
            else:
                raise FormatBug(f"{n}行目が何の行か分かりません")
        while out and out[-1] == "":
            out.pop()
        return "\n".join(out) + "\n" if out else ""


def _meaning(value: object) -> object:
    """A node without its positions (and without the mark of a ticked box, which means nothing)."""
    if isinstance(value, nodes.Check):
        return ("check", value.checked, None if value.checked else value.mark, value.text)
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, tuple(_meaning(getattr(value, f.name)) for f in dataclasses.fields(value)
                                            if f.name not in ("span", "ref_span", "value_span")))
    if isinstance(value, tuple):
        return tuple(_meaning(v) for v in value)
    return value


def normalise(text: str) -> str:
    """Newlines as \\n, no BOM: as the source stage reads a file."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def line_ending(raw: str) -> str:
    """The file's line ending: the one most of its lines end with (\\r\\n, \\n or \\r), \\n for a tie or none.
    A file saved by Notepad ends its lines with \\r\\n: fmt keeps that, or `fmt --check` would fail every such
    file and the pre-commit hook would fail on Windows whatever was written."""
    crlf = raw.count("\r\n")
    counts = {"\r\n": crlf, "\n": raw.count("\n") - crlf, "\r": raw.count("\r") - crlf}
    best = max(counts.values())
    return "\n" if counts["\n"] == best else max(counts, key=lambda k: counts[k])


def as_written(text: str, raw: str) -> str:
    """``text`` (newlines as \\n, no BOM) with the line ending and the leading BOM of ``raw``, the file it came
    from: the layout is fmt's, the bytes around it the writer's editor's."""
    ending = line_ending(raw)
    if ending != "\n":
        text = text.replace("\n", ending)
    return "\ufeff" + text if raw.startswith("\ufeff") else text


def format_text(text: str, path: str = "<spec>") -> str:
    """The canonical text of a spec. Raises DiagnosticError for a file that does not parse, FormatBug when the
    result would not mean the same."""
    text = normalise(text)
    for _ in range(3):  # no-break spaces for spaces, then tabs, then full-width spaces: one error at a time
        try:
            spec = parse(SourceFile(path, text))
            break
        except DiagnosticError as err:  # tabs or full-width spaces as indentation: converted when unambiguous
            fixed = reindented(text, err.diagnostic)
            if fixed is None:
                raise
            text = fixed
    else:
        spec = parse(SourceFile(path, text))
    out = _Formatter(text, spec).format()
    if out == text:
        return out
    again = parse(SourceFile(path, out))
    if _meaning(again) != _meaning(spec):
        raise FormatBug("整形すると内容が変わるため、整形しませんでした")
    if _Formatter(out, again).format() != out:
        raise FormatBug("整形の結果が安定しないため、整形しませんでした")
    return out


@dataclass
class Formatted:
    """One file through the formatter: its new text, or why it could not be formatted."""

    path: Path
    text: str | None = None
    changed: bool = False
    diagnostic: Diagnostic | None = None
    sources: dict[str, SourceFile] = field(default_factory=dict)


def format_file(path: Path, files: Files | None = None) -> Formatted:
    """Format one file (never raises for problems in it: they come back as a diagnostic)."""
    done = Formatted(path)
    try:
        source = read_source(path, files)
        done.sources[source.path] = source
        done.text = format_text(source.text, source.path)
    except DiagnosticError as err:
        if isinstance(err.source, SourceFile):
            done.sources[err.source.path] = err.source
        done.diagnostic = err.diagnostic
        return done
    except FormatBug as err:
        done.diagnostic = Diagnostic.make("E901", Span(str(path), 0, 0, 0, 0), detail=str(err))
        return done
    raw = (files or DiskFiles()).read_bytes(path)
    done.text = as_written(done.text, raw.decode("utf-8"))  # read_source decoded it: it is UTF-8
    done.changed = raw != done.text.encode("utf-8")
    return done
