"""One check of a document, as `piadoc check` does it, with the editor's unsaved buffers read first."""
from __future__ import annotations

from pathlib import Path

from ..files import DiskFiles, OverlayFiles
from ..pipeline import Loaded, load_and_check


def analyse(path: Path, buffers: dict[Path, bytes]) -> Loaded:
    """Check ``path``; ``buffers`` (open documents by path) replace the files on disk."""
    return load_and_check(path, OverlayFiles(DiskFiles(), buffers))
