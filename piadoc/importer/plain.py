"""Reading plain text extracted from a PDF (the mapper's plain mode): cells out of order, values away from their
labels, boxes and choices printed in pieces.

A mixin of the Mapper: what it adds uses only the form (labels, options, item kinds) and the printed numbering,
never a label or an option named in code. Each guess it makes is noted for review (`# 要確認:`).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..language import DASHES
from ..model import Key
from ..schema import Form, ItemDef, norm
from ..wareki import WarekiError, parse_date
from .stream import Line
from .values import Parsed, match_option, option_part, parse

if TYPE_CHECKING:
    from .mapper import Draft

FURNITURE = re.compile(r"^\s*(?:[<＜]選択肢[>＞]|[\[［\]］]|[○〇（(）)]\s*$)"
                        r"|.*[\[［]\s*[○〇]?\s*[\]］]")
"""Pieces of the form's print that extraction scatters (＜選択肢＞ lists, box halves): never a text's next line."""
_TICKED = re.compile(r"(?:[\[［]|^)\s*[○〇◯●✓✔☑■]\s*[\]］]\s*([^\[［\]］]*)")
"""A ticked box and the option text after it, up to the next box; its `[` may be on the line before."""
_FLOAT = 80
"""Plain text: how many lines from a value its label may be read (about a page)."""
_WAIT = 12
"""Plain text: how many lines after a lone label a value may still come (a page's cells, not the next page's)."""
_MAX_REPEAT = 20
"""How far a taken slot looks for a free later instance of a repeat without a printed maximum."""
_OPTIONS = re.compile(r"^\s*(?:[<＜]選択肢[>＞]|[\]］]?\s*[0-9０-９]{1,2}\s*[)）]\s*(.*))")
"""A line of a choice's printed option list (＜選択肢＞, 1） 10人未満), when what follows the number is an option."""
LIST_ITEM = re.compile(r"^\s*(?:[・※＜<]|[①-⑳]|[0-9０-９]+\s*[．.]|[（(][0-9０-９]+[）)]|【)")
"""After a blank line a text goes on only with its next list item (a new text box is anybody's)."""
FILE_NO = re.compile(r"^\s*[（(]\s*([0-9０-９]{1,2})\s*[）)]")
"""The number printed before a file's name: （２） 本人確認情報ファイル."""
BOX_LINE = re.compile(r"[\[［]\s*[○〇◯●✓✔☑■]?\s*[\]］]")
"""A whole box, ticked or not: `[ ○ ]`, `[ ]`."""


