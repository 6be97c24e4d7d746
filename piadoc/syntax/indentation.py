"""Indentation written with tabs or full-width spaces (E205, E208): every such line in one report, and the fix.

The parser stops at the first such line; a file written in Notepad with the Tab key has one on every indented
line, and a report naming one line a run is a long way to fix them. So when the parser reports E205 or E208,
the whole file is scanned as the lexer reads it (the text of a \"\"\" block is the writer's own and is skipped)
and the one diagnostic lists every line.

A tab has no width of its own (docs/language.md: indentation is compared, not counted), and the structure the
writer sees depends on the editor's tab stops: 8 in Notepad, 4 in VS Code. The fix is offered only when the
structure is the same at tab stops 2, 4 and 8 (always so when every indented line uses tabs only): then each
line's indentation is expanded at tab stop 2, one level of two spaces per tab, and a full-width space, drawn
two columns wide, becomes two spaces. Otherwise the diagnostic says why it is not fixed.

A \"\"\" block's text is the writer's, but when its item is indented with tabs or full-width spaces the block's
lines usually are too, by the same characters: the indentation they share with the item is converted with the
structure (:func:`block_fixes`), so that what the dedent drops is still dropped and `fmt --check` passes after
`check --fix`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Fix, Span
from ..source import SourceFile

#: The tab stops a writer's editor may use: the structure must not depend on which one.
TAB_STOPS = (2, 4, 8)
#: Line numbers listed in a note before 「ほか N 行」.
SHOWN = 20
_LEAD = re.compile("[ \t\u3000]*")
#: A line that opens a block, after its indentation: `項目: """` (grammar/pia.lark: REF, ":", BLOCK).
_OPENS_BLOCK = re.compile(r'[^\s#@"\[:][^:\n]*:[ \t]*"""')
_QUOTES = '"""'
_BAD = re.compile("[\t\u3000]")


@dataclass(frozen=True, slots=True)
class Line:
    """A line outside blocks whose indentation the lexer reads."""

    number: int
    lead: str
    statement: bool
    """Not blank and not a comment: its indentation shapes the structure."""


@dataclass(frozen=True, slots=True)
class Block:
    """The lines of a \"\"\" block after its opening line, the closing line included, and the line that opens it."""

    opener: Line
    lines: tuple[tuple[int, str], ...]
    """(number, text) of each line."""


def _lead(line: str) -> str:
    return _LEAD.match(line).group()  # type: ignore[union-attr]  # matches the empty string at worst


def walk(text: str) -> tuple[list[Line], list[Block]]:
    """Every line outside the text of blocks, with its leading whitespace (tabs and full-width spaces
    included), and every block."""
    out: list[Line] = []
    blocks: list[Block] = []
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        line = lines[n]
        lead = _lead(line)
        rest = line[len(lead):]
        out.append(Line(n + 1, lead, bool(rest) and not rest.startswith("#")))
        n += 1
        if _OPENS_BLOCK.match(rest):  # the block runs to the next """, from the next line on (the lexer's BLOCK)
            start = n
            while n < len(lines) and _QUOTES not in lines[n]:
                n += 1
            n += 1
            blocks.append(Block(out[-1], tuple((k + 1, lines[k]) for k in range(start, min(n, len(lines))))))
    return out, blocks


def scan(text: str) -> list[Line]:
    """Every line outside the text of blocks, with its leading whitespace (tabs and full-width spaces included)."""
    return walk(text)[0]


def _converted(number: int, lead: str, path: str) -> Fix:
    return Fix(Span(path, number, 1, number, len(lead) + 1), " " * width(lead, TAB_STOPS[0]))


def block_fixes(block: Block, path: str) -> list[Fix]:
    """The indentation of a block written with the file's tabs or full-width spaces, converted as the structure is.

    A block's text loses the indentation its lines share (docs/language.md 4.2), but Python's dedent knows only
    the space and the tab: a block indented with full-width spaces kept them all, and printed them. When the
    item's own line is indented with tabs or full-width spaces and the indentation every line of the block shares
    begins with it, that shared indentation is the file's, not the text's: it is converted like the item's
    (then dropped by the dedent). What a line has beyond it (a full-width space opening a paragraph, a deeper
    list) is the text's and stays. Lines of nothing but blanks become empty; the closing quotes' indentation
    is converted (neither is part of the text)."""
    outer = block.opener.lead
    if not _BAD.search(outer):
        return []
    *body, (last_number, last) = block.lines
    closing = last[: last.find(_QUOTES)] if _QUOTES in last else None
    if closing is None or closing.strip():
        body.append((last_number, last))  # the text runs up to the quotes on this line
    text = [(n, line) for n, line in body if line.strip()]
    shared = os.path.commonprefix([_lead(line) for _, line in text]) if text else ""
    fixes = []
    if text and shared.startswith(outer) and _BAD.search(shared):
        fixes += [_converted(n, shared, path) for n, _ in text]
    fixes += [Fix(Span(path, n, 1, n, len(line) + 1), "") for n, line in body if not line.strip() and _BAD.search(line)]
    if closing is not None and not closing.strip() and _BAD.search(closing):
        fixes.append(_converted(last_number, closing, path))
    return fixes


def width(lead: str, tab: int) -> int:
    """Columns of an indentation at tab stop ``tab`` (a full-width space two columns wide)."""
    return len(lead.replace("\u3000", "  ").expandtabs(tab))


def depths(lines: list[Line], tab: int) -> list[int]:
    """The depth of each statement line as the indenter gives it at tab stop ``tab``, up to a dedent to no open
    level (E202), which ends the list with -1."""
    levels, out = [0], []
    for line in lines:
        if not line.statement:
            continue
        w = width(line.lead, tab)
        if w > levels[-1]:
            levels.append(w)
        elif w in levels:
            del levels[levels.index(w) + 1:]
        else:
            return out + [-1]
        out.append(len(levels) - 1)
    return out


def first_difference(lines: list[Line]) -> tuple[int, bool] | None:
    """The number of the first statement line whose depth depends on the tab stop (True) or that is a dedent to
    no open level at every one (False); None when the structure is the same at every one of TAB_STOPS."""
    statements = [line.number for line in lines if line.statement]
    readings = [depths(lines, tab) for tab in TAB_STOPS]
    for i, number in enumerate(statements):
        seen = {reading[i] if i < len(reading) else None for reading in readings}
        if len(seen) > 1 or -1 in seen:
            return number, len(seen) > 1
    return None


def _listed(label: str, numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:SHOWN])
    more = f" ほか {len(numbers) - SHOWN} 行" if len(numbers) > SHOWN else ""
    return f"{label}で字下げした行（{len(numbers)} 行）: {shown}{more}"


def _bad(line: Line) -> bool:
    """Indentation the lexer refuses: a full-width space on any line, a tab on a statement line."""
    return "\u3000" in line.lead or (line.statement and "\t" in line.lead)


def every_line(diag: Diagnostic, source: SourceFile) -> Diagnostic:
    """The parser's E205/E208 with every such line of the file in its notes, and the fixes when they are safe.
    The parser's diagnostic as it is when the scan does not find its line (a reading the scan does not share)."""
    lines, blocks = walk(source.text)
    bad = [line for line in lines if _bad(line)]
    if diag.span.line not in {line.number for line in bad}:
        return diag
    notes = list(diag.notes)
    tabs = [line.number for line in bad if "\t" in line.lead]
    wide = [line.number for line in bad if "\u3000" in line.lead]
    if tabs and len(bad) > 1:
        notes.append(_listed("タブ", tabs))
    if wide and len(bad) > 1:
        notes.append(_listed("全角空白", wide))
    differs = first_difference(lines)
    if differs is not None:
        number, by_tab = differs
        why = "の入れ子がタブの幅（メモ帳は 8 文字、VS Code は 4 文字）によって変わる" if by_tab \
            else "の字下げが前のどの行ともそろっていない"
        notes.append(f"{number} 行目{why}ため、--fix では直せません。字下げを半角空白で書き直してください")
        return replace(diag, notes=tuple(notes))
    text = source.text.split("\n")  # comments too (fmt moves them as it moves statements); blank lines emptied
    fixes = [_converted(line.number, line.lead, source.path) if text[line.number - 1] != line.lead
             else Fix(Span(source.path, line.number, 1, line.number, len(line.lead) + 1), "")
             for line in lines if _BAD.search(line.lead)]
    fixes += [fix for block in blocks for fix in block_fixes(block, source.path)]
    fixes.sort(key=lambda fix: fix.span.line)
    notes.append("piadoc check --fix か piadoc fmt で、入れ子を変えずに半角空白の字下げに直せます"
                 "（タブは幅 2 文字、全角空白は半角空白2つとして。\"\"\" の記載の行も、項目と同じ字下げの分を）")
    return replace(diag, notes=tuple(notes), fixes=tuple(fixes))


def reindented(text: str, diag: Diagnostic) -> str | None:
    """``text`` with the fixes of ``diag`` (from :func:`every_line`, or an E201 for no-break spaces where a space
    goes: errors.nbsp_fixes) made, or None when it has none."""
    if diag.code not in ("E201", "E205", "E208") or not diag.fixes:
        return None
    lines = text.split("\n")
    for fix in sorted(diag.fixes, key=lambda f: (f.span.line, f.span.column), reverse=True):  # right to left
        n = fix.span.line - 1
        lines[n] = lines[n][: fix.span.column - 1] + fix.replacement + lines[n][fix.span.end_column - 1:]
    return "\n".join(lines)
