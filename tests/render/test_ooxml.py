"""Tables written as XML text and parsed once: every text comes back exactly, markup in it stays text,
and the elements are python-docx's own (its proxies and docxcompose work on them)."""
from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.table import Table

from piadoc.render.ooxml import CellSpec, table_element

TRICKY = [" 先頭に空白", "末尾に空白 ", "　全角空白", "&amp; <w:t>タグ</w:t> \"引用\" 'single'", "タブ\tあり", "]]>", ""]


def test_texts_come_back_exactly() -> None:
    rows = [([CellSpec((line,), 'a"&<b', span=2 if i % 2 else 1, shade=bool(i % 2),
                       vmerge=("restart", "continue", None)[i % 3], vertical=i == 1)], i == 0, i == 1)
            for i, line in enumerate(TRICKY)]
    tbl = table_element((20, 30), rows, "表")
    assert isinstance(tbl, CT_Tbl)
    paragraphs = list(tbl.iter(qn("w:p")))
    assert ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in paragraphs] == TRICKY
    for p, line in zip(paragraphs, TRICKY):
        t = p.find(f"{qn('w:r')}/{qn('w:t')}")
        assert (t is None) == (line == "")
        if t is not None:
            assert (t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve") == (line != line.strip())
        assert p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == 'a"&<b'
    assert Table(tbl, None).rows[3].cells[0].text == TRICKY[3]  # python-docx's proxies read it
    assert tbl.tr_lst[1].tc_lst[0].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "2"
    assert tbl.tr_lst[0].tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"
    assert tbl.tr_lst[1].tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) is None
    assert tbl.tr_lst[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    assert tbl.tr_lst[1].find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
