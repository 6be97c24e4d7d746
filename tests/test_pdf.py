"""PDF output through LibreOffice: pages, text, fonts, bookmarks, PDF/A; parallel runs; a missing, slow, silent
or old LibreOffice gives its own clear error."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from piadoc import pdf
from piadoc.cli import main
from piadoc.output import OutputRefused
from piadoc.render import render_docx
from piadoc.pipeline import load_and_check

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "specs" / "koganei-yobousesshu-juten.pia"


TOOLS = ("soffice", "pdfinfo", "pdftotext", "pdffonts")


def run(tool: str, path: Path) -> str:
    return subprocess.run([tool, str(path)] + (["-"] if tool == "pdftotext" else []), capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory, need_tools) -> Path:
    """koganei built as .docx and .pdf in one command."""
    need_tools(*TOOLS)
    out = tmp_path_factory.mktemp("pdf") / "koganei.pdf"
    assert main(["build", str(SPEC), "-o", str(out), "--format", "docx,pdf"]) == 0
    return out


def test_pdf_has_the_pages_text_and_fonts(built) -> None:
    assert built.read_bytes().startswith(b"%PDF-") and built.with_suffix(".docx").is_file()
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", built)).group(1))
    assert pages >= 10 and pdf.page_count(built.read_bytes()) == pages
    text = re.sub(r"\s", "", run("pdftotext", built))
    loaded = load_and_check(SPEC)
    labels = [re.sub(r"\s", "", i.printed) for i in loaded.form.items if i.number and not i.role]
    for s in [loaded.form.title, *labels, "令和5年6月27日", "東京都小金井市長"]:
        assert s in text, s
    fonts = run("pdffonts", built)
    assert "IPAexMincho" in fonts and "IPAexGothic" in fonts
    assert "DejaVu" not in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), "every font embedded"


def test_pdf_has_bookmarks_from_the_headings(built) -> None:
    """Outline level 1 on PIA見出し (base.docx) gives one bookmark per section."""
    data = built.read_bytes()
    assert b"/Outlines" in data
    assert len(re.findall(rb"/Title\s*[<(]", data)) >= 4


def test_its_own_pdf_is_replaced_another_is_not(built, tmp_path, need_tools) -> None:
    """LibreOffice carries piadoc's keyword into the PDF: a rebuild replaces it; the same pages re-made by
    another producer (cairo, as a print-to-PDF driver) are someone else's document: E814 without --force."""
    cairo = need_tools("pdftocairo")["pdftocairo"]
    meta = subprocess.run(["pdfinfo", str(built)], capture_output=True, text=True).stdout
    assert "Keywords:        piadoc" in meta
    out = tmp_path / "k.pdf"
    subprocess.run([cairo, "-pdf", str(built), str(out)], check=True)
    foreign = out.read_bytes()
    assert main(["build", str(SPEC), "-o", str(out), "-q"]) == 1 and out.read_bytes() == foreign
    assert main(["build", str(SPEC), "-o", str(out), "-q", "--force"]) == 0
    assert main(["build", str(SPEC), "-o", str(out), "-q"]) == 0  # now piadoc's own


def test_pdfa(tmp_path, need_tools) -> None:
    need_tools(*TOOLS)
    out = tmp_path / "a.pdf"
    assert main(["build", str(SPEC), "-o", str(out), "--pdfa"]) == 0
    meta = subprocess.run(["pdfinfo", "-meta", str(out)], capture_output=True, text=True).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B" in meta


def test_two_conversions_in_parallel(need_tools) -> None:
    """Each run has its own profile: two at once both succeed with the same pages."""
    need_tools(*TOOLS)
    loaded = load_and_check(SPEC)
    docx = render_docx(loaded.result.report, loaded.form)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda n: pdf.convert(docx, f"{n}.pdf"), range(2)))
    assert all(r.startswith(b"%PDF-") for r in results)
    assert pdf.page_count(results[0]) == pdf.page_count(results[1]) > 10


