"""The parsed YAML of a form file, kept as JSON in the user's own cache directory.

Loading the largest form with libyaml takes about 20 ms plus PyYAML's import, a JSON copy under 1 ms. The
copy holds data only (JSON, never pickle: reading it cannot run code), sits in a directory only its owner
may write, is named by the SHA-256 of the YAML bytes and carries that digest inside, so an edited form is
never read from a stale copy. What it holds goes through the same validation as the YAML itself: a broken or
planted copy can at worst be ignored, never trusted blindly. Any problem (no home, read-only disk, another
owner) simply means no cache.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "piadoc-form-json-1"
"""Bump when the encoding below changes."""
_PAIRS = "\x00pairs"
"""A mapping whose keys are not all strings (YAML `{1: [基礎]}`), stored as a list of pairs."""


def cache_dir() -> Path | None:
    """The per-user cache directory (XDG on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows)."""
    if os.environ.get("PIADOC_NO_CACHE"):
        return None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "piadoc" / "Cache" / "forms" if base else None
    try:
        home = Path.home()
    except RuntimeError:  # no home directory (some service accounts): no cache
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "piadoc" / "forms"
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else home / ".cache") / "piadoc" / "forms"


def _digest(data: bytes) -> str:
    return hashlib.sha256(FORMAT.encode() + b"\0" + data).hexdigest()


def _path(data: bytes) -> Path | None:
    folder = cache_dir()
    return folder / f"{_digest(data)}.json" if folder is not None else None


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {_PAIRS: [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not kept in the cache: {type(value).__name__}")


def _decode(obj: dict) -> Any:
    pairs = obj.get(_PAIRS)
    if pairs is not None and len(obj) == 1:
        return {k: v for k, v in pairs}
    return obj


def _trusted(fd: int) -> bool:
    """Ours and writable by nobody else (POSIX): a file another user could have written is not read."""
    if not hasattr(os, "getuid"):
        return True
    st = os.fstat(fd)
    return stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(data: bytes) -> Any | None:
    """The parsed YAML of ``data`` from the cache, or None."""
    path = _path(data)
    if path is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            if not _trusted(fh.fileno()):
                return None
            stored = json.loads(fh.read().decode("utf-8"), object_hook=_decode)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("digest") != _digest(data):
        return None
    return stored.get("form")


def write(data: bytes, raw: Any) -> None:
    """Keep the parsed YAML of ``data`` (atomically; silently nothing when it cannot be kept)."""
    path = _path(data)
    if path is None:
        return
    try:
        text = json.dumps({"digest": _digest(data), "form": _encode(raw)}, ensure_ascii=False)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, TypeError, ValueError):
        pass
