"""Docs generated from code stay in step with it."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_errors_doc_is_current() -> None:
    spec = importlib.util.spec_from_file_location("gen_errors_doc", REPO / "tools" / "gen_errors_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (REPO / "docs" / "errors.md").read_text(encoding="utf-8") == module.render(), \
        "run: python tools/gen_errors_doc.py"


def _pia_examples(name: str) -> list[str]:
    """The complete specs a page shows in ```pia fences (fragments are in plain fences)."""
    text = (REPO / name).read_text(encoding="utf-8")
    return re.findall(r"^```pia\n(.*?)^```", text, re.M | re.S)


@pytest.mark.parametrize("name", ["docs/language.md", "docs/tutorial.md", "README.md"])
def test_doc_examples_check_clean(name: str, tmp_path: Path) -> None:
    """Each full example a reader copies must pass `piadoc check` (warnings allowed: the tutorial's skeleton
    is unanswered on purpose)."""
    from piadoc.pipeline import load_and_check

    examples = _pia_examples(name)
    assert examples, f"{name} shows no ```pia example"
    for i, example in enumerate(examples):
        path = tmp_path / f"example{i}.pia"
        path.write_text(example, encoding="utf-8")
        result = load_and_check(path).result
        assert not result.has_errors, (name, i, result.diagnostics)
