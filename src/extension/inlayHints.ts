/** An inlay hint after each layer call with its output shape: `→ (1, 33, 64, 64)`. */
import * as vscode from 'vscode';
import { MODEL_SELECTOR } from './languages';
import { formatShape } from '../core/shape';
import type { DocumentModels } from './documentModels';
import type { InputShapes } from './inputShapes';

export function register(context: vscode.ExtensionContext, models: DocumentModels, inputs: InputShapes): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    inputs.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('convLens.inlayHints.enabled')) changed.fire();
    }),
    vscode.languages.registerInlayHintsProvider(MODEL_SELECTOR, {
      onDidChangeInlayHints: changed.event,
      async provideInlayHints(document, range, token) {
        if (!vscode.workspace.getConfiguration('convLens', document).get<boolean>('inlayHints.enabled', true)) return [];
        if (!(await models.ready(document)) || token.isCancellationRequested) return [];
        const from = document.offsetAt(range.start);
        const to = document.offsetAt(range.end);
        const hints: vscode.InlayHint[] = [];
        for (const insight of models.analysis(document).insights) {
          if (token.isCancellationRequested) return [];
          const end = insight.layer.span.to;
          if (end < from || end > to || !insight.outcome.ok) continue;
          const hint = new vscode.InlayHint(document.positionAt(end), `→ ${formatShape(insight.outcome.value.output)}`, vscode.InlayHintKind.Type);
          hint.paddingLeft = true;
          hints.push(hint);
        }
        return hints;
      },
    }),
  );
}
