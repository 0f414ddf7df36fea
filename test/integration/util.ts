/** What the integration tests share: documents to hover over, and reading hovers as text. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'conv-lens.conv-lens';

let untitled = 0;

/**
 * A new untitled Python document: each test owns its text, nothing on disk changes. Each
 * gets a name of its own: VS Code reuses `Untitled-N` names once closed, and the extension
 * host may still hold the closed document under that name.
 */
export async function pythonDocument(text: string): Promise<vscode.TextDocument> {
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `/conv-lens-test-${++untitled}-${Date.now()}.py` });
  const document = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(0, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  assert.equal(document.languageId, 'python');
  return document;
}

/** A file of the workspace (the examples folder). */
export async function workspaceFile(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run with examples/ open as the workspace folder');
  return vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
}

/** The position just inside the first occurrence of `needle` (after `skip` earlier ones). */
export function positionOf(document: vscode.TextDocument, needle: string, skip = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= skip; i++) {
    at = document.getText().indexOf(needle, at + 1);
    assert.notEqual(at, -1, `'${needle}' not found in ${document.uri.toString()}:\n${document.getText()}`);
  }
  return document.positionAt(at + 1);
}

/** Every hover VS Code would show at a position, as one Markdown text ('' when none). */
export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n\n');
}

/** Markdown as a reader sees it: backslash escapes removed. */
export function unescaped(markdown: string): string {
  return markdown.replace(/\\(.)/g, '$1');
}

/** Waits until `read` returns a value that passes `accept`, or fails with the last value seen. */
export async function eventually<T>(read: () => T | Promise<T>, accept: (v: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) assert.fail(`${what}; last seen:\n${String(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
