/**
 * "Conv Lens: Show Layer Shapes": every layer of the active Python file with its output
 * shape, in a read-only document beside it that follows the file's edits. A virtual
 * document (not a file on disk) works in untrusted and virtual workspaces alike.
 */
import * as vscode from 'vscode';
import { isModelDocument } from './languages';
import { fileShapeReport } from '../core/present/fileReport';
import type { DocumentModels } from './documentModels';

export const SHOW_LAYER_SHAPES = 'convLens.showLayerShapes';
const SCHEME = 'conv-lens-shapes';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    provideTextDocumentContent(uri) {
      const source = sourceOf(uri);
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
      if (!document) return `Conv Lens: ${source.toString(true)} is no longer open; run "Conv Lens: Show Layer Shapes" on it again.\n`;
      return fileShapeReport(models.get(document), document.getText(), vscode.workspace.asRelativePath(document.uri));
    },
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(SHOW_LAYER_SHAPES, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isModelDocument(editor.document)) {
        // Not awaited: the promise settles only when the user dismisses the message.
        void vscode.window.showInformationMessage('Conv Lens: open a Python, YAML or JSON file to see the shapes of its layers.');
        return;
      }
      const report = await vscode.workspace.openTextDocument(reportUri(editor.document.uri));
      await vscode.window.showTextDocument(report, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: false });
    }),
    // The report follows the file as it is edited.
    vscode.workspace.onDidChangeTextDocument((e) => {
      const uri = reportUri(e.document.uri);
      if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) changed.fire(uri);
    }),
  );
}

/** The report's own URI: the source URI rides in the query; the path names the tab. */
export function reportUri(source: vscode.Uri): vscode.Uri {
  const name = source.path.slice(source.path.lastIndexOf('/') + 1);
  return vscode.Uri.from({ scheme: SCHEME, path: `/${name} — layer shapes`, query: source.toString() });
}

function sourceOf(report: vscode.Uri): vscode.Uri {
  return vscode.Uri.parse(report.query);
}
