/**
 * What the engine knows about one layer applied to one input: the output shape, the
 * arithmetic per spatial axis (for hovers and diagrams), the parameter count, and the
 * conditions a symbolic input must meet.
 */
import { add, addConst, constant, constValue, format, mul, scale, sub, type Expr } from '../expr';

/**
 * Of the floor remainder (the padded cells after the last window), those that are input
 * elements rather than end padding: `remainder − padEnd`, at least 0. A symbolic remainder
 * is kept only when there is no end padding to take off (it cannot be clamped).
 */
export function unreadInputs(remainder: Expr, padEnd: number): Expr | undefined {
  const r = constValue(remainder);
  if (r !== undefined) return constant(Math.max(0, r - padEnd));
  return padEnd === 0 ? remainder : undefined;
}
import { fail } from '../outcome';
import type { Condition, Shape } from '../shape';

export type LayerFamily =
  | 'conv'
  | 'convTranspose'
  | 'pool'
  | 'adaptivePool'
  | 'unpool'
  | 'upsample'
  | 'pixelShuffle'
  | 'reshape'
  | 'linear'
  | 'norm'
  | 'pad'
  | 'elementwise'
  /** A model's declared input (`keras.Input`, an ONNX graph input): where a chain's tensor comes from. */
  | 'input';

/** The sliding-window arithmetic along one spatial axis. */
export interface AxisArithmetic {
  readonly input: Expr;
  readonly output: Expr;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** d·(k − 1) + 1: the span one window covers. */
  readonly effectiveKernel: number;
  /**
   * Padding actually applied to the input at the start and the end of the axis. For a
   * transposed conv, the crop of the full output instead: `padding` at the start,
   * `padding − output_padding` at the end.
   */
  readonly padBegin: number;
  readonly padEnd: number;
  readonly outputPadding?: number;
  /** For a transposed conv, the equivalent stride-1 conv over a zero-inserted input. */
  readonly zeroInsertion?: ZeroInsertion;
  /**
   * Input elements at the end that no window reads (the floor remainder, less the end
   * padding it may fall in), for a strided conv/pool; undefined when that is not known.
   */
  readonly unread?: Expr;
  /** Pooling in ceil mode: whether a last partial window was kept. */
  readonly ceilMode?: boolean;
  /**
   * TF/Keras 'same' and ONNX SAME_*: the pads depend on the input length (`need =
   * (⌈i/s⌉ − 1)·s + keff − i`), the odd one at the `end` (TF, SAME_UPPER) or the `start`
   * (SAME_LOWER). padBegin/padEnd are this input's, or, for a symbolic input,
   * those of a length that is a multiple of the stride; a drawing of another length (an
   * example input) works them out again.
   */
  readonly sameSplit?: 'end' | 'start';
}

/**
 * `conv_transpose(x)` = `conv(pad(insert_zeros(x)))` with a flipped kernel, stride 1 and the
 * same dilation and groups. A negative pad is a crop.
 */
export interface ZeroInsertion {
  /** stride − 1 zeros between neighbouring inputs. */
  readonly zerosBetween: number;
  /** (i − 1)·s + 1 */
  readonly insertedLength: Expr;
  /** d·(k − 1) − p */
  readonly padBegin: number;
  /** d·(k − 1) − p + output_padding */
  readonly padEnd: number;
}

export interface LayerReport {
  readonly layerType: string;
  readonly family: LayerFamily;
  readonly input: Shape;
  readonly output: Shape;
  readonly axes: readonly AxisArithmetic[];
  /** Learnable parameters (weights + biases); symbolic when channel counts are. */
  readonly parameters: Expr;
  /**
   * Multiply-adds of a convolution. A transposed conv is counted both ways: as PyTorch
   * computes it (every input times the kernel, scattered) and as the naive stride-1
   * convolution over the zero-inserted input, whose multiplications by zero are wasted.
   */
  readonly multiplyAdds?: { readonly computed: Expr; readonly zeroInserted?: Expr };
  /** A convolution's groups (channels split into that many independent convolutions). */
  readonly groups?: number;
  /** What a symbolic input must satisfy for PyTorch to accept it. */
  readonly conditions: readonly Condition[];
  readonly notes: readonly string[];
  /** Whose rules computed it: absent for PyTorch. */
  readonly framework?: 'keras' | 'tf' | 'onnx' | 'flax' | 'jax' | 'caffe';
  /** Where the channels are: absent for channels first (`(N, C, H, W)`). */
  readonly layout?: 'channels_last';
}

/**
 * A transposed conv's axis as every framework's is: the full output
 * `F = (i − 1)·s + d·(k − 1) + 1` less `crop.begin` cells at the start and `crop.end` at the
 * end (negative: zeros appended), and the equivalent stride-1 conv over the zero-inserted input.
 */
