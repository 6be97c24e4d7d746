"""Hover: the line under the cursor explained. An item (over its label or its value) gets its place in the
form, ※, options and our note (templates/notes.yaml); the `評価書:` line and the directives get the language's
own explanations (language.py), which live beside the words they explain.

Titles and paths are the form's printed text (ItemDef.printed), so a hover's heading and its path agree.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lsprotocol import types as T

from ..language import DIRECTIVE_NOTES, FORM_KEY, FORM_LINE_NOTE, SETTING_VALUE_NOTES, SETTINGS
from ..schema import Form, ItemDef, SchemaError, form_names, norm
from ..schema.notes import note_of
from . import outline
from .positions import column_of, line_range

if TYPE_CHECKING:
    from .features import Buffer


def printed_title(item: ItemDef) -> str:
    """The item as the form prints it on its page, without the ※ that follows: （別添1） where the page prints
    an ASCII 1, though the table of contents (and ItemDef.title, from the number) has （別添１）."""
    return item.printed.split("※")[0].rstrip(" \u3000").replace("{n}", "n") or item.title


def printed_path(form: Form, item: ItemDef) -> str:
    """Printed titles from the section down to the item: the hover's heading and its path read alike."""
    chain = [a for a in form.ancestors(item.id) if a.role != "cover"] + [item]
    return " ＞ ".join(printed_title(a) for a in chain)


def describe(form: Form, item: ItemDef) -> str:
    """Markdown for an item: its title, where it is in the form, ※ and the options, then our note on what the
    item asks for (templates/notes.yaml; the official text is terse, the clerk writing it wants plain words)."""
    lines = [f"**{item.printed}**", "", f"様式の位置: {printed_path(form, item)}"]
    if item.important:
        before = form.changes.timing("before") if form.changes is not None else None
        when = f"「{before.text}」（変更の前に評価を再実施）" if before is not None else "変更の前"
        lines += ["", f"※ この項目の変更は**重要な変更**です: 変更箇所の提出時期は{when}。"]
    if item.options:
        kind = "＜選択肢＞" if item.kind == "choice" else "チェック欄"
        lines += ["", f"{kind}:"] + [f"- {o.printed}" for o in item.options]
    if item.optional:
        lines += ["", "【任意】記載しなくても警告は出ません。"]
    note = _note(form, item)
    if note:
        lines += ["", "---", "", note]
    return "\n".join(lines)


def _note(form: Form, item: ItemDef) -> str | None:
    """The item's note, or the notes file's error: a broken notes file must not break hover, but is shown."""
    try:
        return note_of(form, item)
    except SchemaError as err:
        return f"（注記を読めません: {err}）"


def describe_form_line() -> str:
    """The `評価書:` line: what it decides, and the forms a spec can name (templates/forms.yaml)."""
    names = "\n".join(f"- {name}" for name in form_names())
    return f"**{FORM_KEY}**\n\n{FORM_LINE_NOTE}\n\n書ける評価書:\n{names}"


def describe_directive(word: str) -> str | None:
    """A directive (`@include`, `@空き枠` …): what it does, and a setting's values with what each means."""
    note = DIRECTIVE_NOTES.get(word)
    if note is None:
        return None
    lines = [f"**@{word}**", "", note]
    values = SETTINGS.get(word)
    if values:
        meanings = SETTING_VALUE_NOTES.get(word, {})
        lines += ["", "値:"]
        for value, on in values.items():
            default = "" if on else "（既定）"  # a setting not written is False (check/__init__.py)
            meaning = meanings.get(value)
            lines.append(f"- `{value}`{default}" + (f": {meaning}" if meaning else ""))
    return "\n".join(lines)


_DIRECTIVE = re.compile(r"@([^\s\"]+)")


def _markdown(text: str, rng: T.Range) -> T.Hover:
    return T.Hover(T.MarkupContent(T.MarkupKind.Markdown, text), rng)


def hover(buf: Buffer, pos: T.Position) -> T.Hover | None:
    """The line under the cursor explained: the `評価書:` line, a directive, or the item a line names (over its
    label or its value alike: the user points at the line; a `[○]` line or a block's text is the value of the
    item above)."""
    if pos.line >= len(buf.lines):
        return None
    index = pos.line
    line = buf.scanned[index]
    col = column_of(buf.codec, buf.lines, pos)
    text = buf.lines[index]
    end = len(text.rstrip())
    if line.kind == "item" and line.indent == 0 and norm(line.ref) == FORM_KEY:
        return _markdown(describe_form_line(), line_range(buf.codec, buf.lines, index, line.ref_start, end))
    if line.kind in ("directive", "item"):  # a directive line, or an item's value `@file "…"`
        m = _DIRECTIVE.match(text, line.indent if line.kind == "directive" else line.value_start)
        stop = end if line.kind == "directive" else m.end() if m else 0  # a directive's value is the directive's
        found = describe_directive(m.group(1)) if m and m.start() <= col <= stop else None
        if m and found:
            return _markdown(found, line_range(buf.codec, buf.lines, index, m.start(), stop))
    form = buf.form
    if form is None or line.kind in ("directive", "comment", "blank"):
        return None
    owner = _owner(buf, index)
    if owner is None or not (line.indent <= col <= end or line.kind == "block"):
        return None
    item = outline.item_at(form, buf.scanned, owner) if owner == index else _value_owner(form, buf, index, owner)
    if item is None:
        return None
    return _markdown(describe(form, item), line_range(buf.codec, buf.lines, index, line.indent, end))


def _owner(buf: Buffer, index: int) -> int | None:
    """The line naming the item whose label or value line ``index`` is: itself for an item or heading, the
    line above that opened the block for a block's text, the enclosing item for a `[○]` line."""
    line = buf.scanned[index]
    if line.kind in ("item", "heading"):
        return index
    if line.kind == "block":
        j = index - 1
        while j >= 0 and buf.scanned[j].kind == "block":
            j -= 1
        return j if j >= 0 and buf.scanned[j].kind == "item" else None
    if line.kind == "check":
        chain = outline.ancestors(buf.scanned, index, line.indent)
        return chain[-1] if chain else None
    return None


def _value_owner(form: Form, buf: Buffer, index: int, owner: int) -> ItemDef | None:
    """The item of a value line: the block's item, or the checkbox item a `[○]` line is under."""
    if buf.scanned[index].kind == "check":
        scope = outline.scope_at(form, buf.scanned, index, buf.scanned[index].indent)
        return scope.item if scope is not None else None
    return outline.item_at(form, buf.scanned, owner)
