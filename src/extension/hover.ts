/**
 * The hover on a layer call: its output shape first (for the input it gets, or symbolic),
 * then the arithmetic, then links to our own commands. User text is escaped by the core, and
 * only our own commands may run from the hover.
 */
import * as vscode from 'vscode';
import { MODEL_SELECTOR } from './languages';
import { layerAt } from '../core/python/parse';
import { selectionTrace } from '../core/editor/selectionTrace';
import { layerHoverMarkdown } from '../core/present/hoverText';
import { traceMarkdown } from '../core/present/traceText';
import { gatherDiagram } from '../core/visual/gather';
import { CONVERT } from './convert';
import type { DocumentModels } from './documentModels';
import { OPEN_VISUALIZATION } from './panel';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, {
      provideHover(document, position) {
        if (!vscode.workspace.getConfiguration('convLens', document).get<boolean>('hover.enabled', true)) return undefined;
        const trace = selectionHover(document, position, models);
        if (trace) return trace;
        const layer = layerAt(models.get(document), document.offsetAt(position));
        if (!layer) return undefined;
        const analysis = models.analysis(document);
        const insight = analysis.insightOf(layer);
        if (!insight) return undefined;
        const links: string[] = [];
        const args = encodeURIComponent(JSON.stringify([document.uri.toString(), document.offsetAt(position)]));
        if (insight.outcome.ok && gatherDiagram(insight.outcome.value)) {
          links.push(`[Open visualization](command:${OPEN_VISUALIZATION}?${args} "Draw this layer's sliding kernel in a panel beside the editor")`);
        }
        if (layer.framework === 'torch' && layer.layerType.startsWith('ConvTranspose') && insight.outcome.ok) {
          links.push(`[Convert to zero-inserted conv](command:${CONVERT}?${args} "Rewrite this call as zero insertion + padding + a stride-1 conv")`);
        }
        const chainStart = insight.chain ? document.positionAt(insight.chain.chain.span.from).line + 1 : undefined;
        const receptiveField = analysis.receptiveFieldOf(insight);
        const markdown = new vscode.MarkdownString(layerHoverMarkdown(insight, { links, ...(receptiveField ? { receptiveField } : {}), ...(chainStart ? { chainLine: chainStart } : {}) }));
        markdown.isTrusted = { enabledCommands: [CONVERT, OPEN_VISUALIZATION] };
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
