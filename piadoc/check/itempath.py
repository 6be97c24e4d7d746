"""The 項目 cell of a 変更箇所 row resolved against the form, segment by segment, from the section down.

Hand-made tables go wrong in the headings as often as in the last label (評価実施期間 for 評価実施機関, a real
label under the wrong parent, `IIファイルの概要`), and a last label alone (方法, 内容) names a dozen items. So
the path is read top-down: each segment must name an item below the one before it (levels may be left out),
with the tolerance references have (norm: spacing, width, Ⅰ/I, ７．/7., a missing ※). A segment that does not
match is diagnosed in turn — an older form's label (`former_labels:` in form.yaml), an abbreviation pointing
to one item only, a misspelling close to one label, a label of another heading — and a path resolved this way
can be rewritten to the form's canonical path (check --fix). What cannot be resolved is never guessed from its
last label: the row is reported with the segment that fails and what the form has there.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..language import official_path
from ..schema import Form, ItemDef, norm

#: Punctuation hand-made tables drop or add around labels: ignored when matching segments.
_PUNCT = re.compile(r"[。、，,:：;；・]")
#: `（２）住民基本台帳ファイル`: a file's number and name after the heading of a per-file section.
_FILE = re.compile(r"^\((\d+)\)(.*)$")
#: At most this many whitespace-separated tokens make one segment (labels with spaces in them).
_SPAN = 8
#: How far below the current item a segment may name an item (left-out levels).
_DEPTH = 4
#: The similarity (difflib ratio) above which a segment is read as a misspelling of a label.
_TYPO = 0.75

#: Kinds of segment, mildest first (the diagnostic of a row is that of its worst segment).
EXACT, SKIPPED, ABBREVIATED, FORMER, TYPO, ELSEWHERE = "exact", "skipped", "abbreviated", "former", "typo", "elsewhere"
_COST = {EXACT: 0, SKIPPED: 1, ABBREVIATED: 3, FORMER: 3, TYPO: 5, ELSEWHERE: 8}


def key(text: str) -> str:
    """Matching key of a segment: norm() without the punctuation tables drop or add."""
    return _PUNCT.sub("", norm(text))


@dataclass(frozen=True, slots=True)
class Step:
    """One segment of the cell and the item it names."""

    item: ItemDef
    written: str
    """The segment as written (tokens joined by one space)."""
    kind: str
    instance: int | None = None
    file_name: str = ""
    expected: str = ""
    """For former labels, typos and abbreviations: the label the form has."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Where reading stopped: the segment that names nothing below ``parent``."""

    written: str
    parent: ItemDef | None
    here: tuple[ItemDef, ...]
    """What the form has at that place (the parent's children)."""
    nearest: tuple[ItemDef, ...]


@dataclass(frozen=True, slots=True)
class Resolution:
    steps: tuple[Step, ...] = ()
    failure: Failure | None = None
    ambiguous: tuple[ItemDef, ...] = ()

    @property
    def item(self) -> ItemDef | None:
        return self.steps[-1].item if self.steps and self.failure is None and not self.ambiguous else None

    @property
    def worst(self) -> Step | None:
        bad = [s for s in self.steps if _COST[s.kind] > _COST[SKIPPED]]
        return max(bad, key=lambda s: _COST[s.kind]) if bad else None


@dataclass
class _Tables:
    """Per form: each item's keys (labels, printed, number+label, aliases; former labels apart)."""

    labels: dict[str, frozenset[str]] = field(default_factory=dict)
    former: dict[str, frozenset[str]] = field(default_factory=dict)
    glue: dict[str, tuple[tuple[str, ...], str, frozenset[str]]] = field(default_factory=dict)
    """For _glued: the keys a cell may run into the next segment, longest first, the number's key, and the
    first characters of those keys (most segments start with none of them)."""
    below: dict[str | None, list[tuple[ItemDef, int]]] = field(default_factory=dict)
    """_below by parent id: the walk asks for the same places thousands of times per table."""
    firsts: dict[str, set[str]] = field(default_factory=dict)
    starting: dict[str | None, dict[str, list[tuple[ItemDef, int]]]] = field(default_factory=dict)
    """_below by parent id and by the first character a segment naming the item can start with: a segment is
    tried only against the items it could name."""
    resolved: dict[str, Resolution] = field(default_factory=dict)
    """resolve() by the cell's text: a form never changes, so a text reads the same every time; a server
    re-checks the same table on every keystroke, and only the row being typed is read again."""


