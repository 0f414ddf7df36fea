/**
 * The hover on a layer call: its output shape first (for the input it gets, or symbolic),
 * then the arithmetic, then links to our own commands. User text is escaped by the core, and
 * only our own commands may run from the hover.
 */
import * as vscode from 'vscode';
import { MODEL_SELECTOR } from './languages';
import { layerAt } from '../core/python/parse';
import { selectionTrace } from '../core/editor/selectionTrace';
import { HOVER_TRUSTED_COMMANDS, layerHover } from '../core/present/layerHover';
import { traceMarkdown } from '../core/present/traceText';
import type { DocumentModels } from './documentModels';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
      async provideHover(document, position, token) {
        if (!vscode.workspace.getConfiguration('convLens', document).get<boolean>('hover.enabled', true)) return undefined;
        // A large file is parsed in slices; a hover asked for meanwhile waits, or is dropped
        // when the text changed or VS Code no longer wants it.
        if (!(await models.ready(document)) || token.isCancellationRequested) return undefined;
        const trace = selectionHover(document, position, models);
        if (trace) return trace;
        const layer = layerAt(models.get(document), document.offsetAt(position));
        if (!layer) return undefined;
        const text = layerHover(models.analysis(document), layer, (offset) => document.positionAt(offset).line + 1, { uri: document.uri.toString(), offset: document.offsetAt(position) });
        if (text === undefined) return undefined;
        const markdown = new vscode.MarkdownString(text);
        markdown.isTrusted = { enabledCommands: [...HOVER_TRUSTED_COMMANDS] };
        markdown.supportHtml = false;
        const range = new vscode.Range(document.positionAt(layer.calleeSpan.from), document.positionAt(layer.span.to));
        return new vscode.Hover(markdown, range);
      },
    }),
  );
}

/** Hovering inside a selection of several layers: their trace, each fed the previous output. */
function selectionHover(document: vscode.TextDocument, position: vscode.Position, models: DocumentModels): vscode.Hover | undefined {
  const selection = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection : undefined;
  if (!selection || selection.isEmpty || !selection.contains(position)) return undefined;
  const steps = selectionTrace(models.analysis(document), document.offsetAt(selection.start), document.offsetAt(selection.end));
  if (steps.length < 2) return undefined;
  const markdown = new vscode.MarkdownString(traceMarkdown(steps, (offset) => document.positionAt(offset).line + 1));
  markdown.isTrusted = false;
  return new vscode.Hover(markdown, selection);
}
