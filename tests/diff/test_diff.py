"""`piadoc diff` and `piadoc changes` on a real git history of the 小金井市 spec: a ※ change, a non-※
change, a checkbox, a new 委託事項 and a reformatting-only commit, with exact rows and three formats."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"
GOLDEN = Path(__file__).resolve().parent / "golden"

NEW_ITAKU = """    委託事項4: 接種券印刷業務
      ①委託内容: 接種券の印刷及び封入封緘
      ②委託先における取扱者数: [10人未満]
      ③委託先名: 株式会社〇〇印刷
      再委託
        ④再委託の有無: [再委託しない]
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


def commit(repo: Path, text: str, message: str) -> str:
    (repo / "spec.pia").write_text(text, encoding="utf-8")
    git(repo, "add", "spec.pia")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "user.name", "test")
    text = SPEC.read_text(encoding="utf-8")
    revs = {"base": commit(repo, text, "公表版")}
    text = text.replace("③使用目的: 予防接種対象者の個人番号を利用して効率的な事務運用を図るため",
                        "③使用目的: 予防接種対象者の個人番号を利用して、効率的かつ正確な事務運用を図るため")
    revs["important"] = commit(repo, text, "※の項目を変更")
    text = text.replace("    ①部署: 福祉保健部健康課", "    ①部署: 福祉保健部健康課予防係")
    revs["ordinary"] = commit(repo, text, "担当部署を変更")
    lines = text.split("\n")
    mail = next(i for i, line in enumerate(lines) if line.strip() == "[ ] 電子メール")
    lines[mail] = lines[mail].replace("[ ]", "[○]")
    text = "\n".join(lines)
    revs["checkbox"] = commit(repo, text, "入手方法に電子メール")
    text = text.replace("  ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n",
                        NEW_ITAKU + "  ５．特定個人情報の提供・移転（委託に伴うものを除く。）\n", 1)
    revs["itaku"] = commit(repo, text, "委託事項4を追加")
    text = text.replace("      使用部署: 福祉保健部健康課\n      使用者数: [10人以上50人未満]\n",
                        "      # 並べ替えとコメントだけ\n      使用者数: [10人以上50人未満]\n      使用部署: 福祉保健部健康課\n")
    text = text.replace("    ①部署: 福祉保健部健康課予防係", "    ①部署: \"福祉保健部健康課予防係\"")
    revs["reformat"] = commit(repo, text, "書式だけ")
    return repo, revs


def rows_since(run_cli, repo: Path, rev: str, fmt: str = "tsv") -> list[list[str]]:
    result = run_cli("diff", "--since", rev, "spec.pia", "--format", fmt, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result.stdout


def between(run_cli, repo: Path, old: str, new: str, fmt: str = "table") -> str:
    git(repo, "checkout", "-q", new)
    try:
        return rows_since(run_cli, repo, old, fmt)
    finally:
        git(repo, "checkout", "-q", "-")


def tsv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text), delimiter="\t"))[1:]


def test_important_change_is_jizen(history, run_cli) -> None:
    repo, revs = history
    rows = tsv_rows(between(run_cli, repo, revs["base"], revs["important"], "tsv"))
    assert rows == [["", "Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ③使用目的",
                     "予防接種対象者の個人番号を利用して効率的な事務運用を図るため",
                     "予防接種対象者の個人番号を利用して、効率的かつ正確な事務運用を図るため", "事前", "重要な変更"]]


def test_ordinary_change_is_jigo(history, run_cli) -> None:
    repo, revs = history
    rows = tsv_rows(between(run_cli, repo, revs["important"], revs["ordinary"], "tsv"))
    assert rows == [["", "Ⅰ　基本情報 ６．評価実施機関における担当部署 ①部署", "福祉保健部健康課",
                     "福祉保健部健康課予防係", "事後", "重要な変更にあたらない"]]


def test_checkbox_ticked(history, run_cli) -> None:
    repo, revs = history
    rows = tsv_rows(between(run_cli, repo, revs["ordinary"], revs["checkbox"], "tsv"))
    assert len(rows) == 1
    item, before, after = rows[0][1:4]
    assert item == "Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ②入手方法"
    assert "[ ○ ] 電子メール" in after and "[ ○ ] 電子メール" not in before
    assert rows[0][4] == "事後"


