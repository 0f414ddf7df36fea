/**
 * The arithmetic of one axis written out with its numbers, e.g.
 * `(H − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 2·H`.
 */
import { format, type Expr } from '../expr';
import type { AxisArithmetic, LayerReport } from '../torch/report';

function grouped(e: Expr): string {
  const s = format(e);
  return /^[A-Za-z_0-9.]+$/.test(s) ? s : `(${s})`;
}

function signed(n: number): string {
  return n < 0 ? ` − ${-n}` : ` + ${n}`;
}

/** The formula of one axis as the layer's framework computes it. */
export function axisFormula(r: Pick<LayerReport, 'family' | 'framework'>, a: AxisArithmetic): string {
  if (r.family === 'convTranspose') return r.framework === undefined ? transposedFormula(a) : croppedFormula(a);
  return a.sameSplit ? `⌈${grouped(a.input)}/${a.stride}⌉ = ${format(a.output)}` : directFormula(a);
}

/**
 * Every framework's transposed conv: the full output `(i − 1)·s + d·(k − 1) + 1`, less the crop
 * at each end (a negative crop: zeros appended), e.g. `(H − 1)·2 + 1·(4 − 1) + 1 − 1 − 1 = 2·H`.
 */
export function croppedFormula(a: AxisArithmetic): string {
  const crops = [-a.padBegin, -a.padEnd].filter((c) => c !== 0).map(signed).join('');
  return `(${format(a.input)} − 1)·${a.stride} + ${a.dilation}·(${a.kernel} − 1) + 1${crops} = ${format(a.output)}`;
}

export function transposedFormula(a: AxisArithmetic): string {
  return `(${format(a.input)} − 1)·${a.stride} − 2·${a.padBegin} + ${a.dilation}·(${a.kernel} − 1) + ${a.outputPadding ?? 0} + 1 = ${format(a.output)}`;
}

export function directFormula(a: AxisArithmetic): string {
  const pads = a.padBegin === a.padEnd ? ` + 2·${a.padBegin}` : `${signed(a.padBegin)}${signed(a.padEnd)}`;
  const numerator = `${grouped(a.input)}${pads} − ${a.dilation}·(${a.kernel} − 1) − 1`;
  const floor = a.ceilMode ? ['⌈', '⌉'] : ['⌊', '⌋'];
  const body = a.stride === 1 ? `${numerator} + 1` : `${floor[0]}(${numerator})/${a.stride}${floor[1]} + 1`;
  return `${body} = ${format(a.output)}`;
}
