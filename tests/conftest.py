"""Shared fixtures: golden files (with --update-goldens), paths, and running the installed CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files instead of comparing")


class Golden:
    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, actual: str, path: Path) -> None:
        """Compare with the golden file; a missing golden fails (CI never writes them)."""
        if self.update:
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"missing golden file {path} (run pytest --update-goldens and review it)"
        assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(request.config.getoption("--update-goldens"))


def piadoc_command() -> list[str]:
    """The installed console script when there is one (as a user runs it), else the module."""
    script = Path(sys.executable).with_name("piadoc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "piadoc"]


@pytest.fixture
def run_cli():
    def run(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        return subprocess.run(piadoc_command() + list(args), cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", env=env, input=input, timeout=120)
    return run
