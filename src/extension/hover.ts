/**
 * The hover on a layer call: its output shape first (for the input it gets, or symbolic),
 * then the arithmetic, then links to our own commands. User text is escaped by the core, and
 * only our own commands may run from the hover.
 */
import * as vscode from 'vscode';
import { layerAt } from '../core/python/parse';
import { layerHoverMarkdown } from '../core/present/hoverText';
import { CONVERT } from './convert';
import type { DocumentModels } from './documentModels';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'python' }, {
      provideHover(document, position) {
        if (!vscode.workspace.getConfiguration('convLens', document).get<boolean>('hover.enabled', true)) return undefined;
        const layer = layerAt(models.get(document), document.offsetAt(position));
        if (!layer) return undefined;
        const analysis = models.analysis(document);
        const insight = analysis.insightOf(layer);
        if (!insight) return undefined;
        const links: string[] = [];
        if (layer.layerType.startsWith('ConvTranspose') && insight.outcome.ok) {
          const args = encodeURIComponent(JSON.stringify([document.uri.toString(), document.offsetAt(position)]));
          links.push(`[Convert to zero-inserted conv](command:${CONVERT}?${args} "Rewrite this call as zero insertion + padding + a stride-1 conv")`);
        }
        const chainStart = insight.chain ? document.positionAt(insight.chain.chain.span.from).line + 1 : undefined;
        const receptiveField = analysis.receptiveFieldOf(insight);
        const markdown = new vscode.MarkdownString(layerHoverMarkdown(insight, { links, ...(receptiveField ? { receptiveField } : {}), ...(chainStart ? { chainLine: chainStart } : {}) }));
        markdown.isTrusted = { enabledCommands: [CONVERT] };
        markdown.supportHtml = false;
        const range = new vscode.Range(document.positionAt(layer.calleeSpan.from), document.positionAt(layer.span.to));
        return new vscode.Hover(markdown, range);
      },
    }),
  );
}
