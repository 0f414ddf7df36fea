/**
 * One parse and one analysis per document version, shared by every feature: a hover, a hint
 * and a diagnostic on the same text never parse or analyse it twice.
 *
 * Large Python files are parsed in slices (`ready`): the hover, hint and diagnostic
 * providers await it, so the extension host — shared with every other extension — is never
 * blocked for the whole parse of a big file, and a parse the next keystroke makes obsolete
 * stops at its next slice.
 */
import * as vscode from 'vscode';
import { DocumentAnalysis } from '../core/editor/documentAnalysis';
import { LayerMemo } from '../core/editor/layerMemo';
import { parseCaffe } from '../core/caffe/model';
import { parseConfig } from '../core/config/parse';
import { reparsePython, reparsePythonInSlices, type ParsedPython } from '../core/python/parse';
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

/** Below this many characters a parse takes a few milliseconds: done at once, not in slices. */
const SLICED_FROM_CHARS = 100_000;

export class DocumentModels implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  /** Sliced parses in progress, per document: the version they parse, and their end. */
  private readonly pending = new Map<string, { version: number; done: Promise<boolean> }>();
  private readonly onClose = vscode.workspace.onDidCloseTextDocument((doc) => {
    this.cache.delete(doc.uri.toString());
    this.pending.delete(doc.uri.toString());
  });

  constructor(private readonly inputs: InputShapes) {}

  get(document: vscode.TextDocument): SourceModel {
    return this.entry(document).model;
  }

  /** The model of the document's current version if it is parsed already; never parses. */
  current(document: vscode.TextDocument): SourceModel | undefined {
    const hit = this.cache.get(document.uri.toString());
    return hit?.version === document.version ? hit.model : undefined;
  }

  /**
   * Resolves true once the current version is parsed (at once for small or parsed
   * documents), false when the document changed or closed meanwhile: the caller's answer
   * would be for a text that is gone.
   */
  async ready(document: vscode.TextDocument): Promise<boolean> {
    const key = document.uri.toString();
    const version = document.version;
    if (this.current(document) || document.languageId !== 'python' || document.getText().length < SLICED_FROM_CHARS) {
      this.entry(document);
      return true;
    }
    const running = this.pending.get(key);
    if (running?.version === version) return running.done;
    const previous = this.cache.get(key);
    const stillWanted = (): boolean => !document.isClosed && document.version === version;
    const pause = (): Promise<boolean> => new Promise((resolve) => setTimeout(() => resolve(stillWanted()), 0));
    const done = reparsePythonInSlices(document.getText(), previous?.python, pause).then((python) => {
      if (this.pending.get(key)?.version === version) this.pending.delete(key);
      if (!python || !stillWanted()) return false;
      if (!this.current(document)) this.cache.set(key, { version, python, model: python.model, moved: python.moved, memo: previous?.memo ?? new LayerMemo() });
      return true;
    });
    this.pending.set(key, { version, done });
    return done;
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
