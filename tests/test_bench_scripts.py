"""The benchmarks (bench/, run by hand) still import what they measure: a module renamed or moved breaks them
silently otherwise, since no test runs them (bench_lsp.py lost its `hover` once that way)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = sorted((Path(__file__).resolve().parent.parent / "bench").glob("*.py"))


@pytest.mark.parametrize("script", BENCH, ids=[p.stem for p in BENCH])
def test_bench_script_imports(script: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"bench_script_{script.stem}"
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)  # module level only: each script runs under `if __name__ == "__main__"`
    assert callable(getattr(module, "main", None))
