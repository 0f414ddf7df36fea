/**
 * Small exact computations on real numbers, for worked examples and diagrams: the
 * convolution matrix C (one row per output cell, one column per input cell), and the
 * direct and transposed 2-D convolutions of one channel, PyTorch's way (cross-correlation,
 * symmetric padding, transposed = scatter then crop `padding` at the start).
 */

export type Grid = number[][];

export interface Window2d {
  readonly kernel: readonly [number, number];
  readonly stride?: readonly [number, number];
  readonly padding?: readonly [number, number];
  readonly dilation?: readonly [number, number];
}

function defaults(w: Window2d) {
  return { k: w.kernel, s: w.stride ?? [1, 1], p: w.padding ?? [0, 0], d: w.dilation ?? [1, 1] };
}

function outLength(i: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((i + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * C for a 2-D convolution of an h×w input: entry [r][c] is the index `ky·kw + kx` of the
 * kernel tap that multiplies input cell c in output cell r, or -1. Cells are row-major.
 */
export function convolutionMatrix(h: number, w: number, win: Window2d): number[][] {
  const { k, s, p, d } = defaults(win);
  const oh = outLength(h, k[0], s[0], p[0], d[0]);
  const ow = outLength(w, k[1], s[1], p[1], d[1]);
  const rows: number[][] = [];
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      const row = new Array<number>(h * w).fill(-1);
      for (let ky = 0; ky < k[0]; ky++) {
        for (let kx = 0; kx < k[1]; kx++) {
          const y = oy * s[0] - p[0] + ky * d[0];
          const x = ox * s[1] - p[1] + kx * d[1];
          if (y >= 0 && y < h && x >= 0 && x < w) row[y * w + x] = ky * k[1] + kx;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}

/** C with the tap indices replaced by the kernel's values (0 where no tap). */
export function matrixValues(taps: number[][], kernel: Grid): number[][] {
  const flat = kernel.flat();
  return taps.map((row) => row.map((t) => (t < 0 ? 0 : flat[t])));
}

export function transpose(m: number[][]): number[][] {
  return m.length === 0 ? [] : m[0].map((_, c) => m.map((row) => row[c]));
}

export function conv2d(x: Grid, kernel: Grid, win: Omit<Window2d, 'kernel'> = {}): Grid {
  const taps = convolutionMatrix(x.length, x[0].length, { ...win, kernel: [kernel.length, kernel[0].length] });
  const values = matrixValues(taps, kernel);
  const flat = x.flat();
  const out = values.map((row) => row.reduce((acc, v, c) => acc + v * flat[c], 0));
  const { k, s, p, d } = defaults({ ...win, kernel: [kernel.length, kernel[0].length] });
  const ow = outLength(x[0].length, k[1], s[1], p[1], d[1]);
  return chunk(out, ow);
}

/**
 * PyTorch's conv_transpose2d of one channel: every input cell stamps the kernel, scaled by
 * its value, at stride spacing onto the full output; the result is the full output cropped
 * by `padding` at the start, with `output_padding` more cells kept at the end.
 */
export function convTranspose2d(x: Grid, kernel: Grid, win: Omit<Window2d, 'kernel'> & { outputPadding?: readonly [number, number] } = {}): Grid {
  const { s, p, d } = defaults({ ...win, kernel: [kernel.length, kernel[0].length] });
  const op = win.outputPadding ?? [0, 0];
  const [kh, kw] = [kernel.length, kernel[0].length];
  const fullH = (x.length - 1) * s[0] + d[0] * (kh - 1) + 1;
  const fullW = (x[0].length - 1) * s[1] + d[1] * (kw - 1) + 1;
  const full: Grid = Array.from({ length: fullH }, () => new Array<number>(fullW).fill(0));
  x.forEach((row, iy) =>
    row.forEach((v, ix) => {
      for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) full[iy * s[0] + ky * d[0]][ix * s[1] + kx * d[1]] += v * kernel[ky][kx];
    }),
  );
  const oh = fullH - 2 * p[0] + op[0];
  const ow = fullW - 2 * p[1] + op[1];
  // Cells past the end of the full output (output_padding beyond it) are zeros.
  return Array.from({ length: oh }, (_, y) => Array.from({ length: ow }, (_, xx) => full[y + p[0]]?.[xx + p[1]] ?? 0));
}

function chunk(values: number[], width: number): Grid {
  const rows: Grid = [];
  for (let i = 0; i < values.length; i += width) rows.push(values.slice(i, i + width));
  return rows;
}
