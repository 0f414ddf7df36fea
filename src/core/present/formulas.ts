/**
 * The arithmetic of one axis written out with its numbers, e.g.
 * `(H − 1)·2 − 2·1 + 1·(3 − 1) + 0 + 1 = 2·H`.
 */
import { format, type Expr } from '../expr';
import type { AxisArithmetic } from '../torch/report';

function grouped(e: Expr): string {
  const s = format(e);
  return /^[A-Za-z_0-9.]+$/.test(s) ? s : `(${s})`;
}

function signed(n: number): string {
  return n < 0 ? ` − ${-n}` : ` + ${n}`;
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
