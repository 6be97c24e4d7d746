"""Where spec files are read from: the working tree, or a git revision (`piadoc diff --since REV`).

Every stage that opens a file (the spec, its includes, the figures it brings) goes through one of these,
so an old version is read exactly as it was committed, includes included.
"""
from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path
from typing import Protocol


class Files(Protocol):
    def read_bytes(self, path: Path) -> bytes: ...
    def is_file(self, path: Path) -> bool: ...
    def shown(self, path: Path) -> str: ...


#: The largest spec, include or attachment read: far above any real report (the largest spec is ~200 KB).
MAX_FILE_BYTES = 50_000_000


class DiskFiles:
    """The working tree."""

    def read_bytes(self, path: Path) -> bytes:
        """The file's bytes; only a regular file of a sane size is read (a FIFO would block forever,
        /dev/zero fill memory)."""
        info = os.stat(path)  # before opening: opening a FIFO blocks until someone writes to it
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "通常のファイルではありません（フォルダ、デバイスや FIFO）")
        if info.st_size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, f"大きすぎます（{MAX_FILE_BYTES // 1_000_000} MB まで）")
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES + 1)

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def shown(self, path: Path) -> str:
        from .source import display_path

        return display_path(path)


class GitError(Exception):
    """git could not answer (not a repository, unknown revision)."""


def git(args: list[str], cwd: Path) -> bytes:
    import subprocess  # only diff/changes --since need git: keep it out of every start-up

    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GitError(str(err)) from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or "その版が見つかりません")
    return done.stdout


@lru_cache(maxsize=16)
def repo_root(folder: Path) -> Path:
    return Path(git(["rev-parse", "--show-toplevel"], folder).decode().strip()).resolve()


class GitFiles:
    """Files as they were at a git revision. Paths are working-tree paths; they are looked up at ``rev``."""

    def __init__(self, rev: str, near: Path) -> None:
        self.root = repo_root(near.resolve() if near.is_dir() else near.resolve().parent)
        self.rev = git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], self.root).decode().strip()
        self.label = rev

    def _rel(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def read_bytes(self, path: Path) -> bytes:
        try:
            return git(["show", f"{self.rev}:{self._rel(path)}"], self.root)
        except (GitError, ValueError) as err:
            raise FileNotFoundError(f"{self.label} にありません") from err

    def is_file(self, path: Path) -> bool:
        try:
            kind = git(["cat-file", "-t", f"{self.rev}:{self._rel(path)}"], self.root)
        except (GitError, ValueError):
            return False
        return kind.strip() == b"blob"

    def shown(self, path: Path) -> str:
        return f"{self.label}:{DiskFiles().shown(path)}"


class OverlayFiles:
    """Another Files with some files replaced by bytes not yet written: a result is checked before it
    replaces the user's file (`piadoc changes --write`)."""

    def __init__(self, base: Files, replaced: dict[Path, bytes]) -> None:
        self.base = base
        self.replaced = {p.resolve(): data for p, data in replaced.items()}

    def read_bytes(self, path: Path) -> bytes:
        found = self.replaced.get(path.resolve())
        return found if found is not None else self.base.read_bytes(path)

    def is_file(self, path: Path) -> bool:
        return path.resolve() in self.replaced or self.base.is_file(path)

    def shown(self, path: Path) -> str:
        return self.base.shown(path)
