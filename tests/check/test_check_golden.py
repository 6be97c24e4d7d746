"""Golden files for the checker: each golden/<CODE>-<subject>.pia gives exactly the .out beside it."""
from __future__ import annotations

from pathlib import Path

import pytest

from piadoc.codes import CODES
from piadoc.diagnostics import render_all
from piadoc.pipeline import load_and_check

HERE = Path(__file__).resolve().parent / "golden"
CASES = sorted(HERE.glob("*.pia"))
#: Codes with no golden case, and why.
UNCOVERED = {
    "E103": "an unreadable file: covered by tests/test_cli.py (missing file)",
    **{f"E80{n}": "output files, refused or unwritable: tests/test_output_paths.py" for n in range(1, 9)},
    **{f"E8{n:02d}": "OS errors writing outputs and reading inputs: tests/test_cli_os_errors.py" for n in range(9, 13)},
    **{f"E81{n}": "PDF output (LibreOffice missing, slow, failing; a format not supported): tests/test_pdf.py"
       for n in range(5, 9)},
    "E819": "a piadoc.toml that is not TOML or has a wrong value: tests/test_project.py",
    "E820": "an unknown key in piadoc.toml: tests/test_project.py",
    "E611": "a chain of 33 includes: tests/test_includes_variables.py generates it",
    "E901": "internal errors: tests/test_cli.py forces one",
    **{f"E11{n}": "import input errors: tests/importer/test_import.py" for n in range(5, 10)},
    "E120": "an import that places nothing: tests/importer/test_import_inputs.py",
    "E813": "an import over an existing draft or figure: tests/importer/test_import_inputs.py",
    "E814": "a build over a document piadoc did not make: tests/test_output_paths.py, tests/test_pdf.py",
    "E506": "needs a form reaching 30万人以上 or two specs: tests/check/test_threshold.py",
    "E507": "needs two specs checked together: tests/check/test_threshold.py",
    "E409": "needs a value over 1,000,000 characters: tests/test_hostile_templates.py generates one",
}


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path, golden, monkeypatch) -> None:
    monkeypatch.chdir(HERE)
    loaded = load_and_check(Path(case.name))
    diags = [d for d in loaded.result.diagnostics if d.code != "W701" or case.stem.startswith("W701")]
    text = render_all(diags, loaded.sources) + "\n"
    golden.check(text, case.with_suffix(".out"))
    for code in case.stem.split("-"):
        if code in CODES:
            assert any(d.code == code for d in diags), f"{case.name} should report {code}"


def test_every_code_has_a_case() -> None:
    covered = {part for c in CASES for part in c.stem.split("-") if part in CODES}
    missing = set(CODES) - covered - set(UNCOVERED)
    assert not missing, f"codes without a golden case: {sorted(missing)}"
