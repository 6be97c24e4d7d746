"""Item references → form items: by printed number and/or label, NFKC-insensitive, with repeat instances.

A reference is looked up among the children of the current scope, then among the items reachable through
groups below it (so `事務の名称` works without `１．`). What is not found there is looked up in the whole
form, to say where it belongs, or else the nearest labels are suggested.
"""
from __future__ import annotations

import difflib
import heapq
import re
from dataclasses import dataclass

from ..schema import Form, ItemDef, norm

_SUFFIX = re.compile(r"^(.*?)\s*[\[［]\s*([0-9０-９]+)\s*[\]］]$")


@dataclass(frozen=True, slots=True)
class Match:
    item: ItemDef
    instance: int | None
    """For a repeat: the instance number written (システム2 → 2), else None."""


@dataclass(frozen=True, slots=True)
class Lookup:
    """The outcome of resolving one reference."""

    match: Match | None = None
    ambiguous: tuple[ItemDef, ...] = ()
    number_mismatch: ItemDef | None = None
    elsewhere: ItemDef | None = None
    nearest: tuple[ItemDef, ...] = ()


def split_suffix(ref: str) -> tuple[str, int | None]:
    """`Ⅱ 特定個人情報ファイルの概要 [2]` → (`Ⅱ 特定個人情報ファイルの概要`, 2)."""
    m = _SUFFIX.match(ref)
    if not m:
        return ref, None
    return m.group(1), int(m.group(2).translate(str.maketrans("０１２３４５６７８９", "0123456789")))


@dataclass(frozen=True, slots=True)
class _Keys:
    """An item's matching keys, computed once per item (resolution runs for every line of every spec)."""

    labels: frozenset[str]
    number: str
    pattern: re.Pattern[str] | None
    bare: str


_KEYS: dict[int, _Keys] = {}


def _keys(item: ItemDef) -> _Keys:
    found = _KEYS.get(id(item))
    if found is None:
        labels = {norm(item.label), norm(item.printed), norm(item.number + item.label)}
        labels.update(norm(a) for a in item.aliases)
        pattern = None
        if item.numbered_label:
            body = re.escape(norm(item.label)).replace(re.escape("{n}"), r"(\d+)")
            pattern = re.compile(f"(?:{re.escape(norm(item.number))})?{body}")
        found = _Keys(frozenset(k for k in labels if k), norm(item.number), pattern,
                      norm(item.label.replace("{n}", "")))
        _KEYS[id(item)] = found  # items live as long as their cached Form
    return found


def _label_keys(item: ItemDef) -> frozenset[str]:
    return _keys(item).labels


def match_item(item: ItemDef, ref_norm: str, direct: bool) -> Match | None:
    """Does ``ref_norm`` (normalised) name ``item``? Number alone only counts among direct children."""
    keys = _keys(item)
    if keys.pattern is not None:
        m = keys.pattern.fullmatch(ref_norm)
        if m:
            return Match(item, int(m.group(1)))
        return Match(item, None) if ref_norm == keys.bare else None
    if ref_norm in keys.labels:
        return Match(item, None)
    if direct and keys.number and ref_norm == keys.number:
        return Match(item, None)
    return None


_REACHABLE: dict[int, list[tuple[ItemDef, int]]] = {}


def reachable(scope_children: tuple[ItemDef, ...]) -> list[tuple[ItemDef, int]]:
    """Items addressable from a scope with their depth: its children (1) and what lies below them through
    groups and sub-rows (2, 3 …), so `特記事項` finds the cover's before Ⅴ's sub-row of the same name."""
    cached = _REACHABLE.get(id(scope_children))
    if cached is not None:
        return cached
    out: list[tuple[ItemDef, int]] = []

    def visit(items: tuple[ItemDef, ...], depth: int) -> None:
        for it in items:
            out.append((it, depth))
            if it.kind != "repeat" and it.children:
                visit(it.children, depth + 1)

    visit(scope_children, 1)
    _REACHABLE[id(scope_children)] = out
    return out


@dataclass(frozen=True, slots=True)
class _ScopeIndex:
    """A scope's items by matching key, with their depth: resolution is a dictionary look-up."""

    by_key: dict[str, list[tuple[int, ItemDef]]]
    numbered: list[tuple[int, ItemDef]]
    """Repeats named with their instance number (システム{n}): matched by pattern."""


_INDEX: dict[int, _ScopeIndex] = {}


