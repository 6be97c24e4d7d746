"""What the server answers besides diagnostics: completion, definition, outline (hover is in hover.py, code
actions in actions.py).

Every feature reads a Buffer (the text as lines, scanned by outline.py) and the form; positions go through
positions.py only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lsprotocol import types as T
from pygls.uris import from_fs_path
from pygls.workspace.position_codec import PositionCodec

from ..check.resolve import resolve
from ..language import ref_of
from ..schema import Form, ItemDef, norm
from . import outline
from .hover import printed_path
from .positions import column_of, line_range, lines_of

_VARIABLE = re.compile(r"\{\{\s*([^\s{}]+)\s*\}\}")
_INCLUDE = re.compile(r'@include\s+"([^"\n]*)"')


@dataclass
class Buffer:
    """One open document as the features read it."""

    uri: str
    text: str
    codec: PositionCodec
    path: Path | None = None
    lines: list[str] = field(init=False)
    scanned: list[outline.Line] = field(init=False)
    form: Form | None = field(init=False)

    def __post_init__(self) -> None:
        self.lines = lines_of(self.text)
        self.scanned = outline.scan(self.lines)
        self.form = outline.form_of(self.scanned)


# --- completion ---------------------------------------------------------------------------------------------

def _offered(children: tuple[ItemDef, ...]) -> list[ItemDef]:
    """The items a line at this place can name, in the form's order; unnumbered groups (the cover) are
    transparent, fixed items are printed by the form and never written."""
    out: list[ItemDef] = []
    for it in children:
        if it.fixed:
            continue
        if it.kind == "group" and not it.number and it.role is not None:
            out.extend(_offered(it.children))
        else:
            out.append(it)
    return out


def _written(form: Form, buf: Buffer, index: int, indent: int, scope: outline.Scope) -> dict[str, int]:
    """Items already written beside the cursor: id → how many times (repeat instances count)."""
    seen: dict[str, int] = {}
    for j in outline.siblings(buf.scanned, index, indent):
        found = resolve(form, scope.children, buf.scanned[j].ref).match
        if found is not None:
            seen[found.item.id] = seen.get(found.item.id, 0) + 1
    return seen


def _insert(it: ItemDef, n: int) -> str:
    if it.kind == "repeat":
        return it.instance_label(n) if it.numbered_label else ref_of(it)
    if it.kind == "group":
        return ref_of(it)
    return f"{ref_of(it)}: "


def complete(buf: Buffer, pos: T.Position, sources: Sequence[tuple[str, str]] = ()) -> list[T.CompletionItem]:
    """What may be typed at ``pos``: an include path, a variable name, an option inside [ ], checkbox lines
    under a checkbox item, or the item labels of the place."""
    if pos.line >= len(buf.lines):
        return []
    index = pos.line
    text = buf.lines[index]
    col = column_of(buf.codec, buf.lines, pos)
    before = text[:col]
    line = buf.scanned[index]
    if line.kind == "comment":
        return []
    variable = re.search(r"\{\{\s*([^\s{}]*)$", before)
    if variable:
        return _variables(buf, index, col - len(variable.group(1)), col, sources)
    include = re.search(r'@include\s+"([^"]*)$', before)
    if include and line.kind == "directive":
        return _include_paths(buf, index, col - len(include.group(1)), col)
    form = buf.form
    if form is None or line.kind == "block":
        return []
    bracket = before.rfind("[")
    if bracket >= 0 and "]" not in before[bracket:]:
        return _options(form, buf, index, bracket, col)
    if before.strip() and ":" in before:
        return []
    indent = len(before) - len(before.lstrip(" "))
    scope = outline.scope_at(form, buf.scanned, index, indent)
    if scope is None:
        return []
    if scope.item is not None and scope.item.kind == "checkboxes":
        return _check_lines(buf, index, indent, col, scope.item)
    seen = _written(form, buf, index, indent, scope)
    if line.kind in ("item", "heading"):  # the line being typed is not "already written"
        found = resolve(form, scope.children, line.ref).match
        if found is not None and seen.get(found.item.id):
            seen[found.item.id] -= 1
    edit_range = line_range(buf.codec, buf.lines, index, indent, col)
    out = []
    for order, it in enumerate(_offered(scope.children)):
        count = seen.get(it.id, 0)
        if count and not (it.kind == "repeat" and (it.max is None or count < it.max)):
            continue
        label = it.instance_label(count + 1) if it.kind == "repeat" else it.title
        new_text = _insert(it, count + 1)
        out.append(T.CompletionItem(
            label=label, kind=T.CompletionItemKind.Module if it.kind in ("group", "repeat") else T.CompletionItemKind.Field,
            detail=printed_path(form, it), sort_text=f"{order:04d}", filter_text=label,
            text_edit=T.TextEdit(edit_range, new_text)))
    return out


def _include_paths(buf: Buffer, index: int, start: int, col: int) -> list[T.CompletionItem]:
    """Inside `@include "`: the other .pia files below the spec's folder, relative to it."""
    if buf.path is None:
        return []
    folder = buf.path.parent
    found = sorted(p for p in folder.rglob("*.pia") if p != buf.path and ".git" not in p.parts)[:200]
    rng = line_range(buf.codec, buf.lines, index, start, col)
    return [T.CompletionItem(label=p.relative_to(folder).as_posix(), kind=T.CompletionItemKind.File,
                             text_edit=T.TextEdit(rng, p.relative_to(folder).as_posix())) for p in found]


