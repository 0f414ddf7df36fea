/**
 * One parse and one analysis per document version, shared by every feature: a hover, a hint
 * and a diagnostic on the same text never parse or analyse it twice.
 */
import * as vscode from 'vscode';
import { DocumentAnalysis } from '../core/editor/documentAnalysis';
import { LayerMemo } from '../core/editor/layerMemo';
import { parseCaffe } from '../core/caffe/model';
import { parseConfig } from '../core/config/parse';
import { reparsePython, type ParsedPython } from '../core/python/parse';
import type { SourceModel } from '../core/values';
import type { InputShapes } from './inputShapes';

interface Entry {
  version: number;
  /** A Python document's parse (its tree lets the next version reparse incrementally). */
  python?: ParsedPython;
  model: SourceModel;
  moved?: ParsedPython['moved'];
  /** The engine's answers, kept across versions: an edit recomputes only the layers it changed. */
  memo: LayerMemo;
  analysis?: { key: string; value: DocumentAnalysis };
}

export class DocumentModels implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((doc) => this.cache.delete(doc.uri.toString()));

  constructor(private readonly inputs: InputShapes) {}

  get(document: vscode.TextDocument): SourceModel {
    return this.entry(document).model;
  }

  /** The analysis of the document's current version with the current input shapes. */
  analysis(document: vscode.TextDocument): DocumentAnalysis {
    const entry = this.entry(document);
    const key = this.inputs.key(document);
    if (entry.analysis?.key !== key) {
      entry.analysis = { key, value: new DocumentAnalysis(entry.model, document.getText(), this.inputs.defaults(document), entry.memo, entry.moved) };
    }
    return entry.analysis.value;
  }

  private entry(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    const hit = this.cache.get(key);
    if (hit && hit.version === document.version) return hit;
    const memo = hit?.memo ?? new LayerMemo();
    let entry: Entry;
    if (document.languageId === 'python') {
      // The previous version's tree lets lezer reparse only what the edit touched.
      const python = reparsePython(document.getText(), hit?.python);
      entry = { version: document.version, python, model: python.model, moved: python.moved, memo };
    } else {
      const text = document.getText();
      const model = document.languageId === 'prototxt' ? parseCaffe(text) : parseConfig(text, document.languageId === 'yaml' ? 'yaml' : 'json');
      entry = { version: document.version, model, memo };
    }
    this.cache.set(key, entry);
    return entry;
  }

  dispose(): void {
    this.onClose.dispose();
    this.cache.clear();
  }
}
