"""Where the grammar and the form templates live, installed or in a checkout. The one module that knows."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    """``piadoc/<name>`` in an installed wheel (force-included), else ``<checkout>/<name>``."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"piadoc: {name}/ is missing from the installation")


def grammar_path() -> Path:
    return _find("grammar") / "pia.lark"


def templates_dir() -> Path:
    return _find("templates")