_SET = re.compile(r"^\s*@set\s+([^\s=:\"]+)\s*=\s*(.*)$")


def _variables(buf: Buffer, index: int, start: int, col: int,
               sources: Sequence[tuple[str, str]]) -> list[T.CompletionItem]:
    """After `{{`: the names set with `@set` in this buffer and the files its last check read."""
    names: dict[str, str] = {}
    for text in [buf.text] + [t for _, t in sources]:
        for line in lines_of(text):
            m = _SET.match(line)
            if m:
                names.setdefault(m.group(1), m.group(2).strip())
    rng = line_range(buf.codec, buf.lines, index, start, col)
    return [T.CompletionItem(label=name, kind=T.CompletionItemKind.Variable, detail=value,
                             text_edit=T.TextEdit(rng, name)) for name, value in names.items()]


def _options(form: Form, buf: Buffer, index: int, bracket: int, col: int) -> list[T.CompletionItem]:
    """Inside `[ ]`: the options of the line's item (a choice), replacing what is inside the brackets."""
    line = buf.scanned[index]
    item = outline.item_at(form, buf.scanned, index) if line.kind == "item" else None
    if item is None or not item.options:
        return []
    text = buf.lines[index]
    close = text.find("]", bracket)
    end = close if close >= 0 else col
    edit_range = line_range(buf.codec, buf.lines, index, bracket + 1, end)
    out = []
    for order, opt in enumerate(item.options):
        out.append(T.CompletionItem(label=opt.text, kind=T.CompletionItemKind.EnumMember, detail=opt.printed,
                                    sort_text=f"{order:04d}", filter_text=opt.text,
                                    text_edit=T.TextEdit(edit_range, opt.text if close >= 0 else opt.text + "]")))
    return out


def _check_lines(buf: Buffer, index: int, indent: int, col: int, item: ItemDef) -> list[T.CompletionItem]:
    """Under a checkbox item: a `[○] 選択肢` line for each option not written yet."""
    written = set()
    for j, line in enumerate(buf.scanned):
        if line.kind == "check" and line.indent == indent and j != index:
            if outline.ancestors(buf.scanned, j, indent) == outline.ancestors(buf.scanned, index, indent):
                written.add(norm(re.sub(r"\[[^\]]*\]", "", line.value).split("（")[0]))
    edit_range = line_range(buf.codec, buf.lines, index, indent, col)
    return [T.CompletionItem(label=f"[○] {opt.text}", kind=T.CompletionItemKind.EnumMember, detail=item.title,
                             sort_text=f"{order:04d}", filter_text=opt.text,
                             text_edit=T.TextEdit(edit_range, f"[○] {opt.text}" + ("（）" if opt.takes_text else "")))
            for order, opt in enumerate(item.options) if norm(opt.text) not in written]


