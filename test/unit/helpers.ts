/** Builders for engine tests that do not go through the Python parser. */
import { constant, constValue, sym, type Expr } from '../../src/core/expr';
import { convTranspose2d, type Grid } from '../../src/core/numeric';
import { analyzeLayer } from '../../src/core/analyze';
import type { Outcome } from '../../src/core/outcome';
import { concreteShape, formatShape } from '../../src/core/shape';
import type { LayerReport } from '../../src/core/torch/report';
import type { Argument, Framework, LayerCall, Value } from '../../src/core/values';

export type Lit = number | boolean | string | null | readonly Lit[] | { sym: string };

export function value(v: Lit): Value {
  if (v === null) return { kind: 'none' };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', expr: constant(v) } : { kind: 'float', value: v };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (Array.isArray(v)) return { kind: 'seq', brackets: 'tuple', items: v.map(value) };
  return { kind: 'int', expr: sym((v as { sym: string }).sym) };
}

const NOWHERE = { from: 0, to: 0 };

export function call(layerType: string, positional: readonly Lit[] = [], keywords: Record<string, Lit> = {}, framework: Framework = 'torch'): LayerCall {
  const args: Argument[] = [
    ...positional.map((p) => ({ value: value(p), text: JSON.stringify(p), spanInCall: NOWHERE })),
    ...Object.entries(keywords).map(([name, p]) => ({ name, value: value(p), text: JSON.stringify(p), spanInCall: NOWHERE })),
  ];
  return { framework, layerType, args, hasStarArgs: false, span: NOWHERE, calleeSpan: NOWHERE, text: layerType };
}

/** A Keras layer call (`keras.layers.…`). */
export function kerasCall(layerType: string, positional: readonly Lit[] = [], keywords: Record<string, Lit> = {}): LayerCall {
  return call(layerType, positional, keywords, 'keras');
}

export function dims(...xs: (number | string)[]): Expr[] {
  return xs.map((x) => (typeof x === 'number' ? constant(x) : sym(x)));
}

export function run(layer: LayerCall, input?: (number | string)[]): Outcome<LayerReport> {
  return analyzeLayer(layer, input ? dims(...input) : undefined);
}

/** The concrete output shape, or throws with the refusal so a failing test shows it. */
export function outputOf(layer: LayerCall, input: number[]): number[] {
  const r = run(layer, input);
  if (!r.ok) throw new Error(`refused: ${r.refusal.rule}: ${r.refusal.message}`);
  const out = concreteShape(r.value.output);
  if (!out) throw new Error(`symbolic output ${formatShape(r.value.output)}`);
  return out;
}

/** The output shape as printed, e.g. `(N, 33, 2·H, 2·W)`. */
export function printedOutput(layer: LayerCall, input?: (number | string)[]): string {
  const r = run(layer, input);
  if (!r.ok) throw new Error(`refused: ${r.refusal.rule}: ${r.refusal.message}`);
  return formatShape(r.value.output);
}

export function refusalOf(layer: LayerCall, input?: number[]): { rule: string; message: string } {
  const r = run(layer, input);
  if (r.ok) throw new Error(`accepted with output ${formatShape(r.value.output)}`);
  return r.refusal;
}

/** A small seeded generator (mulberry32): the same cases on every run, any machine. */
export function seededRandom(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/**
 * Our model of a 2-D transposed conv's values: the full output (PyTorch's conv_transpose2d
 * with padding 0, the same kernel), then the window the report keeps, zeros past its end.
 */
export function windowValues(r: LayerReport, x: Grid, kernel: Grid): number[][] {
  const full = convTranspose2d(x, kernel, { stride: [r.axes[0].stride, r.axes[1].stride] });
  const [rows, cols] = r.axes.map((a) => constValue(a.output)!);
  const [top, left] = r.axes.map((a) => a.padBegin);
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => full[i + top]?.[j + left] ?? 0));
}
