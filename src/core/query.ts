/**
 * Shape questions as data, for the CLI, the batch protocol and the benchmarks: a source
 * text and an optional input shape in, a JSON-ready answer out.
 */
import { analyzeItem, analyzeLayer, itemConditions, itemOutput, layerResults, mainItem, type ItemResult } from './analyze';
import { constant, constValue, format, sym, type Expr } from './expr';
import type { RefusalRule } from './outcome';
import { parseCaffe } from './caffe/model';
import { parseConfig } from './config/parse';
import type { LayerCall, SourceModel } from './values';
import { parsePython } from './python/parse';
import { formatCondition, type Shape } from './shape';
import type { AxisArithmetic } from './torch/report';
import { convertTransposedCall, type Conversion } from './convert/zeroInserted';
import { translateTransposed, type Translation, type TranslationTarget } from './translate';

/** A size in JSON: a number when known, its formula as text when symbolic. */
export type JsonDim = number | string;

/** One spatial axis of a sliding-window layer: what PyTorch actually does along it. */
export interface JsonAxis {
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly effectiveKernel: number;
  /** Padding applied at [start, end]; for a transposed conv, the crop of the full output. */
  readonly padding: [number, number];
  readonly outputPadding?: number;
  /** A transposed conv as a stride-1 conv: zeros between inputs, then pad [start, end] (negative = crop). */
  readonly zeroInsertion?: { readonly zerosBetween: number; readonly padding: [number, number] };
  /** Input elements at the end no window reads (the floor remainder of a strided conv or pool). */
  readonly unread?: JsonDim;
}

export interface JsonLayer {
  readonly type: string;
  readonly input?: JsonDim[];
  readonly output?: JsonDim[];
  readonly parameters?: JsonDim;
  readonly axes?: JsonAxis[];
  readonly error?: string;
  readonly rule?: RefusalRule;
}

export type ShapeAnswer =
  | { readonly output: JsonDim[]; readonly layers: JsonLayer[]; readonly conditions?: string[]; readonly notes?: string[] }
  | { readonly error: string; readonly rule: RefusalRule; readonly layers: JsonLayer[] };

export function jsonDim(e: Expr): JsonDim {
  return constValue(e) ?? format(e);
}

export function jsonShape(shape: Shape): JsonDim[] {
  return shape.map(jsonDim);
}

/**
 * Reads `1,16,32,32`, `(1, 16, 32, 32)`, `[N, 16, H, W]` or `1x16x32x32`. Names are symbols.
 * Returns undefined when the text is not a shape.
 */
export function parseShapeSpec(text: string): Shape | undefined {
  const body = text.trim().replace(/^[([]\s*|\s*[)\]]$/g, '');
  if (body === '') return [];
  const parts = body.split(/\s*[,x×]\s*|\s+/).filter((p) => p !== '');
  const dims: Expr[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) dims.push(constant(Number(p)));
    else if (/^[A-Za-z_][A-Za-z_0-9]*$/.test(p)) dims.push(sym(p));
    else return undefined;
  }
  return dims;
}

/** Accepts the JSON form of an input shape: an array of non-negative integers or names. */
export function shapeFromJson(value: unknown): Shape | undefined {
  if (!Array.isArray(value)) return undefined;
  const dims: Expr[] = [];
  for (const v of value) {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) dims.push(constant(v));
    else if (typeof v === 'string' && /^[A-Za-z_][A-Za-z_0-9]*$/.test(v)) dims.push(sym(v));
    else return undefined;
  }
  return dims;
}

function jsonAxis(a: AxisArithmetic): JsonAxis {
  return {
    kernel: a.kernel,
    stride: a.stride,
    dilation: a.dilation,
    effectiveKernel: a.effectiveKernel,
    padding: [a.padBegin, a.padEnd],
    ...(a.outputPadding !== undefined ? { outputPadding: a.outputPadding } : {}),
    ...(a.unread && constValue(a.unread) !== 0 ? { unread: jsonDim(a.unread) } : {}),
    ...(a.zeroInsertion ? { zeroInsertion: { zerosBetween: a.zeroInsertion.zerosBetween, padding: [a.zeroInsertion.padBegin, a.zeroInsertion.padEnd] } } : {}),
  };
}

function jsonLayers(result: ItemResult): JsonLayer[] {
  return layerResults(result).map(({ layer, outcome }) => {
    if (!outcome.ok) return { type: layer.layerType, error: outcome.refusal.message, rule: outcome.refusal.rule };
    const r = outcome.value;
    return {
      type: layer.layerType,
      input: jsonShape(r.input),
      output: jsonShape(r.output),
      parameters: jsonDim(r.parameters),
      ...(r.axes.length > 0 ? { axes: r.axes.map(jsonAxis) } : {}),
    };
  });
}

