"""The language server under test, over stdio as an editor starts it (pytest-lsp), for every test here."""
from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "piadoc", "lsp"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    """A client that answers as VS Code does (UTF-16 positions)."""
    await lsp_client.initialize_session(T.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()
