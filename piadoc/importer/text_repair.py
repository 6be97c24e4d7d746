"""Plain text extracted from a PDF: lines the extraction cut at a cell's right edge, joined again.

Extraction prints each line of a cell as a line of its own. Two kinds of cut are undone here, before the mapper
reads the stream: a label cut in two (`対象となる本人の` / `範囲　※`), recognised because the two parts make a
label of the form and the first alone does not; and a value's line wrapped at the cell width, recognised because
it is as wide as the widest line of its block and the next line starts no list item (・, ①, （１）, １．) and
is no 提出時期 option alone (the 変更箇所 table prints it as a cell of its own under a full line).
The form's labels and options are the only knowledge used; none is named here.
"""
from __future__ import annotations

import re
import unicodedata

from ..schema import Form, norm
from .stream import Item, Line

_MARKER = re.compile(r"^\s*(?:[・※○●■□◆◇▪\-－‐〇【＜<（(\[［\]］]|[①-⑳]|[0-9０-９]+\s*[．.）)、]|[ア-ン][．.）)]"
                     r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨ])")
"""A line that starts a list item, a note or a box: the author's break, never a wrap. The form's own numbered
headings (システム{n}, リスク１ …) are added from the form: heading_stems."""
_STEM = re.compile(r"[^\d０-９]{2,}")
_SENTENCE_END = ("。", "：", ":")
_PREFIX = 6
"""A label's first characters that make a line the start of a label cut over several lines."""
_SLACK = 4
"""Half-width units a wrapped line may fall short of the block's widest (one wide character and a space)."""


def width(text: str) -> int:
    """Display width in half-width units (a kanji is 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text.rstrip())


def label_keys(form: Form) -> frozenset[str]:
    """Every label key of the form (as `check` matches them), with the numbered repeats' stems."""
    keys: set[str] = set()
    for item in form.walk():
        found = form.index.keys(item)
        keys.update(found.labels)
    return frozenset(keys)


def _head(text: str) -> str:
    return text.strip().partition(" ")[0]


def _is_label(text: str, labels: frozenset[str]) -> bool:
    key = norm(_head(text))
    return bool(key) and key in labels


def join_cut_labels(stream: list[Item], labels: frozenset[str]) -> list[Item]:
    """`対象となる本人の` + `範囲　※ 市内の…` → one line, when only the two together start with a label."""
    starts = {k[:n] for k in labels for n in range(_PREFIX, len(k))}  # a label cut in three
    out: list[Item] = []
    for item in stream:
        prev = out[-1] if out else None
        if isinstance(item, Line) and isinstance(prev, Line):
            first = prev.text.strip()
            joined = first + item.text.strip()
            if (" " not in first and not _is_label(first, labels) and not _is_label(item.text, labels)
                    and (_is_label(joined, labels) or (len(norm(joined)) >= _PREFIX and norm(joined) in starts))):
                out[-1] = Line(joined, prev.where, prev.gap)
                continue
        out.append(item)
    return out


def heading_stems(form: Form) -> tuple[str, ...]:
    """What the form's numbered headings start with: a repeat's label before its number (システム{n} →
    システム) and a number's words before its digits (リスク１ → リスク)."""
    stems = {it.label.split("{n}")[0] for it in form.walk() if it.numbered_label}
    stems |= {m.group(0) for it in form.walk() if it.number and (m := _STEM.match(it.number))}
    return tuple(sorted(s for s in stems if s))


def join_wrapped(stream: list[Item], labels: frozenset[str], alone: frozenset[str] = frozenset(),
                 stems: tuple[str, ...] = ()) -> list[Item]:
    """Lines of one block (no blank line between) wrapped at the cell width, joined. A block's widest line
    stands for the cell width; a line that wide, not ending a sentence, continues on the next line unless that
    one starts a list item, a numbered heading of ``stems`` or a label, or is a word of ``alone`` (a 提出時期
    option: a cell of its own)."""
    out: list[Item] = []
    block: list[Line] = []

    def flush() -> None:
        if len(block) < 2:
            out.extend(block)
            block.clear()
            return
        full = max(width(line.text) for line in block) - _SLACK
        merged = [block[0]]
        for line in block[1:]:
            last = merged[-1]
            text = last.text.rstrip()
            if (width(text) >= full and not text.endswith(_SENTENCE_END) and not _MARKER.match(line.text)
                    and not line.text.lstrip().startswith(stems) and not _is_label(line.text, labels) and norm(text) not in labels
                    and not _MARKER.match(text[-1:]) and norm(line.text) not in alone and norm(text) not in alone):
                merged[-1] = Line(text + line.text.strip(), last.where, last.gap)
            else:
                merged.append(line)
        out.extend(merged)
        block.clear()

    for item in stream:
        if isinstance(item, Line) and not (item.gap and block):
            block.append(item)
            continue
        flush()
        if isinstance(item, Line):
            block.append(item)
        else:
            out.append(item)
    flush()
    return out


def repair(form: Form, stream: list[Item]) -> list[Item]:
    labels = label_keys(form)
    timing = form.changes.column("timing").options if form.changes is not None else ()
    return join_wrapped(join_cut_labels(stream, labels), labels, frozenset(norm(o.text) for o in timing),
                        heading_stems(form))
