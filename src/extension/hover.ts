/**
 * The hover on a layer call: its output shape first (symbolic until the input is known),
 * then why — PyTorch's refusal, or the conditions the input must meet.
 */
import * as vscode from 'vscode';
import { layerHoverMarkdown } from '../core/present/hoverText';
import { layerAt } from '../core/python/parse';
import type { DocumentModels } from './documentModels';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider({ language: 'python' }, {
      provideHover(document, position) {
        if (!vscode.workspace.getConfiguration('convLens', document).get<boolean>('hover.enabled', true)) return undefined;
        const model = models.get(document);
        const layer = layerAt(model, document.offsetAt(position));
        if (!layer) return undefined;
        const markdown = new vscode.MarkdownString(layerHoverMarkdown(layer, undefined));
        // User text appears in the hover: nothing in it may run a command.
        markdown.isTrusted = false;
        markdown.supportHtml = false;
        const range = new vscode.Range(document.positionAt(layer.calleeSpan.from), document.positionAt(layer.span.to));
        return new vscode.Hover(markdown, range);
      },
    }),
  );
}
