"""Docs generated from code stay in step with it."""
from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_errors_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_errors_doc", REPO / "tools" / "gen_errors_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "errors.md").read_text(encoding="utf-8") == module.render(), \
        "run: python tools/gen_errors_doc.py"


def test_language_doc_example_checks_clean(tmp_path: Path) -> None:
    from piadoc.pipeline import load_and_check

    text = (REPO / "docs" / "language.md").read_text(encoding="utf-8")
    example = text.split("## A full example", 1)[1].split("```", 2)[1]
    path = tmp_path / "example.pia"
    path.write_text(example.lstrip("\n"), encoding="utf-8")
    result = load_and_check(path).result
    assert not result.has_errors, result.diagnostics
