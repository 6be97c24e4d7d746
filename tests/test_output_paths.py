"""`piadoc build` never loses a file: not the spec, its includes or attachments, a template, a device, a
read-only file, another spec's output; it writes through symlinks and keeps the mode; temp files of killed
runs are cleaned up. Each case was a way the build destroyed something."""
from __future__ import annotations

import io

import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from piadoc import output

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    shutil.copy(SPEC, tmp_path / "x.pia")
    return tmp_path


def is_docx(path: Path) -> bool:
    return zipfile.is_zipfile(path) and "word/document.xml" in zipfile.ZipFile(path).namelist()


def test_output_over_the_spec_is_refused(project: Path, run_cli) -> None:
    before = (project / "x.pia").read_bytes()
    result = run_cli("build", "x.pia", "-o", "x.pia", cwd=project)
    assert result.returncode == 1 and "E801" in result.stderr
    assert (project / "x.pia").read_bytes() == before


def test_output_over_an_include_or_attachment_is_refused(project: Path, run_cli) -> None:
    (project / "part.pia").write_text("評価書番号: 24\n", encoding="utf-8")
    text = (project / "x.pia").read_text(encoding="utf-8").replace("評価書番号: 24\n", '@include "part.pia"\n')
    (project / "x.pia").write_text(text, encoding="utf-8")
    assert run_cli("check", "x.pia", cwd=project).returncode == 0
    result = run_cli("build", "x.pia", "-o", "part.pia", cwd=project)
    assert result.returncode == 1 and "E801" in result.stderr
    assert (project / "part.pia").read_text(encoding="utf-8") == "評価書番号: 24\n"
    link = project / "link.pia"
    link.symlink_to("part.pia")  # through a link, too
    assert "E801" in run_cli("build", "x.pia", "-o", "link.pia", cwd=project).stderr


def test_output_over_a_template_is_refused(project: Path, run_cli) -> None:
    from piadoc.render import default_template_dir

    template = project / "tpl"
    shutil.copytree(default_template_dir(), template)
    before = (template / "base.docx").read_bytes()
    result = run_cli("build", "x.pia", "--template", "tpl", "-o", "tpl/base.docx", cwd=project)
    assert result.returncode == 1 and "E801" in result.stderr
    assert (template / "base.docx").read_bytes() == before


def test_devices_are_not_replaced(project: Path, run_cli) -> None:
    result = run_cli("build", "x.pia", "-o", os.devnull, cwd=project)
    assert result.returncode == 1 and "E802" in result.stderr
    assert not Path(os.devnull).is_file()
    (project / "null.docx").symlink_to(os.devnull)  # a name build would write: the device behind it is refused
    result = run_cli("build", "x.pia", "-o", "null.docx", cwd=project)
    assert result.returncode == 1 and "E802" in result.stderr


@pytest.mark.parametrize("given", ["out", "new/", "new\\"])
def test_output_naming_a_folder_writes_inside_it(project: Path, run_cli, given: str) -> None:
    """-o newdir/ made a FILE named newdir; an existing folder was E802. Both mean "in here, as x.docx"
    (the folder made when missing), as cp does; several specs may share such a folder."""
    (project / "out").mkdir()
    shutil.copy(project / "x.pia", project / "y.pia")
    result = run_cli("build", "x.pia", "y.pia", "-o", given, cwd=project)
    assert result.returncode == 0, result.stderr
    folder = project / given.rstrip("/\\")
    assert is_docx(folder / "x.docx") and is_docx(folder / "y.docx")
    result = run_cli("build", "-", "-o", given, cwd=project, input=SPEC.read_text(encoding="utf-8"))
    assert result.returncode == 2 and "ファイル名" in result.stderr  # stdin has no name to give the output


@pytest.mark.parametrize("given", ["out.txt", "report", "x.pia.bak"])
def test_an_output_that_is_not_docx_or_pdf_is_refused(project: Path, run_cli, given: str) -> None:
    """-o out.txt wrote a .docx the name hid: nothing opens it by that name."""
    result = run_cli("build", "x.pia", "-o", given, cwd=project)
    assert result.returncode == 1 and "E818" in result.stderr and ".docx か .pdf" in result.stderr
    assert not (project / given).exists()


def test_read_only_output_needs_force(project: Path, run_cli) -> None:
    out = project / "x.docx"
    out.write_bytes(b"old")
    out.chmod(0o444)
    result = run_cli("build", "x.pia", cwd=project)
    assert result.returncode == 1 and "E803" in result.stderr and out.read_bytes() == b"old"
    assert run_cli("build", "x.pia", "--force", cwd=project).returncode == 0
    assert is_docx(out) and out.stat().st_mode & 0o777 == 0o444


def test_symlinked_output_is_written_through_and_keeps_its_mode(project: Path, run_cli) -> None:
    assert run_cli("build", "x.pia", "-o", "real.docx", cwd=project).returncode == 0  # piadoc's: replaceable
    (project / "real.docx").chmod(0o600)
    (project / "x.docx").symlink_to("real.docx")
    assert run_cli("build", "x.pia", cwd=project).returncode == 0
    assert (project / "x.docx").is_symlink() and is_docx(project / "real.docx")
    assert (project / "real.docx").stat().st_mode & 0o777 == 0o600


