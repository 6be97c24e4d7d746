"""Writing what piadoc makes (a .docx, a spec with new change rows) without ever losing a user's file.

The rules: never write over an input of the build (the spec, its includes, its attachments, a template) or
over anything that is not a regular file; write through a symlink to its target; keep the mode of the file
replaced; leave a read-only file alone unless told, and a file that is the user's source (an imported draft)
whenever it exists unless told; write to a temp file beside the target and rename, so a
failure or a kill leaves the old file whole; remove temp files of earlier runs that died.
"""
from __future__ import annotations

import errno
import os
import stat
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

#: Temp files and locks of a run older than this are taken to be left by a killed run.
STALE_SECONDS = 3600
#: How long a run waits for another run that holds the lock on the same file.
LOCK_WAIT_SECONDS = 60.0


class OutputRefused(Exception):
    """The output path may not be written: ``code`` names the diagnostic (E80x), ``reason`` completes it."""

    def __init__(self, code: str, path: str, reason: str = "") -> None:
        super().__init__(f"{code}: {path} {reason}".strip())
        self.code, self.path, self.reason = code, path, reason


def refusal(err: OSError, path: str) -> OutputRefused:
    """An OS error met while writing ``path``, as the diagnostic that says what to do. Windows reports a file
    open in Word or Excel as PermissionError from the rename; a read-only folder is the same error."""
    if isinstance(err, IsADirectoryError):
        return OutputRefused("E802", path)
    if isinstance(err, PermissionError) or err.errno == errno.EROFS:
        return OutputRefused("E809", path)
    if isinstance(err, (NotADirectoryError, FileExistsError)) or err.errno == errno.ENOTDIR:
        return OutputRefused("E810", path)
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return OutputRefused("E811", path)
    return OutputRefused("E808", path, err.strerror or str(err))


def real_target(path: Path) -> Path:
    """The file a write to ``path`` must change: symlinks followed (even dangling ones), made absolute."""
    return Path(os.path.realpath(path))


def into_folder(given: str) -> Path | None:
    """The folder an -o names, or None for a file: a name ending in / or \\ (made when missing), or an existing
    folder. The output is then named after its input inside it, as `cp FILE DIR/` does."""
    if given.endswith(("/", "\\")):
        return Path(given.rstrip("/\\") or given[:1])
    return Path(given) if Path(given).is_dir() else None


def spec_output(given: str, stem: str) -> Path:
    """Where `new` and `import` write a spec for ``-o given``: inside a folder (:func:`into_folder`, as build
    and import do) as ``stem``.pia, else the file named, which must end in .pia: the output is text, and a
    `-o draft.docx` would give a .docx name to what Word cannot open (E818)."""
    folder = into_folder(given)
    if folder is not None:
        return folder / f"{stem}.pia"
    if Path(given).suffix.lower() != ".pia":
        raise OutputRefused("E818", given, "書き出すのは仕様ファイル（テキスト）です。-o の名前は .pia で終えてください。"
                                           "フォルダの中に作るなら最後に / を付けます")
    return Path(given)


def check_target(path: Path, inputs: Iterable[Path] = (), force: bool = False, new_only: bool = False) -> Path:
    """The real file to write for ``path``, or OutputRefused when writing it would lose something.

    ``new_only``: the output is a source the user edits (an imported draft, its figures), so an existing file
    is hand work that a second run must not wipe out: it is replaced only with ``force`` (E813)."""
    target = real_target(path)
    if target in {real_target(p) for p in inputs}:
        raise OutputRefused("E801", str(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except NotADirectoryError:
        raise OutputRefused("E810", str(path)) from None
    except OSError as err:
        raise OutputRefused("E804", str(path), err.strerror or str(err)) from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputRefused("E802", str(path))
    if new_only and not force:
        raise OutputRefused("E813", str(path))
    if not force and not info.st_mode & 0o222:
        raise OutputRefused("E803", str(path))
    return target


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_stale_temps(target: Path) -> None:
    """Temp files this module made for ``target`` in a run that was killed (older than STALE_SECONDS)."""
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    prefix, now = _temp_prefix(target), time.time()
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
            try:
                if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_SECONDS:
                    os.unlink(entry.path)
            except OSError:
                pass


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename over it: a failed or killed run never leaves a half-written file.

    ``path`` may be a symlink: its target is replaced and the link stays. The replaced file's permission bits
    are kept; a new file gets the usual 0666 less the umask."""
    target = real_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target), suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """One writer at a time for ``path`` (`piadoc changes --write` reads, computes and rewrites the spec: two
    runs interleaved would add the same rows twice). A lock file beside the target, created exclusively, works
    on every file system and OS; one left by a killed run is taken over after STALE_SECONDS."""
    target = real_target(path)
    lock = target.parent / f"{_temp_prefix(target)}lock"
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            break
        except FileExistsError:
            try:
                if time.time() - os.stat(lock).st_mtime > STALE_SECONDS:
                    os.unlink(lock)
                    continue
            except FileNotFoundError:
                continue
            if time.monotonic() > deadline:
                raise OutputRefused("E805", str(path)) from None
            time.sleep(0.05)
    try:
        yield
    finally:
        os.close(fd)
        try:
            os.unlink(lock)
        except FileNotFoundError:
            pass
