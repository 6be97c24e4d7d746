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
