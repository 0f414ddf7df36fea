/**
 * One parse per document version, shared by every feature: a hover, a hint and a
 * diagnostic on the same text never parse it twice.
 */
import * as vscode from 'vscode';
import { parsePython } from '../core/python/parse';
import type { SourceModel } from '../core/values';

export class DocumentModels implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; model: SourceModel }>();
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString()));

  get(document: vscode.TextDocument): SourceModel {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.model;
    const model = parsePython(document.getText());
    this.cache.set(key, { version: document.version, model });
    return model;
  }

  dispose(): void {
    this.onClose.dispose();
    this.cache.clear();
  }
}
