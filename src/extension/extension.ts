/**
 * The composition root: each feature registers itself. Runs in the Node extension host
 * (dist/extension.js) and in the web extension host (dist/web/extension.js) unchanged.
 */
import type * as vscode from 'vscode';
import * as convert from './convert';
import * as diagnostics from './diagnostics';
import { DocumentModels } from './documentModels';
import * as hover from './hover';
import * as inlayHints from './inlayHints';
import * as inputShapes from './inputShapes';
import * as layerShapes from './layerShapes';
import * as panel from './panel';
import * as solveActions from './solveActions';

export function activate(context: vscode.ExtensionContext): void {
  const inputs = new inputShapes.InputShapes(context.workspaceState);
  const models = new DocumentModels(inputs);
  context.subscriptions.push(inputs, models);
  inputShapes.register(context, inputs);
  hover.register(context, models);
  inlayHints.register(context, models, inputs);
  diagnostics.register(context, models, inputs);
  layerShapes.register(context, models);
  convert.register(context, models);
  solveActions.register(context, models);
  panel.register(context, models);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