#: At most this many cells' readings are kept per form (a server runs for hours; the oldest go first).
_RESOLVED = 4096


def _tables(form: Form) -> _Tables:
    """This module's tables, kept on the form's own index (never keyed by id(): see schema/index.py)."""
    tables = getattr(form.index, "_itempath", None)
    if tables is None:
        tables = _Tables()
        form.index._itempath = tables
    return tables


def _keys(form: Form, item: ItemDef) -> tuple[frozenset[str], frozenset[str]]:
    tables = _tables(form)
    if item.id not in tables.labels:
        base = form.index.keys(item).labels | {key(t) for t in (item.title, item.printed, item.label)}
        if item.number:
            base |= {key(item.number + item.label)}
        tables.labels[item.id] = frozenset(k for k in base if k)
        tables.former[item.id] = frozenset(key(t) for t in item.former_labels) | frozenset(
            key(item.number + t) for t in item.former_labels if item.number)
    return tables.labels[item.id], tables.former[item.id]


def _below(form: Form, parent: ItemDef | None, parts: frozenset[str]) -> list[tuple[ItemDef, int]]:
    """Items below ``parent`` (the whole form for None) with their depth, in printed order (``parts``, the
    top-level items a 項目 never names, is the same for every call on one form: the result is kept)."""
    tables = _tables(form)
    found = tables.below.get(parent.id if parent is not None else None)
    if found is not None:
        return found
    out: list[tuple[ItemDef, int]] = []

    def visit(items: tuple[ItemDef, ...], depth: int) -> None:
        for it in items:
            if it.id in parts:
                continue
            out.append((it, depth))
            if depth < _DEPTH or parent is None:
                visit(it.children, depth + 1)

    visit(parent.children if parent is not None else form.items, 1)
    tables.below[parent.id if parent is not None else None] = out
    return out


def _first_characters(form: Form, item: ItemDef) -> set[str]:
    """Every character a key that names ``item`` (exactly, by a former label, by its number alone, as an
    instance, or run into the next segment) can start with."""
    labels, former = _keys(form, item)
    keys = form.index.keys(item)
    starts = set(labels) | set(former) | {keys.bare, keys.number, key(item.number) if item.number else ""}
    starts |= set(_tables(form).glue.get(item.id, ((), "", frozenset()))[0])
    return {k[0] for k in starts if k}


def _firsts(form: Form, item: ItemDef) -> set[str]:
    """_first_characters, kept per form."""
    tables = _tables(form)
    found = tables.firsts.get(item.id)
    if found is None:
        _glued(form, item, "")
        found = tables.firsts[item.id] = _first_characters(form, item)
    return found


def _below_starting(form: Form, parent: ItemDef | None, parts: frozenset[str], first: str) -> list[tuple[ItemDef, int]]:
    """The items below ``parent`` (in printed order) a segment starting with ``first`` could name."""
    tables = _tables(form)
    pid = parent.id if parent is not None else None
    by_first = tables.starting.get(pid)
    if by_first is None:
        by_first = {}
        for it, depth in _below(form, parent, parts):
            for c in _firsts(form, it):
                by_first.setdefault(c, []).append((it, depth))
        tables.starting[pid] = by_first
    return by_first.get(first, [])


