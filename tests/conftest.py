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


@pytest.fixture(scope="session")
def need_tools():
    """``need_tools("soffice", "pdftotext")`` → their paths. A missing tool skips the test with the reason, or,
    under CI=true, fails it: CI installs them and must not pass by skipping (README, .ci/run)."""
    import shutil

    def need(*tools: str) -> dict[str, str]:
        found = {t: shutil.which(t) or (shutil.which("libreoffice") if t == "soffice" else None) for t in tools}
        missing = [t for t, path in found.items() if path is None]
        if missing:
            reason = f"not installed: {', '.join(missing)} (apt-get install libreoffice-writer-nogui poppler-utils)"
            if os.environ.get("CI") == "true":
                pytest.fail(f"{reason}; required under CI=true")
            pytest.skip(reason)
        return {t: p for t, p in found.items() if p is not None}
    return need
