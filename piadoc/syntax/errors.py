"""Lark's parse errors → one Diagnostic in Japanese, with a position and what was expected."""
from __future__ import annotations

import difflib
import re
from dataclasses import replace
from typing import Callable

from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)

from ..diagnostics import Diagnostic, Fix, Span
from ..source import SourceFile

#: How each terminal is called in messages (jinja's _describe_token_type, in Japanese).
TERMINALS_JA: dict[str, str] = {
    "REF": "項目名",
    "_COLON": "「:」",
    "COLON": "「:」",
    "TEXT": "値",
    "BLOCK": "複数行の値（\"\"\"）",
    "BRACKETED": "[選択肢] または [○] チェック",
    "STRING": "引用符で囲んだ値",
    "_INCLUDE": "@include",
    "_FILE": "@file",
    "_SET": "@set",
    "_UNDER": "@under",
    "SLOTS": "@空き枠",
    "SETNAME": "変数名",
    "_EQUALS": "「=」",
    "SETVALUE": "変数の値",
    "_NL": "改行",
    "_INDENT": "字下げ",
    "_DEDENT": "字下げの戻り",
    "$END": "ファイルの終わり",
}


def _describe(names: set[str] | frozenset[str]) -> str:
    shown = sorted({TERMINALS_JA.get(n, n) for n in names if n in TERMINALS_JA})
    return "、".join(shown)


#: What a malformed @set line is told (the grammar: SETNAME is /[^\s=:"]+/, then "=", then the value).
SET_USAGE = "@set 名前 = 値 と書きます（名前には空白・「=」・「:」・「\"」を使えません）"


#: A no-break space: Word and PDF readers put it where a space was, and the language reads only the ASCII space
#: (and the tab, refused with E205) as space: after `項目:` or as indentation it is a character that cannot stand
#: there. Shown as ␣ in the excerpt (diagnostics.py), which says little: the message names it.
NBSP = "\u00a0"
NBSP_NAME = "ノーブレークスペース（U+00A0）"
NBSP_NOTE = ("Word や PDF から写すと、半角スペースの代わりにこの文字が入ります。半角スペースに書き直してください")


#: The directives of the language (grammar/pia.lark), as a line starts with them.
DIRECTIVES = ("@include", "@set", "@under", "@空き枠")
_DIRECTIVE_WORD = re.compile(r"@[^\s\"]*")


def unknown_directive(diag: Diagnostic, source: SourceFile) -> Diagnostic | None:
    """E210 for a line starting with an `@` word the language does not have (`@inclde`, `@空き枠印刷する`):
    "ここに変数の値は書けません" (E201) names the wrong thing. Says which directive was meant, when one is near."""
    line = source.line(diag.span.line) if diag.span.line >= 1 else ""
    start = len(line) - len(line.lstrip(" "))
    m = _DIRECTIVE_WORD.match(line, start)
    if m is None or diag.span.column != start + 1 or m.group(0) in DIRECTIVES:
        return None
    word = m.group(0)
    if word == "@file":  # a value, not a line of its own: E201 with how to write it
        return Diagnostic.error("E201", diag.span, ['@file は項目の値として書きます: （図）: @file "図.png"'],
                                found="@file")
    notes = [f"書ける指示: {'、'.join(DIRECTIVES)}"]
    glued = next((d for d in DIRECTIVES if word.startswith(d)), None)
    if glued is not None:  # `@空き枠印刷する`, `@空き枠: 印刷する` (an item's colon): the value after one space
        value = line[start + len(glued):].lstrip(":：= \t\u3000").rstrip()
        colon = "（「:」は付けません）" if word[len(glued):].startswith((":", "：")) else ""
        notes.insert(0, f"「{glued}」のあとに半角スペースを1つ入れて値を書きます{colon}: {glued} {value}")
    elif near := difflib.get_close_matches(word, DIRECTIVES, n=1, cutoff=0.6):
        notes.insert(0, f"「{near[0]}」ではありませんか")
    span = Span(source.path, diag.span.line, start + 1, diag.span.line, start + 1 + len(word))
    return Diagnostic.error("E210", span, notes, word=word)


_NBSP_LEAD = re.compile("[ \t\u3000\u00a0]*")
#: After an item's colon (grammar/pia.lark: REF ":"), the spaces before its value.
_AFTER_COLON = re.compile("[^\\s#@\"\\[:\u00a0][^:\n]*:([ \u00a0]*)")


def _nbsp_spots(text: str) -> list[tuple[int, int]]:
    """(line, column) of each no-break space in an indentation or between an item's colon and its value,
    outside blocks: places the grammar never takes one (no terminal starts with it, the indenter reads only
    spaces), so each is one the parser would stop at."""
    spots: list[tuple[int, int]] = []
    lines = text.split("\n")
    n = 0
    while n < len(lines):
        line = lines[n]
        lead = _NBSP_LEAD.match(line).group()  # type: ignore[union-attr]  # matches the empty string at worst
        spots.extend((n + 1, i + 1) for i, ch in enumerate(lead) if ch == NBSP)
        rest = line[len(lead):]
        after = _AFTER_COLON.match(rest)
        if after is not None:
            spots.extend((n + 1, len(lead) + after.start(1) + i + 1) for i, ch in enumerate(after.group(1))
                         if ch == NBSP)
        n += 1
        if after is not None and rest[after.end():].startswith('"""'):  # a block: its text is the writer's
            while n < len(lines) and '"""' not in lines[n]:
                n += 1
            n += 1
    return spots


