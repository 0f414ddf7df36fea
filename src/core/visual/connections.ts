/**
 * Which input cell meets which kernel tap in which output cell: the one relation behind
 * every view of the panel. Gather reads it by output (the window of output o), scatter by
 * input (the stamp of input i), overlap counts it per output, and the matrix lays it out as
 * C with one row per output and one column per input. Cells are flat, row-major over the
 * drawn axes; a tap is the index of the kernel weight as the layer stores it.
 */
import { unflatten, type GatherDiagram } from './gather';

export interface Contribution {
  readonly input: number;
  readonly tap: number;
}

/** For each output cell, the input cells it reads and with which kernel weight (real inputs only). */
export function contributions(diagram: GatherDiagram): Contribution[][] {
  const axes = diagram.axes;
  // The window is separable: per axis, which taps of output o land on real inputs. An
  // output's contributions are the product of its per-axis lists (in kernel row-major order).
  const perAxis = axes.map((a) =>
    Array.from({ length: a.output }, (_, o) => {
      const hits: { source: number; tap: number }[] = [];
      for (let j = 0; j < a.kernel; j++) {
        const cell = a.first + o * a.step + j * a.dilation;
        if (a.kinds[cell] === 'input') hits.push({ source: a.source[cell], tap: diagram.flipped ? a.kernel - 1 - j : j });
      }
      return hits;
    }),
  );
  const byOutput: Contribution[][] = [];
  if (axes.length === 2) {
    // The common case, without per-output bookkeeping: 16,384 outputs for a 64×64 input.
    const [rows, cols] = axes;
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        const list: Contribution[] = [];
        for (const r of perAxis[0][oy]) for (const c of perAxis[1][ox]) list.push({ input: r.source * cols.input + c.source, tap: r.tap * cols.kernel + c.tap });
        byOutput.push(list);
      }
    }
    return byOutput;
  }
  const outputs = axes.reduce((n, a) => n * a.output, 1);
  for (let flat = 0; flat < outputs; flat++) {
    const o = unflatten(flat, axes.map((a) => a.output));
    let list: Contribution[] = [{ input: 0, tap: 0 }];
    axes.forEach((a, k) => {
      const next: Contribution[] = [];
      for (const partial of list) for (const hit of perAxis[k][o[k]]) next.push({ input: partial.input * a.input + hit.source, tap: partial.tap * a.kernel + hit.tap });
      list = next;
    });
    byOutput.push(list);
  }
  return byOutput;
}

/**
 * How many of output `flat`'s taps land on real inputs — `contributions(diagram)[flat].length`
 * without building every list (the sliding-kernel view needs only this one number per step,
 * and a 64×64 transposed conv has 262,144 contributions).
 */
export function realTapCount(diagram: GatherDiagram, flat: number): number {
  const o = unflatten(flat, diagram.axes.map((a) => a.output));
  return diagram.axes.reduce((n, a, k) => {
    let hits = 0;
    for (let j = 0; j < a.kernel; j++) if (a.kinds[a.first + o[k] * a.step + j * a.dilation] === 'input') hits++;
    return n * hits;
  }, 1);
}

/** The same relation by input cell: where each input's stamp lands (scatter). */
export function stamps(diagram: GatherDiagram, byOutput: readonly Contribution[][] = contributions(diagram)): { output: number; tap: number }[][] {
  const inputs = diagram.axes.reduce((n, a) => n * a.input, 1);
  const byInput: { output: number; tap: number }[][] = Array.from({ length: inputs }, () => []);
  byOutput.forEach((list, output) => {
    for (const c of list) byInput[c.input].push({ output, tap: c.tap });
  });
  return byInput;
}

/** How many kernel taps reach a real input, per output cell (the overlap heat map). */
export function overlapCounts(byOutput: readonly Contribution[][]): number[] {
  return byOutput.map((list) => list.length);
}

/** Outputs as sums of contributions: what numbers mode shows after each scatter or gather step. */
export function weightedSums(byOutput: readonly Contribution[][], input: readonly number[], kernel: readonly number[]): number[] {
  return byOutput.map((list) => list.reduce((sum, c) => sum + input[c.input] * kernel[c.tap], 0));
}

/**
 * Real values through the diagram, one channel, for numbers mode: `input` and `kernel` in
 * row-major order over the drawn axes, `kernel` as the layer stores it. Returns the output
 * in row-major order. (A pool's values are not a weighted sum: convolutions only.)
 */
export function gatherValues(diagram: GatherDiagram, input: readonly number[], kernel: readonly number[]): number[] {
  return weightedSums(contributions(diagram), input, kernel);
}

/** Matrices larger than this (rows × columns) are described, not drawn. */
export const MAX_MATRIX_CELLS = 64 * 64;

export interface LayerMatrix {
  /** One row per output cell, one column per input cell. */
  readonly rows: number;
  readonly columns: number;
  /** Nonzero entries: the number of (output, input) pairs a weight connects. */
  readonly nonzero: number;
  /** Entry [r][c]: the kernel tap joining them, or -1; absent when too large to draw. */
  readonly taps?: readonly (readonly number[])[];
}

/**
 * The matrix of the layer's linear map, output = M · input (one channel). For a convolution
 * M is its convolution matrix C; for a transposed convolution M is Cᵀ, the transpose of the
 * matrix of the convolution it is the gradient of.
 */
export function layerMatrix(diagram: GatherDiagram, byOutput: readonly Contribution[][] = contributions(diagram)): LayerMatrix {
  const rows = byOutput.length;
  const columns = diagram.axes.reduce((n, a) => n * a.input, 1);
  const nonzero = byOutput.reduce((n, list) => n + list.length, 0);
  if (rows * columns > MAX_MATRIX_CELLS) return { rows, columns, nonzero };
  const taps = byOutput.map((list) => {
    const row = new Array<number>(columns).fill(-1);
    for (const c of list) row[c.input] = c.tap;
    return row;
  });
  return { rows, columns, nonzero, taps };
}