def merge_checks(had: list[tuple[bool, str]], new: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    """One checkbox item's boxes read in pieces: each option once, ticked when any piece ticked it."""
    out = {text: on for on, text in had}
    for on, text in new:
        out[text] = out.get(text, False) or on
    return [(on, text) for text, on in out.items()]


def first_word(text: str) -> str:
    """The text up to its first space: the label of `①事務の名称 住民基本台帳に関する事務`."""
    return text.strip().partition(" ")[0]


def accepts(item: ItemDef | None, text: str) -> bool:
    """Could ``text`` be (the start of) ``item``'s printed value, by its kind?"""
    if item is None:
        return True
    boxes = bool(BOX_LINE.search(text))
    if item.kind == "checkboxes":
        return boxes
    if item.kind == "choice":  # `[ 十分である`, or the option alone
        bare = text.strip(" 　[]［］")
        return not boxes and (text.lstrip(" 　").startswith(("[", "［")) or item.option_by_text(bare) is not None
                              or bare in DASHES)
    if item.kind == "date":
        return is_date(text) or not norm(text) or text.strip(" 　") in DASHES
    if item.kind in ("count",):
        return True
    return not boxes and not FURNITURE.match(text) and not is_date(text)  # a date alone is a date's


def is_date(text: str) -> bool:
    try:
        parse_date("".join(text.split()))
    except WarekiError:
        return False
    return True


class PlainReading:
    """The Mapper's plain-text mode. The attributes are the Mapper's; so are the methods declared below."""

    form: Form
    draft: Draft
    plain: bool
    section: ItemDef
    sec_inst: tuple[int, ...]
    order: list[ItemDef]
    cursor: int
    current: dict[str, int]
    header: tuple[int, list[ItemDef | None], ItemDef | None] | None
    keyed: dict[str, dict[tuple[str, bool], list[int]]]
    last_key: Key | None
    append_to: tuple[str, Key] | None
    in_changes: bool
    since_heading: list[tuple[ItemDef, str, object]] | None
    chosen_keys: frozenset[str]
    floating: list[tuple[str, str, int]]
    waiting: list[tuple[ItemDef, tuple[int, ...], int]]
    labelled: list[tuple[ItemDef, tuple[int, ...], int]]
    file_names: dict[str, dict[str, int]]
    fed: int

    def inst_of(self, item: ItemDef) -> tuple[int, ...]: ...
    def _store(self, item: ItemDef, cell: str, where: str) -> None: ...
    def _find(self, key: str, fields: bool) -> int | None: ...
    def _is_label(self, text: str) -> bool: ...
    def _order(self, item: ItemDef) -> list[ItemDef]: ...

    def _empty(self, section: ItemDef, n: int) -> bool:
        """Nothing read yet into instance ``n`` of the repeated part ``section``."""
        for key in self.draft.values:
            if key[1][:1] == (n,) and key[0] != section.id:
                above = self.form.repeats_above(key[0])
                if above and above[0].id == section.id:
                    return False
        return (section.id, (n,)) not in self.draft.values


    def _next_free(self, item: ItemDef, key: Key) -> Key:
        """Plain text: an item of a repeat (委託事項n, 提供先n) whose slot is taken belongs to a later instance.
        A page prints its cells out of order, often before the instance's heading; the instances themselves
        come in order, so the value goes to the first later instance where the item is still empty."""
        above = self.form.repeats_above(item.id)
        nested = [i for i, r in enumerate(above) if r.id != self.section.id]
        if not nested:
            return key
        at = nested[-1]
        limit = above[at].max or _MAX_REPEAT
        for n in range(key[1][at] + 1, limit + 1):
            inst = key[1][:at] + (n,) + key[1][at + 1:]
            if (item.id, inst) not in self.draft.values:
                self.draft.seen.add((above[at].id, inst[: at + 1]))
                return (item.id, inst)
        return key

    def _take_since_heading(self, section: ItemDef, old: int, new: int) -> None:
        """Plain text: the part's heading came again, then cells, then a new file's name. Those cells are the
        new file's (its page printed them above its name): what they filled of the old file, or could not
        fill because the old file had it, goes to the new file."""
        marked, self.since_heading = self.since_heading, None
        if not marked:
            return
        for item, cell, done in marked:
            above = self.form.repeats_above(item.id)
            if len(above) != 1 or above[0].id != section.id:
                continue  # inside a repeat of its own (委託事項n): left where it is
            key = (item.id, (new,))
            if key in self.draft.values:
                continue
            if isinstance(done, tuple) and len(done) == 2 and isinstance(done[1], tuple):
                if done[1] != (old,) or done not in self.draft.values:
                    continue
                self.draft.values[key] = self.draft.values.pop(done)
                if done in self.draft.notes:
                    self.draft.notes[key] = self.draft.notes.pop(done)
            else:
                self.draft.leftovers = [e for e in self.draft.leftovers if e is not done]
                self.draft.values[key] = parse(item, cell)
                self.draft.notes.setdefault(key, []).append(
                    f"{done[0]} の記載を、ファイル名より前にあったためこのファイルの値としました")

    def _ticked_boxes(self, line: Line) -> bool:
        """Plain text: ticked boxes (`[ ○ ] 紙 [`) that extraction moved away from their label. The form knows
        which checkbox item offers each option; among several (その他), the one whose label was read last."""
        placed = False
        for m in _TICKED.finditer(line.text):
            text = m.group(1).strip(" 　[［")
            found = [i for i, it in enumerate(self.order) if it.kind == "checkboxes" and it.options
                     and match_option(it, text)[0] is not None]
            if not found:
                continue
            before = [i for i in found if i < self.cursor]
            item = self.order[before[-1] if before else found[0]]
            key = (item.id, self.inst_of(item))
            got = self.draft.values.setdefault(key, Parsed())
            read = parse(item, f"[○] {text}")
            got.checks = merge_checks(got.checks or [], read.checks or [])
            placed = True
        if placed:
            self.append_to = None
        return placed

    def _an_option(self, text: str) -> bool:
        """Is ``text`` one of the form's choice options alone (`10項目以上50項目未満`), no text's value?"""
        return norm(option_part(text)) in self.chosen_keys

    def _option_line(self, text: str) -> bool:
        """A line of a printed option list: ＜選択肢＞, or `2） 十分である1） 特に力を入れている` (an option of the
        form after its number), not a numbered list of the author's (1)世帯番号、2)…)."""
        m = _OPTIONS.match(text)
        if m is None:
            return False
        if m.group(1) is None:
            return True
        key = norm(m.group(1))
        return any(key.startswith(k) for k in self.chosen_keys)

    def _numbered_text(self, line: Line) -> bool:
        """Plain text: `（２）本人確認情報ファイル` in a repeated part whose one item prints no label (（別添２）'s
        記録項目一覧) begins that file's text."""
        section = self.section
        m = FILE_NO.match(line.text)
        if section.kind != "repeat" or not section.repeat_key or m is None:
            return False
        known = {name for other in self.form.items if other.repeat_key == section.repeat_key
                 for name in self.file_names.get(other.id, {})}
        if norm(line.text[m.end():]) not in known:
            return False  # (1)異動事由、(2)異動日…: numbered, but no file's name
        items = [it for it in self.order[1:] if not it.fixed]
        if len(items) != 1 or items[0].kind != "text":
            return False
        self._store(items[0], line.text.strip(), line.where)
        self.append_to = ("value", self.last_key) if self.last_key else None
        return True

    def _bare_choice(self, line: Line) -> bool:
        """Plain text: a chosen option alone on its line (`十分に行っている`, `[ 5年`), its label elsewhere. It
        goes to the nearest empty choice item before the reading position that offers it (its label was read,
        its value was not: an item further on would still find its own value after its label)."""
        chosen = option_part(line.text)
        key = norm(chosen)
        if not key or self._option_line(line.text) or (self.form.changes is not None
                                                    and self.section.id == self.form.changes.part.id):
            return False  # an option list line (1） 十分である) offers, it does not choose
        best: tuple[int, ItemDef] | None = None
        for i, it in enumerate(self.order):
            if it.kind != "choice" or not any(key == norm(o.text) for o in it.options):
                continue
            if (it.id, self.inst_of(it)) in self.draft.values:
                continue
            if i < self.cursor and (best is None or self.cursor - i < best[0]):
                best = (self.cursor - i, it)
        if best is None:
            if key in self.chosen_keys:
                self.floating.append((chosen, line.where, self.fed))
                return True
            return False
        self._store(best[1], f"[{chosen}]", line.where)
        self.draft.notes.setdefault(self.last_key, []).append(  # type: ignore[arg-type]
            f"{line.where} の「{line.text.strip()}」を、項目名から離れていたためこの項目の値としました")
        self.append_to = None
        return True

    def finish(self) -> Draft:
        """Options and dates read before any label could take them (a page's values printed above its
        labels) go, in order, to the labelled choice and date items left empty that take them; the rest stay
        unplaced."""
        for text, where, at in self.floating:
            key = norm(text)
            date = is_date(text)
            for item, inst, read in self.labelled:
                if (item.id, inst) in self.draft.values or abs(read - at) > _FLOAT:
                    continue  # taken, or a label read far from the value
                if (item.kind == "date" and date) or (item.kind == "choice" and any(
                        key == norm(o.text) for o in item.options)):
                    self.draft.values[(item.id, inst)] = parse(item, text if date else f"[{text}]")
                    self.draft.notes.setdefault((item.id, inst), []).append(
                        f"{where} の「{text}」を、項目名より前にあったためこの項目の値としました")
                    break
            else:
                self.draft.leftovers.append((where, text))
        return self.draft

    def _heading_boxes(self, head: str) -> bool:
        """Is ``head`` the label of a group of this part that prints checkboxes on its heading?"""
        self._find("", True)  # builds the part's table
        hits = self.keyed[self.section.id].get((norm(head), False), [])
        return any(c.placement == "heading" for i in hits for c in self.order[i].children)

    def _waited_for(self, line: Line) -> bool:
        """Plain text: labels printed one after another, their values after them (a page's cells out of
        order). The line goes to the first label read that is still empty and takes a value of its kind."""
        if (not norm(line.text) or FURNITURE.match(line.text) or self._option_line(line.text)
                or self._an_option(line.text)
                or self._is_label(first_word(line.text))):
            return False
        for item, inst, at in self.waiting:
            if self.fed - at > _WAIT:
                continue
            if (item.id, inst) in self.draft.values or item.kind not in ("text", "date") \
                    or not accepts(item, line.text):
                continue
            if self.form.repeats_above(item.id)[:1] != [self.section] and self.form.repeats_above(item.id):
                continue
            if item not in self.order:
                continue
            saved = self.sec_inst, dict(self.current)
            self._store_at(item, inst, line.text, line.where)
            self.sec_inst, self.current = saved
            self.append_to = ("value", (item.id, inst))
            self.draft.notes.setdefault((item.id, inst), []).append(
                f"{line.where} の記載を、前に項目名だけがあったこの項目の値としました")
            return True
        return False

    def _store_at(self, item: ItemDef, inst: tuple[int, ...], cell: str, where: str) -> None:
        """Store ``cell`` as ``item``'s value in instance ``inst`` (not the one being read)."""
        got = parse(item, cell)
        key = (item.id, inst)
        if key not in self.draft.values:
            self.draft.values[key] = got
            if got.doubts:
                self.draft.notes.setdefault(key, []).extend(got.doubts)
        self.last_key = key

    def _in_change_rows(self) -> bool:
        """Plain text inside the 変更箇所 table, entered by its own heading: the 項目 column prints part headings
        (Ⅰ基本情報) and labels of every part, which must not move the reading out of the table."""
        changes = self.form.changes
        return self.plain and changes is not None and self.section.id == changes.part.id and self.in_changes
