/** The core's text edits as one VS Code WorkspaceEdit: applied together, undone by one undo. */
import * as vscode from 'vscode';
import type { TextEdit } from '../core/editor/textEdits';

export function workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.from), document.positionAt(e.to)), e.text);
  return edit;
}
