// Starts `precepts lsp` for .precepts files: everything else is the language server's.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("precepts").get("command", ["precepts", "lsp"]);
  client = new LanguageClient(
    "precepts",
    "precepts",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "precepts" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
