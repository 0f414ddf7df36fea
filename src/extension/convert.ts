/**
 * "Conv Lens: Convert Transposed Conv to Zero-Inserted Conv": rewrites the transposed conv
 * under the cursor (palette, editor context menu, and a refactor code action). The call and
 * the once-per-file helpers change in one edit, so one undo restores the file; nothing else
 * in the file is touched.
 */
import * as vscode from 'vscode';
import { CONVERT_COMMAND } from '../core/present/layerHover';
import { conversionEdits } from '../core/editor/textEdits';
import { layerAt } from '../core/python/parse';
import type { LayerCall, SourceModel } from '../core/values';
import type { DocumentModels } from './documentModels';
import { workspaceEdit } from './workspaceEdit';

export const CONVERT = CONVERT_COMMAND;
/** Context key for the editor context menu: the cursor is on a transposed conv call. */
const ON_TRANSPOSED = 'convLens.onTransposedConv';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  const transposedIn = (model: SourceModel, document: vscode.TextDocument, position: vscode.Position): LayerCall | undefined => {
    if (document.languageId !== 'python') return undefined;
    const layer = layerAt(model, document.offsetAt(position));
    return layer?.framework === 'torch' && layer.layerType.includes('ConvTranspose') ? layer : undefined;
  };
  const transposedAt = (document: vscode.TextDocument, position: vscode.Position): LayerCall | undefined => transposedIn(models.get(document), document, position);
  const updateContext = (editor: vscode.TextEditor | undefined): void => {
    // Runs on every cursor move: it never parses itself, it waits for the parse (sliced for a large file).
    const model = editor && models.current(editor.document);
    if (editor && !model && editor.document.languageId === 'python') {
      void models.ready(editor.document).then((ok) => ok && vscode.window.activeTextEditor === editor && updateContext(editor));
    }
    const on = editor !== undefined && model !== undefined && transposedIn(model, editor.document, editor.selection.active) !== undefined;
    void vscode.commands.executeCommand('setContext', ON_TRANSPOSED, on);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(CONVERT, async (target?: vscode.Uri | string, where?: vscode.Position | number) => {
      // From a code action: the document and position it was offered for; from a hover link:
      // the document's URI and an offset (links carry JSON); from the palette: the cursor.
      const editor = vscode.window.activeTextEditor;
      const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
      const document = uri ? await vscode.workspace.openTextDocument(uri) : editor?.document;
      const at = typeof where === 'number' ? document?.positionAt(where) : (where ?? editor?.selection.active);
      if (!document || !at) return;
      const layer = transposedAt(document, at);
      if (!layer) {
        void vscode.window.showInformationMessage('Conv Lens: put the cursor on a transposed convolution (nn.ConvTranspose1d/2d/3d) to convert it.');
        return;
      }
      const edits = conversionEdits(document.getText(), layer);
      if (!edits.ok) {
        void vscode.window.showWarningMessage(`Conv Lens: cannot convert this ${layer.layerType}: ${edits.refusal.message}`);
        return;
      }
      const edit = workspaceEdit(document, edits.value);
      if (!(await vscode.workspace.applyEdit(edit))) {
        void vscode.window.showErrorMessage('Conv Lens: the file changed while converting; nothing was changed. Try again.');
      }
    }),
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, {
      async provideCodeActions(document, range, _context, token) {
        if (!(await models.ready(document)) || token.isCancellationRequested || !transposedAt(document, range.start)) return [];
        const action = new vscode.CodeAction('Convert to zero-inserted conv (Conv Lens)', vscode.CodeActionKind.RefactorRewrite);
        action.command = { command: CONVERT, title: action.title, arguments: [document.uri, range.start] };
        return [action];
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite] }),
    vscode.window.onDidChangeTextEditorSelection((e) => updateContext(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor(updateContext),
  );
  updateContext(vscode.window.activeTextEditor);
}
