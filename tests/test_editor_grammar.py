"""The VS Code extension's TextMate grammar, tested with vscode-tmgrammar-test on fixture files
(editors/vscode/tests/*.pia: each line followed by `# ^^^ scope` assertions).

Needs node and the extension's npm dev dependencies (`npm ci` in editors/vscode; .ci/run does both). Locally
the test skips with the reason when they are missing; under CI=true it fails instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VSCODE = Path(__file__).resolve().parent.parent / "editors" / "vscode"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the grammar must be tested)")
    pytest.skip(reason)


def test_textmate_grammar_fixtures() -> None:
    npx = shutil.which("npx")
    if shutil.which("node") is None or npx is None:
        _missing("node/npx がありません（apt-get install nodejs npm）")
    if not (VSCODE / "node_modules" / "vscode-tmgrammar-test").is_dir():
        _missing("editors/vscode で npm ci を実行していません")
    done = subprocess.run([str(npx), "--no-install", "vscode-tmgrammar-test", "tests/*.pia"], cwd=VSCODE,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_extension_manifest_points_at_its_files() -> None:
    """package.json names the grammar, the language configuration and the client; each exists and parses."""
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    assert (VSCODE / manifest["main"]).is_file()
    for lang in manifest["contributes"]["languages"]:
        json.loads((VSCODE / lang["configuration"]).read_text(encoding="utf-8"))
    for grammar in manifest["contributes"]["grammars"]:
        data = json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))
        assert data["scopeName"] == grammar["scopeName"]
    assert (VSCODE / "package-lock.json").is_file(), "npm ci needs the committed lock file"
