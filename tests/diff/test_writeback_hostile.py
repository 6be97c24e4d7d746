"""`piadoc changes --write` on the inputs that broke it: line separators other than \\n above the table,
values that hold template markers after rendering, values that became ―, concurrent runs. Each run must leave
a spec that checks clean and differs from the original only by the inserted rows."""
from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from piadoc.pipeline import load_and_check

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"
PURPOSE = "③使用目的: 予防接種対象者の個人番号を利用して効率的な事務運用を図るため"
DEPT = "    ①部署: 福祉保健部健康課"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def repo_with(tmp_path: Path, base_text: str) -> tuple[Path, str]:
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "t@example.invalid")
    git(tmp_path, "config", "user.name", "t")
    (tmp_path / "spec.pia").write_text(base_text, encoding="utf-8", newline="")
    git(tmp_path, "add", "spec.pia")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path, git(tmp_path, "rev-parse", "HEAD")


def change_rows(path: Path) -> int:
    loaded = load_and_check(path)
    assert loaded.result.report is not None, [d.message for d in loaded.result.diagnostics if d.is_error]
    part = loaded.form.part("changes")
    rows = next(c for c in part.children if c.auto_number)
    return loaded.result.report.count(rows.id)


def write_changes(run_cli, repo: Path, base: str):
    return run_cli("changes", "--since", base, "spec.pia", "--date", "令和7年4月1日", "--write", cwd=repo)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085", "\u2028\u2029"])
def test_line_separators_inside_values_do_not_move_the_insertion(tmp_path: Path, run_cli, separator: str) -> None:
    text = SPEC.read_text(encoding="utf-8").replace(PURPOSE, PURPOSE + separator + "（続き）")
    repo, base = repo_with(tmp_path, text)
    before = change_rows(repo / "spec.pia")
    (repo / "spec.pia").write_text(text.replace(DEPT, "    ①部署: 健康推進課"), encoding="utf-8", newline="")
    original = (repo / "spec.pia").read_bytes().decode("utf-8")
    result = write_changes(run_cli, repo, base)
    assert result.returncode == 0, result.stderr
    written = (repo / "spec.pia").read_bytes().decode("utf-8")
    assert change_rows(repo / "spec.pia") == before + 1
    assert written.startswith(original.rstrip("\n"))  # nothing above moved: the rows went after the table
    assert written[len(original):].lstrip("\n").startswith("  変更\n")


def test_values_holding_template_markers_are_written_back_as_written(tmp_path: Path, run_cli) -> None:
    text = SPEC.read_text(encoding="utf-8")
    repo, base = repo_with(tmp_path, text)
    raw = "{% raw %}{{ 機関名 }} と {# 注 #}{% endraw %}"
    (repo / "spec.pia").write_text(text.replace(DEPT, f"    ①部署: {raw}"), encoding="utf-8")
    result = write_changes(run_cli, repo, base)
    assert result.returncode == 0, result.stderr
    loaded = load_and_check(repo / "spec.pia")
    assert not loaded.result.has_errors, [d.message for d in loaded.result.diagnostics if d.is_error]
    report = loaded.result.report
    rows = next(c for c in loaded.form.part("changes").children if c.auto_number)
    after = next(c for c in rows.children if c.label == "変更後の記載")
    last = report.count(rows.id)
    assert report.get(after.id, (last,)).text == "{{ 機関名 }} と {# 注 #}"


@pytest.mark.parametrize("dash", ["―", "-"])
def test_a_value_that_became_not_applicable_is_recorded_once(tmp_path: Path, run_cli, dash: str) -> None:
    text = SPEC.read_text(encoding="utf-8")
    repo, base = repo_with(tmp_path, text)
    (repo / "spec.pia").write_text(text.replace(DEPT, f"    ①部署: {dash}"), encoding="utf-8")
    before = change_rows(repo / "spec.pia")
    assert write_changes(run_cli, repo, base).returncode == 0
    once = (repo / "spec.pia").read_bytes()
    assert change_rows(repo / "spec.pia") == before + 1
    assert write_changes(run_cli, repo, base).returncode == 0
    assert (repo / "spec.pia").read_bytes() == once


def test_concurrent_runs_add_each_row_once(tmp_path: Path, run_cli) -> None:
    text = SPEC.read_text(encoding="utf-8")
    repo, base = repo_with(tmp_path, text)
    (repo / "spec.pia").write_text(text.replace(DEPT, "    ①部署: 健康推進課"), encoding="utf-8")
    before = change_rows(repo / "spec.pia")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: write_changes(run_cli, repo, base), range(6)))
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results]
    assert change_rows(repo / "spec.pia") == before + 1
    assert not [p for p in repo.iterdir() if p.name.startswith(".spec.pia.")]  # no lock or temp left


def test_write_goes_through_a_symlink_and_keeps_the_mode(tmp_path: Path, run_cli) -> None:
    text = SPEC.read_text(encoding="utf-8")
    repo, base = repo_with(tmp_path, text)
    git(repo, "mv", "spec.pia", "real.pia")
    git(repo, "commit", "-q", "-m", "rename")
    base = git(repo, "rev-parse", "HEAD")
    real = repo / "real.pia"
    real.write_text(text.replace(DEPT, "    ①部署: 健康推進課"), encoding="utf-8")
    real.chmod(0o600)
    (repo / "spec.pia").symlink_to("real.pia")
    result = write_changes(run_cli, repo, base)
    assert result.returncode == 0, result.stderr
    assert (repo / "spec.pia").is_symlink()
    assert "健康推進課" in real.read_text(encoding="utf-8").split("（別添２）変更箇所")[-1]
    assert real.stat().st_mode & 0o777 == 0o600
