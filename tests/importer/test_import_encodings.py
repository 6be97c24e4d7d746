"""Extracted text saved on Windows (メモ帳's ANSI = CP932, PowerShell's UTF-16) imports as its UTF-8 version
does; bytes that are none of them are refused with E116, never a traceback."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc.cli import main

TEXT = ("特定個人情報保護評価書（重点項目評価書）\n評価書番号\t24\nⅡ　特定個人情報ファイルの概要\n"
        "２．基本情報\n①ファイルの種類\t[ システム用ファイル ]\n⑤保有開始日\t令和3年6月8日\n")


def _draft(tmp_path: Path, name: str, data: bytes, capsys) -> str:
    src = tmp_path / name
    src.write_bytes(data)
    assert main(["import", str(src)]) == 0, capsys.readouterr().err
    return capsys.readouterr().out.split("\n", 1)[1]  # past the first comment line, which names the file


@pytest.mark.parametrize("encoding", ["cp932", "utf-16", "utf-8-sig"])
def test_windows_encodings_give_the_same_draft(tmp_path: Path, capsys, encoding: str) -> None:
    expected = _draft(tmp_path, "x.txt", TEXT.encode("utf-8"), capsys)
    assert "①ファイルの種類: [システム用ファイル]" in expected and "⑤保有開始日: 令和3年6月8日" in expected
    assert _draft(tmp_path, "x.txt", TEXT.encode(encoding), capsys) == expected


def test_undecodable_text_is_refused(tmp_path: Path, capsys) -> None:
    src = tmp_path / "x.txt"
    src.write_bytes(TEXT.encode("utf-8")[:40] + b"\x80\xfd\xfe\xff")
    assert main(["import", str(src)]) == 1
    err = capsys.readouterr().err
    assert "E116" in err and "Shift_JIS" in err and "Traceback" not in err
