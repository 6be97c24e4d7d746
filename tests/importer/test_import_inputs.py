"""What a new user gets wrong with `piadoc import`, each found in a trial: importing again over the draft they
had edited, naming an old .doc, an Excel book or a text file renamed .docx, a short --form, a document that
matches nothing. Each is refused with a coded Japanese message, never a library's English, and nothing lost."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from piadoc.cli import main
from piadoc.pipeline import load_and_check
from piadoc.render import render_docx
from test_import_figures import built  # noqa: F401  (a fixture: a report with a figure, built to .docx)

SPEC = Path(__file__).resolve().parents[2] / "specs" / "koganei-yobousesshu-juten.pia"
#: English a library or the OS says, which a user must never be shown.
ENGLISH = ("Error", "codec", "No such file", "zip file", "PDFium", "Failed", "Traceback", "Errno")


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Path:
    lo = load_and_check(SPEC)
    assert lo.result.report is not None
    out = tmp_path_factory.mktemp("doc") / "doc.docx"
    out.write_bytes(render_docx(lo.result.report, lo.form, None))
    return out


def _refused(capsys, *args: str) -> str:
    assert main(["import", *args]) == 1
    err = capsys.readouterr().err
    assert not [word for word in ENGLISH if word in err], err
    return err


def test_an_existing_draft_is_kept_unless_forced(report_docx: Path, tmp_path: Path, capsys) -> None:
    draft = tmp_path / "keep.pia"
    draft.write_text("# 手で直した下書き\n", encoding="utf-8")
    err = _refused(capsys, str(report_docx), "-o", str(draft))
    assert "E813" in err and "--force" in err
    assert draft.read_text(encoding="utf-8") == "# 手で直した下書き\n"
    assert main(["import", str(report_docx), "-o", str(draft), "--force"]) == 0
    assert draft.read_text(encoding="utf-8").splitlines()[1].startswith("評価書: ")


def test_figures_of_an_earlier_import_are_kept_unless_forced(built, tmp_path: Path, capsys) -> None:  # noqa: F811
    docx, image = built
    figure = tmp_path / "new_図" / "図1.png"
    figure.parent.mkdir()
    figure.write_bytes(b"the user's own figure")
    err = _refused(capsys, str(docx), "-o", str(tmp_path / "new.pia"))
    assert "E813" in err and "図1.png" in err
    assert figure.read_bytes() == b"the user's own figure" and not (tmp_path / "new.pia").exists()
    assert main(["import", str(docx), "-o", str(tmp_path / "new.pia"), "--force"]) == 0
    assert figure.read_bytes() == image


@pytest.mark.parametrize("given", ["drafts/", "existing"])
def test_output_naming_a_folder_gets_the_documents_name(report_docx: Path, tmp_path: Path, given: str) -> None:
    (tmp_path / "existing").mkdir()
    assert main(["import", str(report_docx), "-o", f"{tmp_path}/{given}"]) == 0
    assert (tmp_path / given.rstrip("/") / "doc.pia").is_file()


def _zip(name: str, text: str) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(name, text)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)


@pytest.mark.parametrize("name, data, says", [
    ("u.doc", OLE, "古い Word 文書（.doc）は読めません。Word で開き、.docx として保存し直してください"),
    ("protected.docx", OLE, "パスワード"),
    ("book.xls", OLE, "古い Office 文書（.xls）"),
    ("fake.docx", "本文\n".encode(), "Word 文書（.docx）として読めません: 名前は .docx ですが、中身はテキストです"),
    ("fake.pdf", b"plain text\n", "PDFとして読めません: 名前は .pdf ですが、中身はテキストです"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "画像（PNG）です"),
    ("book.xlsx", _zip("xl/workbook.xml", "<workbook/>"), "word/document.xml"),
    ("badxml.docx", _zip("word/document.xml", "<w:document"), "本文の XML が壊れています"),
    ("cut.docx", b"PK\x03\x04" + bytes(40), "zip として壊れています"),
    ("broken.pdf", b"%PDF-1.7\nbroken", "パスワード"),
    ("binary.txt", "評価書".encode() + b"\x81\x20", "UTF-8・UTF-16・Shift_JIS のどれでも読めない"),
    ("empty.txt", b"", "ファイルが空です"),
])
def test_a_file_that_is_not_a_report_is_named_for_what_it_is(tmp_path: Path, capsys, name: str, data: bytes,
                                                              says: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    err = _refused(capsys, str(path), "-o", str(tmp_path / "draft.pia"))
    assert ("E115" if not data else "E116") in err and says in err, err
    assert not (tmp_path / "draft.pia").exists()


def test_a_missing_file_or_a_folder_is_said_in_japanese(tmp_path: Path, capsys) -> None:
    assert "E115" in _refused(capsys, str(tmp_path / "none.docx"))
    assert "フォルダ" in _refused(capsys, str(tmp_path))


def test_form_takes_a_unique_prefix_as_new_does(report_docx: Path, capsys) -> None:
    assert main(["import", str(report_docx), "--form", "重点"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "評価書: 重点項目評価書"
    assert "E118" in _refused(capsys, str(report_docx), "--form", "存在しない")


@pytest.mark.parametrize("to_file", [True, False], ids=["file", "stdout"])
def test_a_document_that_matches_nothing_gives_no_draft(tmp_path: Path, capsys, to_file: bool) -> None:
    memo = tmp_path / "memo.txt"
    memo.write_text("会議のメモ\n議題: 予算\n", encoding="utf-8")
    out = ["-o", str(tmp_path / "memo.pia")] if to_file else []
    assert main(["import", str(memo), "--form", "重点項目評価書", *out]) == 1
    captured = capsys.readouterr()
    assert "E120" in captured.err and "--form" in captured.err and captured.out == ""
    assert not (tmp_path / "memo.pia").exists()


def test_a_form_other_than_the_title_is_taken_but_flagged(report_docx: Path, capsys) -> None:
    """A 重点 report imported as 全項目 (its 対象人数 grew) is allowed, and said at the top and on stderr."""
    assert main(["import", str(report_docx), "--form", "全項目"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[1] == "# 要確認: 文書の表題は重点項目評価書です。--form 全項目評価書 として取り込みました"
    assert lines[2] == "評価書: 全項目評価書"
    assert "文書の表題は重点項目評価書ですが" in captured.err
    assert main(["import", str(report_docx), "--form", "重点"]) == 0
    assert "要確認: 文書の表題" not in capsys.readouterr().out
