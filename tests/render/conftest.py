"""Built documents shared by the render tests (a build takes a fraction of a second, LibreOffice seconds)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from piadoc.pipeline import load_and_check

REPO = Path(__file__).resolve().parents[2]
SPECS = sorted((REPO / "specs").glob("*.pia"))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    """spec stem → (docx path, Loaded), built through the real CLI entry point."""
    from piadoc.cli import main

    out_dir = tmp_path_factory.mktemp("built")
    result = {}
    for spec in SPECS:
        out = out_dir / f"{spec.stem}.docx"
        assert main(["build", str(spec), "-o", str(out)]) == 0
        result[spec.stem] = (out, load_and_check(spec))
    return result


def libreoffice() -> str | None:
    """The soffice binary; under CI=true its absence fails the run instead of skipping."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None and os.environ.get("CI") == "true":
        pytest.fail("LibreOffice is required under CI=true (apt-get install libreoffice-writer-nogui)")
    return exe


@pytest.fixture(scope="session")
def pdfs(built, tmp_path_factory) -> dict[str, Path]:
    exe = libreoffice()
    if exe is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui fonts-ipaexfont")
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{tool} is required under CI=true (apt-get install poppler-utils)")
            pytest.skip(f"{tool} not installed: apt-get install poppler-utils")
    out_dir = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    docs = [str(path) for path, _ in built.values()]
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), *docs], check=True, capture_output=True, timeout=600)
    return {stem: out_dir / f"{stem}.pdf" for stem in built}


@pytest.fixture(scope="session")
def small_built(tmp_path_factory) -> tuple[Path, object]:
    """tests/render/small-juten.pia built once: (docx path, Loaded)."""
    from piadoc.cli import main

    spec = Path(__file__).resolve().parent / "small-juten.pia"
    out = tmp_path_factory.mktemp("small") / f"{spec.stem}.docx"
    assert main(["build", str(spec), "-o", str(out)]) == 0
    return out, load_and_check(spec)
