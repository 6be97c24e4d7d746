// The VS Code client: starts `piadoc lsp` (stdio) for .pia files. Everything else is done by the server.
"use strict";
const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");
const { serverCommand } = require("./server-command");

let client;

function activate(context) {
  const folders = (vscode.workspace.workspaceFolders || []).map((f) => f.uri.fsPath);
  const [command, ...args] = serverCommand(vscode.workspace.getConfiguration("piadoc").get("command"), folders);
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "pia" }, { scheme: "untitled", language: "pia" }],
  };
  client = new LanguageClient("piadoc", "piadoc", serverOptions, clientOptions);
  client.start().catch((err) => {
    vscode.window.showErrorMessage(
      `piadoc の言語サーバーを起動できませんでした（${command}）。pip install piadoc のあと、` +
        `設定 piadoc.command で piadoc のパスを指定してください: ${err.message || err}`
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
