"""Walks the statements of a spec against the form: resolves every reference, converts every value.

Collects answers, repeat instances and where each was written; the cross-item rules run afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import nodes
from ..diagnostics import Diagnostics, Span
from ..files import Files
from ..language import DASHES, FORM_KEY, SETTINGS
from ..model import Answer, Blank, Key, NotApplicable, TextAnswer
from ..schema import Form, ItemDef, norm
from .resolve import Lookup, item_path, resolve
from .values import CONVERTERS, convert_file, convert_text

#: A full-width commercial at, as a Japanese IME types it: a line starting with it reads as an item, not as
#: a directive (@空き枠, @include…), and the form has no such item.
FULLWIDTH_AT = "\uff20"


@dataclass
class Collected:
    """What the walk found, before the cross-item rules."""

    answers: dict[Key, Answer] = field(default_factory=dict)
    spans: dict[Key, Span] = field(default_factory=dict)
    """Where each answered item, entered group or repeat instance was written."""
    instances: dict[Key, set[int]] = field(default_factory=dict)
    instance_spans: dict[tuple[str, tuple[int, ...], int], Span] = field(default_factory=dict)
    texts: list[tuple[Key, nodes.Text]] = field(default_factory=list)
    """Text values, kept to fill in variables once all @set lines are known."""
    variables: dict[str, str] = field(default_factory=dict)
    variable_spans: dict[str, Span] = field(default_factory=dict)
    value_spans: dict[Key, Span] = field(default_factory=dict)
    """Where each written value stands (a message about the value points at it, not at the key)."""
    settings: dict[str, bool] = field(default_factory=dict)
    """Report-level settings (`@空き枠 印刷する`) by their word, as language.SETTINGS means them."""
    setting_spans: dict[str, Span] = field(default_factory=dict)


def is_blank(value: nodes.Value | None) -> bool:
    """`項目: ""`: the item is left blank on purpose, whatever its kind."""
    return isinstance(value, nodes.Text) and value.quoted and value.text == ""


class Walker:
    def __init__(self, form: Form, diags: Diagnostics, root: Path, files: Files) -> None:
        self.form = form
        self.files = files
        self.diags = diags
        self.root = root
        """The project root: files a spec brings (@file) must lie inside it."""
        self.out = Collected()

    def walk(self, statements: tuple[nodes.Statement, ...], scope: ItemDef | None = None,
             inst: tuple[int, ...] = ()) -> None:
        for stmt in statements:
            if isinstance(stmt, nodes.SetVar):
                self.set_variable(stmt)
            elif isinstance(stmt, nodes.Setting):
                self.setting(stmt, scope)
            elif isinstance(stmt, nodes.Entry):
                if norm(stmt.ref) == FORM_KEY:
                    self.form_line(stmt)
                    continue
                self.entry(stmt, scope, inst)

    def form_line(self, stmt: nodes.Entry) -> None:
        """`評価書: …` opens a spec, and may open a fragment (so it can be checked alone): it must name this form."""
        name = stmt.value.text.strip() if isinstance(stmt.value, nodes.Text) else ""
        if name != self.form.name:
            self.diags.add("E313", stmt.ref_span, name=name, form=self.form.name)

    def set_variable(self, stmt: nodes.SetVar) -> None:
        if stmt.name in self.out.variables:
            first = self.out.variable_spans[stmt.name]
            self.diags.add("E606", stmt.span, [f"最初の定義: {first.path}:{first.line}"], name=stmt.name)
            return
        self.out.variables[stmt.name] = stmt.value
        self.out.variable_spans[stmt.name] = stmt.span

    def setting(self, stmt: nodes.Setting, scope: ItemDef | None) -> None:
        """A report-level setting: written once, outside any item (an included fragment's setting counts
        where it is included), with one of its allowed values."""
        if scope is not None:
            self.diags.add("E315", stmt.span, name=stmt.name)
            return
        if stmt.name in self.out.setting_spans:
            first = self.out.setting_spans[stmt.name]
            self.diags.add("E305", stmt.span, [f"最初の記載: {first.path}:{first.line}"], label=f"@{stmt.name}")
            return
        allowed = SETTINGS[stmt.name]
        if stmt.value not in allowed:
            found = f"「{stmt.value}」は書けません" if stmt.value else "値がありません"
            self.diags.add("E314", stmt.value_span, [f"例: @{stmt.name} {next(iter(allowed))}"],
                           name=stmt.name, allowed="・".join(f"「{v}」" for v in allowed), found=found)
            return
        self.out.settings[stmt.name] = allowed[stmt.value]
        self.out.setting_spans[stmt.name] = stmt.span

    def entry(self, stmt: nodes.Entry, scope: ItemDef | None, inst: tuple[int, ...]) -> None:
        children = scope.children if scope is not None else self.form.items
        found = resolve(self.form, children, stmt.ref)
        if found.match is None:
            self.report_unresolved(stmt, found)
            return
        item, number = found.match.item, found.match.instance
        if item.fixed:
            self.diags.add("E309", stmt.ref_span, label=item.title)
            return
        if item.kind == "repeat":
            self.repeat_instance(stmt, item, number, inst)
            return
        key = (item.id, inst)
        if item.kind == "group":
            if stmt.value is not None:
                self.heading_with_value(stmt, item)
            self.out.spans.setdefault(key, stmt.ref_span)
            self.walk(stmt.children, item, inst)
            return
        if key in self.out.answers or (key in self.out.spans and stmt.value is not None):
            first = self.out.spans[key]
            self.diags.add("E305", stmt.ref_span, [f"最初の記載: {first.path}:{first.line}"], label=item.title)
            return
        self.out.spans[key] = stmt.ref_span
        if stmt.value is not None:
            self.out.value_spans[key] = stmt.value.span
        if is_blank(stmt.value):
            self.out.answers[key] = Blank()
        elif isinstance(stmt.value, nodes.Text) and not stmt.value.quoted and stmt.value.text.strip() in DASHES:
            self.out.answers[key] = NotApplicable()
        elif isinstance(stmt.value, nodes.FileRef) and item.kind == "figure":
            answer = convert_file(stmt.value, self.root, self.files, self.diags)
            if answer is not None:
                self.out.answers[key] = answer
        elif stmt.value is not None:
            answer = CONVERTERS[item.kind](item, stmt.value, self.diags)
            if answer is not None:
                self.out.answers[key] = answer
                if isinstance(stmt.value, nodes.Text) and item.kind == "text":
                    self.out.texts.append((key, stmt.value))
        self.walk(stmt.children, item, inst)

    def heading_with_value(self, stmt: nodes.Entry, item: ItemDef) -> None:
        notes = []
        if isinstance(stmt.value, nodes.Text):
            notes.append(f"見出しの項目名に「:」は使えません。「{stmt.ref}：{stmt.value.text}」と全角で書くか、番号だけ書いてください")
        self.diags.add("E310", stmt.value.span if stmt.value else stmt.ref_span, notes, label=item.title)

    def repeat_instance(self, stmt: nodes.Entry, item: ItemDef, number: int | None,
                        inst: tuple[int, ...]) -> None:
        seen = self.out.instances.setdefault((item.id, inst), set())
        if item.auto_number:
            number = len(seen) + 1
        elif number is None:
            if item.numbered_label:
                self.diags.add("E311", stmt.ref_span, ref=stmt.ref, example=item.instance_label(1))
                return
            number = 1
        limit = item.max
        if number < 1 or (limit is not None and number > limit):
            self.diags.add("E307", stmt.ref_span, label=item.instance_label(number), n=number, max=limit or "")
            return
        if number in seen:
            first = self.out.instance_spans[(item.id, inst, number)]
            self.diags.add("E305", stmt.ref_span, [f"最初の記載: {first.path}:{first.line}"],
                           label=item.instance_label(number))
            return
        seen.add(number)
        inner = inst + (number,)
        self.out.instance_spans[(item.id, inst, number)] = stmt.ref_span
        self.out.spans[(item.id, inner)] = stmt.ref_span
        if stmt.value is not None:
            if item.heading_text and is_blank(stmt.value):
                self.out.answers[(item.id, inner)] = Blank()
            elif item.heading_text and isinstance(stmt.value, nodes.Text):
                title = convert_text(item, stmt.value, self.diags)  # the same limits as any text value
                if title is not None:
                    self.out.answers[(item.id, inner)] = title
                    self.out.texts.append(((item.id, inner), stmt.value))
            else:
                self.heading_with_value(stmt, item)
        self.walk(stmt.children, item, inner)

    def report_unresolved(self, stmt: nodes.Entry, found: Lookup) -> None:
        span = stmt.ref_span
        if found.ambiguous:
            notes = ["候補: " + " / ".join(item_path(self.form, it) for it in found.ambiguous)]
            self.diags.add("E312", span, notes, ref=stmt.ref)
        elif found.number_mismatch is not None:
            it = found.number_mismatch
            self.diags.add("E306", span, [f"様式では「{it.title}」です"], number=stmt.ref.replace(it.label, "").strip(),
                           label=it.label)
        elif found.elsewhere is not None:
            self.diags.add("E304", span, ref=stmt.ref, where=item_path(self.form, found.elsewhere))
        else:
            notes = ["近い項目: " + " / ".join(item_path(self.form, it) for it in found.nearest)] if found.nearest else []
            if stmt.ref.startswith(FULLWIDTH_AT):  # an IME's ＠: the line was meant as a directive, not an item
                meant = "@" + stmt.ref[1:].replace("\u3000", " ", 1)
                notes = [f"指示は半角の「@」で書きます（値との間も半角スペース）: {meant}"]
            self.diags.add("E303", span, notes, ref=stmt.ref)
