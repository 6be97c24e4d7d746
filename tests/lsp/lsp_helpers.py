"""What the language-server tests do alike: open a spec in the server as an editor opens a file."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types as T
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient


async def open_doc(client: LanguageClient, path: Path, text: str) -> str:
    """Write ``text`` to ``path`` (includes are resolved beside it) and open it in the server; its URI."""
    path.write_text(text, encoding="utf-8")
    uri = from_fs_path(str(path))
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri, "pia", 1, text)))
    return uri
