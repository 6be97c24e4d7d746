"""CJK radicals in place of ideographs: what text copied from a PDF brings (⺠ for 民, ⻑ for 長, ⽗ for 父).

A PDF's fonts often map an ideograph's glyph to the radical code point drawn the same, so a copied 市民 comes
out as 市⺠: it looks right, yet it matches no label, sorts and searches wrong, and prints in another font.
Radicals never belong in a report's text, so each is reported (W725, with the safe replacement that
`piadoc check --fix` applies), or W726 where no single ideograph stands for it (a component form such as ⺅).
The scan reads the source text, so item names, values and comments are all covered.
"""
from __future__ import annotations

import re
import unicodedata
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
