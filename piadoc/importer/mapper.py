"""The stream of lines and rows (stream.py) → answers keyed by form item and repeat instance.

Labels are matched with the form's own keys (schema/index.py: NFKC, no spaces, ※ or dots), the keys `check`
resolves references with. Rows are taken in order: each label is looked for from the last matched item on, so
the many 「その他の措置の内容」 of Ⅲ each land in their own section, and a row the form does not have is kept
for the user, never dropped. Plain text extracted from a PDF, whose cells come out of order, is read in the
plain mode (plain.py): guided by the printed numbering and the form's item kinds and options.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..language import DASHES
from ..model import Key
from ..schema import Form, ItemDef, norm
from .stream import Item, Line, Row
from .text_repair import label_keys
from .text_rows import RowReader, store_rows
from .plain import (BOX_LINE, FILE_NO, FURNITURE, LIST_ITEM, PlainReading, accepts, first_word, is_date,
                    merge_checks)
from .values import Parsed, parse


@dataclass
class Draft:
    """What the document says, in the form's terms."""

    form: Form
    values: dict[Key, Parsed] = field(default_factory=dict)
    titles: dict[Key, str] = field(default_factory=dict)
    """Titles of repeat instances printed with their heading (委託事項1　予防接種業務), keyed by the repeat."""
    seen: set[Key] = field(default_factory=set)
    """Repeat instances whose heading was printed (システム2), even when empty."""
    slots: set[tuple[str, tuple[int, ...], int]] = field(default_factory=set)
    """Slot headings printed (システム6～10): (repeat, enclosing instance, the first instance it stands above)."""
    notes: dict[Key, list[str]] = field(default_factory=dict)
    leftovers: list[tuple[str, str]] = field(default_factory=list)
    """(where, text) the form has no place for."""


_RESTART = 3
"""A label among a section's first items, met behind the cursor, starts the section's next instance."""


def _descendants(item: ItemDef) -> list[ItemDef]:
    out: list[ItemDef] = []

    def visit(items: tuple[ItemDef, ...]) -> None:
        for it in items:
            out.append(it)
            visit(it.children)

    visit(item.children)
    return out


