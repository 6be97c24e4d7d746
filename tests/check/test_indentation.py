"""Indentation by tabs or full-width spaces (E205, E208): every line named in one run, and `check --fix` converts
it when the structure does not depend on the tab width (piadoc/syntax/indentation.py)."""
from __future__ import annotations

from pathlib import Path

from piadoc import cli
from piadoc.pipeline import load_and_check
from piadoc.source import SourceFile
from piadoc.syntax import parse
from piadoc.fmt import _meaning

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_fix_converts_tab_indentation_keeping_structure_crlf_and_bom(tmp_path: Path, monkeypatch, capsys) -> None:
    """Notepad: Tab on every indented line, CRLF, a BOM. --fix makes each tab two spaces (a block's own text
    stays as written), the spec then parses to what the same spec written with spaces parses to, and every
    other byte stays."""
    monkeypatch.chdir(tmp_path)
    text = (GOLDEN / "E205-tab-indent-every-line.pia").read_text(encoding="utf-8")
    (tmp_path / "s.pia").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    cli.main(["check", "--fix", "s.pia"])
    out, err = capsys.readouterr()
    assert "24 か所を直しました" in err and "s.pia:4:1: 「[タブ]」→「  」" in err
    assert "E205" not in out
    fixed = (tmp_path / "s.pia").read_bytes().decode("utf-8")
    assert fixed.startswith("\ufeff") and fixed.count("\r\n") == text.count("\n")
    assert "\n" not in fixed.replace("\r\n", "")
    assert "\t\t\tそのまま\t残る\r\n" in fixed and "    ②対象となる本人の範囲: x\r\n" in fixed
    kept = ("そのまま", '"""', "#")  # a block's text and closing quotes, and comments, stay as written
    spaced = "\n".join(line if line.lstrip("\t").startswith(kept) else line.replace("\t", "  ")
                       for line in text.split("\n"))
    body = fixed.removeprefix("\ufeff").replace("\r\n", "\n")
    assert _meaning(parse(SourceFile("s.pia", body))) == _meaning(parse(SourceFile("s.pia", spaced)))


def test_no_fix_when_the_tab_width_decides_the_structure(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    raw = (GOLDEN / "E205-tab-width-ambiguous.pia").read_bytes()
    (tmp_path / "s.pia").write_bytes(raw)
    cli.main(["check", "--fix", "s.pia"])
    assert (tmp_path / "s.pia").read_bytes() == raw
    assert "E205" in capsys.readouterr().out


def test_fullwidth_indentation_is_two_columns(tmp_path: Path) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text("評価書: 重点項目評価書\nⅠ 基本情報\n\u3000１．特定個人情報ファイルを取り扱う事務\n"
                    "  \u3000①事務の名称: x\n\u3000\u3000②事務の内容: y\n", encoding="utf-8")
    diag = load_and_check(spec).result.diagnostics[0]
    assert diag.code == "E208" and "全角空白で字下げした行（3 行）: 3, 4, 5" in diag.notes
    assert [(f.span.line, f.replacement) for f in diag.fixes] == [(3, "  "), (4, "    "), (5, "    ")]


def test_tabs_inside_a_value_or_a_block_are_not_indentation(tmp_path: Path) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text("評価書: 重点項目評価書\n特記事項: \"\"\"\n\tそのまま\n\u3000全角も\n\"\"\"\nⅠ 基本情報\n"
                    "\t①事務の名称: a\tb\n", encoding="utf-8")
    diag = load_and_check(spec).result.diagnostics[0]
    assert diag.code == "E205" and diag.span.line == 7 and [f.span.line for f in diag.fixes] == [7]


def test_fullwidth_indentation_aligned_with_nothing_is_not_fixed(tmp_path: Path) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text("評価書: 重点項目評価書\nⅠ 基本情報\n   １．特定個人情報ファイルを取り扱う事務\n"
                    "\u3000①事務の名称: x\n", encoding="utf-8")
    diag = load_and_check(spec).result.diagnostics[0]
    assert diag.code == "E208" and not diag.fixes
    assert diag.notes[-1].startswith("4 行目の字下げが前のどの行ともそろっていないため")
