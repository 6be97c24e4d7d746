"""OS errors on any read or write (issue 10, item 2) are diagnostics with a code, the file named and what to
do, exit 1, the old output intact; never E901."""
from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    shutil.copy(SPEC, tmp_path / "x.pia")
    (tmp_path / "y.pia").write_text(SPEC.read_text(encoding="utf-8").replace("評価書番号: 24", "評価書番号: 25"),
                                    encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args", [["new", "重点項目評価書"], ["diff", "x.pia", "y.pia"], ["check", "x.pia"],
                                  ["build", "x.pia"]])
def test_a_directory_or_a_path_below_a_file_as_output(project: Path, run_cli, args: list[str]) -> None:
    (project / "out").mkdir()
    for target, code in (("out", "E802"), ("x.pia/out.txt", "E810")):
        if target == "out" and args[0] in ("build", "new"):
            continue  # a folder: build writes x.docx inside it, new 重点項目評価書.pia (tests/test_output_paths.py)
        if args[0] == "new":
            target = target.replace(".txt", ".pia")  # new writes only a .pia name (E818)
        result = run_cli(*args, "-o", target, cwd=project)
        assert result.returncode == 1 and code in result.stderr and target in result.stderr, result.stderr
        assert "E901" not in result.stderr
    assert (project / "x.pia").read_bytes() == SPEC.read_bytes()


@pytest.mark.parametrize("command", ["new", "build", "check", "diff"])
@pytest.mark.parametrize("error, code", [(PermissionError(errno.EACCES, "Permission denied"), "E809"),
                                         (OSError(errno.ENOSPC, "No space left on device"), "E811")])
def test_locked_read_only_or_full(project: Path, monkeypatch, capsys, command: str, error: OSError,
                                  code: str) -> None:
    """Windows refuses to replace a .docx open in Word with PermissionError from the rename; a read-only
    folder and a full disk fail there or at the write: the old file stays as it was."""
    from piadoc import cli, output

    monkeypatch.chdir(project)
    name = {"new": "draft.pia", "build": "x.docx", "check": "result.txt", "diff": "rows.txt"}[command]
    (project / name).write_bytes(b"old")
    # new and build: --force, or they refuse to replace a spec (E813) or a file piadoc did not make (E814)
    args = {"new": ["new", "重点項目評価書", "--force"], "build": ["build", "x.pia", "--force"], "check": ["check", "x.pia"],
            "diff": ["diff", "x.pia", "y.pia"]}[command] + ["-o", name]

    def refuse(src, dst):
        raise error

    monkeypatch.setattr(output.os, "replace", refuse)
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert code in err and name in err and "E901" not in err
    if code == "E809":
        assert "Word" in err and "閉じて" in err
    assert (project / name).read_bytes() == b"old"
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder(project: Path, run_cli) -> None:
    folder = project / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run_cli("new", "重点項目評価書", "-o", "ro/draft.pia", cwd=project)
        assert result.returncode == 1 and "E809" in result.stderr, result.stderr
    finally:
        folder.chmod(0o755)


def test_any_other_os_error_is_not_an_internal_error(monkeypatch, capsys, project: Path) -> None:
    from piadoc import cli

    def fails(args):
        raise OSError(errno.EIO, "Input/output error", "somewhere.pia")

    monkeypatch.setattr(cli, "cmd_check", fails)
    assert cli.main(["check", "x.pia"]) == 1
    err = capsys.readouterr().err
    assert "E812" in err and "somewhere.pia" in err and "E901" not in err


def test_a_folder_or_missing_file_read_as_a_spec(project: Path, run_cli) -> None:
    result = run_cli("build", "nope.pia", cwd=project)
    assert result.returncode == 1 and "E103" in result.stderr and "ファイルがありません" in result.stderr