class Mapper(PlainReading):
    def __init__(self, form: Form, plain: bool = False) -> None:
        self.form = form
        self.plain = plain
        """Plain text extracted from a PDF (plain.py): cells out of order, values away from their labels."""
        self.fed = 0
        """Plain text: how many items of the stream were read (positions for the guesses below)."""
        self.in_changes = False
        self.text_rows: RowReader | None = None
        """Plain text: the 変更箇所 part's lines, read into rows at the end (text_rows.py)."""
        self.in_toc = False
        self.since_heading: list[tuple[ItemDef, str, object]] | None = None
        """Plain text: what was read since a repeated part's heading came again (see _take_since_heading)."""
        self.all_labels = label_keys(form)
        self.repeat_heads = tuple(p for it in form.walk() if it.kind == "repeat"
                                  if (p := form.index.keys(it).pattern) is not None)
        """Plain text: what a repeat instance's heading reads as anywhere in the form (システム1, 委託事項2)."""
        self.chosen_keys = frozenset(norm(o.text) for it in form.walk() if it.kind == "choice" for o in it.options)
        self.floating: list[tuple[str, str, int]] = []
        """Plain text: options and dates met before a label that takes them (text, where, position)."""
        self.waiting: list[tuple[ItemDef, tuple[int, ...], int]] = []
        """Plain text: items whose label was read alone on its line, with their instance and position."""
        self.labelled: list[tuple[ItemDef, tuple[int, ...], int]] = []
        """Plain text: the items whose labels were read, in reading order, with their instance and position."""
        self.file_names: dict[str, dict[str, int]] = {}
        """Per repeated part: the files' names (normalised, number dropped) → their instance."""
        self.index = form.index
        self.draft = Draft(form)
        self.counters: dict[str, int] = {}
        self.order_of: dict[str, list[ItemDef]] = {}
        self.keyed: dict[str, dict[tuple[str, bool], list[int]]] = {}
        """Per section: (label key, is a field) → positions in its printed order."""
        self.pending: tuple[ItemDef, int | None, str] | None = None
        cover = form.part("cover")
        self.section: ItemDef = cover if cover is not None else form.items[0]
        self.sec_inst: tuple[int, ...] = ()
        self.order: list[ItemDef] = self._order(self.section)
        self.cursor = 0
        self.current: dict[str, int] = {}
        self.header: tuple[int, list[ItemDef | None], ItemDef | None] | None = None
        """(table, column items, auto-numbered row repeat) while a header row's columns apply."""
        self.title_key = norm(form.title)
        self.last_key: Key | None = None
        self.want_title: Key | None = None
        self.append_to: tuple[str, Key] | None = None
        """Plain text: where the next unmatched line belongs (a value's next line, a repeat's title)."""

    # -- sections ------------------------------------------------------------------------------------
    def _order(self, item: ItemDef) -> list[ItemDef]:
        found = self.order_of.get(item.id)
        if found is None:
            found = self.order_of[item.id] = [item] + _descendants(item)
        return found

    def _top(self, text: str) -> tuple[ItemDef, int | None, str] | None:
        key = norm(text)
        for it in self.form.items:
            keys = self.index.keys(it)
            if keys.pattern is not None:
                m = keys.pattern.match(key)
                if m:
                    return it, int(m.group(1)), _after_label(text, it.instance_label(int(m.group(1))))
                continue
            if key in keys.labels or (it.number and key.startswith(norm(it.number + it.label))):
                return it, None, ""
        return None

    def _commit(self) -> None:
        if self.pending is None:
            return
        item, n, title = self.pending
        self.pending = None
        if item.id == self.section.id and item.kind == "repeat" and n is None and self.sec_inst:
            if self.plain:
                self.since_heading = []  # maybe the next file, whose name comes later on its page
            return  # the heading again (a new page, or the next file: see _restart)
        self.since_heading = None
        self.section, self.sec_inst = item, ()
        if self.plain and self.form.changes is not None and item.id == self.form.changes.part.id:
            self.in_changes = True  # its own heading, not a contents list: the table follows
        if item.kind == "repeat":
            last = self.counters.get(item.id, 0)
            if n is None and self.plain and last and (self._empty(item, last) or item.repeat_key):
                n = last  # plain text prints headings out of order: only a file's name starts a file
            if n is None:
                n = self.counters[item.id] = last + 1
            self.sec_inst = (n,)
            self.draft.seen.add((item.id, (n,)))
            if title and item.heading_text:
                self.draft.titles[(item.id, (n,))] = title
        self.order = self._order(item)
        self.cursor, self.current, self.header = 0, {}, None

    # -- instances -----------------------------------------------------------------------------------
    def inst_of(self, item: ItemDef) -> tuple[int, ...]:
        out: list[int] = []
        for r in self.form.repeats_above(item.id):
            out.append(self.sec_inst[0] if r.id == self.section.id and self.sec_inst else self.current.get(r.id, 1))
        return tuple(out)

    def _store(self, item: ItemDef, cell: str, where: str) -> None:
        if item.fixed:
            return
        counts = [c for c in item.children if c.kind == "count"]
        got = parse(item, cell, has_count=bool(counts))
        self._numbered(item, cell)
        key = (item.id, self.inst_of(item))
        had = self.draft.values.get(key)
        if self.plain and had is not None and item.kind == "checkboxes" and had.checks is not None and got.checks:
            had.checks = merge_checks(had.checks, got.checks)  # boxes of one item read in pieces
            self.last_key = key
            return
        if key in self.draft.values and self.plain:
            key = self._next_free(item, key)
        self.last_key = key
        if key in self.draft.values:
            entry = (where, f"{item.title}（2回目）: {cell}")
            self.draft.leftovers.append(entry)
            if self.since_heading is not None:
                self.since_heading.append((item, cell, entry))
            return
        if self.since_heading is not None:
            self.since_heading.append((item, cell, key))
        if counts and got.count is not None:
            self.draft.values[(counts[0].id, key[1])] = Parsed(count=got.count)
        if item.kind != "count":
            self.draft.values[key] = got
        if got.doubts:
            self.draft.notes.setdefault(key, []).extend(got.doubts)

    def _numbered(self, item: ItemDef, cell: str) -> None:
        """A repeated part's first item (the file's name) says which file this is, by its printed number
        (（２） 本人確認情報ファイル) or, in plain text, by a name met before. An instance begun by counting (a
        restart, a heading guessed from a lost one) that has no name yet takes that number with what it holds;
        plain text, whose cells come out of order, moves to the named file (a new one for a new name)."""
        section = self.section
        if section.kind != "repeat" or section.numbered_label or not self.sec_inst:
            return
        at = self._order(section).index(item)
        if at > (1 if self.plain else _RESTART):
            return
        m = FILE_NO.match(cell)
        name = norm(cell[m.end():] if m else cell)
        names = self.file_names.setdefault(section.id, {})
        old = self.sec_inst[0]
        unnamed = old not in names.values()
        if m is not None:
            new = int(norm(m.group(1)))
            bound = max([self.counters.get(o.id, 0) for o in self.form.items
                         if o.repeat_key == section.repeat_key and o.id != section.id] + [0])
            if self.plain and bound and new > bound:
                return  # more files than Ⅱ has: a numbered line, not a file's name
        elif not self.plain:
            return
        elif name in names:
            new = names[name]
        elif unnamed:
            new = old
        else:
            new = max(self.counters.get(section.id, 0), old) + 1
        if new < 1:
            return
        if name:
            names.setdefault(name, new)
        if new == old:
            return
        if unnamed:
            self._move(section, old, new)
        else:
            self.draft.seen.add((section.id, (new,)))
            self.current, self.header = {}, None
            self._take_since_heading(section, old, new)
        self.sec_inst = (new,)
        self.counters[section.id] = max([new] + [k[1][0] for k in self.draft.seen if k[0] == section.id])

    def _move(self, section: ItemDef, old: int, new: int) -> None:
        """What instance ``old`` of ``section`` holds becomes instance ``new``'s (kept where that has its own)."""
        draft = self.draft

        def moved(key: Key) -> Key:
            above = self.form.repeats_above(key[0])
            if key[1][:1] == (old,) and above and above[0].id == section.id:
                return (key[0], (new,) + key[1][1:])
            return key

        for table in (draft.values, draft.notes, draft.titles):
            for key in [k for k in table if moved(k) != k]:
                value = table.pop(key)
                table.setdefault(moved(key), value)  # type: ignore[arg-type]
        draft.seen = {moved(k) if k[0] != section.id else ((k[0], (new,)) if k[1] == (old,) else k)
                      for k in draft.seen}

    # -- rows ----------------------------------------------------------------------------------------
    def _find(self, key: str, fields: bool) -> int | None:
        """The first item from the cursor on (else from the start) whose label is ``key``."""
        table = self.keyed.get(self.section.id)
        if table is None:
            table = self.keyed[self.section.id] = {}
            for i, it in enumerate(self.order):
                for k in self.index.keys(it).labels:
                    table.setdefault((k, it.kind not in ("group", "repeat")), []).append(i)
        hits = table.get((key, fields), [])
        if not hits:
            return None
        ahead = next((i for i in hits if i >= self.cursor), None)
        if ahead is None and hits[0] <= _RESTART and self.cursor > hits[0] and not self.plain:
            self._restart()
        found = ahead if ahead is not None else hits[0]
        if self.plain and len(hits) > 1:  # a page's cells out of order: the same label nearest the reading
            empty = [i for i in hits if (self.order[i].id, self.inst_of(self.order[i])) not in self.draft.values]
            found = min(empty or hits, key=lambda i: (abs(i - self.cursor) - (i >= self.cursor), i))
        if self.plain and fields:
            item = self.order[found]
            self.labelled.append((item, self.inst_of(item), self.fed))
        return found

    def _restart(self) -> None:
        """The section's first items again: the next 特定個人情報ファイル of a repeated part (Ⅱ, Ⅲ)."""
        section = self.section
        if section.kind != "repeat" or section.numbered_label or not self.sec_inst:
            return
        n = self.counters[section.id] = self.counters.get(section.id, 0) + 1
        self.sec_inst = (n,)
        self.draft.seen.add((section.id, (n,)))
        self.current, self.header, self.cursor = {}, None, 0

    def _band(self, row: Row) -> bool:
        """A full-width row: a heading, a repeat instance (with its title), a slot heading, or a label whose
        value follows in the next row. False when nothing in the current section fits."""
        lines = row.cells[0].split("\n")
        head = lines[0].strip()
        key = norm(head)
        if not key or key == self.title_key:
            return True
        i = self._find(key, fields=False)
        if i is not None:
            group = self.order[i]
            self.cursor = i + 1
            boxes = [c for c in group.children if c.placement == "heading"]
            if boxes and len(lines) > 1:
                self._boxes(boxes, lines[1:], row.where)
            elif len(lines) > 1:
                self.draft.leftovers.append((row.where, "\n".join(lines[1:])))
            return True
        for i, it in enumerate(self.order):
            if it.kind != "repeat":
                continue
            keys = self.index.keys(it)
            slot = next((s for s in it.slot_headings if norm(s) == key), None)
            if slot is not None and not (keys.pattern and keys.pattern.fullmatch(key)):
                start = it.slot_start(slot)
                if start is not None:
                    self.draft.slots.add((it.id, self.inst_of(it), start))
                return True
            m = keys.pattern.match(key) if keys.pattern is not None else None
            if m:
                n = int(m.group(1))
                self.current[it.id] = n
                for nested in _descendants(it):
                    self.current.pop(nested.id, None)
                inst = self.inst_of(it) + (n,)
                self.draft.seen.add((it.id, inst))
                title = "\n".join([_after_label(head, it.instance_label(n))] + lines[1:]).strip()
                if title and it.heading_text:
                    self.draft.titles[(it.id, inst)] = title
                elif it.heading_text:
                    self.want_title = (it.id, inst)  # plain text prints the title on the next line
                elif title:
                    self.draft.leftovers.append((row.where, head))
                self.cursor = i + 1
                return True
        i = self._find(key, fields=True)
        if i is not None:  # a label printed above its value (the cover's 公表日)
            self.header = (row.table, [self.order[i]], None)
            self.cursor = i + 1
            if self.plain:
                self.waiting.append((self.order[i], self.inst_of(self.order[i]), self.fed))
            return True
        return False

    def _elsewhere(self, row: Row, label: str) -> bool:
        """A row that fits no item of the current section: its section heading was lost (text extracted
        from a PDF). Move to the first later section that has the label, then read the row again."""
        key = norm(label.split("\n")[0])
        if not key or key.isdigit():  # a page number is no label
            return False
        if self._in_change_rows():
            return False  # the 変更箇所 rows name items of every part: text there stays there
        tops = [it for it in self.form.items if it.role not in ("cover", "contents")]
        start = next((k for k, it in enumerate(tops) if it.id == self.section.id), -1) + 1
        for it in tops[start:] + tops[:start]:
            if it.id == self.section.id:
                continue
            if any(key in self.index.keys(d).labels or (self.index.keys(d).pattern is not None
                                                        and self.index.keys(d).pattern.match(key))
                   for d in self._order(it)):
                n = self.counters.get(it.id) or None
                self.pending = (it, n, "")
                self._commit()
                self.draft.notes.setdefault((it.id, self.sec_inst), []).append(
                    f"見出しが見つからないため、{row.where} の「{label[:20]}」からこの節としました")
                return True
        return False

    def _boxes(self, boxes: list[ItemDef], lines: list[str], where: str) -> None:
        """Checkbox lines printed on a heading (接続しない（入手）, 接続しない（提供）), each to its item."""
        mine: dict[str, list[str]] = {}
        for line in lines:
            owner = next((b for b in boxes if any(norm(o.text) in norm(line) for o in b.options)), boxes[0])
            mine.setdefault(owner.id, []).append(line)
        for b in boxes:
            if b.id in mine:
                self._store(b, "\n".join(mine[b.id]), where)

    def _header(self, row: Row) -> bool:
        """A row of labels whose values follow in the next rows (the cover, the 変更箇所 table)."""
        changes = self.form.changes
        if changes is not None and self.section.id == changes.part.id:
            cols = list(changes.rows.children)
            if [norm(c) for c in row.cells] == [norm(c.label) for c in cols]:
                self.header = (row.table, list(cols), changes.rows)
                return True
        found: list[ItemDef | None] = []
        for cell in row.cells:
            i = self._find(norm(cell), fields=True) if norm(cell) else None
            if i is None:
                return False
            found.append(self.order[i])
        self.header = (row.table, found, None)
        self.cursor = max(self.order.index(it) for it in found if it is not None) + 1
        return True

    def _values(self, row: Row) -> bool:
        if self.header is None:
            return False
        table, cols, rows_repeat = self.header
        if rows_repeat is not None and row.table == table and 1 < len(row.cells) < len(cols):
            row = Row(row.cells + ("",) * (len(cols) - len(row.cells)), row.where, row.table)
            # a text row's empty last cells were dropped with its trailing tabs (text_reader.py)
        if row.table != table or len(row.cells) != len(cols):
            self.header = None
            return False
        if [norm(c) for c in row.cells] == [norm(c.label) if c else "" for c in cols]:
            return True  # the header row repeated on a new page
        if rows_repeat is not None:
            n = self.current[rows_repeat.id] = self.current.get(rows_repeat.id, 0) + 1
            self.draft.seen.add((rows_repeat.id, self.inst_of(rows_repeat) + (n,)))
        else:
            self.header = None
        for col, cell in zip(cols, row.cells):
            if col is not None:
                self._store(col, cell, row.where)
        return True

    def _fields(self, row: Row) -> None:
        label, value = row.cells[-2], row.cells[-1]
        key = norm(label)
        if not key and self._box_row(row, value):
            return
        i = self._find(key, fields=True) if key else None
        if i is None and len(row.cells) > 2:  # extracted text: the label, then its value over several cells
            for at, cell in enumerate(row.cells[:-1]):
                found = self._find(norm(cell), fields=True) if norm(cell) else None
                if found is not None:
                    i, value = found, "\n".join(row.cells[at + 1:])
                    break
        if i is None:
            if self._band(Row((f"{label}　{value}",), row.where, row.table)):  # 提供先1 | its title
                return
            if self._elsewhere(row, label):
                i = self._find(key, fields=True)
        if i is None:
            self.draft.leftovers.append((row.where, " | ".join(row.cells)))
            return
        self.cursor = i + 1
        self._store(self.order[i], value, row.where)

    def _box(self) -> ItemDef | None:
        """The item a label-less row of this part holds (render/layout.py `_box`): the part itself when it is
        one answer (重点 （別添１）), else its field printed as a box (`layout: box`, 全項目 （別添２）)."""
        if self.section.kind not in ("group", "repeat"):
            return self.section
        return next((c for c in self.section.children if c.layout == "box"), None)

    def _box_row(self, row: Row, text: str) -> bool:
        """A label-less row of a part printed as one box (a table of one cell, in a .docx or a PDF, whose
        reader joins a box a page break split). Another row of a box already read is the next file's (a
        repeated part's heading starts no instance)."""
        box = self._box()
        if box is None:
            return False
        if (box.id, self.inst_of(box)) in self.draft.values and box is not self.section:
            self._restart()
        self._store(box, text, row.where)
        return True

    def _is_label(self, text: str) -> bool:
        """Does ``text`` name an item of the current section (no side effect, unlike _find)?"""
        key = norm(text.split("\n")[0])
        self._find("", True)  # builds the section's table
        table = self.keyed[self.section.id]
        return bool(key) and ((key, True) in table or (key, False) in table or any(
            self.index.keys(it).pattern is not None and self.index.keys(it).pattern.match(key)
            for it in self.order if it.kind == "repeat"))

    def _text_line(self, line: Line) -> None:
        """A line outside any table (plain text): a heading, a label whose value follows, the value itself, or
        the next line of the value or title being read."""
        row = Row((line.text,), line.where, -1)
        wanted = self.header[1][0] if self.header is not None else None
        wrong_kind = self.plain and wanted is not None and (  # the form's option list, a box's half
            self._option_line(line.text) or not norm(line.text.strip(" 　[]［］（）()"))
            or (wanted.kind in ("choice", "checkboxes", "date") and not accepts(wanted, line.text))
            or (wanted.kind == "text" and (bool(FURNITURE.match(line.text)) or self._an_option(line.text))))
        if (self.header is not None and self.header[0] == -1 and not self._is_label(line.text)
                and not (self.plain and norm(first_word(line.text)) in self.all_labels) and not wrong_kind
                and not (self.plain and any(p.fullmatch(norm(first_word(line.text))) for p in self.repeat_heads))
                and self._values(row)):
            self.append_to = ("value", self.last_key) if self.last_key else None
            return
        self.want_title = None
        head, _, rest = line.text.strip().partition(" ")
        if self.plain and BOX_LINE.search(rest) and self._heading_boxes(head):  # ４．…の委託 [ ○ ] 委託しない
            self.header = None
            self._band(Row((f"{head}\n{rest}",), line.where, -1))
            self.append_to = None
            return
        if norm(rest) and (self._is_label(head) or (  # ①事務の名称 住民基本台帳に関する事務 (not a lone ※)
                self.plain and norm(head) in self.all_labels and self._elsewhere(Row((head,), line.where, -1), head))):
            self.header = None
            self._fields(Row((head, rest.strip()), line.where, -1))
            self.append_to = ("value", self.last_key) if self.last_key else None
            return
        bare = head.strip(" 　[]［］")  # `‐ ⑤評価書への反映`, `十分に行っている 従業者に…`: a value before its label
        if self.plain and (bare in DASHES or norm(bare) in self.chosen_keys) and norm(rest) in self.all_labels:
            self.header = None
            self._fields(Row((rest.strip(), "―" if bare in DASHES else f"[{bare}]"), line.where, -1))
            self.append_to = None
            return
        if self._band(row) or (self._elsewhere(row, line.text) and self._band(row)):
            self.append_to = ("title", self.want_title) if self.want_title else None
            return
        if self.append_to is None and self._box_row(row, line.text):  # a box's text outside a table (plain text)
            self.append_to = ("value", self.last_key)
            return
        if self.plain and (self._ticked_boxes(line) or self._bare_choice(line) or self._numbered_text(line)):
            return
        if self.append_to is not None:
            kind, key = self.append_to
            if kind == "title":
                self.draft.titles[key] = line.text.strip()
                self.append_to = None
                return
            got = self.draft.values.get(key)
            if (got is not None and got.text is not None and self.form.item(key[0]).kind == "text"
                    and got.text.strip() not in DASHES  # ― alone: the item says "nothing", it does not go on
                    and not FURNITURE.match(line.text) and not self._option_line(line.text)
                    and (not line.gap or LIST_ITEM.match(line.text))
                    and not (self.plain and norm(first_word(line.text)) in self.all_labels)):
                got.text += "\n" + line.text
                return
        if self.plain and self._waited_for(line):
            return
        if self.plain and is_date(line.text) and not self._in_change_rows():
            self.floating.append((line.text.strip(), line.where, self.fed))  # the cover's date
            return
        self.draft.leftovers.append((line.where, line.text))

    def finish(self) -> Draft:
        """Plain text: the 変更箇所 part's lines become rows, after the rows read from a table; then the values
        read before their labels find their items (plain.py)."""
        changes = self.form.changes
        if self.text_rows is not None and changes is not None:
            after = max([k[1][0] for k in self.draft.seen if k[0] == changes.rows.id] + [0])
            store_rows(self.draft, changes, self.text_rows.finish(), after)
            self.draft.leftovers.extend(self.text_rows.leftovers)
        return super().finish()

    def feed(self, item: Item) -> None:
        self.fed += 1
        if isinstance(item, Line):
            top = None if self._in_change_rows() else self._top(item.text)
            if top is not None and self.plain and (self.pending is not None or self.in_toc):
                self.pending, self.append_to, self.in_toc = None, None, True  # headings in a row: contents
                return
            self.in_toc = False
            if top is not None:
                self.pending, self.append_to = top, None
            elif norm(item.text) not in (self.title_key, norm(self.form.version or "")):
                self._commit()
                if self._in_change_rows() and self.form.changes is not None:  # cells apart: text_rows.py
                    if self.text_rows is None:
                        self.text_rows = RowReader(self.form, self.form.changes)
                    self.text_rows.feed(item)
                    return
                self._text_line(item)
            return
        self._commit()
        if self._values(item):
            return
        if len(item.cells) == 1:
            if not self._band(item) and not self._box_row(item, item.cells[0]) \
                    and not (self._elsewhere(item, item.cells[0]) and self._band(item)):
                self.draft.leftovers.append((item.where, item.cells[0]))
        elif not self._header(item):
            self._fields(item)


def _after_label(text: str, label: str) -> str:
    """`委託事項1　予防接種業務` → `予防接種業務`: the text after the label (compared without spaces)."""
    want = norm(label)
    for i in range(len(text) + 1):
        if norm(text[:i]) == want:
            return text[i:].strip(" 　\t")
    return ""


def map_stream(form: Form, stream: list[Item], plain: bool = False) -> Draft:
    mapper = Mapper(form, plain)
    for item in stream:
        mapper.feed(item)
    return mapper.finish()
