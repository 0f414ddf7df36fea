/**
 * Problems in Python files: what PyTorch would refuse (errors, with its reason) and the two
 * warnings of the core's findings, each with a setting. Recomputed after typing pauses
 * (debounced), and at once when a file opens or an input shape or setting changes. Quick
 * fixes apply the core's edits.
 */
import * as vscode from 'vscode';
import { isModelDocument, MODEL_SELECTOR } from './languages';
import { findings, type Finding } from '../core/editor/findings';
import type { DocumentModels } from './documentModels';
import type { InputShapes } from './inputShapes';

const DEBOUNCE_MS = 250;

export function register(context: vscode.ExtensionContext, models: DocumentModels, inputs: InputShapes): void {
  const collection = vscode.languages.createDiagnosticCollection('convLens');
  const fixes = new Map<string, Finding[]>();
  const timers = new Map<string, unknown>();

  const update = async (document: vscode.TextDocument): Promise<void> => {
    if (!isModelDocument(document)) return;
    // false: the text changed meanwhile (its own debounced update follows) or closed.
    if (!(await models.ready(document))) return;
    const config = vscode.workspace.getConfiguration('convLens', document);
    const found = findings(models.analysis(document), {
      checkerboard: config.get<boolean>('diagnostics.checkerboard', true),
      unreadInput: config.get<boolean>('diagnostics.unreadInput', true),
      flaxIntKernel: config.get<boolean>('diagnostics.flaxIntKernel', true),
    });
    fixes.set(document.uri.toString(), found);
    collection.set(document.uri, found.map((f) => toDiagnostic(document, f)));
  };
  const later = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      void update(document);
    }, DEBOUNCE_MS));
  };
  const all = (): void => vscode.workspace.textDocuments.forEach((d) => void update(d));

  context.subscriptions.push(
    collection,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument((d) => void update(d)),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      collection.delete(d.uri);
      fixes.delete(d.uri.toString());
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('convLens')) all();
    }),
    inputs.onDidChange(all),
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, {
      provideCodeActions(document, range) {
        const actions: vscode.CodeAction[] = [];
        for (const f of fixes.get(document.uri.toString()) ?? []) {
          const diagnostic = toDiagnostic(document, f);
          if (!diagnostic.range.intersection(range)) continue;
          for (const fix of f.fixes) {
            const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            action.edit.replace(document.uri, new vscode.Range(document.positionAt(fix.edit.span.from), document.positionAt(fix.edit.span.to)), fix.edit.text);
            action.diagnostics = [diagnostic];
            action.isPreferred = true;
            actions.push(action);
          }
        }
        return actions;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
  all();
}

function toDiagnostic(document: vscode.TextDocument, f: Finding): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(f.span.from), document.positionAt(f.span.to));
  const d = new vscode.Diagnostic(range, f.message, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'Conv Lens';
  d.code = f.code;
  return d;
}
