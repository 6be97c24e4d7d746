"""Plain text (extracted from a PDF) → a stream: every line a Line; best effort, see mapper."""
from __future__ import annotations

from pathlib import Path

from .stream import ImportFailed, Item, Line


def read_text(path: Path) -> list[Item]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFailed("E116", kind="テキスト（UTF-8）", reason=str(err)) from None
    except OSError as err:
        raise ImportFailed("E115", reason=err.strerror or str(err)) from None
    return [Line(line.strip(), f"{n}行目") for n, line in enumerate(text.splitlines(), 1) if line.strip()]
