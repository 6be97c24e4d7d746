// Which command starts the language server. Kept apart from extension.js (which needs VS Code) so that
// tests/test_editor_package.py can run it with plain node.
"use strict";
const fs = require("fs");
const path = require("path");

const DEFAULT = ["piadoc", "lsp"];

// The setting when the user gave one; else piadoc from a virtual environment in one of the workspace folders
// (the tutorial installs it into .venv, which is not on PATH: .venv\Scripts\piadoc.exe on Windows,
// .venv/bin/piadoc elsewhere); else `piadoc lsp` from PATH.
function serverCommand(configured, folders, platform = process.platform, exists = fs.existsSync) {
  if (Array.isArray(configured) && configured.length > 0 && JSON.stringify(configured) !== JSON.stringify(DEFAULT)) {
    return configured;
  }
  const relative = platform === "win32" ? [".venv", "Scripts", "piadoc.exe"] : [".venv", "bin", "piadoc"];
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  for (const folder of folders || []) {
    const candidate = join(folder, ...relative);
    if (exists(candidate)) {
      return [candidate, "lsp"];
    }
  }
  return DEFAULT;
}

module.exports = { serverCommand, DEFAULT };