export function croppedAxis(input: Expr, kernel: number, stride: number, dilation: number, crop: { readonly begin: number; readonly end: number }, outputPadding?: number): AxisArithmetic {
  const keff = dilation * (kernel - 1) + 1;
  return {
    input,
    output: addConst(scale(addConst(input, -1), stride), keff - crop.begin - crop.end),
    kernel,
    stride,
    dilation,
    effectiveKernel: keff,
    padBegin: crop.begin,
    padEnd: crop.end,
    ...(outputPadding !== undefined ? { outputPadding } : {}),
    zeroInsertion: { zerosBetween: stride - 1, insertedLength: addConst(mul(addConst(input, -1), constant(stride)), 1), padBegin: keff - 1 - crop.begin, padEnd: keff - 1 - crop.end },
  };
}

/** TF's SAME split of one axis: `need = max(0, (⌈i/s⌉ − 1)·s + keff − i)`, `need//2` before, the rest after. */
export function samePads(input: number, stride: number, effectiveKernel: number, odd: 'end' | 'start' = 'end'): [number, number] {
  const need = Math.max(0, (Math.ceil(input / stride) - 1) * stride + effectiveKernel - input);
  const begin = odd === 'end' ? Math.floor(need / 2) : need - Math.floor(need / 2);
  return [begin, need - begin];
}

/** The position of the channel axis in a report's shapes. */
export function channelIndex(report: Pick<LayerReport, 'layout'>, shape: readonly unknown[], spatialAxes: number): number {
  return report.layout === 'channels_last' ? shape.length - 1 : shape.length - spatialAxes - 1;
}

/** Collects the conditions and notes of one layer while its shape is computed. */
export class Checks {
  readonly conditions: Condition[] = [];
  readonly notes: string[] = [];

  /**
   * Requires `expr ≥ min`. Decided now when expr is a constant (refusing with `onFail`),
   * otherwise recorded as a condition on the input symbols.
   */
  atLeast(expr: Expr, min: number, onFail: () => never): void {
    const k = constValue(expr);
    if (k === undefined) this.conditions.push({ kind: 'atLeast', expr, min });
    else if (k < min) onFail();
  }

  divisible(expr: Expr, by: number, onFail: () => never): void {
    const k = constValue(expr);
    if (k === undefined) {
      if (by !== 1) this.conditions.push({ kind: 'divisible', expr, by });
    } else if (k % by !== 0) onFail();
  }

  /** Requires two sizes to be equal; symbolic sizes that differ only in symbols become a condition. */
  same(a: Expr, b: Expr, onFail: () => never): void {
    const diff = constValue(sub(a, b));
    if (diff === 0) return;
    if (diff !== undefined || (constValue(a) !== undefined && constValue(b) !== undefined)) onFail();
    this.conditions.push({ kind: 'equal', a, b });
  }
}

/** A finished report: the checks' conditions and notes, no axes and no parameters unless given. */
export function layerReport(
  layerType: string,
  family: LayerFamily,
  input: Shape,
  output: Shape,
  checks: Checks,
  extra: { readonly axes?: readonly AxisArithmetic[]; readonly parameters?: Expr } = {},
): LayerReport {
  return { layerType, family, input, output, axes: extra.axes ?? [], parameters: extra.parameters ?? constant(0), conditions: checks.conditions, notes: checks.notes };
}

/** `(4 x 8)` as PyTorch prints per-channel sizes. */
export function sizeList(sizes: readonly (Expr | number)[], sep = ' x '): string {
  return `(${sizes.map(sizeText).join(sep)})`;
}

/** A size as PyTorch prints it: plain ASCII digits when known, the formula when symbolic. */
export function sizeText(s: Expr | number): string {
  if (typeof s === 'number') return String(s);
  const k = constValue(s);
  return k === undefined ? format(s) : String(k);
}

/** `[1, 16, 32, 32]` as PyTorch prints a tensor's sizes. */
export function bracketList(sizes: readonly (Expr | number)[]): string {
  return `[${sizes.map(sizeText).join(', ')}]`;
}

/** The input split into batch, channel and spatial sizes, after PyTorch's rank check. */
export interface SplitInput {
  readonly batched: boolean;
  readonly channels: Expr;
  readonly spatial: readonly Expr[];
}

/** Accepts `(C, *spatial)` or `(N, C, *spatial)` with nd spatial axes, as conv and pooling do. */
export function splitInput(input: Shape, nd: number, refuse: () => never): SplitInput {
  if (input.length === nd + 1) return { batched: false, channels: input[0], spatial: input.slice(1) };
  if (input.length === nd + 2) return { batched: true, channels: input[1], spatial: input.slice(2) };
  return refuse();
}

export function joinInput(split: SplitInput, input: Shape, channels: Expr, spatial: readonly Expr[]): Shape {
  return split.batched ? [input[0], channels, ...spatial] : [channels, ...spatial];
}

export function product(xs: readonly Expr[]): Expr {
  return xs.reduce((acc, x) => mul(acc, x), { terms: [], c: 1 } as Expr);
}

export function sum(xs: readonly Expr[]): Expr {
  return add(...xs);
}

export function requireLength(values: readonly number[], nd: number, name: string, what: string): void {
  if (values.length !== nd) {
    fail('spatial-dims', `expected ${name} to be a single integer value or a list of ${nd} values to match the ${what} dimensions, but got ${name}=[${values.join(', ')}]`);
  }
}