def _exact(form: Form, item: ItemDef, k: str) -> tuple[str, int | None, str] | None:
    """Does key ``k`` name ``item``: (kind, instance, file name), or None."""
    labels, former = _keys(form, item)
    if item.numbered_label:
        m = form.index.keys(item).pattern.fullmatch(k) if form.index.keys(item).pattern else None
        if m:
            return EXACT, int(m.group(1)), ""
        return (EXACT, None, "") if k == form.index.keys(item).bare else None
    if k in labels:
        return EXACT, None, ""
    if k in former:
        return FORMER, None, ""
    if item.repeat_key:
        for label in labels:
            if k.startswith(label) and (m := _FILE.match(k[len(label):])):
                return EXACT, int(m.group(1)), m.group(2)
    return None


_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"^(?:[IVX]+|\(?別添\d+\)?|\d+|\(\d+\)|リスク\d+)")


def _close(form: Form, item: ItemDef, k: str, top: bool) -> tuple[str, float] | None:
    """A segment that names ``item`` loosely: (kind, score) for a misspelling or an abbreviation.

    Numbers are never misspelt: (別添2) is no typo of （別添１）. Below the sections, the right label under a
    wrong number is read as that label (③使用目的 where the form has ⑥使用目的)."""
    labels, _ = _keys(form, item)
    label = key(item.label)
    number = key(item.number) if item.number else ""
    written_number = m.group(0) if (m := _NUMBER.match(k)) else ""
    body = k[len(written_number):]
    if ("別添" in written_number) != ("別添" in number):
        return None
    if not top and body == label and written_number != number:
        return TYPO, 1.0
    if _DIGITS.findall(k) != _DIGITS.findall(key(item.title)) and (
            top or written_number or _DIGITS.findall(body) != _DIGITS.findall(label)):
        return None
    near = [lab for lab in labels if abs(len(lab) - len(k)) <= 2]
    ratio = max((difflib.SequenceMatcher(None, k, lab).ratio() for lab in near), default=0.0)
    if ratio >= _TYPO:
        return TYPO, ratio
    if number and written_number and written_number != number:
        return None
    short = re.sub(r"[()（）]", "", body)
    if len(short) >= 3 and short != label and (short in label or set(short) <= set(label)):
        return ABBREVIATED, len(short) / max(len(label), 1)
    return None


def _parts(form: Form) -> frozenset[str]:
    """Top-level items a 項目 never names: the cover, the contents and the change table itself."""
    return frozenset(it.id for it in form.items if it.role in ("cover", "contents", "changes"))


def tokens(text: str) -> list[str]:
    return text.split()


def _glued(form: Form, item: ItemDef, k: str) -> str | None:
    """What follows ``item``'s label or number when a cell runs it into the next segment
    (`…使用するシステムシステム4`, `特定個人情報ファイルの概要5.`, `４．委託事項2`)."""
    if item.numbered_label:
        return None
    tables = _tables(form)
    glue = tables.glue.get(item.id)
    if glue is None:
        labels, _ = _keys(form, item)
        number = key(item.number) if item.number else ""
        keys = tuple(l for l in sorted(labels, key=len, reverse=True) if len(l) >= 4 or l == number)
        keys += (number,) if number else ()
        glue = tables.glue[item.id] = (keys, number, frozenset(c[0] for c in keys))
    candidates, number, firsts = glue
    if k[:1] not in firsts:
        return None
    for label in candidates:
        if k.startswith(label) and len(k) > len(label):
            tail = k[len(label):]
            if item.repeat_key and tail.startswith("("):
                continue  # a file's number: _exact reads it
            if label == number and (tail[0].isdigit() or number[-1:].isdigit() and not tail[0].isalpha()):
                continue
            return tail
    return None


def _file_name_ok(span: tuple[str, ...], name: str) -> bool:
    """A file's name follows its number in the same word or the next one, and is no heading (`3. …`)."""
    opened = next((n for n, w in enumerate(span) if "(" in key(w)), None)
    return opened is not None and len(span) <= opened + 2 and not name[0].isdigit()


