"""A document that prints the blank form's full set of slot headings (システム6～10 above no instance) imports
with `@空き枠 印刷する`, so that building the draft prints them again; one that leaves them out imports without."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from piadoc.cli import main

SPEC = Path(__file__).resolve().parents[1] / "render" / "small-juten.pia"


@pytest.mark.parametrize("all_slots", [True, False], ids=["full-set", "instances-only"])
def test_empty_slot_headings_come_back_as_the_setting(tmp_path: Path, capsys, all_slots: bool) -> None:
    flag = ["--all-slots"] if all_slots else []
    assert main(["build", str(SPEC), "-o", str(tmp_path / "a.docx"), "-q", *flag]) == 0
    assert main(["import", str(tmp_path / "a.docx"), "-o", str(tmp_path / "a.pia")]) == 0
    lines = (tmp_path / "a.pia").read_text(encoding="utf-8").splitlines()
    assert (lines[2] == "@空き枠 印刷する") is all_slots and lines[1] == "評価書: 重点項目評価書"
    assert main(["build", str(tmp_path / "a.pia"), "-o", str(tmp_path / "b.docx"), "-q"]) == 0
    texts = [zipfile.ZipFile(tmp_path / f"{n}.docx").read("word/document.xml").decode() for n in "ab"]
    assert ("システム6～10" in texts[1]) is all_slots and texts[0].count("～") == texts[1].count("～")
