"""Text read back from a PDF keeps what the author wrote where a line ended: a hyphen that ended a line
(LG-⏎WAN, which PDFium reports as U+0002) stays a hyphen."""
from __future__ import annotations

import subprocess
from pathlib import Path

from piadoc.cli import main

SPEC = Path(__file__).resolve().parents[2] / "specs" / "koganei-yobousesshu-juten.pia"


def test_a_hyphen_at_a_line_end_is_kept(tmp_path: Path, need_tools) -> None:
    soffice = need_tools("soffice")["soffice"]
    docx = tmp_path / "k.docx"
    assert main(["build", str(SPEC), "-o", str(docx), "-q"]) == 0
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300)
    assert main(["import", str(tmp_path / "k.pdf"), "-o", str(tmp_path / "k.pia")]) == 0
    draft = (tmp_path / "k.pia").read_text(encoding="utf-8")
    written = SPEC.read_text(encoding="utf-8")
    assert written.count("LG-WAN") == 2  # one of them wraps after 「LG-」 in the PDF
    assert draft.count("LG-WAN") == written.count("LG-WAN") and "LGWAN" not in draft


def test_a_pdf_from_another_producer_reads_the_same(tmp_path: Path, need_tools, capsys) -> None:
    """cairo (poppler's pdftocairo, as many print-to-PDF drivers) writes text at font size 1 scaled by the text
    matrix, where LibreOffice writes 9 pt: sizes are read as drawn, so spacing and wraps come out the same."""
    tools = need_tools("soffice", "pdftocairo")
    docx = tmp_path / "k.docx"
    assert main(["build", str(SPEC), "-o", str(docx), "-q"]) == 0
    subprocess.run([tools["soffice"], f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True,
                   timeout=300)
    subprocess.run([tools["pdftocairo"], "-pdf", str(tmp_path / "k.pdf"), str(tmp_path / "c.pdf")], check=True,
                   timeout=300)
    counts = []
    for name in ("k", "c"):
        assert main(["import", str(tmp_path / f"{name}.pdf"), "-o", str(tmp_path / f"{name}.pia")]) == 0
        capsys.readouterr()
        main(["diff", str(SPEC), str(tmp_path / f"{name}.pia")])
        counts.append(sum(line.startswith("[") for line in capsys.readouterr().out.splitlines()))
    assert counts[1] <= counts[0] + 1, counts  # 1 and 1 measured (the （別添１） box's blank lines)