def _scope_index(scope_children: tuple[ItemDef, ...]) -> _ScopeIndex:
    found = _INDEX.get(id(scope_children))
    if found is not None:
        return found
    by_key: dict[str, list[tuple[int, ItemDef]]] = {}
    numbered: list[tuple[int, ItemDef]] = []
    for it, depth in reachable(scope_children):
        keys = _keys(it)
        if keys.pattern is not None:
            numbered.append((depth, it))
            continue
        for k in keys.labels | ({keys.number} if depth == 1 and keys.number else set()):
            entries = by_key.setdefault(k, [])
            if (depth, it) not in entries:
                entries.append((depth, it))
    found = _INDEX[id(scope_children)] = _ScopeIndex(by_key, numbered)
    return found


def resolve(form: Form, scope_children: tuple[ItemDef, ...], ref: str) -> Lookup:
    """Find the item ``ref`` names among ``scope_children`` (see module docstring): the shallowest match wins;
    two at the same depth are ambiguous."""
    base, suffix = split_suffix(ref)
    key = norm(base)
    index = _scope_index(scope_children)
    found = [(d, Match(it, None)) for d, it in index.by_key.get(key, ())]
    found += [(d, m) for d, it in index.numbered if (m := match_item(it, key, d == 1))]
    if found:
        top = min(d for d, _ in found)
        best = [m for d, m in found if d == top]
        if len(best) == 1:
            m = best[0]
            return Lookup(match=Match(m.item, m.instance if m.instance is not None else suffix))
        return Lookup(ambiguous=tuple(m.item for m in best))
    candidates = reachable(scope_children)
    # The long 「…におけるその他のリスク及びそのリスクに対する措置」 labels may be shortened to their end.
    tail = [it for it, d in candidates if d == 1 and len(key) >= 4 and not it.numbered_label
            and _keys(it).bare.endswith(key)]
    if len(tail) == 1:
        return Lookup(match=Match(tail[0], suffix))
    for it, _ in candidates:
        label = norm(it.label)
        if it.number and label and key.endswith(label) and key != label and not it.numbered_label:
            return Lookup(number_mismatch=it)
    elsewhere = [it for it in form.walk() if match_item(it, key, False)]
    if not elsewhere:  # a wrong number in front of a label that exists elsewhere (①対象人数)
        elsewhere = [it for it in form.walk() if it.number and norm(it.label) and key.endswith(norm(it.label))
                     and not it.numbered_label]
    if elsewhere:
        return Lookup(elsewhere=elsewhere[0])
    return Lookup(nearest=nearest(form, [it for it, _ in candidates], key))


_POOLS: dict[tuple[int, ...], dict[str, ItemDef]] = {}
_CHARS: dict[str, frozenset[str]] = {}
_SHORTLIST = 40


def _pool(items: list[ItemDef]) -> dict[str, ItemDef]:
    """Matching key → item for a set of items (cached: the whole form's pool is asked for often)."""
    ident = tuple(id(it) for it in items) if len(items) < 64 else (id(items[0]), len(items))
    pool = _POOLS.get(ident)
    if pool is None:
        pool = {}
        for it in items:
            for k in _label_keys(it):
                pool.setdefault(k, it)
        _POOLS[ident] = pool
    return pool


def nearest(form: Form, preferred: list[ItemDef], key: str, n: int = 3) -> tuple[ItemDef, ...]:
    """The labels closest to ``key``: those in scope first, then anywhere in the form.

    difflib compares in Python; keys sharing the most characters with ``key`` are short-listed first (a set
    intersection each), so a report with many unknown labels stays fast."""
    out: list[ItemDef] = []
    chars = set(key)
    for pool in (_pool(preferred), _pool(form.walk())):
        sets = [(k, _CHARS.get(k) or _CHARS.setdefault(k, frozenset(k))) for k in pool]
        keys = [k for k, _ in heapq.nlargest(_SHORTLIST, sets, key=lambda p: len(chars & p[1]))]
        for k in difflib.get_close_matches(key, keys, n=n, cutoff=0.5):
            if pool[k] not in out:
                out.append(pool[k])
        if out:
            break
    return tuple(out[:n])


def item_path(form: Form, item: ItemDef, sep: str = " ＞ ") -> str:
    """Titles from the section down to the item, as a person would look it up in the printed form."""
    chain = [a for a in form.ancestors(item.id) if a.role != "cover"] + [item]
    return sep.join(a.title.replace("{n}", "n") for a in chain)