def test_private_fontconfig_maps_ms_fonts(tmp_path, monkeypatch, need_tools) -> None:
    """Under a font set-up that knows nothing of ＭＳ 明朝, the conversion's own fonts.conf maps it to IPAex; the
    set-up itself is left as it was."""
    need_tools("fc-match", "fc-list")
    if not any("IPAex" in f for f in subprocess.run(["fc-list"], capture_output=True, text=True).stdout.splitlines()):
        if os.environ.get("CI") == "true":
            pytest.fail("the IPAex fonts are required under CI=true (apt-get install fonts-ipaexfont)")
        pytest.skip("the IPAex fonts missing")
    bare = tmp_path / "bare.conf"
    bare.write_text(f'<?xml version="1.0"?><fontconfig><dir>/usr/share/fonts</dir>'
                    f'<cachedir>{tmp_path}/c</cachedir></fontconfig>', encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(bare))
    pairs = (("ＭＳ 明朝", "IPAexMincho"), ("ＭＳ ゴシック", "IPAexGothic"), ("MS Mincho", "IPAexMincho"))
    before = [subprocess.run(["fc-match", f], capture_output=True, text=True).stdout for f, _ in pairs]
    assert not all(want in got for (_, want), got in zip(pairs, before)), "the bare set-up already maps them"
    env = pdf.child_env(tmp_path)
    for family, want in pairs:
        got = subprocess.run(["fc-match", family], capture_output=True, text=True, env=env).stdout
        assert want in got, (family, got)
    assert os.environ["FONTCONFIG_FILE"] == str(bare)


def test_missing_libreoffice_is_a_clear_error(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(pdf.ENV_SOFFICE, raising=False)
    monkeypatch.setattr(pdf, "USUAL_PLACES", ())
    out = tmp_path / "r.pdf"
    assert main(["build", str(SPEC), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "E815" in err and "LibreOffice をインストール" in err and "Traceback" not in err
    assert not out.exists()


def fake_soffice(tmp_path: Path, body: str, version: str = "LibreOffice 7.6.0.1") -> Path:
    exe = tmp_path / "soffice"
    exe.write_text(f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi\n{body}\n')
    exe.chmod(0o755)
    return exe


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
def test_timeout_kills_the_whole_group(tmp_path, monkeypatch) -> None:
    """soffice starts soffice.bin: a time-out must kill that grandchild too."""
    marker = tmp_path / "child.pid"
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(fake_soffice(tmp_path, f"sleep 60 & echo $! > {marker}; wait")))
    start = time.monotonic()
    with pytest.raises(OutputRefused) as err:
        pdf.convert(b"PK", "r.pdf", pdf.PdfOptions(timeout=1))
    assert err.value.code == "E816" and time.monotonic() - start < 20
    child = int(marker.read_text())
    time.sleep(0.2)
    alive = Path(f"/proc/{child}").exists() and "Z" not in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert not alive, "the grandchild outlived the time-out"


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for soffice")
@pytest.mark.parametrize("body,version,code", [
    ("exit 0", "LibreOffice 7.6.0.1", "E817"),               # exit 0 and no PDF: not a success
    ("exit 0", "LibreOffice 7.3.7.2", "E817"),               # too old for the JSON filter options
])
def test_silent_or_old_libreoffice(tmp_path, monkeypatch, body, version, code) -> None:
    monkeypatch.setenv(pdf.ENV_SOFFICE, str(fake_soffice(tmp_path, body, version)))
    with pytest.raises(OutputRefused) as err:
        pdf.convert(b"PK", "r.pdf")
    assert err.value.code == code
    if "7.3" in version:
        assert "7.4" in err.value.reason


def test_output_suffix_and_formats(tmp_path, capsys) -> None:
    assert main(["build", str(SPEC), "-o", str(tmp_path / "r.docx"), "--format", "html"]) == 1
    assert "E818" in capsys.readouterr().err
    assert main(["build", str(SPEC), "-o", str(tmp_path / "r.docx")]) == 0
    assert (tmp_path / "r.docx").read_bytes()[:2] == b"PK" and not (tmp_path / "r.pdf").exists()


def test_profile_uri_is_a_file_uri() -> None:
    """`-env:UserInstallation` takes a URI: on Windows file:///C:/…, never file://C:\\…"""
    from pathlib import PurePosixPath, PureWindowsPath

    assert pdf.profile_uri(PureWindowsPath("C:/Users/市役所/AppData/Local/Temp/p")) == \
        "file:///C:/Users/%E5%B8%82%E5%BD%B9%E6%89%80/AppData/Local/Temp/p"
    assert pdf.profile_uri(PurePosixPath("/tmp/a b")) == "file:///tmp/a%20b"
