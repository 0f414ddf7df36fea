/**
 * One transposed convolution in each framework's convention. Every framework computes the
 * same *full* output (padding 0: length F = (i − 1)·s + d·(k − 1) + 1 per axis) and keeps a
 * window of it: O cells from a start crop c, zeros past the end of the full output
 * (../shared/reference/conv-arithmetic.md §0). They differ only in O and c, which is why
 * TF's SAME and PyTorch's `padding=1, output_padding=1` give the same size one pixel apart.
 */
import { contributions, weightedSums } from './connections';
import { axisCanvas, unflatten, type AxisCanvas, type GatherDiagram } from './gather';

export interface Convention {
  readonly framework: string;
  /** How the user asks for it there. */
  readonly setting: string;
  /** Per drawn axis: the output length and the start crop into the full output. */
  readonly length: readonly number[];
  readonly crop: readonly number[];
}

export interface Comparison {
  /** The full output's length per drawn axis. */
  readonly full: readonly number[];
  readonly conventions: readonly Convention[];
}

/** The conventions side by side for a transposed conv's diagram; undefined for other layers. */
export function compareConventions(diagram: GatherDiagram): Comparison | undefined {
  if (diagram.family !== 'convTranspose') return undefined;
  const axes = diagram.axes;
  const span = (a: AxisCanvas): number => a.dilation * (a.kernel - 1) + 1;
  const full = axes.map((a) => (a.input - 1) * a.stride + span(a));
  const per = <T>(f: (a: AxisCanvas, k: number) => T): T[] => axes.map(f);
  const same = (xs: readonly number[]): string => (xs.every((x) => x === xs[0]) ? String(xs[0]) : `(${xs.join(', ')})`);
  // PyTorch crops p at the start and p − output_padding at the end. For a layer of another
  // framework (a Keras crop of 1 and 2) the PyTorch setting of the same length: p the larger
  // crop, output_padding what gives the rest back (for a PyTorch layer: its own p and op).
  const p = per((a) => Math.max(a.params.padBegin, a.params.padEnd, 0));
  const op = per((a, k) => 2 * p[k] - a.params.padBegin - a.params.padEnd);
  // ONNX auto_pad SAME_*: total crop T = max(0, keff − s) (reference §4.2).
  const t = per((a) => Math.max(0, span(a) - a.stride));
  return {
    full,
    conventions: [
      { framework: 'PyTorch', setting: `padding=${same(p)}, output_padding=${same(op)}`, length: per((_, k) => full[k] - 2 * p[k] + op[k]), crop: p },
      { framework: 'TF / Keras', setting: 'padding="same"', length: per((a) => a.input * a.stride), crop: per((a, k) => Math.floor(Math.max(0, full[k] - a.input * a.stride) / 2)) },
      { framework: 'TF / Keras', setting: 'padding="valid"', length: per((a, k) => Math.max(full[k], (a.input - 1) * a.stride + a.stride)), crop: per(() => 0) },
      { framework: 'ONNX', setting: 'auto_pad="SAME_UPPER"', length: per((_, k) => full[k] - t[k]), crop: t.map((x) => Math.floor(x / 2)) },
      { framework: 'ONNX', setting: 'auto_pad="SAME_LOWER"', length: per((_, k) => full[k] - t[k]), crop: t.map((x) => x - Math.floor(x / 2)) },
    ],
  };
}

/** The full output of a transposed conv's diagram (padding 0), for numbers mode: row-major values. */
export function fullOutput(diagram: GatherDiagram, input: readonly number[], kernel: readonly number[]): number[] {
  const axes = diagram.axes.map((a) => {
    const pad = a.dilation * (a.kernel - 1);
    return axisCanvas({ kernel: a.kernel, stride: a.stride, dilation: a.dilation, padBegin: 0, padEnd: 0, zeroInsertion: { padBegin: pad, padEnd: pad } }, 'convTranspose', a.input);
  });
  return weightedSums(contributions({ ...diagram, axes }), input, kernel);
}

/** What a convention keeps of the full output (row-major), zeros past its end. */
export function keep(full: readonly number[], fullLengths: readonly number[], convention: Convention): number[] {
  const out: number[] = [];
  const total = convention.length.reduce((n, l) => n * l, 1);
  for (let flat = 0; flat < total; flat++) {
    const at = unflatten(flat, convention.length).map((x, k) => x + convention.crop[k]);
    const inside = at.every((x, k) => x < fullLengths[k]);
    out.push(inside ? full[at.reduce((n, x, k) => n * fullLengths[k] + x, 0)] : 0);
  }
  return out;
}
