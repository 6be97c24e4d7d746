"""Time `piadoc import` of a 全項目評価書: from the .docx piadoc builds of it, and from LibreOffice's PDF of that.

    python bench/bench_import.py [SPEC]      (default: specs/takatsuki-juki-zenkoumoku.pia)

Goals (issue 12): under 1 s from .docx, under 3 s from PDF. The PDF needs LibreOffice (soffice).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from piadoc.importer import import_file
from piadoc.pipeline import load_and_check
from piadoc.render import render_docx

ROOT = Path(__file__).resolve().parent.parent


def best_of(n: int, path: Path) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        import_file(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    spec = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "specs" / "takatsuki-juki-zenkoumoku.pia"
    loaded = load_and_check(spec)
    assert loaded.result.report is not None, "the spec does not check clean"
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / (spec.stem + ".docx")
        docx.write_bytes(render_docx(loaded.result.report, loaded.form, None))
        import_file(docx)  # warm: the form loaded once
        print(f".docx: {best_of(5, docx):.2f} s (best of 5)")
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if exe is None:
            print("PDF: skipped (no LibreOffice)")
            return
        subprocess.run([exe, f"-env:UserInstallation=file://{Path(tmp) / 'profile'}", "--headless", "--convert-to",
                        "pdf", "--outdir", tmp, str(docx)], check=True, capture_output=True)
        pdf = docx.with_suffix(".pdf")
        print(f"PDF:   {best_of(1, pdf):.2f} s ({pdf.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
