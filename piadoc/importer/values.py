"""A value cell as the form prints it → the value as a spec writes it, per item kind.

The printed forms come from piadoc.printed (`[ 十分である ]` + ＜選択肢＞, `[ ○ ] 紙 （ … ）`, `（ 3 ）件`);
anything that does not read as its kind is kept verbatim and flagged for review.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..language import DASHES
from ..schema import ItemDef, norm
from ..wareki import WarekiError, parse_date
from .stream import PICTURE_MARK

_BOX = re.compile(r"^\s*[\[［]\s*(.?)\s*[\]］]\s*(.*?)\s*$")
_COUNT = re.compile(r"^\s*[（(]\s*([0-9０-９]*)\s*[）)]\s*件\s*$")
_TICKS = frozenset("○〇◯●✓✔☑☒■xX×")
_TRAILING = re.compile(r"\s*[（(]\s*([0-9０-９]*)\s*[）)]\s*件$")
_BOX_START = re.compile(r"\s*(?=[\[［]\s*[^\]］\s]?\s*[\]］])")
_LEADING = re.compile(r"^\s*[\[［]([^\]］\n]*)[\]］]\s*[<＜]選択肢[>＞]")
_BRACKETED = re.compile(r"^\s*[\[［](.*)[\]］]\s*$")
_HALF_BOX = re.compile(r"^\s*([○〇◯●✓✔☑■])\s*[\]］]")
"""`○ ] 内部監査`: a box whose `[` extraction left on the line before."""
_BOXED_FIRST = re.compile(r"^\s*[\[［]([^\]］\n]*)[\]］]")
_TRAIL_LIST = re.compile(r"\s*(?:[<＜]選択肢[>＞]|[0-9０-９]{1,2}\s*[)）]).*$")


@dataclass
class Parsed:
    """What a value cell says: one of text / choice / checks, the counts printed under it, and doubts."""

    text: str | None = None
    choice: str | None = None
    checks: list[tuple[bool, str]] | None = None
    count: int | None = None
    file: str | None = None
    """The name of a picture the cell holds (stream.Picture), for a figure item."""
    doubts: list[str] = field(default_factory=list)


def _digits(text: str) -> int | None:
    return int(norm(text)) if text and norm(text).isdigit() else None


def split_count(lines: list[str]) -> tuple[list[str], int | None, bool]:
    """The `（ 3 ）　件` line a count child prints under its parent's value: (other lines, n, found)."""
    for i in range(len(lines) - 1, -1, -1):
        m = _COUNT.match(lines[i])
        if m:
            return lines[:i] + lines[i + 1:], _digits(m.group(1)), True
    return lines, None, False


def _text(lines: list[str]) -> str | None:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return "\n".join(line.rstrip() for line in lines) or None


def parse_choice(item: ItemDef, lines: list[str], out: Parsed) -> None:
    body = [line for line in lines if line.strip()]
    if not body:
        return
    inner = _BRACKETED.match(body[0]) or _LEADING.match(body[0])
    boxed = _BOXED_FIRST.match(body[0])
    if inner is None and boxed is not None and item.option_by_text(boxed.group(1).strip(" 　")) is not None:
        inner = boxed  # `[ 実施する ] 1) 実施する …`: the option list printed on the same line
    chosen = inner.group(1) if inner else body[0]  # the change table prints the option bare (事後)
    chosen = chosen.strip(" 　[]［］")  # `定めている[`: a bracket of the next box, cut off
    if not chosen:
        return
    if chosen in DASHES:
        out.text = "―"
        return
    for text in (chosen, _TRAIL_LIST.sub("", chosen)):  # `5年 9） 20年以上`: the option list run on
        key = norm(text)
        for opt in item.options:
            if key in (norm(opt.text), norm(opt.printed)):
                out.choice = opt.text
                return
    out.doubts.append(f"「{chosen[:80]}」は選択肢にありません（選択肢: {' '.join(o.text for o in item.options)}）")


def option_part(text: str) -> str:
    """`[ 定めている ＜選択肢＞` → `定めている`: a chosen option without its brackets and the list after it."""
    return _TRAIL_LIST.sub("", text.strip(" 　[]［］")).strip(" 　[]［］")


def match_option(item: ItemDef, text: str) -> tuple[str | None, str | None, int | None]:
    """(option, extra text, count) of one checkbox line's text; (None, …) when no option fits."""
    count = None
    m = _TRAILING.search(text)
    if m:
        count = _digits(m.group(1))
        text = text[: m.start()]
    opt = item.option_by_text(text)
    if opt is not None:
        return opt.text, None, count
    # その他 （ 健康情報システム ）: the last bracket pair is the free text.
    stripped = text.rstrip()
    if stripped.endswith(("）", ")")):
        depth = 0
        for i in range(len(stripped) - 1, -1, -1):
            if stripped[i] in "）)":
                depth += 1
            elif stripped[i] in "（(":
                depth -= 1
                if depth == 0:
                    opt = item.option_by_text(stripped[:i])
                    if opt is not None:
                        extra = stripped[i + 1:-1].strip(" 　")
                        return opt.text, extra or None, count
                    break
    return None, None, count


