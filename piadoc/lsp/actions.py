"""Code actions: the quick fixes of a diagnostic, and "fix all" for the file.

- E303 (the nearest labels) and E401 (the options, the closest first) are worked out from the buffer and the form.
- W725, W727 and W728 (a radical copied from a PDF, a line separator, an invisible character) are found again
  in the buffer as it is now, by the checker's own scan (check/lookalikes.py): the fix is always the one
  `piadoc check --fix` makes, and never stale. The same scan gives the source action "fix all"
  (source.fixAll.piadoc): every one of them in the file.
- Any other diagnostic that offers an edit (W730–W733: a 変更箇所 row's path as the form writes it; E205/E208:
  the indentation converted, syntax/indentation.py) carries it in its ``data`` (server.py); it is offered while
  the text at its range is still what was checked.
"""
from __future__ import annotations

import difflib
from typing import Any

from lsprotocol import types as T

from ..check.lookalikes import INVISIBLE, SEPARATORS, source_text
from ..check.resolve import resolve
from ..language import ref_of
from . import outline
from .features import Buffer
from .positions import LINE_BREAK, column_of, line_range, span_range

#: Diagnostics the buffer's own text shows: their fixes are found in it again (check/lookalikes.py).
TEXT_CODES = frozenset({"W725", "W727", "W728"})
#: The kind of the "fix all" source action.
FIX_ALL = f"{T.CodeActionKind.SourceFixAll.value}.piadoc"


def wanted(kind: str, only: list[str] | None) -> bool:
    """Does the client ask for actions of ``kind`` (all, or a kind it names, or a parent of it)?"""
    return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)


def code_actions(buf: Buffer, params: T.CodeActionParams) -> list[T.CodeAction]:
    only = params.context.only
    out: list[T.CodeAction] = []
    if wanted(T.CodeActionKind.QuickFix.value, only):
        out += _by_form(buf, params.context.diagnostics)
        out += _text_fixes(buf, params.context.diagnostics)
        out += _carried(buf, params.context.diagnostics)
    if wanted(FIX_ALL, only):
        out += fix_all(buf)
    return out


def _by_form(buf: Buffer, diagnostics: list[T.Diagnostic]) -> list[T.CodeAction]:
    form = buf.form
    if form is None:
        return []
    out: list[T.CodeAction] = []
    for diag in diagnostics:
        index = diag.range.start.line
        if diag.source != "piadoc" or index >= len(buf.scanned):
            continue
        line = buf.scanned[index]
        if diag.code == "E303" and line.kind in ("item", "heading"):
            scope = outline.scope_at(form, buf.scanned, index, line.indent)
            if scope is None:
                continue
            rng = line_range(buf.codec, buf.lines, index, line.ref_start, line.ref_start + len(line.ref))
            for it in resolve(form, scope.children, line.ref).nearest:
                out.append(_fix(buf, f"「{ref_of(it)}」に直す", rng, ref_of(it), diag))
        elif diag.code == "E401" and line.kind == "item":
            item = outline.item_at(form, buf.scanned, index)
            text = buf.lines[index]
            open_, close = text.find("[", line.value_start), text.find("]", line.value_start)
            if item is None or open_ < 0 or close < 0:
                continue
            written = text[open_ + 1:close].strip()
            ranked = sorted(item.options, key=lambda o: -difflib.SequenceMatcher(None, written, o.text).ratio())
            rng = line_range(buf.codec, buf.lines, index, open_ + 1, close)
            for i, opt in enumerate(ranked):
                out.append(_fix(buf, f"「{opt.text}」にする", rng, opt.text, diag, preferred=i == 0))
    return out


def _text_edits(buf: Buffer) -> list[tuple[T.Range, str, str]]:
    """Every fix the checker's scan of the source text offers in this buffer: (range, was, replacement)."""
    text = buf.text.removeprefix("\ufeff")
    ending = m.group() if (m := LINE_BREAK.search(text)) else "\n"
    normal = LINE_BREAK.sub("\n", text)  # as source.py gives the text to the checker
    out = []
    for diag in source_text(buf.uri, normal):
        for fix in diag.fixes:
            span = fix.span
            was = buf.lines[span.line - 1][span.column - 1:span.end_column - 1]
            out.append((span_range(buf.codec, buf.lines, span), was, fix.replacement.replace("\n", ending)))
    return out


