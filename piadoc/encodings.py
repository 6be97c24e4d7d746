"""Why a spec's bytes are not UTF-8 text: Shift_JIS, UTF-16, or not a text file at all.

Users on Windows save specs with メモ帳, サクラエディタ or Excel, and PowerShell 5.1's `>` writes UTF-16. A spec in
another encoding is reported with how to re-save it, never converted: a wrong guess would silently change
what the spec says, and the .pia file in git would stay in an encoding other tools misread.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: How to re-save a file as UTF-8, in the editors a city office has.
RESAVE_NOTES: tuple[str, ...] = (
    "UTF-8 で保存し直してください:",
    "メモ帳: 「ファイル」→「名前を付けて保存」→ 下の「エンコード（文字コード）」を UTF-8 にして保存",
    "サクラエディタ: 「ファイル」→「名前を付けて保存」→「文字コードセット」を UTF-8 にして保存",
    "VS Code: 右下のエンコード表示をクリック →「エンコード付きで保存」→ UTF-8",
)
#: PowerShell 5.1 redirects in UTF-16: the skeleton is best written by piadoc itself.
POWERSHELL_NOTE = "PowerShell の「>」で保存したファイルは UTF-16 になります。piadoc new 様式名 -o ファイル名.pia で作ってください"

#: File signatures of what is often named by mistake: (magic bytes, what it is).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"%PDF", "PDF"),
    (b"\xd0\xcf\x11\xe0", "古い Office 文書（.doc / .xls）"),
    (b"\x89PNG", "画像（PNG）"),
    (b"\xff\xd8\xff", "画像（JPEG）"),
    (b"GIF8", "画像（GIF）"),
    (b"{\\rtf", "リッチテキスト（.rtf）"),
)
_ZIP_KINDS = {".docx": "Word 文書（.docx）", ".xlsx": "Excel ブック（.xlsx）", ".pptx": "PowerPoint（.pptx）"}

#: Kana and kanji (and full-width forms): what Japanese text decoded right is made of.
_JAPANESE = re.compile("[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class Foreign:
    """Bytes that are not a UTF-8 spec: ``code`` is the diagnostic, ``text`` the decoded text when it is text
    in another encoding (to show the line), ``kind`` what the file is when it is not text, ``offset`` where
    the first byte that UTF-8 could not read is."""

    code: str
    kind: str = ""
    text: str | None = None
    offset: int = 0


def not_a_spec(data: bytes, name: str) -> Foreign | None:
    """A binary file (a .docx named as a spec, a PDF, an image): what it is, or None for text."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            if kind == "zip":
                suffix = name[name.rfind("."):].lower() if "." in name else ""
                kind = _ZIP_KINDS.get(suffix, "Word・Excel 文書か zip ファイル")
            return Foreign("E107", kind=kind)
    head = data[:8192]
    if b"\x00" in head and utf16(data) is None and (head.count(0) * 10 > len(head) or not _is_utf8(data)):
        return Foreign("E107", kind="テキストではないファイル")
    return None  # a stray NUL in UTF-8 text is E102 at its line


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def utf16(data: bytes) -> Foreign | None:
    """UTF-16 with a BOM, or without one when the bytes read as UTF-16 text with line breaks."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    elif b"\x00" not in data or len(data) % 2:
        return None
    else:
        enc = "utf-16-le" if data[1::2].count(0) >= data[0::2].count(0) else "utf-16-be"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    if enc != "utf-16" and ("\n" not in text or re.search("[\x00-\x08\x0e-\x1f]", text)):
        return None
    return Foreign("E106", text=text.replace("\r\n", "\n"))


def shift_jis(data: bytes, offset: int) -> Foreign | None:
    """CP932 (Windows' Shift_JIS) when the whole file decodes as it and reads as Japanese."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide or sum(bool(_JAPANESE.match(ch)) for ch in wide) < 0.8 * len(wide):
        return None
    return Foreign("E105", text=text.replace("\r\n", "\n"), offset=offset)