def resolve(form: Form, text: str) -> Resolution:
    """Read a 項目 cell (see module docstring); each text is read once per form (_Tables.resolved)."""
    kept = _tables(form).resolved
    found = kept.get(text)
    if found is None:
        found = _read(form, text)
        while kept and len(kept) >= _RESOLVED:
            del kept[next(iter(kept))]
        kept[text] = found
    return found


def _read(form: Form, text: str) -> Resolution:
    words = tuple(tokens(text))
    if not words:
        return Resolution()
    parts = _parts(form)
    best: list[tuple[int, tuple[Step, ...]]] = []
    budget = [4000]
    partial: list[tuple[int, int, tuple[str, ...], tuple[Step, ...]]] = [(-sum(map(len, words)) - 1, 0, words, ())]

    def walk(parent: ItemDef | None, rest: tuple[str, ...], steps: tuple[Step, ...], cost: int,
             loose: bool) -> None:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        if (-sum(map(len, rest)), -cost) > partial[0][:2]:
            partial[0] = (-sum(map(len, rest)), -cost, rest, steps)
        if not rest:
            best.append((cost, steps))
            return
        below = _below(form, parent, parts)
        found = False
        for j in range(min(len(rest), _SPAN), 0, -1):
            written = " ".join(rest[:j])
            k = key(written)
            if not k:
                continue
            for it, depth in _below_starting(form, parent, parts, k[0]):
                hit = _exact(form, it, k)
                if hit is None and depth == 1 and it.number and k == key(it.number):
                    # a heading cited by its number alone (Ⅱ ４．委託事項2, リスク1): as the form numbers it,
                    # no fault; no bar to reading the span as a typo either
                    walk(it, rest[j:], steps + (Step(it, written, SKIPPED),), cost + 1, loose)
                    continue
                if hit is None and it.numbered_label and j == len(rest[:j]) and k.startswith(
                        form.index.keys(it).bare):
                    # 提供先4③提供する情報: the instance run into the next label
                    digits = re.match(r"\d+", k[len(form.index.keys(it).bare):])
                    for cut in range(1, len(digits.group(0)) + 1) if digits else ():
                        after = k[len(form.index.keys(it).bare) + cut:]
                        if after and len(after) < len(key(rest[j - 1])):
                            step = Step(it, written, SKIPPED, int(digits.group(0)[:cut]))
                            walk(it, (after,) + rest[j:], steps + (step,), cost + 1, loose)
                    continue
                if hit is None:
                    tail = _glued(form, it, k)
                    if tail is not None and len(tail) < len(key(rest[j - 1])):
                        step = Step(it, written, SKIPPED)
                        extra = cost + 1 + (depth - 1 if parent else 0)
                        walk(it, (tail,) + rest[j:], steps + (step,), extra, loose)
                        if j < len(rest):  # the tail begins the next segment (…概要5. 特定個人情報の…)
                            walk(it, (tail + rest[j],) + rest[j + 1:], steps + (step,), extra, loose)
                    continue
                kind, instance, name = hit
                if name and not _file_name_ok(rest[:j], name):
                    continue
                if kind == EXACT and depth > 1 and parent is not None:
                    kind = SKIPPED
                found = True
                extra = _COST[kind] + (depth - 1 if parent is not None else 0) + (j if name else 0)
                step = Step(it, written, kind, instance, name, it.title if kind == FORMER else "")
                walk(it, rest[j:], steps + (step,), cost + extra, loose)
        if found or not loose:
            return
        # No label matches here: a misspelling or an abbreviation of one of the items right below, the
        # closest one if it is the only one that close (a nearer level wins a tie).
        near = [(it, d) for it, d in below if d <= 2] if parent is not None else [(it, 1) for it in form.items
                                                                                  if it.id not in parts]
        for j in range(min(len(rest), _SPAN), 0, -1):
            written = " ".join(rest[:j])
            k = key(written)
            hits = sorted(((c[1], -d, it, c[0]) for it, d in near
                           if (c := _close(form, it, k, parent is None)) is not None),
                          key=lambda h: (h[0], h[1]), reverse=True)
            if not hits or (len(hits) > 1 and hits[1][:2] == hits[0][:2]):
                continue
            score, depth, it, kind = hits[0]
            step = Step(it, written, kind, None, "", it.title)
            walk(it, rest[j:], steps + (step,), cost + _COST[kind] - depth - 1, loose)
        if parent is None or not steps:
            return
        # A real label under the wrong heading: the only item of that label in the same section, else a
        # section of its own (`Ⅰ 基本情報 (別添1)事務の内容`).
        top = [it for it in form.items if it.id not in parts]
        top_scope = [(it, 1) for it in top]  # a section only when named with its number: (別添1)事務の内容
        for scope in (_below(form, steps[0].item, parts), top_scope):
            for j in range(min(len(rest), _SPAN), 0, -1):
                written = " ".join(rest[:j])
                k = key(written)
                hits = [it for it, d in scope if k[:1] in _firsts(form, it) and _exact(form, it, k) is not None
                        and (scope is not top_scope or (it.number and k.startswith(key(it.number))))]
                if len(hits) == 1:
                    step = Step(hits[0], written, ELSEWHERE, None, "", path_of(form, hits[0]))
                    walk(hits[0], rest[j:], steps + (step,), cost + _COST[ELSEWHERE], loose)
                    return

    walk(None, words, (), 0, False)
    if not best:
        walk(None, words, (), 0, True)
    if best:
        low = min(c for c, _ in best)
        top = {s[-1].item.id: s for c, s in best if c == low}
        if len(top) == 1:
            return Resolution(next(iter(top.values())))
        return Resolution(ambiguous=tuple(s[-1].item for s in top.values()))
    _, _, rest, steps = partial[0]
    return _failure(form, list(rest), parts, 0, steps)