def nbsp_fixes(diag: Diagnostic, source: SourceFile, parse: Callable[[str], object], limit: int = 2000) -> Diagnostic:
    """The E201 for a no-break space with the fix of every one the parser stops at, and a note saying so.

    Where the language wants a space is the parser's to say, not a pattern's: each no-break space it stops at is
    replaced by a space and the text parsed again, up to the first other error (reported after the fix), so a
    no-break space inside a value (W728, a fix of its own) is never touched here. The spaces and no-break spaces
    that follow the one it stops at go with it: an indentation half converted would be a dedent to no level.
    The places no grammar rule can take one (:func:`_nbsp_spots`) are replaced first, so that a document pasted
    whole from Word is not parsed once per line. ``parse`` raises UnexpectedInput, as Lark's parser does."""
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    spots = _nbsp_spots(text)  # where the grammar cannot take one: found at once, not a parse each
    lines = text.split("\n")
    for line, col in spots:
        lines[line - 1] = lines[line - 1][: col - 1] + " " + lines[line - 1][col:]
    text = "\n".join(lines)
    for _ in range(limit):
        try:
            parse(text)
        except UnexpectedCharacters as err:
            if err.char != NBSP:
                break
            start = end = err.pos_in_stream  # the whole run: an indentation half converted is E202
            while end < len(text) and text[end] in (NBSP, " "):
                end += 1
            spots.extend((err.line, err.column + i) for i in range(end - start) if text[start + i] == NBSP)
            text = text[:start] + " " * (end - start) + text[end:]
            continue
        except Exception:  # noqa: BLE001 - any other error (the indenter's E205, …) ends the search
            break
        break
    fixes = [Fix(Span(source.path, line, col, line, col + 1), " ") for line, col in spots]
    if not fixes:
        return diag
    more = f"（{len(fixes)} か所）" if len(fixes) > 1 else ""
    notes = (*diag.notes, f"piadoc check --fix で半角スペースに直せます{more}")
    return replace(diag, notes=notes, fixes=tuple(fixes))


def from_lark(err: UnexpectedInput, source: SourceFile) -> Diagnostic:
    """Map a Lark exception onto E2xx; positions come from the exception, never -1.

    A generic E201 on an @set line becomes E206 with the line's shape: "ここに改行は書けません" says little
    to someone who left out the "=".
    """
    diag = _from_lark(err, source)
    if diag.code in ("E201", "E202", "E203"):  # a block left open makes later lines fail to parse
        found, swallowed = unclosed_block(source)
        if found is not None and (diag.code == "E203" or (swallowed and found.span.line < diag.span.line)):
            return found
    if isinstance(err, UnexpectedCharacters) and err.char == NBSP:  # named, whatever the line (an @set too)
        return diag
    if diag.code == "E201" and (spaced := fullwidth_after_directive(diag, source)) is not None:
        return spaced
    if diag.code == "E201" and 1 <= diag.span.line and source.line(diag.span.line).lstrip(" ").startswith("@set"):
        return Diagnostic.error("E206", diag.span, [SET_USAGE])
    if diag.code == "E201" and (unknown := unknown_directive(diag, source)) is not None:
        return unknown
    return diag


def fullwidth_after_directive(diag: Diagnostic, source: SourceFile) -> Diagnostic | None:
    """A full-width space between a directive and its value (`@空き枠　印刷する`, typed with an IME), or a
    no-break space after `@set` (where the parser stops at the @): E201 that says so and what to write, with the
    fix (the half-width space the grammar reads), instead of listing "変数の値、改行" or E206."""
    if diag.span.line < 1:
        return None
    line = source.line(diag.span.line)
    start = len(line) - len(line.lstrip(" "))
    word = next((d for d in DIRECTIVES if line.startswith(d, start)), None)
    col = start + len(word) if word is not None else -1  # the parser stops there, or at the @ (`@set` + U+00A0)
    if word is None or diag.span.column - 1 not in (start, col) or line[col:col + 1] not in ("\u3000", NBSP):
        return None
    value = line[col:].strip(" \t\u3000\u00a0")
    span = Span(source.path, diag.span.line, col + 1, diag.span.line, col + 2)
    wide = line[col] == "\u3000"
    notes = [f"「{word}」と値の間は半角スペースにします: {word} {value}", "piadoc check --fix で直せます"]
    return Diagnostic.error("E201", span, notes if wide else [NBSP_NOTE, *notes], fixes=[Fix(span, " ")],
                            found="全角スペース" if wide else NBSP_NAME)


