"""Plain text extracted from a PDF (as in the published seeds) → a stream; best effort.

Tab-separated lines are table rows (label, value); other lines are lines. HTML fragments some extractors leave
in cells are turned back into text: list items and paragraphs into lines, checkboxes into [○] / [ ].
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from .stream import ImportFailed, Item, Line, Row
from .text_bytes import decode

_CHECKED = re.compile(r"\[\s*<input[^>]*checked[^>]*>\s*\]")
_UNCHECKED = re.compile(r"\[\s*<input[^>]*>\s*\]")
_BARE_CHECKED = re.compile(r"<input[^>]*checked[^>]*>")
_BARE_UNCHECKED = re.compile(r"<input[^>]*>")
_BREAKS = re.compile(r"<\s*(?:br|/?p|/?div|/?li|/?ul|/?tr)\b[^>]*>", re.I)
_TAG = re.compile(r"<[a-zA-Z/][^<>]*>")
_BULLET = re.compile(r"\s+(?=・)")


def clean_cell(text: str) -> str:
    """A cell as text: HTML tags out, checkboxes and bullets on their own lines."""
    if "<" not in text:
        return text.strip()
    text = _CHECKED.sub("[○]", text)
    text = _UNCHECKED.sub("[ ]", text)
    text = _BARE_CHECKED.sub("[○]", text)
    text = _BARE_UNCHECKED.sub("[ ]", text)
    list_like = "<ul" in text or "<li" in text
    text = _BREAKS.sub("\n", text)
    text = html.unescape(_TAG.sub("", text))
    if list_like:
        text = _BULLET.sub("\n", text)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def read_text(path: Path) -> list[Item]:
    try:
        text, _ = decode(path.read_bytes())
    except UnicodeDecodeError as err:
        raise ImportFailed("E116", kind="テキスト（UTF-8、UTF-16、Shift_JIS）", reason=str(err)) from None
    except OSError as err:
        raise ImportFailed("E115", reason=err.strerror or str(err)) from None
    items: list[Item] = []
    gap = False
    for n, raw in enumerate(text.splitlines(), 1):
        cells = [clean_cell(c) for c in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            gap = True
            continue
        if len(cells) == 1:  # a label or value alone on its line (trailing tabs dropped)
            items.append(Line(cells[0], f"{n}行目", gap))
            gap = False
        else:
            items.append(Row(tuple(cells), f"{n}行目", 0))
            gap = False
    return items
