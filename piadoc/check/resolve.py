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


def match_item(form: Form, item: ItemDef, ref_norm: str, direct: bool) -> Match | None:
    """Does ``ref_norm`` (normalised) name ``item``? Number alone only counts among direct children."""
    keys = form.index.keys(item)
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


def reachable(form: Form, scope_children: tuple[ItemDef, ...]) -> tuple[tuple[ItemDef, int], ...]:
    """Items addressable from a scope with their depth: its children (1) and what lies below them through
    groups and sub-rows (2, 3 …), so `特記事項` finds the cover's before Ⅴ's sub-row of the same name."""
    return form.index.scope(scope_children).reachable


def resolve(form: Form, scope_children: tuple[ItemDef, ...], ref: str) -> Lookup:
    """Find the item ``ref`` names among ``scope_children`` (see module docstring): the shallowest match wins;
    two at the same depth are ambiguous."""
    base, suffix = split_suffix(ref)
    key = norm(base)
    index = form.index.scope(scope_children)
    found = [(d, Match(it, None)) for d, it in index.by_key.get(key, ())]
    found += [(d, m) for d, it in index.numbered if (m := match_item(form, it, key, d == 1))]
    if found:
        top = min(d for d, _ in found)
        best = [m for d, m in found if d == top]
        if len(best) == 1:
            m = best[0]
            return Lookup(match=Match(m.item, m.instance if m.instance is not None else suffix))
        return Lookup(ambiguous=tuple(m.item for m in best))
    candidates = index.reachable
    # The long 「…におけるその他のリスク及びそのリスクに対する措置」 labels may be shortened to their end.
    tail = [it for it, d in candidates if d == 1 and len(key) >= 4 and not it.numbered_label
            and form.index.keys(it).bare.endswith(key)]
    if len(tail) == 1:
        return Lookup(match=Match(tail[0], suffix))
    for it, _ in candidates:
        label = norm(it.label)
        if it.number and label and key.endswith(label) and key != label and not it.numbered_label:
            return Lookup(number_mismatch=it)
    elsewhere = [it for it in form.index.walk() if match_item(form, it, key, False)]
    if not elsewhere:  # a wrong number in front of a label that exists elsewhere (①対象人数)
        elsewhere = [it for it in form.index.walk() if it.number and norm(it.label) and key.endswith(norm(it.label))
                     and not it.numbered_label]
    if elsewhere:
        return Lookup(elsewhere=elsewhere[0])
    return Lookup(nearest=nearest(form, [it for it, _ in candidates], key))


_SHORTLIST = 40


def nearest(form: Form, preferred: list[ItemDef], key: str, n: int = 3) -> tuple[ItemDef, ...]:
    """The labels closest to ``key``: those in scope first, then anywhere in the form.

    difflib compares in Python; keys sharing the most characters with ``key`` are short-listed first (a set
    intersection each), so a report with many unknown labels stays fast."""
    out: list[ItemDef] = []
    chars = set(key)
    index = form.index
    for pool in (index.pool(preferred), index.pool(index.walk())):
        sets = [(k, index.chars(k)) for k in pool]
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
