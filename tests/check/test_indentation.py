"""Indentation by tabs or full-width spaces (E205, E208): every line named in one run, and `check --fix` converts
it when the structure does not depend on the tab width (piadoc/syntax/indentation.py)."""
from __future__ import annotations

from pathlib import Path

from piadoc import cli
from piadoc.pipeline import load_and_check

GOLDEN = Path(__file__).resolve().parent / "golden"


def test_fix_converts_tab_indentation_keeping_structure_crlf_and_bom(tmp_path: Path, monkeypatch, capsys) -> None:
    """Notepad: Tab on every indented line, CRLF, a BOM. --fix makes each tab of an indentation two spaces (a
    block's lines too, as far as they share the item's indentation: a tab after it is the text's), the spec then
    is what the same spec written with spaces is, `fmt --check` passes, and every other byte stays."""
    monkeypatch.chdir(tmp_path)
    text = (GOLDEN / "E205-tab-indent-every-line.pia").read_text(encoding="utf-8")
    (tmp_path / "s.pia").write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    cli.main(["check", "--fix", "s.pia"])
    out, err = capsys.readouterr()
    assert "s.pia:4:1: 「[タブ]」→「  」" in err and "か所を直しました" in err
    assert "E205" not in out
    fixed = (tmp_path / "s.pia").read_bytes().decode("utf-8")
    assert fixed.startswith("\ufeff") and fixed.count("\r\n") == text.count("\n")
    assert "\n" not in fixed.replace("\r\n", "")
    assert "\r\n      そのまま\t残る\r\n" in fixed and "    ②対象となる本人の範囲: x\r\n" in fixed
    spaced = "\n".join("  " * (len(line) - len(line.lstrip("\t"))) + line.lstrip("\t") for line in text.split("\n"))
    body = fixed.removeprefix("\ufeff").replace("\r\n", "\n")
    assert body == spaced
    assert cli.main(["fmt", "--check", "s.pia"]) == 0


def test_fix_converts_the_fullwidth_indentation_a_block_shares_with_its_item(tmp_path: Path, monkeypatch,
                                                                             capsys) -> None:
    """A spec indented with full-width spaces throughout: the block's lines lose the full-width indentation they
    share with the structure (else it printed), keep the full-width spaces that are their own (a paragraph's),
    and `check --fix` then `fmt --check` passes."""
    monkeypatch.chdir(tmp_path)
    w = "\u3000"
    (tmp_path / "s.pia").write_text(
        f"評価書: 重点項目評価書\nⅠ 基本情報\n{w}１．特定個人情報ファイルを取り扱う事務\n{w}{w}①事務の名称: x\n"
        f'{w}{w}②事務の内容: """\n{w*3}1 接種履歴の管理\n{w*4}接種の記録\n{w*3}\n{w*3}{w}段落\n{w}{w}"""\n',
        encoding="utf-8")
    cli.main(["check", "--fix", "s.pia"])
    capsys.readouterr()
    assert (tmp_path / "s.pia").read_text(encoding="utf-8").endswith(
        f'    ②事務の内容: """\n      1 接種履歴の管理\n      {w}接種の記録\n\n      {w}段落\n    """\n')
    block = load_and_check(Path("s.pia")).spec.statements[1].children[0].children[1].value
    assert block.text == f"1 接種履歴の管理\n{w}接種の記録\n\n{w}段落"
    assert cli.main(["fmt", "--check", "s.pia"]) == 0


def test_a_block_indented_apart_from_its_item_keeps_its_fullwidth_spaces(tmp_path: Path) -> None:
    """Full-width spaces a block does not share with its item's indentation are the text's: not converted."""
    spec = tmp_path / "s.pia"
    w = "\u3000"
    spec.write_text(f'評価書: 重点項目評価書\nⅠ 基本情報\n{w}１．特定個人情報ファイルを取り扱う事務\n'
                    f'{w}{w}②事務の内容: """\n {w}本事務は\n{w}{w}"""\n', encoding="utf-8")
    diag = load_and_check(spec).result.diagnostics[0]
    assert diag.code == "E208" and [f.span.line for f in diag.fixes] == [3, 4, 6]


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


def test_fix_makes_no_break_spaces_where_a_space_goes_spaces(tmp_path: Path, monkeypatch, capsys) -> None:
    """A no-break space pasted from Word after `項目:` or as indentation: E201 names it, and `check --fix` makes
    every one the parser stops at a space (not one inside a value, which W728 handles), then the spec parses."""
    monkeypatch.chdir(tmp_path)
    nb = "\u00a0"
    (tmp_path / "s.pia").write_text(f"評価書: 重点項目評価書\n評価書番号:{nb}24\n表紙\n{nb} {nb}評価書名:{nb}{nb}a{nb}b\n",
                                    encoding="utf-8")
    diag = load_and_check(Path("s.pia")).result.diagnostics[0]
    assert diag.code == "E201" and "ノーブレークスペース（U+00A0）" in diag.message
    assert [(f.span.line, f.span.column) for f in diag.fixes] == [(2, 7), (4, 1), (4, 3), (4, 9), (4, 10)]
    cli.main(["check", "--fix", "s.pia"])
    capsys.readouterr()
    assert (tmp_path / "s.pia").read_text(encoding="utf-8").endswith(f"評価書番号: 24\n表紙\n   評価書名:  a{nb}b\n")


def test_fmt_makes_no_break_spaces_where_a_space_goes_spaces(tmp_path: Path) -> None:
    from piadoc.fmt import format_text
    assert format_text("a:\u00a0b\n\u00a0\tc: d\n") == "a: b\n  c: d\n"


def test_fix_makes_a_fullwidth_space_after_a_directive_a_space(tmp_path: Path, monkeypatch, capsys) -> None:
    """`@空き枠　印刷する` typed with an IME: E201 says to write `@空き枠 印刷する`, and --fix does."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.pia").write_text("評価書: 重点項目評価書\n@空き枠\u3000印刷する\n", encoding="utf-8")
    diag = load_and_check(Path("s.pia")).result.diagnostics[0]
    assert diag.code == "E201" and "@空き枠 印刷する" in diag.notes[0]
    cli.main(["check", "--fix", "s.pia"])
    capsys.readouterr()
    assert (tmp_path / "s.pia").read_text(encoding="utf-8") == "評価書: 重点項目評価書\n@空き枠 印刷する\n"


def test_a_no_break_space_after_set_is_named_not_e206(tmp_path: Path) -> None:
    spec = tmp_path / "s.pia"
    spec.write_text("評価書: 重点項目評価書\n@set\u00a0x = 1\n", encoding="utf-8")
    diag = load_and_check(spec).result.diagnostics[0]
    assert diag.code == "E201" and "U+00A0" in diag.message and [f.span.column for f in diag.fixes] == [5]