def _text_fixes(buf: Buffer, diagnostics: list[T.Diagnostic]) -> list[T.CodeAction]:
    mine = [d for d in diagnostics if d.source == "piadoc" and d.code in TEXT_CODES]
    if not mine:
        return []
    edits = {(rng.start.line, rng.start.character): (rng, was, new) for rng, was, new in _text_edits(buf)}
    out = []
    for diag in mine:
        found = edits.get((diag.range.start.line, diag.range.start.character))
        if found is not None:
            rng, was, new = found
            out.append(_fix(buf, _title(was, new), rng, new, diag, preferred=True))
    return out


def fix_all(buf: Buffer) -> list[T.CodeAction]:
    """One action for every radical, line separator and invisible character in the file (none when there are
    none)."""
    edits = _text_edits(buf)
    if not edits:
        return []
    title = f"部首の文字・改行に見える文字・見えない文字をすべて直す（{len(edits)} か所）"
    return [T.CodeAction(title=title, kind=FIX_ALL,
                         edit=T.WorkspaceEdit(changes={buf.uri: [T.TextEdit(rng, new) for rng, _, new in edits]}))]


def carried(fixes: list[tuple[T.Range, str, str]]) -> dict[str, Any]:
    """A diagnostic's ``data``: the edits it offers, with the text they replace."""
    return {"fixes": [{"range": {"start": {"line": r.start.line, "character": r.start.character},
                                 "end": {"line": r.end.line, "character": r.end.character}},
                       "was": was, "newText": new} for r, was, new in fixes]}


def _carried(buf: Buffer, diagnostics: list[T.Diagnostic]) -> list[T.CodeAction]:
    out = []
    for diag in diagnostics:
        data = diag.data if isinstance(diag.data, dict) else {}
        if diag.source != "piadoc" or diag.code in TEXT_CODES or not isinstance(data.get("fixes"), list):
            continue
        edits = []
        for fix in data["fixes"]:
            try:
                r = fix["range"]
                rng = T.Range(T.Position(int(r["start"]["line"]), int(r["start"]["character"])),
                              T.Position(int(r["end"]["line"]), int(r["end"]["character"])))
                was, new = str(fix["was"]), str(fix["newText"])
            except (KeyError, TypeError, ValueError):
                break  # not ours: a client that rewrote the data
            if rng.start.line != rng.end.line or rng.start.line >= len(buf.lines):
                break
            text = buf.lines[rng.start.line]
            if text[column_of(buf.codec, buf.lines, rng.start):column_of(buf.codec, buf.lines, rng.end)] != was:
                break  # the text changed since it was checked
            edits.append(T.TextEdit(rng, new))
        else:
            if edits:
                title = _title(data["fixes"][0]["was"], data["fixes"][0]["newText"]) if len(edits) == 1 \
                    else f"{len(edits)} か所を直す"
                out.append(T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[diag],
                                        is_preferred=True, edit=T.WorkspaceEdit(changes={buf.uri: edits})))
    return out


def _title(was: str, new: str) -> str:
    if len(was) == 1 and (was in SEPARATORS or was in INVISIBLE):
        was = f"U+{ord(was):04X}"
    if new.startswith(("\n", "\r")):
        return f"「{was}」を改行にする"
    if not new.strip():
        return f"「{was}」を消す" if not new else f"「{was}」を空白にする"
    return f"「{was}」を「{new}」に直す"


def _fix(buf: Buffer, title: str, rng: T.Range, text: str, diag: T.Diagnostic, preferred: bool = False) -> T.CodeAction:
    return T.CodeAction(title=title, kind=T.CodeActionKind.QuickFix, diagnostics=[diag], is_preferred=preferred,
                        edit=T.WorkspaceEdit(changes={buf.uri: [T.TextEdit(rng, text)]}))