/** Answers "what shape does this source produce (for this input)?". Never throws. */
export function answerShapeQuery(source: string, input: Shape | undefined): ShapeAnswer {
  const model = parseSource(source);
  const item = mainItem(model);
  if (!item) return { error: 'no layer found in the source (PyTorch, Keras, Flax or ONNX in Python; a YAML or JSON layer config)', rule: 'no-layer', layers: [] };
  const result = analyzeItem(item, input);
  const layers = jsonLayers(result);
  const out = itemOutput(result);
  if (!out.ok) return { error: out.refusal.message, rule: out.refusal.rule, layers };
  const conditions = itemConditions(result).map(formatCondition);
  const notes = layerResults(result).flatMap((l) => (l.outcome.ok ? l.outcome.value.notes : []));
  return {
    output: jsonShape(out.value),
    layers,
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

export type ConvertAnswer = Conversion | { readonly error: string; readonly rule: RefusalRule };

/**
 * Answers "rewrite this transposed conv as a zero-inserted conv": the last
 * ConvTranspose call of the source, with constant arguments written as literals so that the
 * replacement stands alone. Never throws.
 */
export function answerConvertQuery(source: string): ConvertAnswer {
  const model = mayHoldPythonLayers(source) ? parsePython(source) : undefined;
  // The conversion writes PyTorch modules: only PyTorch's transposed convs are candidates.
  const layer = [...(model?.layers ?? [])].reverse().find((l) => l.framework === 'torch' && l.layerType.includes('ConvTranspose'));
  if (!layer) return { error: 'no transposed convolution (nn.ConvTranspose1d/2d/3d) found in the source', rule: 'no-layer' };
  const outcome = convertTransposedCall(layer, { arguments: 'values' });
  return outcome.ok ? outcome.value : { error: outcome.refusal.message, rule: outcome.refusal.rule };
}

export type TranslateAnswer = { readonly layer: string; readonly translations: readonly Translation[] } | { readonly error: string; readonly rule: RefusalRule };

/** The last transposed conv of a source (any framework), in every framework's terms (or only `target`'s). */
export function answerTranslateQuery(source: string, target?: TranslationTarget): TranslateAnswer {
  const model = parseSource(source);
  // Whatever the framework calls it (ConvTranspose2d, Conv2DTranspose, Deconvolution…): the
  // engine's family says; a refused layer is taken when its name says it is one.
  let found: { layer: LayerCall; outcome: ReturnType<typeof analyzeLayer> } | undefined;
  for (let k = model.layers.length - 1; k >= 0 && !found; k--) {
    const layer = model.layers[k];
    const outcome = analyzeLayer(layer, undefined);
    if (outcome.ok ? outcome.value.family === 'convTranspose' : /Transpose|Deconvolution/.test(layer.layerType)) found = { layer, outcome };
  }
  if (!found) return { error: 'no transposed convolution found in the source (nn.ConvTranspose2d, layers.Conv2DTranspose, an ONNX ConvTranspose node, a Caffe Deconvolution…)', rule: 'no-layer' };
  const { layer, outcome } = found;
  if (!outcome.ok) return { error: outcome.refusal.message, rule: outcome.refusal.rule };
  const all = translateTransposed(outcome.value) ?? [];
  return { layer: layer.text, translations: target ? all.filter((t) => t.target === target) : all };
}

/**
 * A source in any form Conv Lens reads: Python, or, when it holds no layer call, a Caffe
 * prototxt, a YAML or a JSON config (JSON when it starts with `{` or `[`, comments aside).
 */
export function parseSource(source: string): SourceModel {
  const python = mayHoldPythonLayers(source) ? parsePython(source) : undefined;
  if (python && python.layers.length > 0) return python;
  if (/\blayer\s*\{/.test(source)) {
    const caffe = parseCaffe(source);
    if (caffe.layers.length > 0) return caffe;
  }
  // JSON when its first value starts with `{` or `[`, after the comments JSONC allows: a
  // `// input: (1, 7, 7, 128)` first line read as YAML is a mapping, and the JSON after it
  // a syntax error.
  const body = source.replace(/^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/, '');
  const config = parseConfig(source, body.startsWith('{') || body.startsWith('[') ? 'json' : 'yaml');
  return config.layers.length > 0 || !python ? config : python;
}

/**
 * Whether the Python front end could find a layer in the text, from a scan of its comments
 * and strings (no parse). It cannot when no `(` stands outside comments (every layer it finds
 * is a call), nor when a line outside strings starts with `layer {` — Caffe's top-level
 * message, which no Python statement does: the text is a Caffe net, however broken. Such
 * texts were parsed as Python all the same, and there lezer's error recovery costs 3–7 µs
 * a byte of prototxt, 10–30× Caffe's own parse (a ResNet-50 deploy.prototxt: ~0.3 s of
 * every answer). Strings are followed only to tell a comment's `#` and a line's start from
 * a string's: a `(` inside a string still counts (an f-string's `{…}` is code), and so does
 * an unclosed `"""`.
 */
export function mayHoldPythonLayers(text: string): boolean {
  let call = false;
  const caffeLayer = /[ \t]*layer[ \t]*\{/y;
  for (let i = 0; i < text.length; i++) {
    if (i === 0 || text[i - 1] === '\n') {
      caffeLayer.lastIndex = i;
      if (caffeLayer.test(text)) return false;
    }
    const ch = text[i];
    if (ch === '(') call = true;
    else if (ch === '#') {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end - 1; // the next turn starts the next line
    } else if (ch === '"' || ch === "'") {
      const quote = text.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
      let j = i + quote.length;
      // A one-quote string also ends at the line's end, closed or not (Python's rule too).
      while (j < text.length && !text.startsWith(quote, j) && !(quote.length === 1 && text[j] === '\n')) {
        if (text[j] === '(') call = true;
        j += text[j] === '\\' ? 2 : 1;
      }
      if (j >= text.length && quote.length === 3) call = true;
      i = text.startsWith(quote, j) ? j + quote.length - 1 : j - 1;
    }
  }
  return call;
}
