"""The pygls server: documents in, diagnostics and answers out.

A change is checked after a short pause (a burst of keystrokes is checked once) in a worker thread, with the
open buffers read before the files on disk, so an unsaved include is checked as it is in the editor; the
diagnostics are turned into the client's positions there too, and the event loop only sends them.
Diagnostics carry the document version they were computed for.
"""
from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace.position_codec import PositionCodec

from .. import __version__
from ..diagnostics import Diagnostic, Span
from ..fmt import FormatBug, as_written, format_text
from ..pipeline import Loaded
from . import actions, features, hover as hovering
from .analysis import analyse
from .documents import count_lines_as_lsp_does
from .positions import lines_of, span_range

#: Seconds to wait after a change before checking: typing a word triggers one check, not one per key.
DEBOUNCE = 0.15

log = logging.getLogger("piadoc.lsp")


class PiaServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("piadoc", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.pending: dict[str, asyncio.Task] = {}
        self.worker = ThreadPoolExecutor(max_workers=1)
        """Checks run one at a time, off the event loop: the parser is one shared object, not thread-safe."""
        self.published: dict[str, set[str]] = {}
        """For each checked document, the URIs it published diagnostics to (its includes too)."""
        self.sources: dict[str, list[tuple[str, str]]] = {}
        """For each checked document, the files its last check read: (absolute path, text)."""

    def buffer(self, uri: str) -> features.Buffer:
        doc = self.workspace.get_text_document(uri)
        path = to_fs_path(uri)
        return features.Buffer(uri, doc.source, doc.position_codec, Path(path) if path else None)

    def open_buffers(self) -> dict[Path, bytes]:
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path:
                out[Path(path)] = doc.source.encode("utf-8")
        return out


#: How the checker's notes point at the CLI's fix (`--fix で削除できます`, `piadoc check --fix か piadoc fmt で…`,
#: not `--fix では直せません`), and what the editor says instead where the diagnostic has a quick fix: one rule
#: over the checker's own notes, so each message is written once.
CLI_FIX_HINT = re.compile(r"^(?:piadoc check )?--fix(?: か piadoc fmt)? で(?!は)")
EDITOR_FIX_HINT = "クイックフィックスで"


def editor_notes(notes: tuple[str, ...], quick_fix: bool) -> list[str]:
    """``notes`` as the editor shows them: a CLI hint worded for the editor when a quick fix exists."""
    if not quick_fix:
        return list(notes)
    return [CLI_FIX_HINT.sub(EDITOR_FIX_HINT, note, count=1) for note in notes]


def to_lsp(diag: Diagnostic, lines: list[str], codec: PositionCodec) -> T.Diagnostic:
    """``lines``: the lines of the file the diagnostic is in. The edits the diagnostic offers (`check --fix`)
    travel in ``data``, for its quick fix (actions.py)."""
    fixes = [(span_range(codec, lines, f.span), _text_at(lines, f.span), f.replacement) for f in diag.fixes
             if f.span.path == diag.span.path and f.span.line == f.span.end_line and 1 <= f.span.line <= len(lines)]
    quick_fix = bool(fixes) or (bool(diag.fixes) and diag.code in actions.TEXT_CODES)
    message = "\n".join([diag.message, *editor_notes(diag.notes, quick_fix)])
    severity = T.DiagnosticSeverity.Error if diag.is_error else T.DiagnosticSeverity.Warning
    return T.Diagnostic(span_range(codec, lines, diag.span), message, severity=severity, code=diag.code,
                        source="piadoc", data=actions.carried(fixes) if fixes else None)


def _text_at(lines: list[str], span: Span) -> str:
    return lines[span.line - 1][span.column - 1:span.end_column - 1]


def lsp_diagnostics(loaded: Loaded, uri: str, text: str, codec: PositionCodec) -> dict[str, list[T.Diagnostic]]:
    """A check's diagnostics as LSP has them, by the URI of the file each is in (``uri``, the checked document,
    always there). ``text``: the document's text, for a diagnostic of no file read. Each file is split into
    lines once: a large spec has dozens of diagnostics, and splitting its 150 KB for each took 30 ms."""
    own = to_fs_path(uri)
    by_uri: dict[str, list[T.Diagnostic]] = {uri: []}
    lines: dict[str | None, list[str]] = {}
    for diag in loaded.result.diagnostics:
        source = loaded.sources.get(diag.span.path)
        real = source.real if source is not None and source.real else own
        target = from_fs_path(real) if real else uri
        if target is None:
            continue
        key = diag.span.path if source is not None else None
        found = lines.get(key)
        if found is None:
            found = lines[key] = lines_of(source.text if source is not None else text)
        by_uri.setdefault(target, []).append(to_lsp(diag, found, codec))
    return by_uri


def publish(ls: PiaServer, uri: str, version: int | None, loaded: Loaded,
            by_uri: dict[str, list[T.Diagnostic]]) -> None:
    """Publish each file's diagnostics to its own URI; clear those a previous check published and this one
    did not."""
    for stale in ls.published.get(uri, set()) - set(by_uri):
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(stale, []))
    ls.published[uri] = set(by_uri)
    ls.sources[uri] = [(s.real, s.text) for s in loaded.sources.values() if s.real]
    for target, diags in by_uri.items():
        ls.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(target, diags, version=version if target == uri else None))


