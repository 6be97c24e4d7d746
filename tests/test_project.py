"""A project (piadoc.toml): every report built in worker processes, incrementally; one broken report does not stop
the others; shared variables reach every report; unknown keys and bad values are clear errors."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from piadoc.cli import main
from piadoc.project import MANIFEST

REPO = Path(__file__).resolve().parents[1]
BASE = (REPO / "tests" / "render" / "small-juten.pia").read_text(encoding="utf-8")
TOML = """reports = ["reports/*.pia"]
output = "build"
formats = ["docx"]
ignore = ["W701"]

[variables]
"機関名" = "架空市長"
"""


def report(number: int, include: bool) -> str:
    text = BASE.replace("評価書番号: 7", f"評価書番号: {number}").replace("評価実施機関名: 架空市長",
                                                                      "評価実施機関名: {{ 機関名 }}")
    return text.replace("公表日:", '@include "../common/shared.pia"\n公表日:', 1) if include else text


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "piadoc.toml").write_text(TOML, encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "shared.pia").write_text("特記事項: {{ 機関名 }}は委託先を監督する。\n", encoding="utf-8")
    for n, (name, include) in enumerate((("a", True), ("b", True), ("c", False)), start=1):
        (tmp_path / "reports" / f"{name}.pia").write_text(report(n, include), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def states(out: str) -> dict[str, str]:
    """report → 作成 / 変更なし / 失敗, from the summary table."""
    rows = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0].startswith("reports/"):
            rows[parts[0]] = parts[-1]
    return rows


def build(capsys, *extra: str) -> tuple[int, dict[str, str], str]:
    code = main(["build", *extra])
    captured = capsys.readouterr()
    return code, states(captured.out), captured.err


def test_builds_all_then_only_what_changed(project: Path, capsys) -> None:
    code, rows, _ = build(capsys)
    assert code == 0 and rows == {f"reports/{n}.pia": "作成" for n in "abc"}
    for n in "abc":
        assert (project / "build" / "reports" / f"{n}.docx").read_bytes()[:2] == b"PK"
    manifest = json.loads((project / "build" / MANIFEST).read_text(encoding="utf-8"))
    assert "common/shared.pia" in manifest["reports"]["reports/a.pia"]["inputs"]

    code, rows, _ = build(capsys)
    assert code == 0 and set(rows.values()) == {"変更なし"}

    (project / "common" / "shared.pia").write_text("特記事項: {{ 機関名 }}は委託先を毎年監督する。\n", encoding="utf-8")
    code, rows, _ = build(capsys)
    assert rows == {"reports/a.pia": "作成", "reports/b.pia": "作成", "reports/c.pia": "変更なし"}

    (project / "build" / "reports" / "c.docx").unlink()  # an output gone is rebuilt
    code, rows, _ = build(capsys)
    assert rows["reports/c.pia"] == "作成" and rows["reports/a.pia"] == "変更なし"

    code, rows, _ = build(capsys, "--rebuild")
    assert set(rows.values()) == {"作成"}


def test_all_slots_reaches_every_report_and_rebuilds(project: Path, capsys) -> None:
    """`piadoc build --all-slots` with no files: each report prints the blank form's full set of slot headings,
    and reports built without it are not taken as up to date."""
    import zipfile

    def headings() -> list[bool]:
        out = []
        for n in "abc":
            with zipfile.ZipFile(project / "build" / "reports" / f"{n}.docx") as z:
                out.append("システム6～10" in z.read("word/document.xml").decode())
        return out

    assert build(capsys)[0] == 0 and headings() == [False, False, False]
    code, rows, _ = build(capsys, "--all-slots")
    assert code == 0 and set(rows.values()) == {"作成"} and headings() == [True, True, True]
    code, rows, _ = build(capsys)
    assert set(rows.values()) == {"作成"} and headings() == [False, False, False]


def test_shared_variables_reach_every_report(project: Path, capsys) -> None:
    from docx import Document

    assert build(capsys)[0] == 0
    text = "\n".join(c.text for t in Document(str(project / "build/reports/a.docx")).tables
                     for r in t.rows for c in r.cells)
    assert "架空市長は委託先を監督する。" in text
    # The same report built alone gets them too; and `check` with no files checks the project.
    assert main(["build", "reports/c.pia", "-o", "c.docx"]) == 0
    assert main(["check"]) == 0
    assert "reports/a.pia: エラー 0件" in capsys.readouterr().err
    # diff (and changes, redline) read the same variables: no E604 for {{ 機関名 }}.
    assert main(["diff", "reports/a.pia", "reports/c.pia"]) == 0
    assert "特記事項" in capsys.readouterr().out


def test_one_broken_report_does_not_stop_the_others(project: Path, capsys) -> None:
    (project / "reports" / "b.pia").write_text(report(2, True).replace("[再委託する]", "[再委託するかも]"),
                                               encoding="utf-8")
    code, rows, err = build(capsys, "-j", "2")
    assert code == 1
    assert rows == {"reports/a.pia": "作成", "reports/b.pia": "失敗", "reports/c.pia": "作成"}
    assert "b.pia" in err and "エラー" in err
    assert not (project / "build" / "reports" / "b.docx").exists()
    code, rows, _ = build(capsys)  # the failed one is tried again, the others are not
    assert code == 1 and rows == {"reports/a.pia": "変更なし", "reports/b.pia": "失敗", "reports/c.pia": "変更なし"}


@pytest.mark.parametrize("toml,code,words", [
    ('reports = ["*.pia"]\nformat = ["pdf"]\n', "E820", "「format」"),
    ('reports = "*.pia"\n', "E819", "reports"),
    ('formats = ["docx", "html"]\n', "E819", "formats"),
    ('ignore = ["E301"]\n', "E819", "E301"),
    ('reports = [\n', "E819", ""),
    ('[variables]\n機関名 = "x"\n', "E819", '"機関名" = …'),
])
def test_bad_project_file(project: Path, capsys, toml: str, code: str, words: str) -> None:
    (project / "piadoc.toml").write_text(toml, encoding="utf-8")
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert code in err and words in err and "Traceback" not in err


def test_no_project_and_no_files_is_a_usage_error(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 2 and main(["check"]) == 2
    assert "piadoc.toml" in capsys.readouterr().err


def test_the_example_city_builds(tmp_path: Path, monkeypatch, capsys) -> None:
    """examples/ is a working project: copied elsewhere, it builds and checks clean."""
    import shutil

    shutil.copytree(REPO / "examples" / "sample-city", tmp_path / "city")
    monkeypatch.chdir(tmp_path / "city")
    assert main(["check"]) == 0
    code, rows, err = build(capsys)
    assert code == 0, err
    assert len(rows) == 3 and set(rows.values()) == {"作成"}


def test_build_at_a_revision(tmp_path: Path, monkeypatch, capsys) -> None:
    """--rev REV builds the spec and its includes as committed, beside this year's."""
    import subprocess

    from docx import Document

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
                            "GIT_COMMITTER_EMAIL": "t@x"})

    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "shared.pia").write_text("特記事項: 昨年の記載。\n", encoding="utf-8")
    spec = tmp_path / "r.pia"
    spec.write_text(report(1, True).replace("../common", "common").replace("{{ 機関名 }}", "架空市長"),
                    encoding="utf-8")
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "v1")
    git("tag", "v2024")
    (tmp_path / "common" / "shared.pia").write_text("特記事項: 今年の記載。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def text(path: Path) -> str:
        return "\n".join(c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells)

    assert main(["build", "--rev", "v2024", "r.pia"]) == 0
    assert main(["build", "r.pia"]) == 0
    assert "昨年の記載。" in text(tmp_path / "r@v2024.docx") and "今年の記載。" not in text(tmp_path / "r@v2024.docx")
    assert "今年の記載。" in text(tmp_path / "r.docx")
    assert main(["build", "--rev", "nosuchrev", "r.pia"]) == 2
    assert "nosuchrev" in capsys.readouterr().err


def test_project_with_pdf_counts_pages(project: Path, capsys, need_tools) -> None:
    """formats docx+pdf: both made by the workers (one LibreOffice profile each), pages in the table."""
    need_tools("soffice")
    (project / "piadoc.toml").write_text(TOML.replace('formats = ["docx"]', 'formats = ["docx", "pdf"]'),
                                         encoding="utf-8")
    (project / "reports" / "c.pia").unlink()
    code = main(["build"])
    out = capsys.readouterr().out
    assert code == 0, out
    for n in "ab":
        assert (project / "build" / "reports" / f"{n}.pdf").read_bytes().startswith(b"%PDF-")
        line = next(line for line in out.splitlines() if line.startswith(f"reports/{n}.pia"))
        assert line.split()[4].isdigit() and int(line.split()[4]) >= 5, line


def test_build_at_a_revision_takes_attachments_as_committed(tmp_path: Path, monkeypatch) -> None:
    import struct
    import subprocess
    import zipfile
    import zlib

    def png(w: int, h: int) -> bytes:
        def chunk(tag: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
        rows = b"".join(b"\x00" + bytes(3 * w) for _ in range(h))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x"}
    (tmp_path / "flow.png").write_bytes(png(40, 20))
    (tmp_path / "spec.pia").write_text('評価書: 全項目評価書\n（別添１）事務の内容 [1]\n  （図）: @file "flow.png"\n',
                                       encoding="utf-8")
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, env=env)
    (tmp_path / "flow.png").write_bytes(png(80, 10))
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--rev", "HEAD", "spec.pia"]) == 0
    with zipfile.ZipFile(tmp_path / "spec@HEAD.docx") as z:
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    assert media == [png(40, 20)]


def test_a_dead_worker_is_survived(project: Path, capsys, monkeypatch) -> None:
    """A worker killed under a report (a crash in a library) breaks the pool: the reports left are built again in
    a fresh pool, once."""
    import multiprocessing

    from piadoc import build as build_module

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the crash is injected by patching a module the workers must inherit (fork)")
    marker = project / "crashed"
    real = build_module.build_spec

    def crash_once(spec, *args, **kw):
        if spec.name == "b.pia" and not marker.exists():
            marker.touch()
            os._exit(1)
        return real(spec, *args, **kw)

    monkeypatch.setattr(build_module, "build_spec", crash_once)
    code, rows, _ = build(capsys)
    assert marker.exists()
    assert code == 0 and rows == {f"reports/{n}.pia": "作成" for n in "abc"}
