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
  const outputs = axes.reduce((n, a) => n * a.output, 1);
  const taps = axes.reduce((n, a) => n * a.kernel, 1);
  const byOutput: Contribution[][] = [];
  for (let flat = 0; flat < outputs; flat++) {
    const o = unflatten(flat, axes.map((a) => a.output));
    const list: Contribution[] = [];
    for (let t = 0; t < taps; t++) {
      const j = unflatten(t, axes.map((a) => a.kernel));
      let input = 0;
      let tap = 0;
      let real = true;
      axes.forEach((a, k) => {
        const cell = a.first + o[k] * a.step + j[k] * a.dilation;
        const from = a.kinds[cell] === 'input' ? a.source[cell] : -1;
        if (from < 0) real = false;
        input = input * a.input + from;
        tap = tap * a.kernel + (diagram.flipped ? a.kernel - 1 - j[k] : j[k]);
      });
      if (real) list.push({ input, tap });
    }
    byOutput.push(list);
  }
  return byOutput;
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
