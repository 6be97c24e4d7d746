"""The form as typed data: items with printed numbers, labels, ※ marks, options, repeats and conditions.

Read from templates/<form>/form.yaml by the loader; nothing in code names a label of the form.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotation only: the index is built by the loader (index.py imports this module)
    from .index import FormIndex

KINDS = frozenset({"text", "choice", "checkboxes", "date", "count", "figure", "group", "repeat"})

# Roles: what the code relies on, declared in form.yaml (`role:` on items, `option_roles:` on options) and
# checked when a form loads. Code finds items and options by role, never by id, position or printed text.
PART_ROLES = frozenset({"cover", "contents", "changes", "sheets"})
"""Top-level parts the renderer treats specially."""
COVER_ROLES = ("name", "org", "published")
"""Fields of the cover part: 評価書名, 評価実施機関名, 公表日 (core properties and the zip time of the .docx)."""
COLUMN_ROLES = ("date", "item", "before", "after", "timing", "reason")
"""Columns of the 変更箇所 row repeat: 変更日, 項目, 変更前の記載, 変更後の記載, 提出時期, 提出時期に係る説明."""
TIMING_ROLES = ("before", "after", "partly_before")
#: Kinds of change of a ※ item that are no 重要な変更 (item key `minor_changes:`): `post` a person's name or
#: post (所属長, 責任者), `deletion` the removal of text that no longer applies (an incident past its 3 years).
MINOR_CHANGES = ("post", "deletion")
"""Options of the 提出時期 column: 事前, 事後, 一部事前 (before and after are required)."""


_NOISE = re.compile(r"[\s.※]")
_SLOT_RANGE = re.compile(r"(\d+)(?:～(\d+))?$")
"""システム6～10, 提供先2～5: the number a slot heading starts at."""


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Matching key: NFKC (① → 1, Ⅱ → II, full-width → half-width), no spaces, dots or ※ marks.

    Cached: the same labels and references are normalised thousands of times per spec."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).replace("【任意】", "")


@dataclass(frozen=True, slots=True)
class Option:
    """One printed ＜選択肢＞ or checkbox option."""

    number: int | None
    """1-based number printed before a choice ("2）"), None for checkboxes."""
    text: str
    """The option text without its number: what the spec writes and the form prints in [ ]."""
    printed: str
    """As printed in the option list, number included ("2） 十分である")."""
    takes_text: bool = False
    """Prints （ … ） after it for free text (その他, the named sources of 入手元)."""
    counts: str | None = None
    """For 提供を行っている（ 2 ）件: the id of the repeat whose instances it counts."""
    role: str | None = None
    """What the code relies on this option for (TIMING_ROLES), from the item's `option_roles:`."""
    exclusive: bool = False
    """Cannot be ticked with any other option of its item (行っていない beside 提供を行っている)."""


@dataclass(frozen=True, slots=True)
class Condition:
    """When an item applies: ``item`` (an id) ``op`` (is, is_not, checked, not_checked) ``value``."""

    item: str
    op: str
    value: str


@dataclass(frozen=True, slots=True)
class ItemDef:
    """One item of the form. Groups and repeats have children; fields have a value kind."""

    id: str
    number: str
    label: str
    printed: str
    kind: str
    important: bool
    options: tuple[Option, ...] = ()
    children: tuple["ItemDef", ...] = ()
    max: int | None = None
    slot_headings: tuple[str, ...] = ()
    heading_text: bool = False
    """A repeat instance heading that carries a value (委託事項1 … its title)."""
    repeat_key: str | None = None
    """Repeats sharing a key must have as many instances (Ⅱ and Ⅲ per 特定個人情報ファイル)."""
    auto_number: bool = False
    """Each occurrence adds an instance (変更箇所 rows); otherwise instances are numbered by the user."""
    present_when: Condition | None = None
    placement: str | None = None
    """'heading': a checkbox printed on its section's heading line (委託しない)."""
    optional: bool = False
    """【任意】: no warning when unanswered."""
    fixed: bool = False
    """Printed by the form itself; a spec cannot write it."""
    fixed_answer: str | None = None
    option_groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    aliases: tuple[str, ...] = ()
    role: str | None = None
    """What the code relies on this item for: a part (PART_ROLES, top level), a cover field (COVER_ROLES) or a
    change-table column (COLUMN_ROLES)."""
    fixed_text: tuple[str, ...] = ()
    """Text the form prints itself with this item (項目一覧's entries, 基礎 Ⅳ１.'s note)."""
    suffix: str = ""
    """Printed after the value (基礎 Ⅱ: 令和6年4月1日 時点)."""
    layout: str | None = None
    """'side': a group printed as a vertical label beside its rows (再委託 beside ④⑤⑥). 'box': a field printed
    as one text box across the page, without its label, as a part that is one answer is (全項目 （別添２）'s
    list of 記録項目 per file, like 重点 （別添１））."""
    counts: str | None = None
    """For a count item: the id of the repeat it counts (委託 （3）件 → 委託事項)."""
    columns: int = 1
    """For checkboxes: options printed this many to a line, in columns, as the form prints them (主な記録項目)."""
    former_labels: tuple[str, ...] = ()
    """Labels an older form printed here (②所属長 before ②所属長の役職名): change tables written then still
    name the item so."""
    minor_changes: tuple[str, ...] = ()
    """Which changes of this ※ item are no 重要な変更 (MINOR_CHANGES): a new person in a post, an incident
    that no longer needs to be reported."""

    @property
    def numbered_label(self) -> bool:
        """True for repeats whose instances are printed with their number (システム{n})."""
        return "{n}" in self.label

    def instance_label(self, n: int) -> str:
        return self.label.replace("{n}", str(n)) if self.numbered_label else self.label

    @staticmethod
    def slot_start(heading: str) -> int | None:
        """The first instance a slot heading stands above (システム6～10 → 6), or None when it names none: the
        renderer prints it above that instance, the importer tells from it whether a document printed empty slots."""
        m = _SLOT_RANGE.search(heading)
        return int(m.group(1)) if m else None

    @property
    def title(self) -> str:
        """Number and label as the form prints them, without ※ (Ⅱ　特定個人情報ファイルの概要, リスク１：…)."""
        if not self.number:
            return self.label
        if self.number[0] in "ⅠⅡⅢⅣⅤⅥⅦⅧⅨ":
            return f"{self.number}　{self.label}"
        if self.number.startswith("リスク"):
            return f"{self.number}：{self.label}"
        return f"{self.number}{self.label}"

    def option_by_text(self, text: str) -> Option | None:
        key = norm(text)
        return next((o for o in self.options if norm(o.text) == key), None)

    def option_by_role(self, role: str) -> Option | None:
        return next((o for o in self.options if o.role == role), None)


