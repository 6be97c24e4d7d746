"""Word tracked changes (ECMA-376 §17.13.5) for the cells of a redline: w:ins / w:del around runs, deleted text in
w:delText, paragraph marks inserted or deleted through w:pPr/w:rPr, rows through w:trPr.

Ids, author and date are left empty here and filled in document order once the whole document exists
(number_revisions), so ids are unique across every part and the same inputs give the same bytes.
Japanese has no spaces to diff on: changed lines are compared character by character
(SequenceMatcher without autojunk, which would junk frequent 、。の), whole when little is shared or the
change is scattered.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from lxml import etree

from .layout import Revision
from .ooxml import W, make_paragraph

#: Below this share of common characters a changed line reads better deleted whole and inserted whole.
MIN_SHARED = 0.5
#: More changed pieces than this in one line (「1万人以上10万人未満」→「10万人以上30万人未満」) read as noise:
#: the line is replaced whole.
MAX_PIECES = 1


def _run(text: str, deleted: bool):
    r = etree.Element(W("w:r"))
    t = etree.SubElement(r, W("w:delText" if deleted else "w:t"))
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _mark(kind: str):
    el = etree.Element(W(f"w:{kind}"))
    el.set(W("w:id"), "0")
    el.set(W("w:author"), "")
    return el


def _wrapped(kind: str, text: str):
    el = _mark(kind)
    el.append(_run(text, kind == "del"))
    return el


def _bare(style_id: str):
    return make_paragraph(style_id, "")


def _mark_paragraph(p, kind: str) -> None:
    """The paragraph mark itself inserted or deleted (a whole line added or removed)."""
    ppr = p.find(W("w:pPr"))
    rpr = etree.SubElement(ppr, W("w:rPr"))
    rpr.append(_mark(kind))


def whole(style_id: str, line: str, kind: str, mark: bool = True):
    """A line inserted or deleted whole, with its paragraph mark (not the last of a cell, which stays)."""
    p = _bare(style_id)
    if mark:
        _mark_paragraph(p, kind)
    if line:
        p.append(_wrapped(kind, line))
    return p


def changed_line(style_id: str, old: str, new: str):
    """One paragraph: the old line turned into the new one, character by character."""
    p = _bare(style_id)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    ops = matcher.get_opcodes()
    if matcher.ratio() < MIN_SHARED or sum(op != "equal" for op, *_ in ops) > MAX_PIECES:
        ops = [("replace", 0, len(old), 0, len(new))]
    for op, a0, a1, b0, b1 in ops:
        if op == "equal":
            p.append(_run(old[a0:a1], False))
            continue
        if a1 > a0:
            p.append(_wrapped("del", old[a0:a1]))
        if b1 > b0:
            p.append(_wrapped("ins", new[b0:b1]))
    return p


def cell_paragraphs(style_id: str, lines: tuple[str, ...], revision: Revision) -> list:
    """The paragraphs of a cell under ``revision``: ``lines`` are what the document now says."""
    lines = lines or ("",)
    if revision.kind in ("ins", "del"):
        return [whole(style_id, line, revision.kind, i < len(lines) - 1) for i, line in enumerate(lines)]
    old = revision.old or ("",)
    out = []
    for op, a0, a1, b0, b1 in SequenceMatcher(None, old, lines, autojunk=False).get_opcodes():
        if op == "equal":
            out += [make_paragraph(style_id, line) for line in lines[b0:b1]]
            continue
        pairs = min(a1 - a0, b1 - b0) if op == "replace" else 0
        out += [changed_line(style_id, old[a0 + i], lines[b0 + i]) for i in range(pairs)]
        out += [whole(style_id, line, "del") for line in old[a0 + pairs:a1]]
        out += [whole(style_id, line, "ins") for line in lines[b0 + pairs:b1]]
    if all(p.find(f"{W('w:pPr')}/{W('w:rPr')}/{W('w:del')}") is not None for p in out):
        out.append(make_paragraph(style_id, ""))  # a cell keeps one paragraph that is not deleted
    return out


def mark_row(tr, kind: str) -> None:
    """w:trPr/w:ins or w:del: the row itself added or removed (its runs are marked by cell_paragraphs)."""
    trpr = tr.find(W("w:trPr"))
    if trpr is None:
        trpr = etree.Element(W("w:trPr"))
        tr.insert(0, trpr)
    trpr.append(_mark(kind))


def number_revisions(body, author: str, date: str) -> int:
    """Give every w:ins / w:del in ``body`` a unique id (after any bookmark or comment id), the author and the
    date (ISO 8601, or none); returns how many there are."""
    ids = [int(el.get(W("w:id"))) for el in body.iter(W("w:bookmarkStart"), W("w:commentRangeStart"))
           if (el.get(W("w:id")) or "").isdigit()]
    next_id = max(ids, default=0) + 1
    count = 0
    for el in body.iter(W("w:ins"), W("w:del")):
        el.set(W("w:id"), str(next_id))
        el.set(W("w:author"), author)
        if date:
            el.set(W("w:date"), date)
        next_id += 1
        count += 1
    return count


def apply_to_table(tbl, revised: list, marked: list[tuple[int, str]]) -> None:
    """Tracked changes (piadoc redline): the revised cells' paragraphs, and rows inserted or deleted whole."""
    rows = tbl.findall(W("w:tr"))
    for row_index, cell_index, cell in revised:
        tc = rows[row_index].findall(W("w:tc"))[cell_index]
        at = list(tc).index(tc.find(W("w:tcPr"))) + 1
        for offset, paragraph in enumerate(cell_paragraphs(cell.style_id, cell.lines, cell.revision)):
            tc.insert(at + offset, paragraph)
    for row_index, kind in marked:
        mark_row(rows[row_index], kind)
