"""Look-up tables one form owns: matching keys per item, per-scope key indexes, label pools for the nearest
labels, and the endings of 項目 cells. Built lazily on first use and stored on the form's own index.

Keyed by item id (unique within a form), never by id() of an object: a freed form's ids can be reused by
another form's objects, and a table keyed by them would then answer for the wrong item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import ItemDef, norm


@dataclass(frozen=True, slots=True)
class Keys:
    """An item's matching keys, computed once per item (resolution runs for every line of every spec)."""

    labels: frozenset[str]
    number: str
    pattern: re.Pattern[str] | None
    """For repeats named with their instance number (システム{n}): captures the number."""
    bare: str
    """The label without {n}."""


@dataclass(frozen=True, slots=True)
class ScopeIndex:
    """A scope's reachable items by matching key, with their depth: resolution is a dictionary look-up."""

    reachable: tuple[tuple[ItemDef, int], ...]
    by_key: dict[str, list[tuple[int, ItemDef]]]
    numbered: list[tuple[int, ItemDef]]
    """Repeats named with their instance number (システム{n}): matched by pattern."""


class FormIndex:
    """The look-up tables of one form (see module docstring)."""

    def __init__(self, items: tuple[ItemDef, ...], parent_of: dict[str, str | None], by_id: dict[str, ItemDef],
                 parts: frozenset[str]) -> None:
        self._items = items
        self._parent_of = parent_of
        self._by_id = by_id
        self._parts = parts
        """Top-level items with a part role: not named by a 項目 cell."""
        self._keys: dict[str, Keys] = {}
        self._scopes: dict[str | None, ScopeIndex] = {}
        self._pools: dict[tuple[str, ...], dict[str, ItemDef]] = {}
        self._chars: dict[str, frozenset[str]] = {}
        self._walk: tuple[ItemDef, ...] | None = None

    def walk(self) -> tuple[ItemDef, ...]:
        """Every item in printed order."""
        if self._walk is None:
            out: list[ItemDef] = []

            def visit(its: tuple[ItemDef, ...]) -> None:
                for it in its:
                    out.append(it)
                    visit(it.children)

            visit(self._items)
            self._walk = tuple(out)
        return self._walk

    def keys(self, item: ItemDef) -> Keys:
        found = self._keys.get(item.id)
        if found is None:
            labels = {norm(item.label), norm(item.printed), norm(item.number + item.label)}
            labels.update(norm(a) for a in item.aliases)
            pattern = None
            if item.numbered_label:
                body = re.escape(norm(item.label)).replace(re.escape("{n}"), r"(\d+)")
                pattern = re.compile(f"(?:{re.escape(norm(item.number))})?{body}")
            found = Keys(frozenset(k for k in labels if k), norm(item.number), pattern,
                         norm(item.label.replace("{n}", "")))
            self._keys[item.id] = found
        return found

    def _scope_key(self, children: tuple[ItemDef, ...]) -> tuple[bool, str | None]:
        """Which scope ``children`` are (None: the top level); False when they are no scope of this form."""
        if children is self._items:
            return True, None
        if not children:
            return False, None
        parent = self._parent_of.get(children[0].id)
        owner = self._by_id.get(parent) if parent is not None else None
        return (owner is not None and owner.children is children), parent

    def scope(self, children: tuple[ItemDef, ...]) -> ScopeIndex:
        """The index of a scope: its children (depth 1) and what lies below them through groups (2, 3 …)."""
        known, key = self._scope_key(children)
        found = self._scopes.get(key) if known else None
        if found is None:
            found = self._build_scope(children)
            if known:
                self._scopes[key] = found
        return found

    def _build_scope(self, children: tuple[ItemDef, ...]) -> ScopeIndex:
        reachable: list[tuple[ItemDef, int]] = []

        def visit(items: tuple[ItemDef, ...], depth: int) -> None:
            for it in items:
                reachable.append((it, depth))
                if it.kind != "repeat" and it.children:
                    visit(it.children, depth + 1)

        visit(children, 1)
        by_key: dict[str, list[tuple[int, ItemDef]]] = {}
        numbered: list[tuple[int, ItemDef]] = []
        for it, depth in reachable:
            keys = self.keys(it)
            if keys.pattern is not None:
                numbered.append((depth, it))
                continue
            for k in keys.labels | ({keys.number} if depth == 1 and keys.number else set()):
                entries = by_key.setdefault(k, [])
                if (depth, it) not in entries:
                    entries.append((depth, it))
        return ScopeIndex(tuple(reachable), by_key, numbered)

    def pool(self, items: list[ItemDef] | tuple[ItemDef, ...]) -> dict[str, ItemDef]:
        """Matching key → item for a set of items (the whole form's pool is asked for often)."""
        ident = tuple(it.id for it in items)
        found = self._pools.get(ident)
        if found is None:
            found = {}
            for it in items:
                for k in self.keys(it).labels:
                    found.setdefault(k, it)
            self._pools[ident] = found
        return found

    def chars(self, key: str) -> frozenset[str]:
        found = self._chars.get(key)
        if found is None:
            found = self._chars[key] = frozenset(key)
        return found