def test_new_itaku_instance_and_its_count(history, run_cli) -> None:
    repo, revs = history
    rows = tsv_rows(between(run_cli, repo, revs["checkbox"], revs["itaku"], "tsv"))
    items = [r[1] for r in rows]
    assert "Ⅱ　特定個人情報ファイルの概要 ４．特定個人情報ファイルの取扱いの委託 委託の有無 （ ）　件" in items
    added = next(r for r in rows if r[1].endswith("委託事項4"))
    assert added[2] == "記載なし" and "接種券印刷業務" in added[3] and "③委託先名: 株式会社〇〇印刷" in added[3]
    assert added[4] == "事前"  # it holds ④再委託の有無 ※
    count = next(r for r in rows if r[1].endswith("件"))
    assert (count[2], count[3]) == ("（ 3 ）　件", "（ 4 ）　件")


def test_reformatting_is_no_change(history, run_cli) -> None:
    repo, revs = history
    assert between(run_cli, repo, revs["itaku"], revs["reformat"], "table") == "変更はありません。\n"


@pytest.mark.parametrize("fmt", ["table", "tsv", "pia"])
def test_formats_golden(history, run_cli, golden, fmt: str) -> None:
    repo, revs = history
    git(repo, "checkout", "-q", revs["reformat"])
    try:
        result = run_cli("diff", "--since", revs["base"], "spec.pia", "--format", fmt, "--date", "令和7年3月21日",
                         cwd=repo)
    finally:
        git(repo, "checkout", "-q", "-")
    assert result.returncode == 0, result.stderr
    golden.check(result.stdout, GOLDEN / f"koganei-history.{fmt}")


def test_changes_write_twice_is_idempotent_and_preserves_bytes(history, run_cli, tmp_path: Path) -> None:
    repo, revs = history
    git(repo, "checkout", "-q", revs["reformat"])
    try:
        before = (repo / "spec.pia").read_bytes()
        first = run_cli("changes", "--since", revs["base"], "spec.pia", "--date", "令和7年3月21日", "--write", cwd=repo)
        assert first.returncode == 0, first.stderr
        once = (repo / "spec.pia").read_bytes()
        assert once.startswith(before.rstrip(b"\n"))  # everything above stays byte for byte
        added = once[len(before):].decode("utf-8")
        assert added.count("\n  変更\n") + added.startswith("  変更\n") == 5
        assert "変更日: 令和7年3月21日" in added and "提出時期: [事前]" in added
        second = run_cli("changes", "--since", revs["base"], "spec.pia", "--date", "令和7年3月21日", "--write", cwd=repo)
        assert second.returncode == 0 and (repo / "spec.pia").read_bytes() == once
        assert run_cli("check", "spec.pia", cwd=repo).returncode == 0
        built = run_cli("build", "spec.pia", "-o", str(tmp_path / "out.docx"), cwd=repo)
        assert built.returncode == 0, built.stderr
        from docx import Document

        table = Document(str(tmp_path / "out.docx")).tables[-1]
        cells = [row.cells[1].text for row in table.rows]
        assert "Ⅱ　特定個人情報ファイルの概要 ３．特定個人情報の入手・使用 ③使用目的" in cells
    finally:
        git(repo, "checkout", "-q", "--", "spec.pia")
        git(repo, "checkout", "-q", "-")


def test_user_edits_to_recorded_rows_are_kept(tmp_path: Path, run_cli) -> None:
    repo = tmp_path
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "t@example.invalid")
    git(repo, "config", "user.name", "t")
    text = SPEC.read_text(encoding="utf-8")
    base = commit(repo, text, "base")
    (repo / "spec.pia").write_bytes(text.replace("    ①部署: 福祉保健部健康課", "    ①部署: 健康推進課")
                                    .replace("\n", "\r\n").encode("utf-8"))
    assert run_cli("changes", "--since", base, "spec.pia", "--date", "令和7年4月1日", "--write", cwd=repo).returncode == 0
    raw = (repo / "spec.pia").read_bytes()
    assert b"\r\n    \xe9\x83\xa8" not in raw and raw.count(b"\n") == raw.count(b"\r\n")  # CRLF kept
    edited = raw.replace("提出時期に係る説明: 重要な変更にあたらない".encode(), "提出時期に係る説明: 組織改正による".encode())
    (repo / "spec.pia").write_bytes(edited)
    assert run_cli("changes", "--since", base, "spec.pia", "--write", cwd=repo).returncode == 0
    assert (repo / "spec.pia").read_bytes() == edited


def test_diff_of_two_files_and_bad_revision(run_cli, tmp_path: Path) -> None:
    old = tmp_path / "old.pia"
    new = tmp_path / "new.pia"
    text = SPEC.read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("公表日: 令和5年6月27日", "公表日: 令和7年3月21日"), encoding="utf-8")
    result = run_cli("diff", str(old), str(new))
    assert result.returncode == 0 and "公表日" in result.stdout and "令和7年3月21日" in result.stdout
    bad = run_cli("diff", "--since", "no-such-rev", str(new), cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
