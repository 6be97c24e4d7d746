"""The text of an extracted report, in the encodings a Windows office saves text in.

A spec in another encoding than UTF-8 is refused (encodings.py): a wrong guess would change what it says. An
import is different: its input is someone else's document, its output a UTF-8 draft the user reviews line by
line. So the text is read as UTF-8, else UTF-16 with its byte-order mark (PowerShell 5.1's `>`), else
Shift_JIS as Windows writes it (CP932: メモ帳's ANSI, サクラエディタ's default), each strictly; a file that is
none of them is refused.
"""
from __future__ import annotations

import codecs


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in; UnicodeDecodeError (of the UTF-8 attempt) when none fits."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first = err
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise first from None
