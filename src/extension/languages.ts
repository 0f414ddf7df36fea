/**
 * The documents Conv Lens reads: Python (layer calls), YAML and JSON (layers written as
 * configs: mmcv-style `type:` mappings, Keras model JSON), Caffe's `.prototxt` (a language
 * Conv Lens contributes: VS Code has none). Editing features that write code
 * (convert, the solver's rewrites) stay with Python.
 */
import type * as vscode from 'vscode';

export const MODEL_LANGUAGES: readonly string[] = ['python', 'yaml', 'json', 'jsonc', 'prototxt'];

export const MODEL_SELECTOR: vscode.DocumentSelector = MODEL_LANGUAGES.map((language) => ({ language }));

export function isModelDocument(document: vscode.TextDocument): boolean {
  return MODEL_LANGUAGES.includes(document.languageId);
}
