/**
 * The reverse solver in the editor, as code actions on a conv or transposed conv call:
 * "Make the output 2× the input" (transposed convs), "Make the output exactly N…" (asks N,
 * then offers the valid configurations, simplest first) and "Insert the transposed conv that
 * inverts this conv". Every edit is one undo step.
 */
import * as vscode from 'vscode';
import { constValue } from '../core/expr';
import { invertConv, solve, configText, type AxisConfig, type ConvKind } from '../core/solve/solver';
import { argumentsEdit as argumentsTextEdit } from '../core/editor/textEdits';
import { solvableKind } from '../core/solve/rewrite';
import { layerAt } from '../core/python/parse';
import { spatialRank, TORCH_SIGNATURES } from '../core/torch/catalog';
import type { LayerReport } from '../core/torch/report';
import type { LayerCall } from '../core/values';
import type { DocumentModels } from './documentModels';
import { workspaceEdit } from './workspaceEdit';

export const SOLVE_OUTPUT = 'convLens.solveOutputSize';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  /** The input length of the layer's first spatial axis, when it is known. */
  const inputLength = (document: vscode.TextDocument, layer: LayerCall): number | undefined => {
    const insight = models.analysis(document).insightOf(layer);
    const nd = spatialRank(layer.layerType);
    const input = insight?.outcome.ok ? insight.outcome.value.input : undefined;
    return input && nd !== undefined && input.length >= nd ? constValue(input[input.length - nd]) : undefined;
  };

  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider({ language: 'python' }, {
      async provideCodeActions(document, range, _context, token) {
        if (!(await models.ready(document)) || token.isCancellationRequested) return [];
        const layer = layerAt(models.get(document), document.offsetAt(range.start));
        const kind = layer && solvableKind(layer);
        if (!layer || !kind) return [];
        const actions: vscode.CodeAction[] = [];
        if (kind === 'convTranspose') {
          for (const c of solve(kind, { kind: 'scale', factor: 2 }, 2)) {
            const action = new vscode.CodeAction(`Make the output 2× the input: ${configText(kind, c)}`, vscode.CodeActionKind.RefactorRewrite);
            action.edit = argumentsEdit(document, layer, kind, c);
            actions.push(action);
          }
        }
        const length = inputLength(document, layer);
        if (length !== undefined) {
          const exact = new vscode.CodeAction('Make the output exactly N… (Conv Lens)', vscode.CodeActionKind.RefactorRewrite);
          exact.command = { command: SOLVE_OUTPUT, title: exact.title, arguments: [document.uri.toString(), layer.span.from] };
          actions.push(exact);
        }
        const report = models.analysis(document).insightOf(layer)?.outcome;
        if (kind === 'conv' && report?.ok) {
          const inverse = inverseEdit(document, layer, report.value);
          if (inverse) actions.push(inverse);
        }
        return actions;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.RefactorRewrite] }),

    vscode.commands.registerCommand(SOLVE_OUTPUT, async (uri: string, offset: number) => {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
      const layer = layerAt(models.get(document), offset);
      const kind = layer && solvableKind(layer);
      const length = layer && inputLength(document, layer);
      if (!layer || !kind || length === undefined) return;
      const answer = await vscode.window.showInputBox({
        title: `Conv Lens: output size for an input of ${length}`,
        prompt: `The output length you want on each spatial axis of this ${layer.layerType}, for an input of ${length}.`,
        validateInput: (t) => (/^\d+$/.test(t.trim()) && Number(t) > 0 ? undefined : 'A positive whole number.'),
      });
      if (answer === undefined) return;
      const size = Number(answer.trim());
      const solutions = solve(kind, { kind: 'exact', input: length, size });
      if (solutions.length === 0) {
        void vscode.window.showWarningMessage(`Conv Lens: no ${layer.layerType} configuration (kernel ≤ 7, stride ≤ 4, dilation ≤ 3) turns ${length} into ${size}.`);
        return;
      }
      const pick = await vscode.window.showQuickPick(solutions.map((c) => ({ label: configText(kind, c), config: c })), { title: `Conv Lens: ${length} → ${size}, simplest first` });
      if (pick) await vscode.workspace.applyEdit(argumentsEdit(document, layer, kind, pick.config));
    }),
  );
}

/** Replaces a conv call's window arguments with `config` (one edit: one undo), keeping its other arguments' text. */
export function argumentsEdit(document: vscode.TextDocument, layer: LayerCall, kind: ConvKind, config: AxisConfig | readonly AxisConfig[]): vscode.WorkspaceEdit {
  return workspaceEdit(document, [argumentsTextEdit(document.getText(), layer, kind, config)]);
}

/**
 * A new line after the conv's line: the transposed conv that restores its input size. Read
 * from the engine's per-axis arithmetic; offered when every axis has the same configuration
 * and input length (then one set of keyword arguments says it).
 */
function inverseEdit(document: vscode.TextDocument, layer: LayerCall, report: LayerReport): vscode.CodeAction | undefined {
  const inverses = report.axes.map((a) => {
    const length = constValue(a.input);
    if (length === undefined || a.padBegin !== a.padEnd) return undefined;
    const inverse = invertConv({ kernel: a.kernel, stride: a.stride, padding: a.padBegin, outputPadding: 0, dilation: a.dilation }, length);
    return inverse && { length, text: configText('convTranspose', inverse) };
  });
  const first = inverses[0];
  if (!first || inverses.some((i) => i?.text !== first.text || i.length !== first.length)) return undefined;
  const names = TORCH_SIGNATURES[layer.layerType].params.map((p) => p.name);
  const channels = new Map(layer.args.map((a, i) => [a.name ?? names[i], a.text]));
  const cin = channels.get('in_channels');
  const cout = channels.get('out_channels');
  if (!cin || !cout) return undefined;
  const line = document.lineAt(document.positionAt(layer.span.to).line);
  const indent = /^\s*/.exec(line.text)?.[0] ?? '';
  const comma = line.text.trimEnd().endsWith(',') || /,\s*#/.test(line.text) ? ',' : '';
  const text = `${indent}nn.ConvTranspose${report.axes.length}d(${cout}, ${cin}, ${first.text})${comma}  # restores ${first.length} from this ${layer.layerType}'s output\n`;
  const action = new vscode.CodeAction(`Insert the transposed conv that inverts this ${layer.layerType} (back to ${first.length})`, vscode.CodeActionKind.RefactorRewrite);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(document.uri, new vscode.Position(line.lineNumber + 1, 0), text);
  return action;
}
