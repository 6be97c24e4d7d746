"""Hover beyond item labels (the `評価書:` line, directives, values), titles as the form prints them, and the
editor's wording of the fix hint: end to end over stdio, as a new user met them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types as T
from pytest_lsp import LanguageClient

from lsp_helpers import open_doc

from piadoc.language import DIRECTIVE_NOTES, FORM_LINE_NOTE, SETTING_VALUE_NOTES, SETTINGS
from piadoc.schema import form_names

SPEC = """評価書: 重点項目評価書
@空き枠 印刷する
@set 市 = 高槻市
Ⅰ 基本情報
  １．特定個人情報ファイルを取り扱う事務
    ①事務の名称: {{ 市 }}の事務
    ②事務の内容: \"\"\"
      住民の記録を管理する
      \"\"\"
  ２．特定個人情報ファイルを取り扱う事務において使用するシステム
    システム1
      ①システムの名称: 住民記録システム
      ③他のシステムとの接続:
        [○] 庁内連携システム
"""

FRAGMENT = """評価書: 全項目評価書
@include "other.pia"
（別添１）事務の内容
  （図）: @file "flow.png"
"""


async def hover_at(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    got = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri),
                                                               T.Position(line, character)))
    return None if got is None else got.contents.value


@pytest.mark.asyncio
async def test_hover_on_the_form_line_names_the_forms_and_what_the_line_decides(client: LanguageClient,
                                                                               tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SPEC)
    for character in (1, 8):  # over 評価書 and over the form's name
        text = await hover_at(client, uri, 0, character)
        assert text is not None and FORM_LINE_NOTE in text
        assert all(name in text for name in form_names())


@pytest.mark.asyncio
async def test_hover_on_directives_explains_them_and_the_settings_values(client: LanguageClient,
                                                                        tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SPEC)
    for character in (2, 6):  # over @空き枠 and over its value
        text = await hover_at(client, uri, 1, character)
        assert text is not None and DIRECTIVE_NOTES["空き枠"] in text
        for value in SETTINGS["空き枠"]:
            assert f"`{value}`" in text and SETTING_VALUE_NOTES["空き枠"][value] in text
        assert "`印刷しない`（既定）" in text
    assert DIRECTIVE_NOTES["set"] in (await hover_at(client, uri, 2, 2) or "")
    frag = await open_doc(client, tmp_path / "frag.pia", FRAGMENT)
    assert DIRECTIVE_NOTES["include"] in (await hover_at(client, frag, 1, 3) or "")
    assert DIRECTIVE_NOTES["file"] in (await hover_at(client, frag, 3, 10) or "")  # over `@file` in a value
    label = await hover_at(client, frag, 3, 3)
    assert label is not None and "（図）" in label and DIRECTIVE_NOTES["file"] not in label
    under = await open_doc(client, tmp_path / "under.pia", "評価書: 重点項目評価書\n@under Ⅰ 基本情報\n")
    assert DIRECTIVE_NOTES["under"] in (await hover_at(client, under, 1, 3) or "")


@pytest.mark.asyncio
async def test_hover_over_a_value_is_the_items_hover(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SPEC)
    name = await hover_at(client, uri, 11, 8)
    assert name is not None and "①システムの名称" in name
    assert await hover_at(client, uri, 11, 20) == name  # over 住民記録システム
    content = await hover_at(client, uri, 6, 6)
    assert content is not None and "②事務の内容" in content
    assert await hover_at(client, uri, 6, 14) == content  # over the opening quotes
    assert await hover_at(client, uri, 7, 10) == content  # a line of the block's text
    connection = await hover_at(client, uri, 12, 8)
    assert connection is not None and "③他のシステムとの接続" in connection
    assert await hover_at(client, uri, 13, 14) == connection  # a [○] line is the value of the item above


@pytest.mark.asyncio
async def test_hover_titles_are_the_forms_printed_text(client: LanguageClient, tmp_path: Path) -> None:
    """全項目's appendix page prints （別添1） (ASCII 1), its table of contents （別添１）: the heading and the
    path of one hover read alike, as the page prints them."""
    uri = await open_doc(client, tmp_path / "frag.pia", FRAGMENT)
    text = await hover_at(client, uri, 3, 3)
    assert text is not None
    assert "**（図）**" in text and "様式の位置: （別添1） 事務の内容 ＞ （図）" in text
    assert "（別添１）" not in text


async def diagnostics_for(client: LanguageClient, uri: str) -> list[T.Diagnostic]:
    while True:
        await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics:
            return client.diagnostics[uri]


@pytest.mark.asyncio
async def test_the_editor_names_its_quick_fix_where_the_cli_names_fix(client: LanguageClient, tmp_path: Path) -> None:
    """W728 (a zero-width space) says 「--fix で削除できます」 on the command line; in the editor, which offers
    the same edit as a quick fix, it says so instead."""
    text = "評価書: 重点項目評価書\n特記事項: 住民\u200b基本台帳\n"
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    w728 = [d for d in await diagnostics_for(client, uri) if d.code == "W728"]
    assert len(w728) == 1
    assert "クイックフィックスで削除できます" in w728[0].message and "--fix" not in w728[0].message
    cli = subprocess.run([sys.executable, "-m", "piadoc", "check", str(tmp_path / "spec.pia")],
                         capture_output=True, text=True, encoding="utf-8")
    assert "--fix で削除できます" in cli.stdout + cli.stderr and "クイックフィックス" not in cli.stdout + cli.stderr


def test_every_setting_and_its_values_are_explained() -> None:
    """A setting added to language.SETTINGS without its texts would hover as nothing, or as a bare value."""
    for word, values in SETTINGS.items():
        assert DIRECTIVE_NOTES.get(word)
        assert set(SETTING_VALUE_NOTES.get(word, {})) == set(values)