def check_and_convert(path: Path, buffers: dict[Path, bytes], uri: str, text: str,
                      codec: PositionCodec) -> tuple[Loaded, dict[str, list[T.Diagnostic]]]:
    """What the worker thread does for a change: the check, and its diagnostics in the client's positions."""
    loaded = analyse(path, buffers)
    return loaded, lsp_diagnostics(loaded, uri, text, codec)


async def check_later(ls: PiaServer, uri: str, delay: float) -> None:
    await asyncio.sleep(delay)
    doc = ls.workspace.get_text_document(uri)
    path = to_fs_path(uri)
    if not path:
        return
    version = doc.version
    try:
        loaded, by_uri = await asyncio.get_running_loop().run_in_executor(
            ls.worker, check_and_convert, Path(path), ls.open_buffers(), uri, doc.source, doc.position_codec)
    except Exception:  # noqa: BLE001 - a piadoc bug must not take the editor's server down: log it (stderr)
        log.exception("check failed: %s", uri)
        return
    if ls.workspace.get_text_document(uri).version != version:
        return  # a newer change is on its way
    publish(ls, uri, version, loaded, by_uri)


def schedule(ls: PiaServer, uri: str, delay: float = DEBOUNCE) -> None:
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.pending[uri] = asyncio.ensure_future(check_later(ls, uri, delay))


def build_server() -> PiaServer:
    server = PiaServer()

    @server.feature(T.INITIALIZE)
    def initialize(ls: PiaServer, params: T.InitializeParams) -> None:
        count_lines_as_lsp_does(ls.workspace)

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: PiaServer, params: T.DidOpenTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: PiaServer, params: T.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: PiaServer, params: T.DidSaveTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: PiaServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        for target in ls.published.pop(uri, {uri}):
            ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(target, []))

    @server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=["[", " ", '"', "{"]))
    def completion(ls: PiaServer, params: T.CompletionParams) -> T.CompletionList:
        uri = params.text_document.uri
        items = features.complete(ls.buffer(uri), params.position, ls.sources.get(uri, []))
        return T.CompletionList(is_incomplete=False, items=items)

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: PiaServer, params: T.HoverParams) -> T.Hover | None:
        return hovering.hover(ls.buffer(params.text_document.uri), params.position)

    @server.feature(T.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: PiaServer, params: T.DefinitionParams) -> T.Location | None:
        uri = params.text_document.uri
        return features.definition(ls.buffer(uri), params.position, ls.sources.get(uri, []))

    @server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbol(ls: PiaServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol]:
        return features.symbols(ls.buffer(params.text_document.uri))

    @server.feature(T.TEXT_DOCUMENT_FOLDING_RANGE)
    def folding_range(ls: PiaServer, params: T.FoldingRangeParams) -> list[T.FoldingRange]:
        return features.folding(ls.buffer(params.text_document.uri))

    @server.feature(T.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: PiaServer, params: T.DocumentFormattingParams) -> list[T.TextEdit] | None:
        buf = ls.buffer(params.text_document.uri)
        try:
            new = as_written(format_text(buf.text, params.text_document.uri), buf.text)  # CRLF stays CRLF
        except (FormatBug, Exception) as err:  # noqa: BLE001 - a file that does not parse is not formatted
            log.info("not formatted: %s", err)
            return None
        if new == buf.text:
            return []
        end = T.Position(len(buf.lines) - 1, buf.codec.client_num_units(buf.lines[-1]))
        return [T.TextEdit(T.Range(T.Position(0, 0), end), new)]

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                    T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, T.CodeActionKind.SourceFixAll]))
    def code_action(ls: PiaServer, params: T.CodeActionParams) -> list[T.CodeAction]:
        return actions.code_actions(ls.buffer(params.text_document.uri), params)

    return server
