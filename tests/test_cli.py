"""The command line as a user runs it: exit codes, text and JSON output, the skeleton, no tracebacks."""
from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "check" / "golden"


def test_check_specs_clean_from_another_directory(run_cli, tmp_path: Path) -> None:
    specs = sorted(str(p) for p in (REPO / "specs").glob("*.pia"))
    assert specs, "specs/ has no .pia files"
    result = run_cli("check", *specs, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_errors_exit_1_with_position(run_cli) -> None:
    result = run_cli("check", "E401-choice-not-in-options.pia", cwd=GOLDEN)
    assert result.returncode == 1
    assert "E401-choice-not-in-options.pia:5:20: エラー[E401]" in result.stdout
    assert "1） 特に力を入れている" in result.stdout


def test_json_format(run_cli) -> None:
    result = run_cli("check", "--format", "json", "E303-unknown-item.pia", cwd=GOLDEN)
    data = json.loads(result.stdout)["diagnostics"]  # the whole shape: tests/test_reporting.py
    first = next(d for d in data if d["severity"] == "error")
    assert (first["code"], first["line"], first["column"]) == ("E303", 4, 5)
    assert result.returncode == 1


def test_strict_fails_on_warnings(run_cli) -> None:
    assert run_cli("check", "W701-unanswered.pia", cwd=GOLDEN).returncode == 0
    assert run_cli("check", "--strict", "W701-unanswered.pia", cwd=GOLDEN).returncode == 1


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli("check").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    result = run_cli("new", "簡易評価書")
    assert result.returncode == 2 and "重点項目評価書" in result.stderr


def test_missing_file_is_a_diagnostic(run_cli, tmp_path: Path) -> None:
    result = run_cli("check", "nope.pia", cwd=tmp_path)
    assert result.returncode == 1 and "E103" in result.stdout and "Traceback" not in result.stderr


import pytest


@pytest.mark.parametrize("form", ["全項目評価書", "基礎項目評価書"])
def test_other_skeletons_check_without_errors(run_cli, tmp_path: Path, form: str) -> None:
    result = run_cli("new", form)
    assert result.returncode == 0 and f"評価書: {form}" in result.stdout
    (tmp_path / "draft.pia").write_text(result.stdout, encoding="utf-8")
    checked = run_cli("check", "draft.pia", cwd=tmp_path)
    assert checked.returncode == 0 and "エラー 0件" in checked.stderr, checked.stderr


def test_new_skeleton_checks_without_errors(run_cli, tmp_path: Path) -> None:
    result = run_cli("new", "重点項目評価書")
    assert result.returncode == 0
    (tmp_path / "draft.pia").write_text(result.stdout, encoding="utf-8")
    checked = run_cli("check", "draft.pia", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "エラー 0件" in checked.stderr and "W701" in checked.stdout
    for label in ("①入手元", "[ ] その他（ ）", "＜選択肢＞ 1） 特に力を入れている 2） 十分である 3） 課題が残されている"):
        assert label in result.stdout


def test_new_never_replaces_a_spec_without_force(run_cli, tmp_path: Path) -> None:
    """A skeleton written over a spec would wipe out the user's work: E813 unless --force."""
    spec = tmp_path / "mine.pia"
    spec.write_text("評価書: 重点項目評価書\n評価書番号: 24\n", encoding="utf-8")
    refused = run_cli("new", "重点", "-o", "mine.pia", cwd=tmp_path)
    assert refused.returncode != 0 and "E813" in refused.stderr and "--force" in refused.stderr
    assert spec.read_text(encoding="utf-8") == "評価書: 重点項目評価書\n評価書番号: 24\n"
    assert run_cli("new", "重点", "-o", "mine.pia", "--force", cwd=tmp_path).returncode == 0
    assert "評価書番号:\n" in spec.read_text(encoding="utf-8")


def test_internal_error_has_no_traceback(monkeypatch, capsys) -> None:
    from piadoc import cli

    def boom(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "load_and_check", boom)
    assert cli.main(["check", "x.pia"]) == 3
    err = capsys.readouterr().err
    assert "E901" in err and "Traceback" not in err


def test_help_lists_every_exit_code_as_the_readme_does(capsys) -> None:
    from piadoc import cli

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "終了コード:" in out
    for code, text in cli.EXIT_CODES.items():
        assert f"  {code:<4} {text}" in out
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d+) \| ([^|]+) \|$", readme, re.M))
    assert {int(code): text for code, text in rows.items()} == cli.EXIT_CODES


def test_each_exit_code_is_what_main_returns(monkeypatch, capsys) -> None:
    """0, 1, 2, 3 and 130, each from a real case through piadoc.cli.main."""
    from piadoc import cli

    monkeypatch.chdir(GOLDEN)
    seen = {cli.main(["check", "W701-unanswered.pia"]), cli.main(["check", "E401-choice-not-in-options.pia"]),
            cli.main(["check", "--strict", "W701-unanswered.pia"]) + 10, cli.main(["check"])}
    assert seen == {0, 1, 11, 2}

    def fails(args):
        raise RuntimeError("a bug")

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_check", fails)
    assert cli.main(["check", "W701-unanswered.pia"]) == 3
    monkeypatch.setattr(cli, "cmd_check", interrupted)
    assert cli.main(["check", "W701-unanswered.pia"]) == 130
    assert "中断しました" in capsys.readouterr().err
    assert set(cli.EXIT_CODES) == {0, 1, 2, 3, 130}


def test_new_and_import_write_a_spec_into_a_folder_and_only_to_a_pia_name(tmp_path: Path, monkeypatch,
                                                                          capsys) -> None:
    """`-o folder/` (or an existing folder) is a folder, as for build and import: `new` names the skeleton after
    the form inside it. A name not ending in .pia is refused (E818): a .docx name on text is a file Word
    cannot open."""
    from piadoc import cli

    monkeypatch.chdir(tmp_path)
    (tmp_path / "there").mkdir()
    assert cli.main(["new", "重点", "-o", "nd2/"]) == 0
    assert cli.main(["new", "重点", "-o", "there"]) == 0
    for made in (tmp_path / "nd2" / "重点項目評価書.pia", tmp_path / "there" / "重点項目評価書.pia"):
        assert "\n評価書: 重点項目評価書\n" in made.read_text(encoding="utf-8")
    (tmp_path / "k.txt").write_text("重点項目評価書\n", encoding="utf-8")
    for args in (["new", "重点", "-o", "y.docx"], ["import", "k.txt", "-o", "x.docx"]):
        assert cli.main(args) != 0
        err = capsys.readouterr().err
        assert "E818" in err and ".pia で終えてください" in err and "Traceback" not in err
    assert not (tmp_path / "y.docx").exists() and not (tmp_path / "x.docx").exists()
