/**
 * View 4, matrix: the layer as a matrix product, output = M · input (one channel). A
 * convolution's M is its convolution matrix C; a transposed convolution's M is Cᵀ, the
 * transpose of the matrix of the convolution it is the gradient of. Both are drawn, with
 * the current output's row of M (and the same column of its transpose) highlighted.
 */
import { layerMatrix, MAX_MATRIX_CELLS } from '../../src/core/visual/connections';
import { board } from '../board';
import { cellSize, formatNumber } from '../svg';
import { cellName, plane, type ViewDef } from './context';

export const matrixView: ViewDef = {
  label: 'Matrix',
  steps: (ctx) => ctx.outputs,
  unavailable: (ctx) => {
    if (ctx.diagram.family === 'pool') return 'A pool is not linear (max) or has no weights to lay out: no matrix to draw.';
    const m = layerMatrix(ctx.diagram, ctx.byOutput);
    return m.taps ? undefined : `The matrix is ${m.rows.toLocaleString('en-US')} × ${m.columns.toLocaleString('en-US')} (${m.nonzero.toLocaleString('en-US')} nonzero entries): too large to draw (limit ${MAX_MATRIX_CELLS.toLocaleString('en-US')} cells). Set a smaller input shape to see it.`;
  },
  draw(ctx, step) {
    const d = ctx.diagram;
    const m = layerMatrix(d, ctx.byOutput);
    const taps = m.taps ?? [];
    const twoD = d.axes.length === 2;
    const inCols = plane(d.axes, (a) => a.input).cols;
    const outCols = plane(d.axes, (a) => a.output).cols;
    const kernelCols = d.axes[d.axes.length - 1].kernel;
    const numbers = ctx.numbers;
    const transposed = d.family === 'convTranspose';
    const cell = cellSize(ctx.width, m.columns + m.rows + 4, 24, ctx.zoom);
    const top = 32;
    // Right of the first matrix and of its captions (about 6 px a character).
  const rightX = Math.max((m.columns + 4) * cell, 280);
    const pic = board(rightX + m.rows * cell + 2, top + Math.max(m.rows, m.columns) * cell + 8, `matrix: ${transposed ? 'this transposed convolution is Cᵀ' : 'this convolution is C'}, ${m.rows} outputs × ${m.columns} inputs, ${m.nonzero} nonzero entries`, 2 * m.rows * m.columns);
    pic.text(0, 12, transposed ? `Cᵀ — this layer (${m.rows} × ${m.columns})` : `C — this layer (${m.rows} × ${m.columns})`, 'caption');
    pic.text(0, 26, 'row = output cell, column = input cell', 'caption faint');
    pic.text(rightX, 12, transposed ? `C — the conv it transposes (${m.columns} × ${m.rows})` : `Cᵀ — its transposed conv (${m.columns} × ${m.rows})`, 'caption');
    pic.text(rightX, 26, 'the same entries, mirrored', 'caption faint');
    const entry = (tap: number): string | undefined => (tap < 0 ? undefined : numbers ? formatNumber(numbers.kernel[tap]) : undefined);
    const tapName = (tap: number): string => (twoD ? `w(${Math.floor(tap / kernelCols)}, ${tap % kernelCols})` : `w[${tap}]`);
    const tip = (o: number, i: number): string => `output ${cellName(o, outCols, twoD)}, input ${cellName(i, inCols, twoD)}: ${taps[o][i] < 0 ? '0' : tapName(taps[o][i])}`;
    pic.grid({
      x: 0,
      y: top,
      rows: m.rows,
      cols: m.columns,
      cell,
      classes: (r, c) => `${taps[r][c] >= 0 ? 'entry' : 'zero-entry'}${r === step ? ' current-row' : ''}`,
      label: (r, c) => entry(taps[r][c]),
      title: (r, c) => tip(r, c),
    });
    pic.grid({
      x: rightX,
      y: top,
      rows: m.columns,
      cols: m.rows,
      cell,
      classes: (r, c) => `${taps[c][r] >= 0 ? 'entry' : 'zero-entry'}${c === step ? ' current-row' : ''}`,
      label: (r, c) => entry(taps[c][r]),
      title: (r, c) => tip(c, r),
    });
    const n = ctx.byOutput[step].length;
    const row = n === 1 ? 'its 1 nonzero entry is the kernel tap that reaches a real input' : `its ${n} nonzero entries are the kernel taps that reach real inputs`;
    const status = `Step ${step + 1} of ${m.rows}: row ${step} is output ${cellName(step, outCols, twoD)}; ${row}. ${m.nonzero} of ${m.rows * m.columns} entries are nonzero.`;
    return { element: pic.element, status };
  },
};