def _failure(form: Form, words: list[str], parts: frozenset[str], i: int, steps: tuple[Step, ...]) -> Resolution:
    """The longest prefix read, and the first segment after it that names nothing there."""
    parent = steps[-1].item if steps else None
    rest = words[i:]
    written = rest[0] if rest else ""
    here = tuple(parent.children if parent is not None else (it for it in form.items if it.id not in parts))
    last = key(rest[-1]) if rest else ""
    scope = [it for it, _ in _below(form, parent, parts)] if parent is not None else []
    pool = {k: it for it in scope for k in _keys(form, it)[0]}
    near = difflib.get_close_matches(last, list(pool), n=3, cutoff=0.5) if last else []
    nearest = tuple(dict.fromkeys(pool[k] for k in near))
    if not nearest:
        pool = {k: it for it in form.walk() if it.id not in parts for k in _keys(form, it)[0]}
        nearest = tuple(dict.fromkeys(pool[k] for k in difflib.get_close_matches(last, list(pool), n=3,
                                                                                   cutoff=0.5)))
    return Resolution(steps, Failure(written, parent, here, nearest))


def canonical(form: Form, steps: tuple[Step, ...]) -> str | None:
    """The form's path for the item the steps name (as piadoc diff writes 項目), or None when a repeat's
    instance is needed and not given."""
    target = steps[-1].item
    given = {s.item.id: s for s in steps}
    chain = [a for a in form.ancestors(target.id) if a.role != "cover"] + [target]

    def instance(it: ItemDef) -> tuple[int, str] | None:
        step = given.get(it.id)
        return (step.instance, step.file_name) if step is not None and step.instance is not None else None

    return official_path(chain, instance)


def path_of(form: Form, item: ItemDef) -> str:
    """An item's path for messages (repeats with their {n})."""
    chain = [a for a in form.ancestors(item.id) if a.role != "cover"] + [item]
    return " ".join(a.title.replace("{n}", "n") for a in chain)
