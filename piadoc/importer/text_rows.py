"""変更箇所 rows from plain text extracted from a PDF, where a row's cells no longer stand side by side.

The extraction prints a page of the change table column by column and block by block: the dates of a page
together, then for each row its 項目 (a part heading such as `Ⅰ　基本情報` and the labels below it), the text
before and after, the 提出時期 option and its explanation; sometimes a page bottom-up, sometimes an option on
the line of the text before it (`健康増進課 事後`) or glued to a date (`事後令和4年7月8日`). Rows are rebuilt
from anchors the form defines: a 項目 begins with a part's printed number and label, a 提出時期 is one of the
timing column's options, a date is a 和暦 date, the header is made of the column labels. The text blocks
(separated by blank lines) between anchors are the row's 変更前 / 変更後 cells. Every row so rebuilt is a
guess, noted for review; no label or option is named here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..schema import ChangeTable, Form, norm
from .plain import BOX_LINE, LIST_ITEM, is_date
from .stream import Line
from .values import parse

if TYPE_CHECKING:
    from .mapper import Draft


@dataclass
class TextRow:
    """One rebuilt row: the 項目 lines, the text blocks read before its 提出時期, the option, its explanation."""

    where: str
    item: list[str] = field(default_factory=list)
    cells: list[list[str]] = field(default_factory=list)
    timing: str | None = None
    reason: list[str] = field(default_factory=list)
    date: str | None = None
    doubts: list[str] = field(default_factory=list)
    page: int = 0
    """How many header rows were printed before it: a page's dates are its rows'."""

    def split(self) -> tuple[str, str]:
        """(変更前, 変更後) from the text blocks: two blocks are one each; a run of boxes (`[ ] 庁内連携…`, one
        block per box) is halved; otherwise the first block is the text before and the rest the text after."""
        blocks = ["\n".join(c) for c in self.cells]
        if not blocks:
            return "", ""
        if len(blocks) == 1 and len(self.cells[0]) == 2 and not any(LIST_ITEM.match(t) for t in self.cells[0]):
            self.doubts.append("1つのまとまりの2行を、変更前と変更後の記載としました")
            return self.cells[0][0], self.cells[0][1]  # two short cells side by side, lines of a block
        if len(blocks) == 1:
            self.doubts.append("記載が一つしかないため、変更後の記載としました（変更前の記載は空欄）")
            return "", blocks[0]
        if len(blocks) > 2:
            boxes = all(BOX_LINE.search(b) for b in blocks)
            cut = len(blocks) // 2 if boxes and len(blocks) % 2 == 0 else 1
            self.doubts.append(f"記載のまとまり {len(blocks)} つのうち、{'前半' if cut > 1 else '最初'}を変更前、"
                               "残りを変更後の記載としました")
            return "\n\n".join(blocks[:cut]), "\n\n".join(blocks[cut:])
        return blocks[0], blocks[1]


def _only_labels(key: str, labels: list[str]) -> bool:
    """Is ``key`` made of column labels only (`提出時期変更日`: a header row's cells run together)?"""
    if not key:
        return True
    return any(key.startswith(lab) and _only_labels(key[len(lab):], labels) for lab in labels if lab)


class RowReader:
    """Reads the lines of the 変更箇所 part (plain text) into rows; see the module's docstring."""

    def __init__(self, form: Form, changes: ChangeTable) -> None:
        self.labels = [norm(c.label) for c in changes.rows.children]
        timing = changes.column("timing")
        self.options = {norm(o.text): o.text for o in timing.options}
        self.parts = [(norm(it.number), norm(it.label)) for it in form.items if it.number and it.label]
        self.rows: list[TextRow] = []
        self.dates: list[tuple[str, int]] = []
        self.page = 0
        self.leftovers: list[tuple[str, str]] = []
        self.state = "none"
        """What the last line was: none, item (the 項目 block), text, timing, reason."""

    # -- anchors -------------------------------------------------------------------------------------
    def is_header(self, text: str) -> bool:
        return all(_only_labels(norm(tok), self.labels) for tok in text.split()) and bool(norm(text))

    def starts_item(self, text: str) -> bool:
        """`Ⅰ　基本情報`, `Ⅱ　特定個人情報ファイルの` (cut at the cell's edge): a part's number and label."""
        key = norm(text)
        for number, label in self.parts:
            rest = key[len(number):]
            if key.startswith(number) and len(rest) >= 2 and (label.startswith(rest) or rest.startswith(label)):
                return True
        return False

    def timing(self, text: str) -> tuple[str, str, str] | None:
        """(text before, option, text after) when the line prints a 提出時期 option as a word of its own (the
        words of a Japanese sentence are not spaced): alone, after the text before it (`健康増進課 事後`), before
        the explanation (`事後 評価の再実施のため`) or a date (`事後令和4年7月8日`)."""
        words = text.split()
        for i, word in enumerate(words):
            key = norm(word)
            for opt_key, opt in sorted(self.options.items(), key=lambda o: -len(o[0])):
                if not key.startswith(opt_key):
                    continue
                rest = word[len(opt):]
                if rest and is_date(rest):
                    self.dates.append((rest, self.page))
                    rest = ""
                elif rest and i == 0:
                    continue  # `事後に提出する`: a sentence; after a cell's text (`健康増進課 事後組織…`) the reason
                return " ".join(words[:i]), opt, " ".join([rest] + words[i + 1:]).strip()
        return None

    # -- reading -------------------------------------------------------------------------------------
    def _row(self, where: str) -> TextRow:
        row = TextRow(where, page=self.page)
        self.rows.append(row)
        return row

    def feed(self, line: Line) -> None:
        text = line.text.strip()
        if not norm(text):
            return
        if self.is_header(text):
            if self.rows or self.dates:
                self.page += 1
            return
        if is_date(text):
            self.dates.append((text, self.page))
            return
        row = self.rows[-1] if self.rows else None
        if self.starts_item(text):
            if row is None or row.item or row.timing or not row.cells:
                row = self._row(line.where)
            else:
                row.doubts.append(f"{line.where} の項目より前に読んだ記載を、この項目の行としました")
            row.item.append(text)
            self.state = "item"
            return
        found = self.timing(text)
        if found is not None:
            before, opt, after = found
            if row is None or row.timing is not None:
                row = self._row(line.where)
                row.doubts.append(f"{line.where} の提出時期は、項目から離れていたため別の行としました")
            halves = before.split(" ")  # half-width: the gap the extraction left between two cells
            if not row.cells and len(halves) == 2:  # `主幹 健康増進課長 事後`: 変更前, 変更後 and the option
                row.cells += [[halves[0]], [halves[1]]]
                row.doubts.append(f"「{before}」を空白で変更前・変更後の記載に分けました")
            elif before:
                row.cells.append([before])
            row.timing = opt
            if after:
                row.reason.append(after)
            self.state = "timing"
            return
        if row is None:
            self.leftovers.append((line.where, line.text))
            return
        if self.state == "item" and not line.gap:
            row.item.append(text)
        elif self.state in ("timing", "reason") and (not row.reason or not line.gap):
            row.reason.append(text)
            self.state = "reason"
        elif row.timing is None:
            if line.gap or self.state != "text" or not row.cells:
                row.cells.append([])
            row.cells[-1].append(text)
            self.state = "text"
        else:  # a row's text after its 提出時期 was read: a row whose 項目 comes later (a page printed bottom-up)
            row = self._row(line.where)
            row.cells.append([text])
            self.state = "text"

    def _reasons_apart(self) -> None:
        """A page printed bottom-up puts an explanation before its 提出時期, where it reads as a text block. A
        block that is word for word an explanation read after an option elsewhere in the table (they repeat:
        同上, その他の項目の変更であり…) is that row's explanation, not its 変更前 / 変更後."""
        known = {norm("".join(row.reason)) for row in self.rows if row.reason}
        for row in self.rows:
            keep = []
            for cell in row.cells:
                key = norm("".join(cell))
                if key in known and (not row.reason or key == norm("".join(row.reason))):
                    if not row.reason:
                        row.reason = list(cell)
                        row.doubts.append(f"「{''.join(cell)[:20]}」を、ほかの行と同じ提出時期に係る説明としました")
                    continue
                keep.append(cell)
            row.cells = keep

    def finish(self) -> list[TextRow]:
        """The rows that have a 項目 or a 提出時期 (other text stays unplaced), each with a date: its page's
        dates in order, the last one read again when a page printed fewer."""
        self._reasons_apart()
        rows = []
        for row in self.rows:
            if row.item or (row.timing and row.cells):
                rows.append(row)
            else:  # an option and its explanation alone, or text with neither 項目 nor 提出時期
                self.leftovers.extend((row.where, "\n".join(c)) for c in row.cells)
                if row.timing:
                    self.leftovers.append((row.where, " ".join([row.timing] + row.reason)))
        last: str | None = None
        for page in sorted({row.page for row in rows}):
            dates = [d for d, p in self.dates if p == page]
            for i, row in enumerate(r for r in rows if r.page == page):
                if i < len(dates):
                    row.date = last = dates[i]
                elif (last := dates[-1] if dates else last) is not None:
                    row.date = last
                    row.doubts.append("変更日が読めなかったため、前の行の変更日としました")
        return rows


def store_rows(draft: Draft, changes: ChangeTable, rows: list[TextRow], after: int) -> None:
    """The rebuilt rows as instances ``after``+1… of the row repeat, each noted for review."""
    col = changes.column
    for n, row in enumerate(rows, after + 1):
        before, text_after = row.split()
        inst = (n,)
        draft.seen.add((changes.rows.id, inst))
        cells = {"date": row.date or "", "item": "\n".join(row.item), "before": before, "after": text_after,
                 "timing": f"[{row.timing}]" if row.timing else "", "reason": "".join(row.reason)}
        for role, text in cells.items():
            if text:
                got = parse(col(role), text)
                draft.values[(col(role).id, inst)] = got
                if got.doubts:
                    draft.notes.setdefault((col(role).id, inst), []).extend(got.doubts)
        key = (col("item").id, inst) if row.item else (col("timing").id, inst)
        draft.notes.setdefault(key, []).append(
            f"{row.where} から、抽出で離れた欄をつないでこの行としました（元の PDF と見比べてください）")
        draft.notes[key].extend(row.doubts)