# --- definition ---------------------------------------------------------------------------------------------

def definition(buf: Buffer, pos: T.Position, sources: Sequence[tuple[str, str]]) -> T.Location | None:
    """`@include "…"` → the file; `{{ 名前 }}` → its `@set` line (in this buffer or a file the spec reads).
    ``sources`` are (absolute path, text) of the files of the last check."""
    if pos.line >= len(buf.lines):
        return None
    text = buf.lines[pos.line]
    col = column_of(buf.codec, buf.lines, pos)
    m = _INCLUDE.search(text)
    if m and buf.path is not None and m.start() <= col <= m.end():
        target = (buf.path.parent / m.group(1)).resolve()
        start = T.Position(0, 0)
        return T.Location(from_fs_path(str(target)) or "", T.Range(start, start))
    for m in _VARIABLE.finditer(text):
        if m.start() <= col <= m.end():
            return _set_line(buf, m.group(1), sources)
    return None


def _set_line(buf: Buffer, name: str, sources: Sequence[tuple[str, str]]) -> T.Location | None:
    pattern = re.compile(rf"^\s*@set\s+{re.escape(name)}\s*=")
    candidates = [(buf.uri, buf.lines)] + [(from_fs_path(p) or "", lines_of(t)) for p, t in sources]
    for uri, lines in candidates:
        for i, line in enumerate(lines):
            if pattern.match(line):
                start = len(line) - len(line.lstrip())
                return T.Location(uri, line_range(buf.codec, lines, i, start, len(line.rstrip())))
    return None


# --- outline ------------------------------------------------------------------------------------------------

def symbols(buf: Buffer) -> list[T.DocumentSymbol]:
    """Every line with lines indented under it (Ⅰ…Ⅵ, １．…, システムn, 委託事項n, 別添, 変更 rows), nested."""
    scanned = buf.scanned
    heads = [i for i, line in enumerate(scanned) if line.kind in ("item", "heading")]
    roots: list[T.DocumentSymbol] = []
    stack: list[tuple[int, T.DocumentSymbol]] = []
    for k, i in enumerate(heads):
        line = scanned[i]
        nxt = next((j for j in heads[k + 1:]), None)
        if nxt is None or scanned[nxt].indent <= line.indent:
            continue  # a leaf item: not in the outline
        last = _block_end(scanned, i)
        rng = T.Range(T.Position(i, 0), T.Position(last, buf.codec.client_num_units(buf.lines[last])))
        sel = line_range(buf.codec, buf.lines, i, line.ref_start, line.ref_start + len(line.ref))
        label = line.ref + (f": {line.value}" if line.kind == "item" and line.value and not line.value.startswith('"""') else "")
        sym = T.DocumentSymbol(name=label or "（無題）", kind=T.SymbolKind.Namespace, range=rng,
                               selection_range=sel, children=[])
        while stack and stack[-1][0] >= line.indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(sym)  # type: ignore[union-attr]
        stack.append((line.indent, sym))
    return roots


def _block_end(scanned, i: int) -> int:
    """The last line that belongs to line ``i``'s item: its indented lines, comments and block text, not the
    blank lines after them."""
    indent = scanned[i].indent
    last = i
    for j in range(i + 1, len(scanned)):
        if scanned[j].kind not in ("blank", "comment", "block") and scanned[j].indent <= indent:
            break
        if scanned[j].kind != "blank":
            last = j
    return last


def folding(buf: Buffer) -> list[T.FoldingRange]:
    """Each item with lines under it, and each multi-line block."""
    out: list[T.FoldingRange] = []
    scanned = buf.scanned
    for i, line in enumerate(scanned):
        if line.kind not in ("item", "heading"):
            continue
        last = _block_end(scanned, i)
        if last > i:
            out.append(T.FoldingRange(start_line=i, end_line=last))
    return out