@dataclass(frozen=True, slots=True)
class ThresholdResult:
    """An item stating the しきい値判断 result, and what each answer means (sets of mandatory assessments)."""

    item: str
    mode: str
    """'equals': must match the rule (判断結果); 'at_least': may be heavier (提出する評価書の種類)."""
    options: dict[int, frozenset[str]]
    texts: dict[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class Threshold:
    """Where a form states the inputs and results of the しきい値判断 (templates/*/form.yaml `threshold:`)."""

    level: str
    """What this form is: 基礎, 重点 or 全項目."""
    people: str
    """The 対象人数 item; its option n is band n."""
    staff: tuple[str, int] | None
    """The 取扱者数 item and the option meaning 500人以上."""
    accident: tuple[str, int] | None
    """The 重大事故 item and the option meaning 発生あり."""
    results: tuple[ThresholdResult, ...]
    pairing: str | None = None
    """The item naming the 事務 (事務の名称): a 基礎 spec and a 重点/全項目 spec with the same answer are paired."""


@dataclass(frozen=True, slots=True)
class ChangeTable:
    """The 変更箇所 part: its row repeat and the columns by role (their printed order is the form's)."""

    part: ItemDef
    rows: ItemDef
    columns: dict[str, ItemDef]
    """COLUMN_ROLES → column item; every role is present (checked at load)."""

    def column(self, role: str) -> ItemDef:
        return self.columns[role]

    def timing(self, role: str) -> Option | None:
        """The 提出時期 option playing ``role`` (before: 事前, after: 事後, partly_before: 一部事前)."""
        return self.columns["timing"].option_by_role(role)


@dataclass(frozen=True)
class Form:
    """A whole form: its items in printed order, indexed by id."""

    name: str
    title: str
    version: str | None
    items: tuple[ItemDef, ...]
    by_id: dict[str, ItemDef] = field(repr=False)
    parent_of: dict[str, str | None] = field(repr=False)
    threshold: Threshold | None = None
    """Where this form states the しきい値判断 (None for a form that does not)."""
    changes: ChangeTable | None = None
    """The 変更箇所 table by column role (None for a form without one)."""
    fields: dict[str, ItemDef] = field(default_factory=dict, repr=False)
    """Cover fields by role (COVER_ROLES)."""
    index: "FormIndex | None" = field(default=None, repr=False, compare=False)
    """Look-up tables for references, built lazily and owned by this form (never keyed by id())."""

    def item(self, item_id: str) -> ItemDef:
        return self.by_id[item_id]

    def ancestors(self, item_id: str) -> list[ItemDef]:
        """Outermost first, not including the item itself."""
        chain: list[ItemDef] = []
        parent = self.parent_of.get(item_id)
        while parent is not None:
            chain.append(self.by_id[parent])
            parent = self.parent_of.get(parent)
        return chain[::-1]

    def repeats_above(self, item_id: str) -> list[ItemDef]:
        """The repeats enclosing an item (outermost first), including the item when it is a repeat."""
        chain = [a for a in self.ancestors(item_id) if a.kind == "repeat"]
        return chain

    def field(self, role: str) -> ItemDef | None:
        """The cover field playing ``role`` (name, org, published), if the form has one."""
        return self.fields.get(role)

    def part(self, role: str) -> ItemDef | None:
        """The top-level item playing ``role`` (cover, contents, changes), if the form has one."""
        return next((i for i in self.items if i.role == role), None)

    def walk(self) -> list[ItemDef]:
        out: list[ItemDef] = []

        def visit(items: tuple[ItemDef, ...]) -> None:
            for it in items:
                out.append(it)
                visit(it.children)

        visit(self.items)
        return out
