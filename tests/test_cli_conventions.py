"""What a user of ruff, black or git expects of the command line (issue 10, item 3): diagnostics on stdout
with the summary on stderr, --quiet, colour, directories and globs, Japanese usage messages with a
もしかして, --ignore and `# piadoc: ignore[…]`."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"
BAD = "評価書: 重点項目評価書\nふしぎな項目: x\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    (tmp_path / "bad.pia").write_text(BAD, encoding="utf-8")
    return tmp_path


def test_diagnostics_to_stdout_summary_to_stderr(project: Path, run_cli) -> None:
    result = run_cli("check", "bad.pia", cwd=project)
    assert "bad.pia:2:1: エラー[E303]" in result.stdout and "E303" not in result.stderr
    assert "bad.pia: エラー 1件" in result.stderr and "エラー 1件" not in result.stdout
    written = run_cli("check", "bad.pia", "-o", "result.txt", cwd=project)
    assert written.stdout == "" and written.returncode == 1
    assert "エラー[E303]" in (project / "result.txt").read_text(encoding="utf-8")


def test_quiet(project: Path, run_cli) -> None:
    quiet = run_cli("check", "-q", "bad.pia", cwd=project)
    assert "E303" in quiet.stdout and "W701" not in quiet.stdout and quiet.stderr == ""
    silent = run_cli("check", "-qq", "bad.pia", cwd=project)
    assert (silent.stdout, silent.stderr, silent.returncode) == ("", "", 1)


def test_colour_only_when_asked_or_on_a_terminal(project: Path, run_cli, monkeypatch, capsys) -> None:
    assert "\x1b[" not in run_cli("check", "bad.pia", cwd=project).stdout  # a pipe
    always = run_cli("check", "--color", "always", "bad.pia", cwd=project).stdout
    assert "\x1b[31mエラー\x1b[0m[\x1b[1mE303\x1b[0m]" in always and "\x1b[33m警告" in always
    from piadoc import console

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert console.use_colour("auto", Tty()) and not console.use_colour("never", Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not console.use_colour("auto", Tty())


def test_directories_and_globs(project: Path, run_cli) -> None:
    specs = project / "specs"
    (specs / "sub").mkdir(parents=True)
    shutil.copy(SPEC, specs / "a.pia")
    shutil.copy(SPEC, specs / "sub" / "b.pia")
    text = SPEC.read_text(encoding="utf-8").replace("評価書番号: 24\n", '@include "part.pia"\n')
    (specs / "sub" / "c.pia").write_text(text, encoding="utf-8")
    (specs / "sub" / "part.pia").write_text("評価書番号: 24\n", encoding="utf-8")  # a fragment: not alone
    (specs / "frag.pia").write_text("@under Ⅰ 基本情報\nふしぎ: x\n", encoding="utf-8")
    result = run_cli("check", "specs", cwd=project)
    assert result.returncode == 0, result.stdout
    checked = sorted(line.split(":")[0] for line in result.stderr.splitlines())
    assert checked == sorted(str(Path("specs") / p) for p in ("a.pia", "sub/b.pia", "sub/c.pia"))
    globbed = run_cli("check", str(Path("specs") / "*.pia"), cwd=project)  # as cmd.exe passes it
    assert "frag.pia" in globbed.stderr and "a.pia" in globbed.stderr and "b.pia" not in globbed.stderr
    none = run_cli("check", "nothing*.pia", cwd=project)
    assert none.returncode == 2 and "一致するファイルがありません" in none.stderr


@pytest.mark.parametrize("args, expected", [
    (["chek", "x.pia"], "もしかして: check"),
    (["check", "--strcit", "x.pia"], "もしかして: --strict"),
    (["diff"], "引数が足りません"),
    (["check"], "piadoc.toml のあるフォルダ"),  # no file and no project: say how to name one
    (["new", "重点項目"], None),
    (["new", "重点評価書"], "もしかして: 重点項目評価書"),
    (["check", "--ignore", "W7O1", "x.pia"], "もしかして: W701"),
    (["check", "--ignore", "E303", "x.pia"], "無視できるのは警告"),
])
def test_japanese_usage_messages(args: list[str], expected: str | None, capsys) -> None:
    from piadoc import cli

    status = cli.main(args)
    out = capsys.readouterr()
    if expected is None:  # a unique prefix is the form
        assert status == 0 and "評価書: 重点項目評価書" in out.out
        return
    assert status == 2 and expected in out.err, out.err
    assert "usage" not in out.err and "error:" not in out.err


def test_help_is_japanese(capsys) -> None:
    from piadoc import cli

    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("使い方: piadoc check") and "オプション:" in out and "show this help" not in out


def test_ignore_option_and_comments(project: Path, run_cli) -> None:
    skeleton = run_cli("new", "重点項目評価書").stdout
    (project / "draft.pia").write_text(skeleton, encoding="utf-8")
    base = run_cli("check", "draft.pia", cwd=project).stdout.count("W701")
    assert base >= 3  # one W701 line per section (the cover, Ⅰ, Ⅱ …)
    assert "W701" not in run_cli("check", "--ignore", "W701", "draft.pia", cwd=project).stdout
    (project / "draft.pia").write_text("# piadoc: ignore-file[W701]\n" + skeleton, encoding="utf-8")
    assert "W701" not in run_cli("check", "draft.pia", cwd=project).stdout
    inline = skeleton.replace("評価書番号:\n", "# piadoc: ignore[W701]\n評価書番号:\n")
    (project / "draft.pia").write_text(inline, encoding="utf-8")
    out = run_cli("check", "draft.pia", cwd=project).stdout
    assert out.count("W701") == base - 1 and "評価書番号」" not in out
    (project / "bad.pia").write_text("# piadoc: ignore-file[E303]\n" + BAD, encoding="utf-8")
    assert "E303" in run_cli("check", "bad.pia", cwd=project).stdout  # errors are never hidden


def test_dash_is_stdout_not_a_file(project: Path, run_cli) -> None:
    result = run_cli("new", "基礎", "-o", "-", cwd=project)
    assert result.returncode == 0 and "評価書: 基礎項目評価書" in result.stdout
    assert not (project / "-").exists()
