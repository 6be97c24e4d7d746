"""`piadoc lsp` end to end: the real server over stdio, driven by pytest-lsp as an editor would."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from lsp_helpers import open_doc

SPEC = """評価書: 重点項目評価書
@set 市 = 高槻市
Ⅰ 基本情報
  １．特定個人情報ファイルを取り扱う事務
    ①事務の名前: {{ 市 }}の事務
    ③対象人数: [とても多い]
# 𠮷野家の𠮷: 二つの UTF-16 単位
𠮷𠮷: 値
"""


async def diagnostics_for(client: LanguageClient, uri: str) -> list[T.Diagnostic]:
    while True:
        await client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics:
            return client.diagnostics[uri]


def by_code(diags: list[T.Diagnostic]) -> dict[str, T.Diagnostic]:
    """The first diagnostic of each code."""
    out: dict[str, T.Diagnostic] = {}
    for d in sorted(diags, key=lambda d: (d.range.start.line, d.range.start.character)):
        out.setdefault(str(d.code), d)
    return out


@pytest.mark.asyncio
async def test_diagnostics_ranges_and_changes(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SPEC)
    diags = by_code(await diagnostics_for(client, uri))
    e303 = diags["E303"]
    assert e303.range == T.Range(T.Position(4, 4), T.Position(4, 10))  # ①事務の名前
    assert "①事務の名称" in e303.message  # the notes come with the message
    assert diags["E401"].range.start == T.Position(5, 11)
    # a line of characters outside the BMP: 𠮷𠮷 is 4 UTF-16 units long
    outside = [d for d in client.diagnostics[uri] if d.range.start.line == 7]
    assert outside and outside[0].range == T.Range(T.Position(7, 0), T.Position(7, 4))

    client.diagnostics.pop(uri)
    fixed = SPEC.replace("①事務の名前", "①事務の名称")
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        T.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [T.TextDocumentContentChangeWholeDocument(fixed)]))
    after = await diagnostics_for(client, uri)
    assert "E303" not in by_code(after) or by_code(after)["E303"].range.start.line != 4
    assert "E401" in by_code(after)


@pytest.mark.asyncio
async def test_completion_nested_and_inside_brackets(client: LanguageClient, tmp_path: Path) -> None:
    text = SPEC.replace("    ③対象人数: [とても多い]\n", "    ③対象人数: [\n    \n")
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    result = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(6, 4)))
    labels = [i.label for i in result.items]
    assert "②事務の内容" in labels and "①事務の名称" in labels
    assert "③対象人数" not in labels  # already written
    assert labels.index("①事務の名称") < labels.index("②事務の内容")  # the form's order
    result = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(5, 12)))
    options = [i.label for i in result.items]
    assert options[0] == "1,000人未満" and "10万人以上30万人未満" in options
    assert result.items[0].text_edit.range.start == T.Position(5, 12)


@pytest.mark.asyncio
async def test_hover_shows_path_important_and_options(client: LanguageClient, tmp_path: Path) -> None:
    text = SPEC.replace("①事務の名前", "②事務の内容").replace(
        "# 𠮷", "  ５．情報提供ネットワークシステムによる情報連携\n    ①実施の有無: [実施する]\n# 𠮷")
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(4, 6)))
    assert hover is not None and "Ⅰ　基本情報 ＞ １．特定個人情報ファイルを取り扱う事務 ＞ ②事務の内容" in hover.contents.value
    assert "重要な変更" not in hover.contents.value
    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(5, 5)))
    assert hover is not None and "10万人以上30万人未満" in hover.contents.value
    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(7, 5)))
    assert hover is not None and "重要な変更" in hover.contents.value and "「事前」" in hover.contents.value


@pytest.mark.asyncio
async def test_formatting_returns_the_canonical_text(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", "評価書 :  重点項目評価書\nⅠ 基本情報\n    １．a:  x\n")
    edits = await client.text_document_formatting_async(T.DocumentFormattingParams(
        T.TextDocumentIdentifier(uri), T.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == "評価書: 重点項目評価書\nⅠ 基本情報\n  １．a: x\n"
    assert edits[0].range.start == T.Position(0, 0)


@pytest.mark.asyncio
async def test_formatting_keeps_crlf(client: LanguageClient, tmp_path: Path) -> None:
    """A CRLF buffer already in the canonical layout needs no edit; one that is not gets CRLF text back."""
    uri = await open_doc(client, tmp_path / "spec.pia", "評価書: 重点項目評価書\r\nⅠ 基本情報\r\n  １．a: x\r\n")
    options = T.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(T.DocumentFormattingParams(T.TextDocumentIdentifier(uri), options))
    assert edits is not None and len(edits) == 0
    uri = await open_doc(client, tmp_path / "messy.pia", "評価書 : 重点項目評価書\r\nⅠ 基本情報\r\n    １．a: x\r\n")
    edits = await client.text_document_formatting_async(T.DocumentFormattingParams(T.TextDocumentIdentifier(uri), options))
    assert edits is not None and edits[0].new_text == "評価書: 重点項目評価書\r\nⅠ 基本情報\r\n  １．a: x\r\n"


@pytest.mark.asyncio
async def test_definition_across_include_and_of_a_variable(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "part.pia").write_text("@set 市 = 高槻市\n", encoding="utf-8")
    text = '評価書: 重点項目評価書\n@include "part.pia"\n評価書名: {{ 市 }}の評価書\n'
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    await diagnostics_for(client, uri)  # the check has read the include
    loc = await client.text_document_definition_async(T.DefinitionParams(
        T.TextDocumentIdentifier(uri), T.Position(1, 12)))
    assert loc is not None and loc.uri.endswith("/part.pia")
    loc = await client.text_document_definition_async(T.DefinitionParams(
        T.TextDocumentIdentifier(uri), T.Position(2, 9)))
    assert loc is not None and loc.uri.endswith("/part.pia") and loc.range.start.line == 0


@pytest.mark.asyncio
async def test_document_symbols_and_quick_fix(client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SPEC)
    diags = await diagnostics_for(client, uri)
    symbols = await client.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(uri)))
    assert [s.name for s in symbols] == ["Ⅰ 基本情報"]
    assert symbols[0].children[0].name == "１．特定個人情報ファイルを取り扱う事務"
    e303 = by_code(diags)["E303"]
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), e303.range, T.CodeActionContext([e303])))
    new_texts = [a.edit.changes[uri][0].new_text for a in actions]
    assert "①事務の名称" in new_texts


@pytest.mark.asyncio
async def test_completion_of_variables_include_paths_and_folding(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "part.pia").write_text("@set 担当 = 健康課\n", encoding="utf-8")
    text = '評価書: 重点項目評価書\n@include "\n@set 市 = 高槻市\nⅠ 基本情報\n  １．特定個人情報ファイルを取り扱う事務\n    ①事務の名称: {{ \n'
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    result = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(1, 10)))
    assert [i.label for i in result.items] == ["part.pia"]
    result = await client.text_document_completion_async(T.CompletionParams(
        T.TextDocumentIdentifier(uri), T.Position(5, 15)))
    assert "市" in [i.label for i in result.items]
    folds = await client.text_document_folding_range_async(T.FoldingRangeParams(T.TextDocumentIdentifier(uri)))
    assert [(f.start_line, f.end_line) for f in folds] == [(3, 5), (4, 5)]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "piadoc", "lsp"]))
async def client32(lsp_client: LanguageClient):
    """A client that counts in code points (UTF-32) first, as Emacs 29's eglot may."""
    caps = client_capabilities("neovim")
    caps.general = T.GeneralClientCapabilities(position_encodings=[T.PositionEncodingKind.Utf32,
                                                                   T.PositionEncodingKind.Utf16])
    result = await lsp_client.initialize_session(T.InitializeParams(capabilities=caps))
    assert result.capabilities.position_encoding == T.PositionEncodingKind.Utf32
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_positions_in_the_clients_encoding(client32: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client32, tmp_path / "spec.pia", SPEC)
    await diagnostics_for(client32, uri)
    outside = [d for d in client32.diagnostics[uri] if d.range.start.line == 7]
    assert outside and outside[0].range == T.Range(T.Position(7, 0), T.Position(7, 2))


