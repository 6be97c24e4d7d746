"""Windows conditions (issue 10, item 1): consoles in CP932 or CP1252, specs saved as Shift_JIS or UTF-16 or
not text at all. Output to pipes and files is UTF-8 whatever the console; a console gets replacement
characters, never E901; an input in another encoding is explained, not misread."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def piadoc_command() -> list[str]:
    """The installed console script when there is one (as a user runs it), else the module."""
    script = Path(sys.executable).with_name("piadoc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "piadoc"]

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"


def run(*args: str, cwd: Path, encoding: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """piadoc with the console code page simulated (PYTHONIOENCODING), the output kept as bytes."""
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    env.pop("NO_COLOR", None)
    return subprocess.run(piadoc_command() + list(args), cwd=cwd, capture_output=True, env=env, input=input,
                          timeout=120)


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    """Two versions of a spec; the new one holds ➊, which neither CP932 nor CP1252 can encode."""
    (tmp_path / "piadoc.toml").write_text("", encoding="utf-8")
    text = SPEC.read_text(encoding="utf-8")
    (tmp_path / "old.pia").write_text(text, encoding="utf-8")
    (tmp_path / "new.pia").write_text(text.replace("評価書番号: 24\n", "評価書番号: 24\n特記事項: ➊ 追記\n"),
                                      encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("encoding", ["cp932", "cp1252"])
def test_pipes_get_utf8_whatever_the_console(pair: Path, encoding: str) -> None:
    new = run("new", "基礎項目評価書", cwd=pair, encoding=encoding)
    assert new.returncode == 0, new.stderr.decode("utf-8")
    assert new.stdout.decode("utf-8").startswith("#") and "評価書: 基礎項目評価書" in new.stdout.decode("utf-8")
    diff = run("diff", "old.pia", "new.pia", cwd=pair, encoding=encoding)
    assert diff.returncode == 0 and "➊" in diff.stdout.decode("utf-8"), diff.stderr.decode("utf-8")
    checked = run("check", "--format", "json", "new.pia", cwd=pair, encoding=encoding)
    assert checked.returncode == 0 and b"E901" not in checked.stdout + checked.stderr
    (pair / "bad.pia").write_text("評価書: 重点項目評価書\n➊: x\n", encoding="utf-8")
    text = run("check", "bad.pia", cwd=pair, encoding=encoding)
    assert text.returncode == 1 and "➊" in text.stdout.decode("utf-8") and b"E901" not in text.stderr
    assert "エラー 1件" in text.stderr.decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
@pytest.mark.parametrize("encoding", ["cp932", "cp1252"])
def test_a_console_gets_replacement_characters(pair: Path, encoding: str) -> None:
    import pty

    (pair / "bad.pia").write_text("評価書: 重点項目評価書\n➊: x\n", encoding="utf-8")
    main, child = pty.openpty()
    env = dict(os.environ, PYTHONIOENCODING=encoding, NO_COLOR="1")
    done = subprocess.run(piadoc_command() + ["check", "bad.pia"], cwd=pair, stdout=child, stderr=child,
                          env=env, timeout=120)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert done.returncode == 1, out
    shown = out.decode(encoding, errors="replace")
    assert "E303" in shown and "E901" not in shown and "?" in shown


def test_new_to_a_file_is_utf8(pair: Path) -> None:
    done = run("new", "重点", "-o", "draft.pia", cwd=pair, encoding="cp932")
    assert done.returncode == 0 and done.stdout == b""
    assert (pair / "draft.pia").read_text(encoding="utf-8").count("評価書: 重点項目評価書") == 1
    assert run("check", "draft.pia", cwd=pair, encoding="cp932").returncode == 0


@pytest.mark.parametrize("encoding, code", [("cp932", "E105"), ("utf-16", "E106"), ("utf-16-le", "E106"),
                                            ("utf-16-be", "E106")])
def test_other_encodings_are_explained(pair: Path, encoding: str, code: str) -> None:
    (pair / "x.pia").write_bytes(SPEC.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    done = run("check", "x.pia", cwd=pair, encoding="utf-8")
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1 and f"エラー[{code}]" in out, out
    assert "メモ帳" in out and "VS Code" in out and "\x00" not in out and "\ufffd" not in out


def test_utf8_with_bom_is_read(pair: Path) -> None:
    (pair / "x.pia").write_bytes(b"\xef\xbb\xbf" + SPEC.read_bytes())
    assert run("check", "x.pia", cwd=pair, encoding="utf-8").returncode == 0


def test_a_word_document_named_as_a_spec(pair: Path) -> None:
    built = run("build", "old.pia", "-o", "old.docx", cwd=pair, encoding="utf-8")
    assert built.returncode == 0, built.stderr
    for name in ("old.docx", "copy.pia"):
        if name == "copy.pia":
            shutil.copy(pair / "old.docx", pair / name)
        done = run("check", name, cwd=pair, encoding="utf-8")
        out = done.stdout.decode("utf-8")
        assert done.returncode == 1 and "E107" in out and "\x00" not in out and "PK" not in out
    assert "Word 文書（.docx）" in run("check", "old.docx", cwd=pair, encoding="utf-8").stdout.decode("utf-8")
    (pair / "bin.pia").write_bytes(bytes(range(256)) * 4)
    assert "E107" in run("check", "bin.pia", cwd=pair, encoding="utf-8").stdout.decode("utf-8")


def test_hints_for_characters_from_word_and_the_ime(tmp_path: Path) -> None:
    from piadoc.pipeline import load_and_check

    cases = {"評価書番号: 2\x0b4\n": "Shift+Enter", "評価書番号：24\n": "半角の「:」",
             "Ⅰ 基本情報\n  １．特定個人情報ファイルを取り扱う事務\n    ③対象人数: ［2］\n": "半角の「[ ]」"}
    for body, hint in cases.items():
        (tmp_path / "x.pia").write_text("評価書: 重点項目評価書\n" + body, encoding="utf-8")
        errors = [d for d in load_and_check(tmp_path / "x.pia").result.diagnostics if d.is_error]
        assert errors and any(hint in note for note in errors[0].notes), (body, errors)


def test_spec_from_stdin(pair: Path) -> None:
    done = run("check", "-", cwd=pair, encoding="cp932", input=SPEC.read_bytes())
    assert done.returncode == 0, done.stdout
    bad = run("check", "-", cwd=pair, encoding="cp932", input="評価書: 重点項目評価書\n".encode("cp932") +
              "評価書名: 予防接種\n".encode("cp932"))
    assert "E105" in bad.stdout.decode("utf-8")
    built = run("build", "-", "-o", "from-stdin.docx", cwd=pair, encoding="utf-8", input=SPEC.read_bytes())
    assert built.returncode == 0 and (pair / "from-stdin.docx").exists(), built.stderr
