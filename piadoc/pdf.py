"""PDF output: a built .docx converted by LibreOffice headless (soffice), the only renderer that prints the
form's tables faithfully without Word.

Each conversion runs in its own LibreOffice profile (a shared profile makes parallel runs collide or hand
the file to a running LibreOffice, silently), with its own fontconfig file passed to that subprocess only
(ＭＳ 明朝 / ＭＳ ゴシック printed with IPAex, the user's font set-up left alone), under a time-out that kills
the whole process group (soffice is a wrapper that starts soffice.bin). Exit status 0 proves nothing: the
PDF must exist and start with %PDF-.
"""
from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from .output import OutputRefused
from .resources import templates_dir

#: Seconds one conversion may take (a 40-page 全項目評価書 takes 3–5 s; a first start with a fresh profile more).
TIMEOUT_SECONDS = 180.0
#: Filter options as JSON need LibreOffice 7.4 or later; older versions ignore them silently.
MIN_VERSION = (7, 4)
#: An explicit soffice, for installs in unusual places.
ENV_SOFFICE = "PIADOC_SOFFICE"
USUAL_PLACES = (
    Path("C:/Program Files/LibreOffice/program/soffice.exe"),
    Path("C:/Program Files (x86)/LibreOffice/program/soffice.exe"),
    Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),
)
INSTALL_HINT = ("LibreOffice をインストールしてください（Windows・macOS: https://ja.libreoffice.org/download/ 、"
                "Debian・Ubuntu: sudo apt install libreoffice-writer fonts-ipaexfont）。"
                f"別の場所にある場合は環境変数 {ENV_SOFFICE} に soffice のパスを設定してください")


@dataclass(frozen=True)
class PdfOptions:
    pdfa: bool = False
    """PDF/A-2b, for archiving."""
    timeout: float = TIMEOUT_SECONDS


def find_soffice() -> Path | None:
    """soffice: $PIADOC_SOFFICE, then PATH, then the usual install places on Windows and macOS."""
    named = os.environ.get(ENV_SOFFICE)
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    return next((p for p in USUAL_PLACES if p.is_file()), None)


@functools.cache
def soffice_version(exe: Path) -> tuple[int, ...]:
    """(7, 4, 7, 2) from `soffice --version`; () when it does not say."""
    try:
        out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?", out)
    return tuple(int(g) for g in m.groups() if g is not None) if m else ()


def require_soffice(out: str) -> Path:
    """The soffice to run, or E815 naming how to install LibreOffice; E817 when it is too old."""
    exe = find_soffice()
    if exe is None:
        raise OutputRefused("E815", out, INSTALL_HINT)
    version = soffice_version(exe)
    if version and version[:2] < MIN_VERSION:
        shown = ".".join(map(str, version))
        raise OutputRefused("E817", out, f"LibreOffice {shown} は古すぎます。7.4 以降にしてください")
    return exe


def filter_argument(options: PdfOptions) -> str:
    """`pdf:writer_pdf_Export:{json}`: bookmarks from the headings' outline levels; PDF/A-2b on request."""
    props: dict[str, dict[str, str]] = {
        "ExportBookmarks": {"type": "boolean", "value": "true"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
    }
    if options.pdfa:
        props["SelectPdfVersion"] = {"type": "long", "value": "2"}
    return "pdf:writer_pdf_Export:" + json.dumps(props, separators=(",", ":"))


def fonts_conf(folder: Path) -> Path:
    """A fonts.conf for the subprocess only: the piadoc aliases (templates/fontconfig), then the user's or the
    system's configuration, and a cache in ``folder``."""
    aliases = templates_dir() / "fontconfig" / "30-piadoc-ms-fonts.conf"
    base = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    cache = folder / "fontcache"
    text = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="yes">{_xml(str(aliases))}</include>\n'
            f'  <include ignore_missing="yes">{_xml(base)}</include>\n'
            f'  <cachedir>{_xml(str(cache))}</cachedir>\n</fontconfig>\n')
    path = folder / "fonts.conf"
    path.write_text(text, encoding="utf-8")
    return path


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def child_env(folder: Path) -> dict[str, str]:
    """The environment of one conversion: FONTCONFIG_FILE set for it alone."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(fonts_conf(folder))
    env.pop("FONTCONFIG_PATH", None)
    return env


def convert(docx: bytes, out: str, options: PdfOptions = PdfOptions(), profile: Path | None = None) -> bytes:
    """The PDF of ``docx`` (``out`` names the output in messages). ``profile``: a LibreOffice profile folder
    this process alone uses (reused across calls, since the first start is slow); a fresh one when None."""
    exe = require_soffice(out)
    with tempfile.TemporaryDirectory(prefix="piadoc-pdf-") as tmp:
        work = Path(tmp)
        src = work / "report.docx"
        src.write_bytes(docx)
        user = profile if profile is not None else work / "profile"
        argv = [str(exe), "--headless", "--norestore", "--nologo", "--nolockcheck",
                f"-env:UserInstallation={profile_uri(user.resolve())}",
                "--convert-to", filter_argument(options), "--outdir", str(work / "out"), str(src)]
        stderr = _run(argv, child_env(work), options.timeout, out)
        pdf = work / "out" / "report.pdf"
        data = pdf.read_bytes() if pdf.is_file() else b""
        if not data.startswith(b"%PDF-"):
            reason = stderr.strip().splitlines()[-1] if stderr.strip() else "PDF ができませんでした"
            raise OutputRefused("E817", out, reason[:300])
        return data


def profile_uri(folder: PurePath) -> str:
    """The profile folder as LibreOffice wants it: a file URI (file:///C:/… on Windows), never a bare path."""
    return folder.as_uri()


def _run(argv: list[str], env: dict[str, str], timeout: float, out: str) -> str:
    """Run soffice in its own process group; on time-out kill the group (soffice.bin too), then E816."""
    windows = sys.platform == "win32"
    kw: dict = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if windows else {"start_new_session": True}
    try:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, **kw)
    except OSError as err:
        raise OutputRefused("E817", out, err.strerror or str(err)) from None
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise OutputRefused("E816", out, f"{timeout:g}") from None
    return stderr.decode("utf-8", "replace")


def _kill_group(proc: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/T", "/F", "/PID", str(proc.pid)], capture_output=True)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def page_count(pdf: bytes) -> int | None:
    """Pages of a LibreOffice PDF (its page objects are not compressed); None when they cannot be counted."""
    n = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    return n or None
