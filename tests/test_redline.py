"""piadoc redline: the NEW document with the diff's changes as Word tracked changes. Accepting every change gives
the plain NEW build; rejecting gives the old values; every row of `piadoc diff` is marked; same bytes twice."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from piadoc.cli import main
from piadoc.diff import diff_reports
from piadoc.pipeline import load_and_check
from piadoc.redline import redline_blocks
from piadoc.render.layout import Cover, Section

REPO = Path(__file__).resolve().parents[1]
SMALL = (REPO / "tests" / "render" / "small-juten.pia").read_text(encoding="utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ENTRUST2 = "    委託事項2: 入力委託\n      再委託\n        ④再委託の有無: [再委託しない]\n"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """OLD: small-juten with a 委託事項3. NEW: a text changed in part, a choice changed, 委託事項2 and 3 gone."""
    old = tmp_path / "old.pia"
    old.write_text(SMALL.replace(ENTRUST2, ENTRUST2 + "    委託事項3: 印刷委託\n      ①委託内容: 帳票の印刷\n"),
                   encoding="utf-8")
    new_text = SMALL.replace("①事務の名称: 小さな事務", "①事務の名称: 小さな事務（改）")
    new_text = new_text.replace("③対象人数: [1万人以上10万人未満]", "③対象人数: [10万人以上30万人未満]")
    new_text = new_text.replace(ENTRUST2, "")
    new = tmp_path / "new.pia"
    new.write_text(new_text, encoding="utf-8")
    return old, new


def body(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def texts(root, accept: bool) -> list[str]:
    """Paragraph texts with every change accepted (or rejected); rows deleted (inserted) on that side vanish."""
    drop_row, drop_run = ("del", "del") if accept else ("ins", "ins")
    out = []
    for p in root.iter(f"{W}p"):
        tr = next((a for a in p.iterancestors(f"{W}tr")), None)
        if tr is not None and tr.find(f"{W}trPr/{W}{drop_row}") is not None:
            continue
        parts = []
        for t in p.iter(f"{W}t", f"{W}delText"):
            if any(a.tag == f"{W}{drop_run}" for a in t.iterancestors()):
                continue
            parts.append(t.text or "")
        out.append("".join(parts))
    return out


def changed(root, kind: str) -> list[str]:
    return ["".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText")) for el in root.iter(f"{W}{kind}")]


def test_accepting_gives_the_new_build_and_rejecting_the_old_values(pair, tmp_path, capsys) -> None:
    old, new = pair
    out = tmp_path / "r.docx"
    assert main(["redline", str(old), str(new), "-o", str(out), "--author", "点検者", "--date", "令和7年4月1日"]) == 0
    assert main(["build", str(new), "-o", str(tmp_path / "plain.docx")]) == 0
    root = body(out)
    assert texts(root, accept=True) == texts(body(tmp_path / "plain.docx"), accept=True)
    rejected = "\n".join(texts(root, accept=False))
    assert "小さな事務（改）" not in rejected and "[ 1万人以上10万人未満 ]" in rejected
    assert "委託事項2　入力委託" in rejected and "帳票の印刷" in rejected
    assert "帳票の印刷" not in "\n".join(texts(root, accept=True))
    # A partial change is marked where it is; a scattered one replaces the line whole.
    assert "（改）" in changed(root, "ins")
    assert "[ 10万人以上30万人未満 ]" in changed(root, "ins") and "[ 1万人以上10万人未満 ]" in changed(root, "del")
    # The removed 委託事項 come back as deleted rows.
    deleted_rows = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}del") is not None]
    assert deleted_rows and any("帳票の印刷" in "".join(tr.itertext()) for tr in deleted_rows)
    marks = list(root.iter(f"{W}ins", f"{W}del"))
    assert len({m.get(f"{W}id") for m in marks}) == len(marks), "revision ids are unique"
    assert {m.get(f"{W}author") for m in marks} == {"点検者"}
    assert {m.get(f"{W}date") for m in marks} == {"2025-04-01T00:00:00Z"}
    assert not list(root.iter(f"{W}del")) or not any(t.tag == f"{W}t" for d in root.iter(f"{W}del")
                                                      for t in d.iter()), "deleted text is w:delText, never w:t"


def test_every_row_of_the_diff_is_marked(pair) -> None:
    """Each key `piadoc diff` reports is printed in at least one row carrying a revision (on the real specs
    too: the 変更箇所 of takatsuki against a changed copy)."""
    old, new = (load_and_check(p) for p in pair)
    form = new.form
    rows = diff_reports(form, old.result.report, new.result.report)
    assert len(rows) >= 4
    blocks = redline_blocks(form, old.result.report, new.result.report, rows)
    marked = {r.key for b in blocks if isinstance(b, Section) for r in b.rows if r.revision is not None}
    marked |= {b.keys[label] for b in blocks if isinstance(b, Cover) for label in b.revisions}
    from piadoc.redline import _printed_in, _within

    for row in rows:
        key = _printed_in(form, row.key)
        assert key in marked or any(_within(form, m, row.key) for m in marked if m is not None), row


def test_same_bytes_twice_and_git_since(pair, tmp_path, monkeypatch) -> None:
    old, new = pair
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert main(["redline", str(old), str(new), "-o", str(a), "--author", "x"]) == 0
    assert main(["redline", str(old), str(new), "-o", str(b), "--author", "x"]) == 0
    assert a.read_bytes() == b.read_bytes()

    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@x", "GIT_COMMITTER_DATE": "2025-03-01T09:00:00Z"}
    spec = repo / "spec.pia"
    shutil.copy(old, spec)
    for args in (["init", "-q"], ["config", "user.name", "山田"], ["add", "."], ["commit", "-qm", "v1"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    shutil.copy(new, spec)
    monkeypatch.chdir(repo)
    assert main(["redline", "--since", "HEAD", "spec.pia"]) == 0
    root = body(repo / "spec.redline.docx")
    marks = list(root.iter(f"{W}ins", f"{W}del"))
    assert marks and {m.get(f"{W}author") for m in marks} == {"山田"}
    # The 変更箇所 of small-juten has a dated row: its 変更日 dates the revisions.
    assert {m.get(f"{W}date") for m in marks} == {"2024-03-01T00:00:00Z"}


def test_libreoffice_opens_it_and_prints_both_texts(pair, tmp_path, need_tools) -> None:
    need_tools("soffice", "pdftotext")
    old, new = pair
    out = tmp_path / "r.docx"
    assert main(["redline", str(old), str(new), "-o", str(out), "--author", "x"]) == 0
    from piadoc.pdf import convert

    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(convert(out.read_bytes(), str(pdf)))
    text = re.sub(r"\s", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    for s in ("小さな事務（改）", "[10万人以上30万人未満]", "[1万人以上10万人未満]", "帳票の印刷"):
        assert s in text, s
