"""Where spec files are read from: the working tree, or a git revision (`piadoc diff --since REV`).

Every stage that opens a file (the spec, its includes, the figures it brings) goes through one of these,
so an old version is read exactly as it was committed, includes included. This is the lowest stage: it
knows paths and bytes, not text (source.py decodes).
"""
from __future__ import annotations

import errno
import os
import stat
import weakref
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # pragma: no cover
    import subprocess


class Files(Protocol):
    def read_bytes(self, path: Path) -> bytes: ...
    def is_file(self, path: Path) -> bool: ...
    def shown(self, path: Path) -> str: ...


def display_path(path: Path) -> str:
    """Relative to the working directory when below it, so messages stay short."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def os_reason(err: OSError) -> str:
    """Why a file could not be read, in Japanese with what to do (the OS's own text is English)."""
    if isinstance(err, FileNotFoundError):
        return "ファイルがありません。名前と場所を確かめてください"
    if isinstance(err, IsADirectoryError):
        return "フォルダです。仕様ファイル（.pia）を指定してください"
    if isinstance(err, NotADirectoryError):
        return "途中のフォルダがフォルダではありません"
    if isinstance(err, PermissionError):
        return "読む権限がないか、ほかのプログラムが使用中です。Word などで開いている場合は閉じてください"
    return err.strerror or str(err)


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


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """End a `git cat-file --batch`: closing its input makes it exit; one that hangs is killed."""
    import subprocess

    for stream in (process.stdin, process.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class GitFiles:
    """Files as they were at a git revision. Paths are working-tree paths; they are looked up at ``rev``.

    One `git rev-parse` finds the repository and the commit; every file is then asked of one long-lived
    `git cat-file --batch` (started on the first read), instead of a process per file. Use it in a
    ``with`` block, or call :meth:`close`; a finalizer ends the process if neither happens.
    """

    def __init__(self, rev: str, near: Path) -> None:
        folder = near.resolve() if near.is_dir() else near.resolve().parent
        root, commit = git(["rev-parse", "--show-toplevel", "--verify", "--quiet", f"{rev}^{{commit}}"],
                           folder).decode().split("\n")[:2]
        self.root = Path(root).resolve()
        self.rev = commit.strip()
        self.label = rev
        self._process: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None
        self._objects: dict[str, tuple[str, bytes] | None] = {}
        """(type, content) of each object asked for, None when absent: is_file then read_bytes ask once."""

    def __enter__(self) -> "GitFiles":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._finalizer is not None:
            self._finalizer()  # runs _stop once; later calls do nothing
        self._process = None

    def _batch(self) -> "subprocess.Popen[bytes]":
        if self._process is None:
            import subprocess

            try:
                self._process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except OSError as err:
                raise GitError(str(err)) from None
            self._finalizer = weakref.finalize(self, _stop, self._process)
        return self._process

    def _object(self, path: Path) -> tuple[str, bytes] | None:
        """(type, content) of ``path`` at the revision; None when it is not there (or not in the repository)."""
        try:
            rel = path.resolve().relative_to(self.root).as_posix()  # git wants / on every system
        except ValueError:
            return None
        if "\n" in rel:  # one request per line: such a name cannot be asked (nor committed by most tools)
            return None
        if rel not in self._objects:
            self._objects[rel] = self._ask(f"{self.rev}:{rel}")
        return self._objects[rel]

    def _ask(self, name: str) -> tuple[str, bytes] | None:
        process = self._batch()
        stdin: IO[bytes] = process.stdin  # type: ignore[assignment]
        stdout: IO[bytes] = process.stdout  # type: ignore[assignment]
        try:
            stdin.write(name.encode("utf-8") + b"\n")
            stdin.flush()
            line = stdout.readline()
            if line.endswith((b" missing\n", b" ambiguous\n")):  # <name> missing: the name may hold spaces
                return None
            header = line.split()
            if len(header) == 3:  # <oid> <type> <size>, then the content and a newline
                size = int(header[2])
                content = stdout.read(size + 1)[:size]
                if len(content) == size:
                    return header[1].decode("ascii"), content
        except (OSError, ValueError):
            pass
        self.close()
        raise OSError(f"git cat-file が答えません（{self.label}）")

    def read_bytes(self, path: Path) -> bytes:
        found = self._object(path)
        if found is None or found[0] != "blob":
            raise FileNotFoundError(f"{self.label} にありません")
        return found[1]

    def is_file(self, path: Path) -> bool:
        try:
            found = self._object(path)
        except OSError:
            return False
        return found is not None and found[0] == "blob"

    def shown(self, path: Path) -> str:
        return f"{self.label}:{display_path(path)}"


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