#: The grammar's BLOCK (grammar/pia.lark): from an opening """ to the next """, wherever it stands.
_BLOCK = re.compile(r'"""[^\n]*\n[\s\S]*?"""')
#: What stands before a """ that opens a block: `項目: ` at the start of a line.
_ENTRY_PREFIX = re.compile(r'^[ \t]*[^\s#@"\[:][^:\n]*:[ \t]*$')


def unclosed_block(source: SourceFile) -> tuple[Diagnostic | None, bool]:
    """E203 at the triple quote that opened the block left open, not where the parser gave up.

    The lexer closes a block at the next triple quote it meets, so a block left open swallows the lines up to
    the next item's opening quotes and the error surfaces later. Pairing the quotes as the lexer does, the
    first block "closed" on a line that reads like an item's start (`項目: ` before the quotes) is the one
    left open; that line is named. The flag says a next item's line was swallowed (else the block runs to
    the end of the file)."""
    text, pos = source.text, 0
    while (start := text.find('"""', pos)) >= 0:
        line_start = text.rfind("\n", 0, start) + 1
        if not _ENTRY_PREFIX.match(text[line_start:start]):
            pos = start + 3
            continue
        found = _BLOCK.match(text, start)
        close = found.end() - 3 if found else -1
        close_start = text.rfind("\n", 0, close) + 1
        if found is None or _ENTRY_PREFIX.match(text[close_start:close]):
            line = text.count("\n", 0, start) + 1
            column = start - line_start + 1
            span = Span(source.path, line, column, line, column + 3)
            if found is None:
                return Diagnostic.error("E203", span, ['閉じるには、記載の終わりに「"""」だけの行を書きます']), False
            close_line = text.count("\n", 0, close) + 1
            shown = source.line(close_line).strip()
            return Diagnostic.error("E203", span, [
                f"{close_line} 行目「{shown}」は次の項目の始まりに見えます",
                f'その前に「"""」だけの行を書いて、{line} 行目からの記載を閉じてください']), True
        pos = found.end()
    return None, False


def _from_lark(err: UnexpectedInput, source: SourceFile) -> Diagnostic:
    path = source.path
    if isinstance(err, UnexpectedCharacters):
        line, col = err.line, err.column
        rest = source.text[err.pos_in_stream:]
        span = Span(path, line, col, line, col + 1)
        if rest.startswith('"""'):
            return Diagnostic.error("E203", Span(path, line, col, line, col + 3))
        if err.char == "\u3000" and source.line(line)[: col - 1].strip(" ") == "":
            return Diagnostic.error("E208", span)
        if err.char == "\t":
            return Diagnostic.error("E205", span)
        if err.char == NBSP:
            return Diagnostic.error("E201", span, [NBSP_NOTE], found=NBSP_NAME)
        found = "改行" if err.char == "\n" else f"「{err.char}」"
        notes = [f"書けるもの: {_describe(err.allowed)}"] if err.allowed and _describe(err.allowed) else []
        return Diagnostic.error("E201", span, notes=notes, found=found)
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END" or tok.line is None or tok.line < 1:
            return _at_end(source, err.expected)
        if str(tok).startswith("\u3000") and not source.line(tok.line)[: tok.column - 1].strip(" "):
            return Diagnostic.error("E208", Span(path, tok.line, tok.column, tok.line, tok.column + 1))
        if tok.start_pos is not None and source.text.startswith('"""', tok.start_pos):
            return Diagnostic.error("E203", Span(path, tok.line, tok.column, tok.line, tok.column + 3))
        found = TERMINALS_JA.get(tok.type, tok.type)
        if tok.type in ("REF", "TEXT", "SETVALUE", "STRING", "BRACKETED"):
            found = f"{found}「{str(tok).strip()[:20]}」"
        line, col = tok.line, tok.column
        end = tok.end_column if tok.end_line == line and tok.end_column else col + 1
        if tok.type == "_NL":
            line, col = tok.line, tok.column
            end = col + 1
        if tok.type in ("_INDENT", "_DEDENT"):
            line, col = tok.line or 1, 1
            end = 2
        notes = [f"書けるもの: {_describe(err.expected)}"] if _describe(err.expected) else []
        return Diagnostic.error("E201", Span(path, line, col, line, end), notes=notes, found=found)
    if isinstance(err, UnexpectedEOF):
        return _at_end(source, err.expected)
    return Diagnostic.error("E201", Span(path, 1, 1, 1, 2), found=str(err))


def _at_end(source: SourceFile, expected: object) -> Diagnostic:
    lines = source.text.rstrip("\n").split("\n")
    line = len(lines)
    col = len(lines[-1]) + 1
    names = set(expected) if expected else set()
    notes = [f"書けるもの: {_describe(names)}"] if _describe(names) else []
    return Diagnostic.error("E201", Span(source.path, line, col, line, col + 1), notes=notes, found="ファイルの終わり")
