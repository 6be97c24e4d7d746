"""`piadoc lsp`: a language server for .pia files (pygls over stdio).

Diagnostics come from the same pipeline as `piadoc check`; completion, hover and the outline read the buffer
with a tolerant line scanner (outline.py), because the text does not parse while it is being typed.
"""
from __future__ import annotations


def serve() -> None:
    """Serve over stdin/stdout until the client exits. Nothing else may print to stdout."""
    from .server import build_server

    build_server().start_io()
