"""`piadoc fmt`: the canonical layout, idempotence, and no change in meaning (the checked report is the same).

The meaning is judged by the pipeline, not by the formatter's own AST comparison: a formatted spec must give the
same Report and the same diagnostics (code and message) as the original.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from piadoc.files import DiskFiles, OverlayFiles
from piadoc.fmt import _Formatter, format_text, normalise
from piadoc.pipeline import Loaded, load_and_check
from piadoc.schema import load_form
from piadoc.skeleton import skeleton
from piadoc.source import SourceFile
from piadoc.syntax import parse

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").rglob("*.pia"))
TOP_SPECS = sorted((REPO / "specs").glob("*.pia"))


def checked(path: Path, text: str | None = None) -> Loaded:
    files = OverlayFiles(DiskFiles(), {path: text.encode("utf-8")}) if text is not None else None
    return load_and_check(path, files)


def same_meaning(a: Loaded, b: Loaded) -> None:
    assert a.result.report == b.result.report
    assert [(d.code, d.message) for d in a.result.diagnostics] == [(d.code, d.message) for d in b.result.diagnostics]


def comments(text: str) -> list[str]:
    """The comment lines outside blocks, stripped."""
    text = normalise(text)
    f = _Formatter(text, parse(SourceFile("x", text)))
    return [line.strip() for n, line in enumerate(text.split("\n"), 1)
            if n not in f.covered and n not in f.info and line.strip().startswith("#")]


def mess_up(text: str, rng: random.Random) -> str:
    """The same spec laid out carelessly: wider or odd indentation, spaces around the colon, other tick
    marks, trailing spaces, extra blank lines. Lines inside blocks keep their relative indentation."""
    f = _Formatter(text, parse(SourceFile("x", text)))
    scale = rng.choice([1, 2, 3])
    out: list[str] = []
    shift = 0  # block lines move with their item, keeping their relative indentation
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if n in f.covered:
            out.append(" " * shift + line)
            continue
        if n in f.info:
            shift = indent * (scale - 1)
            if rng.random() < 0.2:
                out.append("")
            node = f.info[n].node
            if node is not None and hasattr(node, "heading") and not node.heading and rng.random() < 0.3:
                stripped = stripped.replace(":", rng.choice([" :", "  :", ":   "]), 1)
            if "[○]" in stripped and rng.random() < 0.5:
                stripped = stripped.replace("[○]", f"[{rng.choice('〇◯●✓xX')}]")
            if stripped.endswith("[ ]") and rng.random() < 0.5:
                stripped = stripped[:-3] + "[　]"
            if not stripped.endswith('"""') and rng.random() < 0.2:
                stripped += "  "
        out.append(" " * (indent * scale) + stripped)
    return "\n".join(out)


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.relative_to(REPO / "specs").as_posix())
def test_specs_are_formatted(spec: Path) -> None:
    """Every spec in specs/ is in the canonical layout (and formatting it again changes nothing)."""
    text = spec.read_text(encoding="utf-8")
    assert format_text(text, spec.name) == text


@pytest.mark.parametrize("name", ["基礎項目評価書", "重点項目評価書", "全項目評価書"])
def test_new_skeleton_is_formatted(name: str) -> None:
    """`piadoc new` writes the canonical layout: `fmt --check` passes on a fresh skeleton, and its commented-out
    変更 row stays inside its heading's block, where it must be once uncommented."""
    form = load_form(name)
    assert form is not None
    text = skeleton(form)
    assert format_text(text, "new.pia") == text
    assert "\n  # 変更:" in text


@pytest.mark.parametrize("spec", TOP_SPECS, ids=lambda p: p.name)
def test_messed_up_spec_formats_back_with_same_report(spec: Path) -> None:
    text = spec.read_text(encoding="utf-8")
    messy = mess_up(text, random.Random(spec.name))
    assert messy != text
    out = format_text(messy, spec.name)
    assert format_text(out, spec.name) == out
    assert comments(out) == comments(text)
    same_meaning(checked(spec), checked(spec, out))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_mutated_spec_keeps_meaning(rng: random.Random) -> None:
    spec = REPO / "specs" / "takatsuki-juki-kiso.pia"
    text = spec.read_text(encoding="utf-8")
    messy = mess_up(text, rng)
    out = format_text(messy, spec.name)
    assert format_text(out, spec.name) == out
    assert comments(out) == comments(messy)
    same_meaning(checked(spec), checked(spec, out))


def test_canonical_layout() -> None:
    messy = (
        "# 頭のコメント\n\n\n"
        "評価書 :   基礎項目評価書  \n"
        "@set 市 =  高槻市\n"
        "@空き枠   印刷する  # 白紙の様式のとおり\n"
        "Ⅰ 基本情報\n"
        "    # 深さ1のコメント\n"
        "    １．事務\n"
        "        ①名称:{{ 市 }}の事務\n"
        "        ②内容:   \"\"\"\n"
        "            一行目\n"
        "              字下げした行\n"
        "\n"
        "            三行目\n"
        "          \"\"\"   # 閉じのあとのコメント\n"
        "        ③対象人数: [ 1万人以上10万人未満 ]\n"
        "        ④システム: [x] 紙,[　]電子、\n"
        "        ⑤接続:\n"
        "            [✓] 庁内連携システム [ ] 宛名システム等\n"
        "            [○]  その他（中間サーバー）\n"
        "        ⑥図: @file  \"図.png\" # 図\n"
        "@include   \"part.pia\"\n\n"
    )
    assert format_text(messy) == (
        "# 頭のコメント\n\n"
        "評価書: 基礎項目評価書\n"
        "@set 市 = 高槻市\n"
        "@空き枠 印刷する # 白紙の様式のとおり\n"
        "Ⅰ 基本情報\n"
        "  # 深さ1のコメント\n"
        "  １．事務\n"
        "    ①名称: {{ 市 }}の事務\n"
        "    ②内容: \"\"\"\n"
        "      一行目\n"
        "        字下げした行\n"
        "\n"
        "      三行目\n"
        "    \"\"\" # 閉じのあとのコメント\n"
        "    ③対象人数: [1万人以上10万人未満]\n"
        "    ④システム: [○] 紙, [ ] 電子\n"
        "    ⑤接続:\n"
        "      [○] 庁内連携システム\n"
        "      [ ] 宛名システム等\n"
        "      [○] その他（中間サーバー）\n"
        "    ⑥図: @file \"図.png\" # 図\n"
        "@include \"part.pia\"\n"
    )


