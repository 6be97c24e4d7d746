"""The VS Code extension packages to a .vsix (`npm run package`, @vscode/vsce) holding the client, the grammar,
the language configuration and the client's runtime dependency, and nothing of the tests or dev tools.

Needs node and `npm ci` in editors/vscode (.ci/run does both): locally the test skips with the reason when they
are missing; under CI=true it fails instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

VSCODE = Path(__file__).resolve().parent.parent / "editors" / "vscode"


def test_extension_packages_to_a_vsix(tmp_path: Path) -> None:
    npm = shutil.which("npm")
    reason = None
    if npm is None or shutil.which("node") is None:
        reason = "node/npm がありません（apt-get install nodejs npm）"
    elif not (VSCODE / "node_modules" / "@vscode" / "vsce").is_dir():
        reason = "editors/vscode で npm ci を実行していません"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: the extension must package)")
        pytest.skip(reason)
    out = tmp_path / "piadoc.vsix"
    done = subprocess.run([npm, "run", "--silent", "package", "--", "-o", str(out)], cwd=VSCODE, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("extension/package.json"))
    assert manifest["main"] == "./extension.js" and manifest["contributes"]["languages"][0]["extensions"] == [".pia"]
    # formats on save by default, with the form's two-space indentation
    assert manifest["contributes"]["configurationDefaults"]["[pia]"]["editor.formatOnSave"] is True
    for name in ("extension/extension.js", "extension/syntaxes/pia.tmLanguage.json",
                 "extension/language-configuration.json", "extension/node_modules/vscode-languageclient/package.json"):
        assert name in names, name
    assert not [n for n in names if n.startswith(("extension/tests/", "extension/node_modules/vscode-tmgrammar-test/",
                                                  "extension/node_modules/@vscode/vsce/"))]


def test_client_finds_piadoc_in_the_workspace_venv() -> None:
    """The tutorial installs piadoc into .venv, which is not on PATH: the client looks there first (Windows and
    POSIX layouts), keeps a command the user set, and falls back to `piadoc lsp` from PATH."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node がありません（CI=true: the client must be tested）")
        pytest.skip("node がありません（apt-get install nodejs）")
    script = """
const { serverCommand } = require("./server-command");
const has = (...paths) => (p) => paths.includes(p);
console.log(JSON.stringify([
  serverCommand(["piadoc", "lsp"], ["C:\\\\仕事\\\\評価書"], "win32", has("C:\\\\仕事\\\\評価書\\\\.venv\\\\Scripts\\\\piadoc.exe")),
  serverCommand(undefined, ["/a", "/home/u/評価書"], "linux", has("/home/u/評価書/.venv/bin/piadoc")),
  serverCommand(["/opt/piadoc", "lsp"], ["/home/u/評価書"], "linux", has("/home/u/評価書/.venv/bin/piadoc")),
  serverCommand(["piadoc", "lsp"], ["/home/u/評価書"], "linux", has()),
]));
"""
    done = subprocess.run([node, "-e", script], cwd=VSCODE, capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        ["C:\\仕事\\評価書\\.venv\\Scripts\\piadoc.exe", "lsp"],
        ["/home/u/評価書/.venv/bin/piadoc", "lsp"],
        ["/opt/piadoc", "lsp"],
        ["piadoc", "lsp"],
    ]
