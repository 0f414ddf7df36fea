/**
 * One parse per document version, shared by every feature: a hover, a hint and a
 * diagnostic on the same text never parse it twice.
 */
import * as vscode from 'vscode';
import { reparsePython, type ParsedPython } from '../core/python/parse';
import type { SourceModel } from '../core/values';

export class DocumentModels implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; parsed: ParsedPython }>();
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString()));

  get(document: vscode.TextDocument): SourceModel {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit.parsed.model;
    // The previous version's tree lets lezer reparse only what the edit touched.
    const parsed = reparsePython(document.getText(), hit?.parsed);
    this.cache.set(key, { version: document.version, parsed });
    return parsed.model;
  }

  dispose(): void {
    this.onClose.dispose();
    this.cache.clear();
  }
}
