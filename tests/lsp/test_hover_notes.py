"""Hover shows our note on what an item asks for (templates/notes.yaml), end to end over stdio."""
from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as T
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient

from piadoc.schema import load_form
from piadoc.schema.notes import note_of

SPEC = """評価書: 重点項目評価書
Ⅱ 特定個人情報ファイルの概要
  ４．特定個人情報ファイルの取扱いの委託
    委託の有無: [委託する]
    委託事項1: 住民記録システムの運用保守
      ②委託先における取扱者数: [10人未満]
"""


@pytest.mark.asyncio
async def test_hover_on_an_item_shows_its_note_after_the_path_and_options(client: LanguageClient,
                                                                            tmp_path: Path) -> None:
    path = tmp_path / "spec.pia"
    path.write_text(SPEC, encoding="utf-8")
    uri = from_fs_path(str(path))
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, "pia", 1, SPEC)))
    form = load_form("重点項目評価書")
    staff = form.item("II.4.item.2")
    note = note_of(form, staff)
    assert note and "委託先" in note  # the 取扱者数 note, not another item's

    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(5, 10)))
    assert hover is not None
    text = hover.contents.value
    assert note in text
    assert text.index("10人未満") < text.index(note)  # after the path, ※ and the options

    heading = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(4, 6)))
    assert heading is not None and note_of(form, form.item("II.4.item")) in heading.contents.value