def _joined(head: str, tail: str) -> str:
    """A box's label and the line its cell width wrapped it onto: a space only between two Latin words."""
    head, tail = head.rstrip(" 　"), tail.strip(" 　")
    return f"{head} {tail}" if head[-1:].isascii() and head[-1:].isalnum() and tail[:1].isascii() else head + tail


def parse_checkboxes(item: ItemDef, lines: list[str], out: Parsed) -> None:
    checks: list[tuple[bool, str]] = []
    groups = {norm(name) for name, _ in item.option_groups}
    # Boxes run together on one line in extracted text: one line per box.
    lines = [part for line in lines for part in _BOX_START.split(_HALF_BOX.sub(r"[\1]", line)) if part.strip()]
    # A box and the lines its label wrapped onto (a narrow column: 住民基本台帳ネットワークシステ / ム).
    boxes: list[tuple[str, str, list[str]]] = []
    for line in lines:
        m = _BOX.match(line)
        if m:
            boxes.append((m.group(1), m.group(2), []))
        elif norm(line.lstrip("・")) in groups or norm(line) in groups:
            continue
        elif boxes:
            boxes[-1][2].append(line)
        else:
            out.doubts.append(f"チェック欄として読めない行「{line.strip()}」")
    for mark, rest, wrapped in boxes:
        rest = rest.rstrip(" 　[［（(")  # `紙 [`: the next box's half, cut off
        ticked = bool(mark.strip(" 　")) and (mark in _TICKS or mark not in " 　")
        whole = rest
        for tail in wrapped:
            whole = _joined(whole, tail)
        opt, extra, count = match_option(item, whole)
        if opt is None and wrapped:  # not a wrapped label: the lines stand on their own
            opt, extra, count = match_option(item, rest)
            out.doubts += [f"チェック欄として読めない行「{tail.strip()}」" for tail in wrapped]
        if opt is None:
            out.doubts.append(f"「{whole}」はチェック項目にありません" + ("（チェックあり）" if ticked else ""))
            continue
        text = opt
        if ticked and extra:
            text += f"（{extra}）"
        if ticked and count is not None:
            text += f"（{count}）件"
        checks.append((ticked, text))
    if checks:
        out.checks = checks


def parse(item: ItemDef, cell: str, has_count: bool = False) -> Parsed:
    """Read ``cell`` as ``item``'s value (and the count printed under it when ``has_count``)."""
    out = Parsed()
    lines = cell.split("\n")
    pictures = [line.strip()[1:] for line in lines if line.strip().startswith(PICTURE_MARK)]
    if pictures:
        lines = [line for line in lines if not line.strip().startswith(PICTURE_MARK)]
        if item.kind == "figure":
            out.file = pictures[0]
            if len(pictures) > 1 or _text(lines):
                out.doubts.append(f"図と文が一緒に入っていました。{pictures[0]} だけを取り込みました（"
                                  + "、".join(pictures[1:] + ([_text(lines)[:40]] if _text(lines) else [])) + "）")
            return out
        out.doubts.append(f"この項目には図を置けません。図 {'、'.join(pictures)} は取り込みませんでした")
    if has_count:
        lines, out.count, _ = split_count(lines)
    if item.fixed_text:  # the form's own words printed after the value (基礎 Ⅳ１.'s note)
        fixed = [norm(t) for t in item.fixed_text]
        while lines and fixed and norm(lines[-1]) == fixed[-1]:
            lines, fixed = lines[:-1], fixed[:-1]
    if item.suffix and lines:
        last = lines[-1].rstrip()
        if last.endswith(item.suffix):
            lines[-1] = last[: -len(item.suffix)].rstrip(" 　")
    if item.kind == "choice":
        parse_choice(item, lines, out)
    elif item.kind == "checkboxes":
        parse_checkboxes(item, lines, out)
    elif item.kind == "count":
        _, n, found = split_count(lines)
        out.count = n if found else _digits("".join(lines).strip())
    elif item.kind == "date":  # a date never holds a break: a narrow cell wrapped it
        text = "".join(line.strip() for line in lines)
        if text and text not in DASHES:
            try:
                parse_date(text)
            except WarekiError:
                out.doubts.append(f"日付として読めません「{text[:80]}」")
                return out
        out.text = text or None
    else:
        out.text = _text(lines)
        if out.text and out.text.strip() in ("（次のページに掲載）",) and item.kind == "figure":
            out.text = None
            out.doubts.append("Word の文書が添付されていました。@file で指定してください")
    return out
