"""The server's copy of each open document, with lines counted as LSP counts them.

pygls applies an incremental change by the change's line and character, on the document's lines; its
TextDocument splits them with str.splitlines, which also breaks at U+2028, U+2029, U+0085, \\v, \\f and
\\x1c–\\x1e. A buffer holding one of those (text pasted from a PDF or Word) would take every later edit on
the wrong line, and the server would check a text the editor does not have. These documents split at \\r\\n,
\\r and \\n only (positions.py), so the edits land where the editor made them.
"""
from __future__ import annotations

from typing import Sequence

from pygls.workspace import TextDocument, Workspace

from .positions import lines_with_ends


class PiaDocument(TextDocument):
    @property
    def lines(self) -> Sequence[str]:
        return lines_with_ends(self.source)


class PiaWorkspace(Workspace):
    """pygls's workspace, whose documents are PiaDocuments."""

    def _create_text_document(self, doc_uri: str, source: str | None = None, version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        doc = super()._create_text_document(doc_uri, source, version, language_id)
        doc.__class__ = PiaDocument  # the same object pygls made, counting lines as LSP does
        return doc


def count_lines_as_lsp_does(workspace: Workspace) -> None:
    """Make the workspace pygls created at `initialize` (before any document is opened) make PiaDocuments.
    pygls builds the workspace itself and has no hook for the document class, so the object is given the
    subclass: it keeps every attribute pygls set."""
    workspace.__class__ = PiaWorkspace
