"""The command's streams: UTF-8 to files and pipes whatever the console's code page, a character the console
cannot show replaced (never an internal error), colour on a terminal, and text outputs written with the
rules of piadoc.output (-o FILE, or - for stdout).

Windows sets a redirected stdout to the ANSI code page (CP932 in Japan, CP1252 on CI runners), and
PowerShell 5.1's `>` re-encodes what it receives: a .pia written through a pipe must be UTF-8 bytes."""
from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path
from typing import IO, Iterable

from .output import OutputRefused, check_target, refusal, write_atomically


def setup_streams() -> None:
    """stdout and stderr: UTF-8 when redirected; on a terminal the console's encoding with replacement."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, io.TextIOWrapper):
            continue  # pytest's capture, an embedding program: theirs to decide
        try:
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding="utf-8", errors="replace")  # a file name undecodable on POSIX
        except (ValueError, OSError):  # a closed or detached stream
            continue


def read_stdin() -> bytes:
    """A spec given as `-`: the bytes, decoded like a file (BOM, Shift_JIS and UTF-16 recognised)."""
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")


# Colour ------------------------------------------------------------------------------------------------

RED, YELLOW, BOLD, RESET = "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
_HEAD = re.compile(r"^(\S.*?: )(エラー|警告)\[([EW]\d{3})\]", re.M)


def use_colour(choice: str, stream: IO[str]) -> bool:
    """--color always|never|auto: auto means a terminal, NO_COLOR unset (https://no-color.org) and TERM not dumb."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (ValueError, OSError):
        return False


def colour(text: str) -> str:
    """Rendered diagnostics with the severity red (error) or yellow (warning) and the code bold."""
    def paint(m: re.Match[str]) -> str:
        hue = RED if m.group(2) == "エラー" else YELLOW
        return f"{m.group(1)}{hue}{m.group(2)}{RESET}[{BOLD}{m.group(3)}{RESET}]"

    return _HEAD.sub(paint, text)


# Text outputs ----------------------------------------------------------------------------------------------

def is_stdout(dest: str | None) -> bool:
    return dest is None or dest == "-"


def write_text(dest: str | None, text: str, inputs: Iterable[Path] = (), force: bool = False,
               new_only: bool = False) -> None:
    """``text`` to stdout (None or -) or to the file ``dest`` as UTF-8, replaced atomically: never over an
    input, a folder or a read-only file (nor an existing file when ``new_only``: a spec the user edits); an OS
    error raises OutputRefused with its code (E80x)."""
    if is_stdout(dest):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    assert dest is not None
    write_bytes(dest, text.encode("utf-8"), inputs, force, new_only)


def write_bytes(dest: str, data: bytes, inputs: Iterable[Path] = (), force: bool = False,
                new_only: bool = False) -> None:
    """``data`` to the file ``dest``, replaced atomically, with the same refusals as write_text."""
    path = Path(dest)
    check_target(path, inputs, force=force, new_only=new_only)
    try:
        write_atomically(path, data)
    except OSError as err:
        raise refusal(err, dest) from None