def test_bare_box_keeps_its_line() -> None:
    """``[ ]`` with no text alone on a line reads as a ticked box (reported by check): splitting a line
    that holds one would change what it means."""
    text = "a:\n  [ ] [○] b\n"
    assert format_text(text) == text


def test_cli_check_lists_files_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    good = tmp_path / "good.pia"
    good.write_text("評価書: 基礎項目評価書\n", encoding="utf-8")
    bad = tmp_path / "bad.pia"
    bad.write_text("評価書 : 基礎項目評価書\n", encoding="utf-8")
    result = run_cli("fmt", "--check", "good.pia", "bad.pia", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, "bad.pia\n")
    assert bad.read_text(encoding="utf-8") == "評価書 : 基礎項目評価書\n"
    result = run_cli("fmt", "good.pia", "bad.pia", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert bad.read_text(encoding="utf-8") == "評価書: 基礎項目評価書\n"
    assert run_cli("fmt", "--check", "good.pia", "bad.pia", cwd=tmp_path).returncode == 0


def test_cli_syntax_error_is_reported_not_formatted(run_cli, tmp_path: Path) -> None:
    """Tabs mixed with spaces: a tab is as wide as 2, 4 or 8 spaces depending on the editor, and so is the
    structure: reported, not converted."""
    spec = tmp_path / "tab.pia"
    spec.write_text("a:\n  b:\n\tc: d\n", encoding="utf-8")
    result = run_cli("fmt", "tab.pia", cwd=tmp_path)
    assert result.returncode == 1
    assert "tab.pia:3:1: エラー[E205]" in result.stderr and "Traceback" not in result.stderr
    assert spec.read_text(encoding="utf-8") == "a:\n  b:\n\tc: d\n"


def test_fmt_converts_tab_and_fullwidth_indentation(run_cli, tmp_path: Path) -> None:
    """Notepad's Tab key: every indented line uses tabs only, one level each; a full-width space is two columns."""
    spec = tmp_path / "tab.pia"
    spec.write_bytes("a:\r\n\tb:\r\n\t\tc: d\r\ne:\r\n\u3000f: g\r\n".encode("utf-8"))
    assert run_cli("fmt", "--check", "tab.pia", cwd=tmp_path).returncode == 1
    result = run_cli("fmt", "tab.pia", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert spec.read_bytes() == "a:\r\n  b:\r\n    c: d\r\ne:\r\n  f: g\r\n".encode("utf-8")


@pytest.mark.parametrize("bom", ["", "\ufeff"])
@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_fmt_keeps_the_line_ending_and_the_bom(run_cli, tmp_path: Path, ending: str, bom: str) -> None:
    """A file Notepad saved (CRLF, perhaps a BOM) passes `fmt --check` when its layout is canonical, and `fmt`
    writes the layout without turning its bytes into LF and dropping the BOM (the pre-commit hook on Windows)."""
    good = tmp_path / "good.pia"
    good.write_bytes((bom + "評価書: 基礎項目評価書\n特記事項: a\n".replace("\n", ending)).encode("utf-8"))
    assert run_cli("fmt", "--check", "good.pia", cwd=tmp_path).returncode == 0
    bad = tmp_path / "bad.pia"
    bad.write_bytes((bom + "評価書 : 基礎項目評価書\n\n\n特記事項:a\n".replace("\n", ending)).encode("utf-8"))
    assert run_cli("fmt", "--check", "bad.pia", cwd=tmp_path).returncode == 1
    assert run_cli("fmt", "bad.pia", cwd=tmp_path).returncode == 0
    assert bad.read_bytes() == (bom + "評価書: 基礎項目評価書\n\n特記事項: a\n".replace("\n", ending)).encode("utf-8")
    assert run_cli("fmt", "--check", "bad.pia", cwd=tmp_path).returncode == 0


def test_fmt_makes_a_mixed_file_end_its_lines_as_most_of_them_do(run_cli, tmp_path: Path) -> None:
    spec = tmp_path / "mixed.pia"
    spec.write_bytes("評価書: 基礎項目評価書\r\n特記事項: a\n評価実施機関名: b\r\n".encode("utf-8"))
    assert run_cli("fmt", "--check", "mixed.pia", cwd=tmp_path).returncode == 1
    assert run_cli("fmt", "mixed.pia", cwd=tmp_path).returncode == 0
    assert spec.read_bytes() == "評価書: 基礎項目評価書\r\n特記事項: a\r\n評価実施機関名: b\r\n".encode("utf-8")