#: Text pasted from Word or a PDF: a line separator, 𠮷 (two UTF-16 units), a paragraph separator, NEL. Python's
#: str.splitlines breaks line 1 in four; the editor (and LSP) sees one line.
SEPARATED = "評価書: 重点項目評価書\n特記事項: 住民の\u2028𠮷の\u2029生活\u0085です\n作成日: 令和7年\n"


@pytest.mark.asyncio
async def test_line_separators_keep_positions_and_incremental_edits_on_the_editors_lines(
        client: LanguageClient, tmp_path: Path) -> None:
    uri = await open_doc(client, tmp_path / "spec.pia", SEPARATED)
    diags = await diagnostics_for(client, uri)
    w727 = sorted((d.range.start.line, d.range.start.character) for d in diags if d.code == "W727")
    assert w727 == [(1, 9), (1, 13), (1, 16)]  # after 𠮷, one more unit
    assert by_code(diags)["E303"].range == T.Range(T.Position(2, 0), T.Position(2, 3))

    client.diagnostics.pop(uri)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        T.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [T.TextDocumentContentChangePartial(T.Range(T.Position(2, 0), T.Position(2, 0)), "ああ")]))
    after = await diagnostics_for(client, uri)
    assert by_code(after)["E303"].range == T.Range(T.Position(2, 0), T.Position(2, 5))  # ああ作成日
    assert sorted((d.range.start.line, d.range.start.character) for d in after if d.code == "W727") == w727


