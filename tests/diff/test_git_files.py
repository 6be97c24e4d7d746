"""Reading a spec as committed: the old text of the spec and of its includes, with one `git rev-parse` and
one `git cat-file --batch` however many files the spec includes."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from piadoc.files import GitError, GitFiles
from piadoc.pipeline import load_and_check

REPO = Path(__file__).resolve().parents[2]
SPEC = "takatsuki-juki-zenkoumoku.pia"
FRAGMENT = "takatsuki-juki/henkou.pia"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The 高槻市 spec and its three includes committed, then the spec and one include edited."""
    shutil.copy(REPO / "specs" / SPEC, tmp_path / SPEC)
    shutil.copytree(REPO / "specs" / "takatsuki-juki", tmp_path / "takatsuki-juki")
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.invalid")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    base = git(tmp_path, "rev-parse", "HEAD")
    for name in (SPEC, FRAGMENT):
        path = tmp_path / name
        path.write_text(path.read_text(encoding="utf-8") + "# 作業中の追記\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path, base


def test_old_version_with_includes_in_two_processes(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, base = repo
    started: list[list[str]] = []
    real_popen = subprocess.Popen

    class Counting(real_popen):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **kw) -> None:
            started.append(list(args))
            super().__init__(args, *rest, **kw)

    monkeypatch.setattr(subprocess, "Popen", Counting)
    with GitFiles(base, folder) as files:
        loaded = load_and_check(Path(SPEC), files)
        process = files._process
    assert [cmd[1] for cmd in started] == ["rev-parse", "cat-file"], started
    assert process is not None and process.poll() is not None  # closed when the block ends
    assert not any(d.is_error for d in loaded.result.diagnostics)
    assert set(loaded.sources) == {f"{base}:{n}" for n in
                                   (SPEC, FRAGMENT, "takatsuki-juki/beshi1.pia", "takatsuki-juki/beshi2.pia")}
    for name in (SPEC, FRAGMENT):  # the committed text, not the working tree's
        assert "作業中の追記" not in loaded.sources[f"{base}:{name}"].text
        assert loaded.sources[f"{base}:{name}"].text == git(folder, "show", f"{base}:{name}") + "\n"


def test_absent_files_and_names_with_spaces(repo) -> None:
    folder, base = repo
    (folder / "a b.pia").write_text("評価書: 全項目評価書\n", encoding="utf-8")
    git(folder, "add", "a b.pia")
    git(folder, "commit", "-q", "-m", "space")
    with GitFiles("HEAD", folder) as files:
        assert files.is_file(folder / "a b.pia")
        assert files.read_bytes(folder / "a b.pia") == "評価書: 全項目評価書\n".encode()
        assert not files.is_file(folder / "missing file.pia")
        assert not files.is_file(folder / "takatsuki-juki")  # a tree, not a file
        assert not files.is_file(folder.parent / "outside.pia")
        with pytest.raises(FileNotFoundError):
            files.read_bytes(folder / "missing file.pia")
        assert files.read_bytes(folder / SPEC) == (REPO / "specs" / SPEC).read_bytes()  # after a miss, still in step
    with pytest.raises(GitError):
        GitFiles("no-such-rev", folder)
