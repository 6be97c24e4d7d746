"""Issue 11, items 6–8: blank on purpose, dashes as written, caret lines, W701 summaries, --fix."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from piadoc import cli
from piadoc.diagnostics import Diagnostic, Fix, Span, render_all, render_text, width
from piadoc.fixes import apply
from piadoc.model import Blank, NotApplicable, TextAnswer
from piadoc.pipeline import load_and_check
from piadoc.printed import value_lines
from piadoc.source import SourceFile

GOLDEN = Path(__file__).resolve().parent / "golden"


def _item(form, label: str):
    return next(it for it in form.walk() if label in (it.label, it.title))


def _spec(tmp_path: Path, body: str, name: str = "s.pia") -> Path:
    path = tmp_path / name
    path.write_text("評価書: 重点項目評価書\n" + body, encoding="utf-8")
    return path


def test_empty_quotes_are_blank_on_purpose_and_print_nothing(monkeypatch) -> None:
    monkeypatch.chdir(GOLDEN)
    loaded = load_and_check(Path("W701-blank-on-purpose.pia"))
    form, report = loaded.form, loaded.result.report
    assert report is not None
    note, people = _item(form, "特記事項"), _item(form, "③対象人数")
    assert isinstance(report.get(note.id), Blank) and isinstance(report.get(people.id), Blank)
    assert value_lines(note, report.get(note.id)) == [""]
    assert value_lines(people, report.get(people.id))[0] == "[ 　 ]"
    blanks = [line for d in loaded.result.diagnostics if d.code == "W701" for line in d.details]
    assert blanks and not any("特記事項" in b or "対象人数" in b for b in blanks)


def test_quoted_dash_is_a_hyphen_bare_dash_is_not_applicable(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "特記事項: \"-\"\n評価実施機関名: -\n評価書名: ー\n")
    loaded = load_and_check(spec)
    report, form = loaded.result.report, loaded.form
    assert report is not None
    assert report.get(_item(form, "特記事項").id) == TextAnswer("-")
    assert report.get(_item(form, "評価実施機関名").id) == NotApplicable()
    assert value_lines(_item(form, "評価書名"), report.get(_item(form, "評価書名").id)) == ["―"]


def test_blank_checkbox_group_is_not_unanswered(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "Ⅰ 基本情報\n  ５．情報提供ネットワークシステムによる情報連携\n    ①実施の有無: \"\"\n")
    loaded = load_and_check(spec)
    assert loaded.result.report is not None
    details = [line for d in loaded.result.diagnostics if d.code == "W701" for line in d.details]
    assert not any("実施の有無" in line for line in details)


def test_caret_line_is_ascii_and_lines_up_by_cells() -> None:
    """Under mixed-width text the carets start at the cell the span starts at and cover its cells."""
    text = "    ③対象人数: 1,000人未満 ⺠"
    source = SourceFile("x.pia", text)
    diag = Diagnostic.make("W707", Span("x.pia", 1, 13, 1, 20))
    caret = render_text(diag, {"x.pia": source}).split("\n")[2].split("| ", 1)[1]
    assert caret.isascii()
    cells_before = sum(width(ch) for ch in text[:12])
    assert caret.index("^") == cells_before
    assert len(caret) - cells_before == sum(width(ch) for ch in text[12:19])
    assert width("漢") == 2 and width("a") == 1 and width("\u0301") == 0
    assert unicodedata.east_asian_width("③") == "A" and width("③") == 1


def test_w701_is_one_line_per_section_and_verbose_lists_every_item(monkeypatch) -> None:
    monkeypatch.chdir(GOLDEN)
    loaded = load_and_check(Path("W701-unanswered.pia"))
    w701 = [d for d in loaded.result.diagnostics if d.code == "W701"]
    assert len(w701) == 7
    short = render_all(w701, loaded.sources)
    full = render_all(w701, loaded.sources, verbose=True)
    assert "未記入: ①連絡先" not in short and "未記入: ①連絡先" in full
    assert sum(len(d.details) for d in w701) == 25


def test_skeleton_gives_a_few_w701_lines(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "全項目評価書"]) == 0
    (tmp_path / "new.pia").write_text(capsys.readouterr().out, encoding="utf-8")
    cli.main(["check", "new.pia"])
    lines = [line for line in capsys.readouterr().out.splitlines() if "[W701]" in line]  # check's diagnostics: stdout
    assert 0 < len(lines) <= 12


def test_fix_replaces_radicals_and_keeps_every_other_byte(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    raw = "評価書: 重点項目評価書\r\n# ⽗\r\n特記事項: 市⺠の⻑、⺅\r\n"
    (tmp_path / "s.pia").write_bytes(raw.encode("utf-8"))
    cli.main(["check", "--fix", "s.pia"])
    out, err = capsys.readouterr()  # the fixes are reported on stderr, check's diagnostics on stdout
    assert (tmp_path / "s.pia").read_bytes().decode("utf-8") == raw.replace("⽗", "父").replace("⺠", "民").replace("⻑", "長")
    assert "s.pia:3:8: 「⺠」→「民」" in err and "3 か所を直しました" in err
    assert "W725" not in out and "W726" in out  # fixed ones are gone; the component radical has no fix


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    """`check --diff`: what --fix would change, shown before anything is written (and nothing written)."""
    monkeypatch.chdir(tmp_path)
    raw = "評価書: 重点項目評価書\n特記事項: 市⺠の⻑\n"
    (tmp_path / "s.pia").write_bytes(raw.encode("utf-8"))
    cli.main(["check", "--diff", "s.pia"])
    out, err = capsys.readouterr()
    assert (tmp_path / "s.pia").read_bytes().decode("utf-8") == raw
    assert "s.pia:2:8: 「⺠」→「民」" in err and "2 か所を直せます" in err and "直しました" not in err
    assert "W725" in out  # not fixed: still reported


def test_fix_refuses_a_file_changed_since_the_check() -> None:
    source = SourceFile("s.pia", "a⺠\n")
    assert apply("a⺠\n", source, [Fix(Span("s.pia", 1, 2, 1, 3), "民")]) == "a民\n"
    assert apply("b⺠\n", source, [Fix(Span("s.pia", 1, 2, 1, 3), "民")]) is None


@pytest.mark.parametrize("text", ["特記事項: \"\"\n", "特記事項: \"\" # 意図して空欄\n"])
def test_empty_quotes_parse(tmp_path: Path, text: str) -> None:
    loaded = load_and_check(_spec(tmp_path, text))
    assert not loaded.result.has_errors


def test_blank_is_allowed_where_the_condition_rules_the_item_out(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "Ⅱ 特定個人情報ファイルの概要\n  ４．特定個人情報ファイルの取扱いの委託\n"
                           "    委託の有無: [委託する]\n    委託事項1: 運用保守\n"
                           "      ④再委託の有無: [再委託しない]\n      ⑤再委託の許諾方法: \"\"\n")
    assert [d.code for d in load_and_check(spec).result.diagnostics if d.is_error] == []


def test_blank_count_is_not_computed_from_the_rows(tmp_path: Path) -> None:
    spec = _spec(tmp_path, "Ⅱ 特定個人情報ファイルの概要\n  ４．特定個人情報ファイルの取扱いの委託\n"
                           "    委託の有無: [委託する]\n    件数: \"\"\n    委託事項1: 運用保守\n")
    loaded = load_and_check(spec)
    count = next(it for it in loaded.form.walk() if it.kind == "count" and it.counts)
    assert loaded.result.report is not None
    assert isinstance(loaded.result.report.get(count.id, (1,)), Blank)


def test_fix_turns_line_separators_into_a_newline_a_space_or_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    """W727's fix: a newline inside a block (with the line's indent and the file's own line ending), a space
    between half-width words, nothing between Japanese characters; the spec then checks without W727."""
    monkeypatch.chdir(tmp_path)
    raw = ("評価書: 重点項目評価書\r\n特記事項: 住民の\u2028生活。Windows\u0085Server\u2029\r\n"
           "Ⅰ 基本情報\r\n  ②事務の内容: \"\"\"\r\n    一行目\u2028二行目\r\n    \"\"\"\r\n")
    (tmp_path / "s.pia").write_bytes(raw.encode("utf-8"))
    cli.main(["check", "--fix", "s.pia"])
    out, err = capsys.readouterr()
    assert (tmp_path / "s.pia").read_bytes().decode("utf-8") == (
        "評価書: 重点項目評価書\r\n特記事項: 住民の生活。Windows Server\r\n"
        "Ⅰ 基本情報\r\n  ②事務の内容: \"\"\"\r\n    一行目\r\n    二行目\r\n    \"\"\"\r\n")
    assert "4 か所を直しました" in err and "W727" not in out
    assert "s.pia:5:8: 「U+2028」→「␊    」" in err  # the separator named, the newline and indent shown
    cli.main(["check", "s.pia"])
    assert "W727" not in capsys.readouterr().out


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_an_undecodable_byte_is_on_the_line_an_editor_shows(tmp_path: Path, ending: str, bom: str) -> None:
    """E101's line and column count lines as the editor (and LSP) does, whatever the line endings: a lone \\r
    (old Mac files) ends a line too, and a BOM is no column."""
    raw = (bom + ending.join(["評価書: 重点項目評価書", "特記事項: a", "Ⅰ 基本情報", "  "])).encode("utf-8") + b"\xff" + ending.encode()
    (tmp_path / "s.pia").write_bytes(raw)
    diag = load_and_check(tmp_path / "s.pia").result.diagnostics[0]
    assert (diag.code, diag.span.line, diag.span.column) == ("E101", 4, 3)
