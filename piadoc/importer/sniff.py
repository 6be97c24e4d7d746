"""Which reader a file goes to, from its bytes, and the refusal when none fits: a user names an old .doc, an
Excel book, a scan or a text file renamed .docx, and must hear what it is and what to do, in Japanese.

The bytes decide, never the name alone (a .docx renamed .pdf still reads), but a name that promises .docx or PDF
and holds something else is refused rather than read as text: that gave an empty draft with no word of why.
File signatures come from encodings.py, which tells a spec from the same wrong files.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from ..encodings import not_a_spec
from ..files import DiskFiles, os_reason
from .stream import ImportFailed

WORD = "Word 文書（.docx）"
PDF = "PDF"
TEXT = "テキスト（UTF-8、UTF-16、Shift_JIS）"
REPORT = "評価書（.docx、PDF、テキスト）"
#: What a name promises: a file named so is read only when its bytes are that.
_PROMISED = {".docx": WORD, ".pdf": PDF}
#: What to do instead, after saying what the file is.
_USE_INSTEAD = "評価書の Word 文書（.docx）か PDF を指定してください"
#: A reader's reason with no Japanese in it (a library's English) is replaced by this, by the kind read.
_PLAIN_REASON = {
    WORD: "本文の XML が壊れています。Word で開いて .docx として保存し直してください",
    PDF: "開けません（パスワードが掛かっている PDF は、外してから指定してください）",
    TEXT: "UTF-8・UTF-16・Shift_JIS のどれでも読めない文字があります",
}

Kind = Literal["docx", "pdf", "text"]


def kind_of(path: Path) -> Kind:
    """The reader for ``path``; ImportFailed (E115, E116) for a file that is missing or not a report."""
    try:
        data = DiskFiles().read_bytes(path)  # a regular file of a sane size only: never a FIFO, a folder
    except OSError as err:
        raise ImportFailed("E115", reason=os_reason(err)) from None
    if not data:
        raise ImportFailed("E115", reason="ファイルが空です")
    suffix = path.suffix.lower()
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):  # a zip, an empty one, a split one
        _check_word(path)
        return "docx"
    if b"%PDF-" in data[:1024]:  # PDF readers allow bytes before the header, and so does PDFium
        return "pdf"
    foreign = not_a_spec(data, path.name)
    if foreign is not None:
        raise ImportFailed("E116", **_not_a_report(foreign.kind, suffix))
    if suffix in _PROMISED:
        raise ImportFailed("E116", kind=_PROMISED[suffix],
                           reason=f"名前は {suffix} ですが、中身はテキストです。元の {suffix} ファイルを指定してください")
    return "text"


def _check_word(path: Path) -> None:
    """A zip that is a Word document: a cut-off download or an Excel book is said to be so."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except OSError as err:
        raise ImportFailed("E115", reason=os_reason(err)) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportFailed("E116", kind=WORD, reason="zip として壊れています（保存やダウンロードが途中で切れたか、"
                                                     "ほかの形式のファイルです）") from None
    if "word/document.xml" not in names:
        raise ImportFailed("E116", kind=WORD, reason="Word の本文（word/document.xml）がありません。Excel・"
                                                     f"PowerPoint のファイルや zip ファイルは取り込めません。{_USE_INSTEAD}")


def _not_a_report(kind: str, suffix: str) -> dict[str, str]:
    """E116's fields for a file of ``kind`` (encodings.py's words) named with ``suffix``."""
    if kind.startswith("古い Office"):  # OLE: Word 97–2003, Excel, PowerPoint, or a .docx with a password
        if suffix == ".docx":
            return {"kind": WORD, "reason": "パスワードで保護された Word 文書か、名前を変えた古い Word 文書（.doc）"
                                            "です。Word で開き、パスワードを外して .docx として保存し直してください"}
        if suffix in (".xls", ".ppt"):
            return {"kind": REPORT, "reason": f"古い Office 文書（{suffix}）です。{_USE_INSTEAD}"}
        return {"kind": WORD, "reason": "古い Word 文書（.doc）は読めません。Word で開き、.docx として保存し直してください"}
    return {"kind": _PROMISED.get(suffix, REPORT), "reason": f"{kind}です。{_USE_INSTEAD}"}


def in_japanese(err: ImportFailed, kind: Kind) -> ImportFailed:
    """``err`` with a reason in Japanese: a library's own English (BadZipFile, PDFium, a codec) says nothing to
    the user; what is wrong and what to do does."""
    reason = err.fields.get("reason")
    if err.code != "E116" or reason is None or any(ord(ch) >= 0x3000 for ch in reason):
        return err
    shown = {"docx": WORD, "pdf": PDF, "text": TEXT}[kind]
    return ImportFailed(err.code, **{**err.fields, "reason": _PLAIN_REASON[shown]})
