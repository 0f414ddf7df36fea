/**
 * The hover's Markdown for the layer at an offset, from a source text alone: the core calls
 * src/extension/hover.ts makes, in its order, without `vscode`. The front end the document's
 * language picks (as documentModels.ts does), the document analysis with no input shapes set,
 * the layer at the offset, then the core's layerHover (Markdown and, given the document's URI,
 * the links to our own commands) as hover.ts calls it. Also the selection trace hover.ts
 * shows over a selection of several layers.
 *
 * Shared by the web-build proof (bundled into a browser Worker, test/web/worker.ts) and the
 * hover security tests.
 */
import { parseCaffe } from '../../src/core/caffe/model';
import { parseConfig } from '../../src/core/config/parse';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { selectionTrace } from '../../src/core/editor/selectionTrace';
import { layerHover } from '../../src/core/present/layerHover';
import { traceMarkdown } from '../../src/core/present/traceText';
import { layerAt, parsePython } from '../../src/core/python/parse';
import type { SourceModel } from '../../src/core/values';

export type HoverLanguage = 'python' | 'yaml' | 'json' | 'jsonc' | 'prototxt';

export interface HoverQuery {
  readonly text: string;
  readonly offset: number;
  readonly language: HoverLanguage;
  /** The document's URI as `Uri.toString()` gives it: with it, the hover gets its command links. */
  readonly uri?: string;
}

export { CONVERT_COMMAND as CONVERT, OPEN_VISUALIZATION_COMMAND as OPEN_VISUALIZATION } from '../../src/core/present/layerHover';

/** The source model of a document in `language`, from the front end documentModels.ts picks for it. */
export function modelOf(text: string, language: HoverLanguage): SourceModel {
  if (language === 'python') return parsePython(text);
  return language === 'prototxt' ? parseCaffe(text) : parseConfig(text, language === 'yaml' ? 'yaml' : 'json');
}

/** The 1-based line of an offset, counting line breaks as VS Code's `positionAt` does. */
export function lineOf(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\r\n|\r|\n/g) ?? []).length + 1;
}

/** The layer hover's Markdown, or undefined where hover.ts shows none: the core's layerHover, as hover.ts calls it. */
export function hoverAt(query: HoverQuery): string | undefined {
  const { text, offset, uri } = query;
  const model = modelOf(text, query.language);
  const layer = layerAt(model, offset);
  if (!layer) return undefined;
  return layerHover(new DocumentAnalysis(model, text, {}), layer, (at) => lineOf(text, at), uri === undefined ? undefined : { uri, offset });
}

/** The hover over a selection from `from` to `to`: the trace of its layers, or undefined for fewer than two. */
export function traceAt(text: string, language: HoverLanguage, from: number, to: number): string | undefined {
  const steps = selectionTrace(new DocumentAnalysis(modelOf(text, language), text, {}), from, to);
  return steps.length < 2 ? undefined : traceMarkdown(steps, (offset) => lineOf(text, offset));
}
