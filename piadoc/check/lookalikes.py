"""What text copied from a PDF or Word brings that looks right and is not: CJK radicals in place of ideographs
(⺠ for 民, ⻑ for 長, ⽗ for 父), and line breaks that are not newlines (U+2028, U+2029, U+0085).

A PDF's fonts often map an ideograph's glyph to the radical code point drawn the same, so a copied 市民 comes
out as 市⺠: it looks right, yet it matches no label, sorts and searches wrong, and prints in another font.
Radicals never belong in a report's text, so each is reported (W725, with the safe replacement that
`piadoc check --fix` applies), or W726 where no single ideograph stands for it (a component form such as ⺅).
The scan reads the source text, so item names, values and comments are all covered.

A spec's lines end at \n (after \r\n and \r were made \n), as an editor and the LSP count them. U+2028 LINE
SEPARATOR, U+2029 PARAGRAPH SEPARATOR and U+0085 NEXT LINE are ordinary characters inside a line to piadoc,
but some editors show them as a line break (and Python's str.splitlines splits at them): the line a writer sees
is then not the line a message names, and the report prints a break nobody meant. Each is reported (W727) with
the replacement --fix applies: a newline inside a \"\"\" block (on a line of its own, with the line's indent), a
space between two half-width characters, nothing between full-width ones (a Japanese sentence wrapped by the
PDF) or at either end of a line.

Characters that show as nothing, or as a plain space, pass into the .docx as they are: a zero-width space or
joiner, a word joiner, a BOM in mid-file, a no-break space, a soft hyphen (pasted from web pages and Word). Each
is reported (W728) with what it is; --fix removes it, or makes a no-break space a space.
"""
from __future__ import annotations

import re
import unicodedata
from itertools import chain
from typing import Iterator

from ..diagnostics import Diagnostic, Fix, Span

#: Kangxi Radicals (U+2F00–U+2FDF): each is a compatibility character whose NFKC form is the ideograph.
KANGXI = range(0x2F00, 0x2FE0)
#: CJK Radicals Supplement (U+2E80–U+2EFF): only ⺟ and ⻳ have a decomposition.
SUPPLEMENT = range(0x2E80, 0x2F00)

#: The Supplement radicals drawn as a whole ideograph Japanese text uses, and that ideograph: the entries of
#: Unicode's EquivalentUnifiedIdeograph.txt (UCD) whose glyph is the full character. Component forms (⺅ 亻,
#: ⺡ 氵, ⻌ 辶 …) are left out: a text never means them, so they are reported without a replacement.
SUPPLEMENT_EQUIVALENT: dict[str, str] = {
    "\u2E9D": "月",  # CJK RADICAL MOON
    "\u2EA0": "民",  # CJK RADICAL CIVILIAN
    "\u2EA9": "王",  # CJK RADICAL JADE
    "\u2EC4": "西",  # CJK RADICAL WEST TWO
    "\u2EC6": "角",  # CJK RADICAL SIMPLIFIED HORN
    "\u2ED1": "長",  # CJK RADICAL LONG ONE
    "\u2ED8": "青",  # CJK RADICAL BLUE
    "\u2EDD": "食",  # CJK RADICAL EAT ONE
    "\u2EE3": "骨",  # CJK RADICAL BONE
    "\u2EE4": "鬼",  # CJK RADICAL GHOST
    "\u2EE8": "麦",  # CJK RADICAL SIMPLIFIED WHEAT
    "\u2EE9": "黄",  # CJK RADICAL SIMPLIFIED YELLOW
    "\u2EEB": "斉",  # CJK RADICAL J-SIMPLIFIED EVEN
    "\u2EED": "歯",  # CJK RADICAL J-SIMPLIFIED TOOTH
    "\u2EEF": "竜",  # CJK RADICAL J-SIMPLIFIED DRAGON
    "\u2EF2": "亀",  # CJK RADICAL J-SIMPLIFIED TURTLE
}


def intended(ch: str) -> str | None:
    """The ideograph a radical stands for, or None (not a radical, or a component form)."""
    code = ord(ch)
    if code in KANGXI or code in SUPPLEMENT:
        folded = unicodedata.normalize("NFKC", ch)
        if folded != ch:
            return folded
        return SUPPLEMENT_EQUIVALENT.get(ch)
    return None


#: Both blocks, for one regex scan of a whole file (most files have none).
_RADICAL = re.compile("[\u2E80-\u2EFF\u2F00-\u2FDF]")


def radicals(path: str, text: str) -> Iterator[Diagnostic]:
    """W725/W726 for every radical in a source file, in order."""
    line, counted = 1, 0  # lines counted up to ``counted``: linear however many radicals a copy brought
    for found in _RADICAL.finditer(text):
        ch, at = found.group(), found.start()
        line, counted = line + text.count("\n", counted, at), at
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        span = Span(path, line, column, line, column + 1)
        codepoint = f"U+{ord(ch):04X}"
        target = intended(ch)
        if target is None:
            yield Diagnostic.make("W726", span, char=ch, codepoint=codepoint)
        else:
            yield Diagnostic.make("W725", span, [f"--fix で「{target}」（U+{ord(target):04X}）に直せます"],
                                  fixes=[Fix(span, target)], char=ch, codepoint=codepoint, intended=target)


