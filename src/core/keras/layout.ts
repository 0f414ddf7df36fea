/**
 * How Keras reads its arguments and lays out its tensors: `data_format` (channels last by
 * default: `(N, H, W, C)`), `standardize_tuple` (an int is repeated; a tuple must have one
 * entry per axis, each > 0 or ≥ 0), `standardize_padding`, and shapes printed as Keras
 * prints them (`(None, 28, 28, 1)`).
 */
import { describe, intValue } from '../args';
import { constValue, format, sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';

export type DataFormat = 'channels_last' | 'channels_first';

/** `standardize_data_format`: None means the Keras config's default, channels_last. */
export function dataFormat(v: Value | undefined): DataFormat {
  if (v === undefined || v.kind === 'none') return 'channels_last';
  const text = v.kind === 'str' ? v.value.toLowerCase() : describe(v);
  if (text !== 'channels_last' && text !== 'channels_first') {
    fail('argument', `The \`data_format\` argument must be one of {'channels_first', 'channels_last'}. Received: data_format=${v.kind === 'str' ? v.value : describe(v)}`);
  }
  return text;
}

/** A Python tuple as Python prints it: `(2, 2)`, `(2,)`. */
export function tupleText(xs: readonly (number | string)[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

/** A numpy integer array as numpy prints it: `[1 1]`. */
export function arrayText(xs: readonly (number | string)[]): string {
  return `[${xs.join(' ')}]`;
}

/** `standardize_tuple(value, n, name, allow_zero)`. */
export function kerasTuple(v: Value, n: number, name: string, allowZero = false): number[] {
  const received = `The \`${name}\` argument must be a tuple of ${n} integers. Received ${name}=${describe(v)}`;
  let xs: number[];
  if (v.kind === 'int' || v.kind === 'bool') xs = Array.from({ length: n }, () => intValue(v, name));
  else if (v.kind === 'seq') {
    if (v.items.length !== n) fail('spatial-dims', received);
    xs = v.items.map((item) => intValue(item, name));
  } else if (v.kind === 'unknown') xs = [intValue(v, name)];
  else return fail('argument', received);
  const bad = xs.filter((x) => (allowZero ? x < 0 : x <= 0));
  if (bad.length > 0) fail('argument', `${received}, including values {${[...new Set(bad)].join(', ')}} that do not satisfy \`value ${allowZero ? '>= 0' : '> 0'}\``);
  return xs;
}

export type KerasPadding = 'valid' | 'same' | 'causal';

/** `standardize_padding`: case-insensitive 'valid' or 'same' ('causal' for Conv1D only). */
export function kerasPadding(v: Value | undefined, allowCausal: boolean): KerasPadding {
  if (v === undefined) return 'valid';
  const allowed = allowCausal ? "{'valid', 'same', 'causal'}" : "{'valid', 'same'}";
  const padding = v.kind === 'str' ? v.value.toLowerCase() : undefined;
  if (padding === 'valid' || padding === 'same' || (allowCausal && padding === 'causal')) return padding;
  return fail('padding-string', `The \`padding\` argument must be a list/tuple or one of ${allowed}. Received: ${padding ?? describe(v)}`);
}

/** The batch, channel and spatial sizes of an input, after Keras' rank check. */
export interface KerasInput {
  readonly batch: Expr;
  readonly channels: Expr;
  readonly spatial: readonly Expr[];
}

/** A layer's name as Keras names its first instance: `Conv2DTranspose` → `conv2d_transpose`. */
export function layerName(layerType: string): string {
  // Keras' to_snake_case: a capitalised word after anything, then a lower-case letter before a capital.
  return layerType.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras' InputSpec(min_ndim) check, then the split by data_format. */
export function splitKerasInput(layerType: string, input: Shape, rank: number, fmt: DataFormat): KerasInput {
  const ndim = rank + 2;
  if (input.length !== ndim) {
    const expected = input.length < ndim ? `min_ndim=${ndim}` : `ndim=${ndim}`;
    fail('input-rank', `Input 0 of layer "${layerName(layerType)}" is incompatible with the layer: expected ${expected}, found ndim=${input.length}. Full shape received: ${kerasShape(input)}`);
  }
  return fmt === 'channels_last'
    ? { batch: input[0], channels: input[ndim - 1], spatial: input.slice(1, ndim - 1) }
    : { batch: input[0], channels: input[1], spatial: input.slice(2) };
}

export function joinKerasOutput(fmt: DataFormat, batch: Expr, channels: Expr, spatial: readonly Expr[]): Shape {
  return fmt === 'channels_last' ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/** The input a layer is shown with when none is known: `(N, H, W, C)` channels last. */
export function symbolicKerasInput(rank: number, fmt: DataFormat, channels: Expr = sym('C')): Shape {
  const spatial = (rank === 1 ? ['L'] : rank === 2 ? ['H', 'W'] : ['D', 'H', 'W']).map(sym);
  return joinKerasOutput(fmt, sym('N'), channels, spatial);
}

/** A shape as Keras prints it: the batch symbol is `None`. */
export function kerasShape(shape: Shape): string {
  return tupleText(shape.map((s, i) => (i === 0 && format(s) === 'N' ? 'None' : (constValue(s) ?? format(s)))));
}
