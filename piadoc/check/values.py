"""One converter per item kind: what was written (nodes.Value) → a typed answer, or diagnostics."""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from pathlib import Path
from typing import Callable

from .. import nodes
from ..diagnostics import Diagnostics
from ..files import Files
from ..model import (
    Answer,
    CheckboxAnswer,
    CheckedOption,
    ChoiceAnswer,
    CountAnswer,
    DateAnswer,
    FileAnswer,
    TextAnswer,
)
from ..schema import ItemDef, Option, norm
from ..wareki import WarekiError, parse_date
from .attachments import attachment_problem

_OPEN, _CLOSE = "（(", "）)"
_EXPECTED = {
    "text": "文字列",
    "choice": "選択肢（例: [{first}] または番号 [{number}]）",
    "checkboxes": "チェック項目（例: [○] {first}）",
    "date": "日付（例: 令和5年6月27日）",
    "count": "件数（例: 3）",
    "figure": "図のファイル（例: @file \"図/事務の流れ.png\"）か説明の文字列",
}


def options_note(item: ItemDef) -> str:
    label = "選択肢" if item.kind == "choice" else "チェック項目"
    return f"{label}: " + " ".join(o.printed for o in item.options)


def near_options(item: ItemDef, written: str, n: int = 2) -> list[str]:
    """The item's options closest to ``written`` (compared as the checker matches them, by norm), closest first:
    E401 and E403 name them, as E303 names the nearest labels (宛名システム → 宛名システム等)."""
    keys: dict[str, str] = {}
    for opt in item.options:
        keys.setdefault(norm(opt.text), opt.text)
    return [keys[k] for k in difflib.get_close_matches(norm(written), list(keys), n=n, cutoff=0.75)]


def not_an_option(item: ItemDef, written: str) -> list[str]:
    """The notes of E401/E403: the nearest options, then all of them."""
    near = near_options(item, written)
    return ([f"近い{'選択肢' if item.kind == 'choice' else 'チェック項目'}: " + " / ".join(near)] if near else []) \
        + [options_note(item)]


