/**
 * The input shapes the user gives outside the code: one per file ("Conv Lens: Set Input
 * Shape…", remembered in the workspace state) and the `convLens.defaultInputShape` setting.
 * Shape comments in the code are read by the core and win over both.
 */
import * as vscode from 'vscode';
import { isModelDocument } from './languages';
import type { InputDefaults } from '../core/editor/documentAnalysis';
import { parseShapeSpec } from '../core/query';
import { formatShape } from '../core/shape';

export const SET_INPUT_SHAPE = 'convLens.setInputShape';
const KEY = 'convLens.inputShapes';

export class InputShapes implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a file's shape or the default setting changes: every analysis must be redone. */
  readonly onDidChange = this.changed.event;
  private readonly watch: vscode.Disposable;

  constructor(private readonly state: vscode.Memento) {
    this.watch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('convLens.defaultInputShape')) this.changed.fire();
    });
  }

  defaults(document: vscode.TextDocument): InputDefaults {
    const file = this.fileShapes()[document.uri.toString()];
    const setting = vscode.workspace.getConfiguration('convLens', document).get<string>('defaultInputShape', '').trim();
    const fileShape = file === undefined ? undefined : parseShapeSpec(file);
    const settingShape = setting === '' ? undefined : parseShapeSpec(setting);
    return { ...(fileShape ? { file: fileShape } : {}), ...(settingShape ? { setting: settingShape } : {}) };
  }

  /** A key that changes whenever the defaults of a document change (for caches). */
  key(document: vscode.TextDocument): string {
    const d = this.defaults(document);
    return `${d.file ? formatShape(d.file) : ''}|${d.setting ? formatShape(d.setting) : ''}`;
  }

  async set(uri: vscode.Uri, shape: string | undefined): Promise<void> {
    const all = { ...this.fileShapes() };
    if (shape === undefined) delete all[uri.toString()];
    else all[uri.toString()] = shape;
    await this.state.update(KEY, all);
    this.changed.fire();
  }

  fileShape(uri: vscode.Uri): string | undefined {
    return this.fileShapes()[uri.toString()];
  }

  private fileShapes(): Readonly<Record<string, string>> {
    return this.state.get<Record<string, string>>(KEY, {});
  }

  dispose(): void {
    this.watch.dispose();
    this.changed.dispose();
  }
}

export function register(context: vscode.ExtensionContext, shapes: InputShapes): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SET_INPUT_SHAPE, async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isModelDocument(editor.document)) {
        void vscode.window.showInformationMessage('Conv Lens: open a Python, YAML or JSON file to set its input shape.');
        return;
      }
      const uri = editor.document.uri;
      const answer = await vscode.window.showInputBox({
        title: 'Conv Lens: input shape for this file',
        prompt: 'The input tensor shape of the layers at the top level of this file, e.g. 1, 16, 32, 32 or (N, 3, H, W). Empty clears it. Shape comments in the code still win.',
        value: shapes.fileShape(uri) ?? '',
        placeHolder: '1, 16, 32, 32',
        validateInput: (text) => (text.trim() === '' || parseShapeSpec(text) !== undefined ? undefined : 'Write a shape such as 1, 16, 32, 32 or (N, 16, H, W): numbers or names, separated by commas or x.'),
      });
      if (answer === undefined) return; // cancelled
      await shapes.set(uri, answer.trim() === '' ? undefined : answer.trim());
    }),
  );
}