@pytest.mark.asyncio
async def test_quick_fix_and_fix_all_for_radicals_and_separators(client: LanguageClient, tmp_path: Path) -> None:
    text = "評価書: 重点項目評価書\r特記事項: 𠮷市⺠の⻑\u2028期\n"  # a lone \r ends a line too (old Mac files)
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    diags = await diagnostics_for(client, uri)
    w725 = by_code(diags)["W725"]
    assert w725.range == T.Range(T.Position(1, 9), T.Position(1, 10))
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), w725.range, T.CodeActionContext([w725])))
    assert [(a.title, a.edit.changes[uri]) for a in actions if a.kind == T.CodeActionKind.QuickFix] == [
        ("「⺠」を「民」に直す", (T.TextEdit(w725.range, "民"),))]
    whole = T.Range(T.Position(0, 0), T.Position(2, 0))
    fix_all = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), whole, T.CodeActionContext([], only=[T.CodeActionKind.SourceFixAll])))
    assert len(fix_all) == 1 and fix_all[0].kind == "source.fixAll.piadoc"
    edits = fix_all[0].edit.changes[uri]
    assert [(e.range.start.character, e.new_text) for e in edits] == [(9, "民"), (11, "長"), (12, "")]


@pytest.mark.asyncio
async def test_quick_fix_for_invisible_characters(client: LanguageClient, tmp_path: Path) -> None:
    """W728 gets the quick fix --fix makes (a zero-width space removed, a no-break space made a space)."""
    uri = await open_doc(client, tmp_path / "spec.pia", "評価書: 重点項目評価書\n特記事項: 住民\u200b基本\u00a0台帳\n")
    diags = [d for d in await diagnostics_for(client, uri) if d.code == "W728"]
    assert [d.range.start.character for d in diags] == [8, 11]
    found = []
    for diag in diags:
        actions = await client.text_document_code_action_async(T.CodeActionParams(
            T.TextDocumentIdentifier(uri), diag.range, T.CodeActionContext([diag])))
        found += [(a.title, a.edit.changes[uri][0].new_text) for a in actions if a.kind == T.CodeActionKind.QuickFix]
    assert found == [("「U+200B」を消す", ""), ("「U+00A0」を空白にする", " ")]


@pytest.mark.asyncio
async def test_quick_fix_for_tab_indentation(client: LanguageClient, tmp_path: Path) -> None:
    """E205 carries the conversion of every tab-indented line (check --fix's): one quick fix for all of them."""
    uri = await open_doc(client, tmp_path / "spec.pia", "評価書: 重点項目評価書\nⅠ 基本情報\n\t１．a\n\t\t①b: c\n")
    e205 = by_code(await diagnostics_for(client, uri))["E205"]
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), e205.range, T.CodeActionContext([e205])))
    assert [(a.title, [(e.range.start.line, e.range.end.character, e.new_text) for e in a.edit.changes[uri]])
            for a in actions] == [("2 か所を直す", [(2, 1, "  "), (3, 2, "    ")])]


@pytest.mark.asyncio
async def test_quick_fix_of_a_change_row_path_carried_by_the_diagnostic(client: LanguageClient, tmp_path: Path) -> None:
    """W730–W733 offer the form's path (check --fix); the edit comes back in the diagnostic's data, and is not
    offered once the text at its range has changed."""
    text = ("評価書: 重点項目評価書\n（別添２）変更箇所\n  変更\n    変更日: 令和3年4月1日\n"
            "    項目: Ⅱファイルの概要 ３．特定個人情報の入手・使用 ③使用目的\n    変更前の記載: a\n    変更後の記載: b\n"
            "    提出時期: [事後]\n    提出時期に係る説明: 重要な変更にあたらない\n")
    uri = await open_doc(client, tmp_path / "spec.pia", text)
    w730 = by_code(await diagnostics_for(client, uri))["W730"]
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), w730.range, T.CodeActionContext([w730])))
    edits = [e for a in actions for e in a.edit.changes[uri]]
    assert [(e.range, e.new_text) for e in edits] == [
        (w730.range, "Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ③使用目的")]
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        T.VersionedTextDocumentIdentifier(version=2, uri=uri),
        [T.TextDocumentContentChangePartial(T.Range(w730.range.start, w730.range.start), "x")]))
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        T.TextDocumentIdentifier(uri), w730.range, T.CodeActionContext([w730])))
    assert not actions
