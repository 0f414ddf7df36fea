/**
 * View 3, overlap: how many kernel taps reach a real input for each output cell, as a heat
 * map. With a transposed conv whose kernel the stride does not divide, the counts alternate
 * (the checkerboard); when it divides, they are even away from the borders.
 */
import { overlapCounts } from '../../src/core/visual/connections';
import { board } from '../board';
import { cellSize } from '../svg';
import { cellName, plane, type ViewDef } from './context';

export const overlapView: ViewDef = {
  label: 'Overlap',
  steps: () => 1,
  unavailable: () => undefined,
  draw(ctx) {
    const d = ctx.diagram;
    const out = plane(d.axes, (a) => a.output);
    const counts = overlapCounts(ctx.byOutput);
    const max = Math.max(1, ...counts);
    const min = Math.min(...counts);
    const cell = cellSize(ctx.width, out.cols + 1, 40, ctx.zoom);
    const top = 32;
    const pic = board(out.cols * cell + 2, top + out.rows * cell + 8, `overlap: taps per output cell of ${d.axes.map((a) => a.output).join('×')}, from ${min} to ${max}`, out.rows * out.cols);
    pic.text(0, 12, 'kernel taps per output cell', 'caption');
    pic.text(0, 26, `from ${min} to ${max}`, 'caption faint');
    pic.grid({
      x: 0,
      y: top,
      rows: out.rows,
      cols: out.cols,
      cell,
      classes: () => 'heat',
      opacity: (r, c) => 0.1 + (0.85 * counts[r * out.cols + c]) / max,
      label: (r, c) => String(counts[r * out.cols + c]),
      title: (r, c) => `output ${cellName(r * out.cols + c, out.cols, d.axes.length === 2)}: ${counts[r * out.cols + c]} taps`,
    });
    const uneven = d.axes.filter((a) => (a.dilation * (a.kernel - 1) + 1) % a.stride !== 0);
    const status =
      d.family !== 'convTranspose'
        ? `Each output reads up to ${max} inputs; fewer near the borders, where the window covers padding.`
        : uneven.length > 0
          ? `Uneven overlap: the kernel (${uneven.map((a) => a.dilation * (a.kernel - 1) + 1).join(', ')}) is not divisible by the stride (${uneven.map((a) => a.stride).join(', ')}), so neighbouring outputs get different numbers of taps — the checkerboard pattern.`
          : 'Even overlap: the stride divides the kernel, so away from the borders every output gets the same number of taps — no checkerboard.';
    return { element: pic.element, status };
  },
};