#: The line breaks that are not newlines to piadoc (nor to LSP), and how a message names them.
SEPARATORS: dict[str, str] = {
    "\u2028": "行区切り（LINE SEPARATOR）",
    "\u2029": "段落区切り（PARAGRAPH SEPARATOR）",
    "\u0085": "改行（NEXT LINE）",
}
_SEPARATOR = re.compile("[\u2028\u2029\u0085]")
_QUOTES = '"""'


def _block_lines(lines: list[str]) -> set[int]:
    """The 0-based lines strictly between a block's opening and closing quotes (as outline readers see them:
    the grammar's BLOCK runs from an opening \"\"\" to the next one)."""
    inside: set[int] = set()
    open_ = False
    for i, line in enumerate(lines):
        if line.lstrip(" ").startswith("#") and not open_:
            continue
        count = line.count(_QUOTES)
        if open_ and not count:
            inside.add(i)
        if count % 2:
            open_ = not open_
    return inside


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _replacement(line: str, at: int, in_block: bool) -> tuple[str, str]:
    """What a separator at ``at`` in ``line`` becomes, and how a note says it."""
    before, after = line[:at].rstrip(" \t\u3000"), line[at + 1:].lstrip(" \t\u3000")
    if not before.strip() or not after.strip() or _SEPARATOR.match(after):
        return "", "--fix で削除できます"
    if in_block:
        indent = line[: len(line) - len(line.lstrip(" "))]
        return "\n" + indent, "--fix で改行に直せます"
    if _wide(before[-1]) or _wide(after[0]):
        return "", "--fix で削除できます"
    return " ", "--fix で空白に直せます"


def separators(path: str, text: str) -> Iterator[Diagnostic]:
    """W727 for every line separator in a source file, in order."""
    if not _SEPARATOR.search(text):
        return
    lines = text.split("\n")
    blocks = _block_lines(lines)
    for n, line in enumerate(lines):
        for found in _SEPARATOR.finditer(line):
            at = found.start()
            span = Span(path, n + 1, at + 1, n + 1, at + 2)
            replacement, note = _replacement(line, at, n in blocks)
            yield Diagnostic.make("W727", span, [note], fixes=[Fix(span, replacement)], name=SEPARATORS[found.group()],
                                  codepoint=f"U+{ord(found.group()):04X}")


#: Characters that show as nothing (or as an ordinary space) and go into the .docx as they are, and how a message
#: names them: a value pasted from a web page or Word brings them, and a label or option then fails to match, or
#: the printed text hides a character nobody can see or delete in Word.
INVISIBLE: dict[str, str] = {
    "\u200B": "ゼロ幅スペース（ZERO WIDTH SPACE）",
    "\u200C": "ゼロ幅非接合子（ZERO WIDTH NON-JOINER）",
    "\u200D": "ゼロ幅接合子（ZERO WIDTH JOINER）",
    "\u2060": "単語結合子（WORD JOINER）",
    "\uFEFF": "ファイルの途中の BOM（ZERO WIDTH NO-BREAK SPACE）",
    "\u00A0": "ノーブレークスペース（NO-BREAK SPACE、空白に見えます）",
    "\u00AD": "ソフトハイフン（SOFT HYPHEN）",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
#: The joiners: between two emoji (👨\u200D👩) or in scripts that shape letters they mean something; between
#: Japanese or Latin characters nothing, and only there are they removed.
_JOINERS = "\u200C\u200D"


def _plain(ch: str) -> bool:
    """A character of Japanese or Latin text, where a joiner next to it joins nothing (or a line's end)."""
    code = ord(ch) if ch else 0
    return (not ch or code < 0x0250 or 0x3000 <= code < 0x3100 or 0x3400 <= code < 0xA000
            or 0xF900 <= code < 0xFB00 or 0xFF00 <= code < 0xFFF0)


def invisibles(path: str, text: str) -> Iterator[Diagnostic]:
    """W728 for every invisible character in a source file, in order, with the fix --fix applies: a no-break
    space becomes a space, the others go (a joiner only between Japanese or Latin characters)."""
    if not _INVISIBLE.search(text):
        return
    for n, line in enumerate(text.split("\n")):
        for found in _INVISIBLE.finditer(line):
            ch, at = found.group(), found.start()
            span = Span(path, n + 1, at + 1, n + 1, at + 2)
            fields = {"name": INVISIBLE[ch], "codepoint": f"U+{ord(ch):04X}"}
            if ch == "\u00A0":
                yield Diagnostic.make("W728", span, ["--fix で半角空白に直せます"], fixes=[Fix(span, " ")], **fields)
            elif ch in _JOINERS and not (_plain(line[at - 1: at]) and _plain(line[at + 1: at + 2])):
                yield Diagnostic.make("W728", span, ["絵文字などをつなぐ文字のため、--fix では直しません"], **fields)
            else:
                yield Diagnostic.make("W728", span, ["--fix で削除できます"], fixes=[Fix(span, "")], **fields)


def source_text(path: str, text: str) -> Iterator[Diagnostic]:
    """Everything this module reports in one source file: radicals, separators, then invisible characters."""
    return chain(radicals(path, text), separators(path, text), invisibles(path, text))