def wrong_type(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> None:
    notes = []
    if item.options:
        notes.append(options_note(item))
    if item.kind == "text" and isinstance(value, (nodes.Choice, nodes.Checks)):
        notes.append("「[」で始まる文字列は \"…\" で囲んでください")
    if item.kind == "choice" and isinstance(value, nodes.Text):
        notes.append(f"[ ] で囲んでください: [{value.text}]")
    diags.add("E402", value.span, notes, label=item.title, expected=expected(item))


def expected(item: ItemDef) -> str:
    """What the item takes, its example drawn from its own options (never another item's)."""
    first = item.options[0] if item.options else None
    return _EXPECTED[item.kind].format(first=first.text if first else "…",
                                       number=first.number or 1 if first else 1)


#: The longest value (characters): a .docx text node over 10 MB does not reopen, and no form cell needs a book.
MAX_TEXT = 1_000_000


def convert_text(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> Answer | None:
    if not isinstance(value, nodes.Text):
        return wrong_type(item, value, diags)
    if len(value.text) > MAX_TEXT:
        diags.add("E409", value.span.at_start(), n=f"{len(value.text):,}", max=f"{MAX_TEXT:,}")
        return None
    return TextAnswer(value.text) if value.text else None


def convert_choice(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> Answer | None:
    if not isinstance(value, nodes.Choice):
        return wrong_type(item, value, diags)
    if not value.text:
        return None
    key = norm(value.text)
    for opt in item.options:
        if key in (norm(opt.text), norm(opt.printed), str(opt.number)):
            return ChoiceAnswer(opt.number or 0, opt.text)
    diags.add("E401", value.span, not_an_option(item, value.text), label=item.title, value=value.text)
    return None


def split_extra(text: str) -> tuple[str, str | None]:
    """`その他（中間サーバー(VRS)）` → (`その他`, `中間サーバー(VRS)`): the last balanced bracket pair."""
    if not text or text[-1] not in _CLOSE:
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in _CLOSE:
            depth += 1
        elif text[i] in _OPEN:
            depth -= 1
            if depth == 0:
                return text[:i].rstrip(), text[i + 1 : -1].strip()
    return text, None


def _match_option(item: ItemDef, text: str) -> tuple[Option | None, str | None, bool]:
    """(option, extra text, extra allowed). Exact option text first: some options contain brackets."""
    opt = item.option_by_text(text)
    if opt is not None:
        return opt, None, True
    stripped = re.sub(r"\s*件$", "", text)
    head, extra = split_extra(stripped)
    if extra is None:
        return None, None, True
    opt = item.option_by_text(head)
    if opt is None:
        return None, None, True
    return opt, extra, opt.takes_text or opt.counts is not None


def convert_checkboxes(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> Answer | None:
    if not isinstance(value, nodes.Checks):
        return wrong_type(item, value, diags)
    chosen: dict[str, CheckedOption] = {}
    seen: set[str] = set()
    for check in value.items:
        if not check.checked and check.mark:
            diags.add("E407", check.span, mark=check.mark)
            continue
        opt, extra, allowed = _match_option(item, check.text)
        if opt is None:
            diags.add("E403", check.span, not_an_option(item, check.text), label=item.title, value=check.text)
            continue
        if not allowed:
            diags.add("E406", check.span, option=opt.text)
            continue
        if opt.text in seen:
            diags.add("E408", check.span, option=opt.text)
            continue
        seen.add(opt.text)
        if not check.checked:
            continue
        count = None
        if opt.counts is not None and extra is not None:
            count = parse_count(extra)
            if count is None:
                diags.add("E405", check.span, value=extra)
                continue
            extra = None
        chosen[opt.text] = CheckedOption(opt.text, extra or None, count)
    ordered = tuple(chosen[o.text] for o in item.options if o.text in chosen)
    return CheckboxAnswer(ordered) if ordered else None  # nothing ticked reads as unanswered


def convert_date(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> Answer | None:
    if not isinstance(value, nodes.Text):
        return wrong_type(item, value, diags)
    try:
        return DateAnswer(parse_date(value.text))
    except WarekiError as err:
        diags.add("E404", value.span, [str(err)], value=value.text)
        return None


def parse_count(text: str) -> int | None:
    s = unicodedata.normalize("NFKC", text).replace(" ", "")
    m = re.fullmatch(r"\(?(\d+)\)?件?", s)
    return int(m.group(1)) if m else None


def convert_count(item: ItemDef, value: nodes.Value, diags: Diagnostics) -> Answer | None:
    if not isinstance(value, nodes.Text):
        return wrong_type(item, value, diags)
    n = parse_count(value.text)
    if n is None:
        diags.add("E405", value.span, value=value.text)
        return None
    return CountAnswer(n, stated=True)


IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp"})


def convert_file(ref: nodes.FileRef, root: Path, files: Files, diags: Diagnostics) -> Answer | None:
    """A user's figure or document, relative to the file that names it and inside the project."""
    path = (Path(ref.base or Path(ref.span.path).parent) / ref.path).resolve()
    if not path.is_relative_to(root):
        diags.add("E602", ref.span, [f"プロジェクトの範囲: {os.path.relpath(root)}"], path=ref.path)
        return None
    if not files.is_file(path):
        diags.add("E607", ref.span, path=ref.path)
        return None
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES and suffix != ".docx":
        diags.add("E608", ref.span, path=ref.path)
        return None
    kind = "docx" if suffix == ".docx" else "image"
    problem = attachment_problem(files, path, kind)
    if problem:
        diags.add("E610", ref.span, path=ref.path, detail=problem)
        return None
    return FileAnswer(str(path), kind)


CONVERTERS: dict[str, Callable[[ItemDef, nodes.Value, Diagnostics], Answer | None]] = {
    "figure": convert_text,
    "text": convert_text,
    "choice": convert_choice,
    "checkboxes": convert_checkboxes,
    "date": convert_date,
    "count": convert_count,
}
