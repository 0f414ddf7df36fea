/**
 * The composition root: each feature registers itself. Runs in the Node extension host
 * (dist/extension.js) and in the web extension host (dist/web/extension.js) unchanged.
 */
import type * as vscode from 'vscode';
import { DocumentModels } from './documentModels';
import * as convert from './convert';
import * as hover from './hover';
import * as layerShapes from './layerShapes';

export function activate(context: vscode.ExtensionContext): void {
  const models = new DocumentModels();
  context.subscriptions.push(models);
  hover.register(context, models);
  layerShapes.register(context, models);
  convert.register(context, models);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