def test_a_document_piadoc_did_not_make_is_not_replaced(project: Path, run_cli) -> None:
    """`import 去年.docx -o 去年.pia` then `build 去年.pia`: the default output is the imported document. A build
    replaces only what piadoc made and nobody saved since (Word names itself in app.xml): E814 without --force."""
    import zipfile

    assert run_cli("build", "x.pia", cwd=project).returncode == 0
    ours = (project / "x.docx").read_bytes()
    assert run_cli("build", "x.pia", cwd=project).returncode == 0  # its own output: replaced
    resaved = project / "x.docx"  # the same document as Word saves it: app.xml names Word
    with zipfile.ZipFile(project / "ours.zip", "w") as z, zipfile.ZipFile(io.BytesIO(ours)) as src:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/app.xml":
                data = data.replace(b"<Application>piadoc</Application>", b"<Application>Microsoft Office Word</Application>")
            z.writestr(name, data)
    resaved.write_bytes((project / "ours.zip").read_bytes())
    for foreign in (resaved.read_bytes(), b"not a document"):
        resaved.write_bytes(foreign)
        refused = run_cli("build", "x.pia", cwd=project)
        assert refused.returncode == 1 and "E814" in refused.stderr and "--force" in refused.stderr
        assert resaved.read_bytes() == foreign
    assert run_cli("build", "x.pia", "--force", cwd=project).returncode == 0
    assert is_docx(resaved)


def test_outputs_go_next_to_their_specs_and_never_collide(project: Path, run_cli) -> None:
    for folder in ("a", "b"):
        (project / folder).mkdir()
        shutil.copy(SPEC, project / folder / "x.pia")
    result = run_cli("build", "a/x.pia", "b/x.pia", cwd=project)
    assert result.returncode == 0, result.stderr
    assert is_docx(project / "a" / "x.docx") and is_docx(project / "b" / "x.docx")
    assert not (project / "x.docx").exists()
    (project / "b" / "x.docx").unlink()
    (project / "b" / "x.docx").symlink_to("../a/x.docx")  # two specs, one real output
    result = run_cli("build", "a/x.pia", "b/x.pia", cwd=project)
    assert result.returncode == 1 and "E807" in result.stderr


def test_stale_temp_files_of_killed_runs_are_removed(project: Path, run_cli) -> None:
    stale = project / ".x.docx.abc123.tmp"
    fresh = project / ".x.docx.def456.tmp"  # maybe a run going on right now: left alone
    stale.write_bytes(b"partial")
    fresh.write_bytes(b"partial")
    old = time.time() - output.STALE_SECONDS - 10
    os.utime(stale, (old, old))
    assert run_cli("build", "x.pia", cwd=project).returncode == 0
    assert not stale.exists() and fresh.exists()


def test_an_unwritable_folder_is_a_diagnostic_not_an_internal_error(project: Path, run_cli) -> None:
    (project / "file").write_text("", encoding="utf-8")
    result = run_cli("build", "x.pia", "-o", "file/x.docx", cwd=project)
    assert result.returncode == 1 and "E810" in result.stderr and "E901" not in result.stderr


def test_a_run_waits_for_the_lock_and_then_gives_up(project: Path, monkeypatch, capsys) -> None:
    from piadoc import cli

    monkeypatch.chdir(project)
    monkeypatch.setattr(output, "LOCK_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(output.locked, "__defaults__", (0.2,))
    (project / ".x.pia.lock").write_text("", encoding="utf-8")  # another run holds it
    subprocess_git(project)
    assert cli.main(["changes", "--since", "HEAD", "x.pia", "--write"]) == 1
    assert "E805" in capsys.readouterr().err
    (project / ".x.pia.lock").unlink()
    assert cli.main(["changes", "--since", "HEAD", "x.pia", "--write"]) == 0


def test_a_write_that_does_not_read_back_is_not_written(project: Path, monkeypatch, capsys) -> None:
    from piadoc import cli
    from piadoc.diff import writeback

    monkeypatch.chdir(project)
    subprocess_git(project)
    text = (project / "x.pia").read_text(encoding="utf-8")
    (project / "x.pia").write_text(text.replace("    ①部署: 福祉保健部健康課", "    ①部署: 健康推進課"), encoding="utf-8")
    before = (project / "x.pia").read_bytes()
    real = writeback.insert_rows
    monkeypatch.setattr(writeback, "insert_rows", lambda *a: real(*a).replace("  変更\n", "  変更\n    項目: x\n", 1))
    assert cli.main(["changes", "--since", "HEAD", "x.pia", "--write"]) == 1
    assert "E806" in capsys.readouterr().err
    assert (project / "x.pia").read_bytes() == before


def subprocess_git(repo: Path) -> None:
    import subprocess

    for args in (["init", "-q"], ["config", "user.email", "t@example.invalid"], ["config", "user.name", "t"],
                 ["add", "x.pia"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.parametrize("damage", ["truncated", "not a zip", "doctype"])
def test_a_damaged_template_is_a_clear_error(project: Path, run_cli, damage: str) -> None:
    """A corrupt --template base.docx or section template was an internal error (E901)."""
    import io

    from piadoc.render import default_template_dir

    template = project / "tpl"
    shutil.copytree(default_template_dir(), template)
    shutil.copy(template / "base.docx", template / "cover.docx")
    good = (template / "cover.docx").read_bytes()
    if damage == "truncated":
        bad = good[: len(good) // 2]
    elif damage == "not a zip":
        bad = b"this is not a Word file"
    else:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == "word/document.xml":
                    body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
                dst.writestr(info, body)
        bad = out.getvalue()
    (template / "cover.docx").write_bytes(bad)
    result = run_cli("build", "x.pia", "--template", "tpl", cwd=project)
    assert result.returncode == 1 and "cover.docx" in result.stderr, result.stderr
    assert "E901" not in result.stderr and not (project / "x.docx").exists()
