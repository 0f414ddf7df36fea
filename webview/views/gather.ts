/** View 1, sliding kernel (gather): the kernel moves over the (zero-inserted, padded) input; the output fills in. */
import { depthInputs, describeDiagram, unflatten, unreadCells, windowCells, type AxisCanvas, type CellKind } from '../../src/core/visual/gather';
import { cellSize, el, formatNumber, grid, svgRoot, text } from '../svg';
import { cellName, plane, type ViewDef } from './context';

/** What a cell shows where its row and column kinds meet: the least "real" of the two. */
function cellKind(row: CellKind, col: CellKind): CellKind {
  for (const k of ['cropped', 'pad', 'zero'] as const) if (row === k || col === k) return k;
  return 'input';
}

export const gatherView: ViewDef = {
  label: 'Sliding kernel',
  steps: (ctx) => ctx.byOutput.length,
  unavailable: () => undefined,
  draw(ctx, step) {
    const d = ctx.diagram;
    const rows: AxisCanvas | undefined = d.axes.length === 2 ? d.axes[0] : undefined;
    const cols = d.axes[d.axes.length - 1];
    const rowKinds: readonly CellKind[] = rows?.kinds ?? ['input'];
    const rowSource: readonly number[] = rows?.source ?? [0];
    const out = plane(d.axes, (a) => a.output);
    const [oy, ox] = unflatten(step, [out.rows, out.cols]);
    const tapRows = rows ? windowCells(rows, oy) : [0];
    const tapCols = windowCells(cols, ox);
    const taps = new Set(tapRows.flatMap((r) => tapCols.map((c) => r * cols.kinds.length + c)));
    const unreadRows = new Set(rows ? unreadCells(rows) : []);
    const unreadCols = new Set(unreadCells(cols));

    const cell = cellSize(ctx.width, cols.kinds.length + out.cols + 3);
    const top = 32;
    const outX = Math.max((cols.kinds.length + 3) * cell, 200);
    const svg = svgRoot(outX + out.cols * cell + 2, top + Math.max(rowKinds.length, out.rows) * cell + 8, describeDiagram(d));
    const [caption, detail] = d.family === 'convTranspose' ? ['zero-inserted input + padding', 'read at stride 1, kernel flipped'] : ['input + padding', `read at stride ${d.axes.map((a) => a.stride).join(' × ')}`];
    svg.append(text(0, 12, caption, 'caption'), text(0, 26, detail, 'caption faint'), text(outX, 12, 'output', 'caption'), text(outX, 26, d.axes.map((a) => a.output).join(' × '), 'caption faint'));

    const numbers = ctx.numbers;
    const inputAt = (r: number, c: number): number => {
      const kind = cellKind(rowKinds[r], cols.kinds[c]);
      return kind === 'input' ? rowSource[r] * cols.input + cols.source[c] : -1;
    };
    grid(svg, {
      x: 0,
      y: top,
      rows: rowKinds.length,
      cols: cols.kinds.length,
      cell,
      classes: (r, c) => {
        const kind = cellKind(rowKinds[r], cols.kinds[c]);
        const extra = [(unreadRows.has(r) || unreadCols.has(c)) && kind !== 'cropped' ? 'unread' : '', taps.has(r * cols.kinds.length + c) ? 'tap' : ''];
        return [`kind-${kind}`, ...extra].join(' ');
      },
      label: (r, c) => {
        if (!numbers) return undefined;
        const index = inputAt(r, c);
        const kind = cellKind(rowKinds[r], cols.kinds[c]);
        return index >= 0 ? formatNumber(numbers.input[index]) : kind === 'zero' || kind === 'pad' ? '0' : undefined;
      },
    });
    // The window: the box around its taps (dilation shows as gaps between tapped cells).
    svg.append(el('rect', { x: tapCols[0] * cell, y: top + tapRows[0] * cell, width: (tapCols[tapCols.length - 1] - tapCols[0] + 1) * cell, height: (tapRows[tapRows.length - 1] - tapRows[0] + 1) * cell, class: 'window' }));

    const values = numbers ? ctx.view.numbers?.output : undefined;
    grid(svg, {
      x: outX,
      y: top,
      rows: out.rows,
      cols: out.cols,
      cell,
      classes: (r, c) => {
        const flat = r * out.cols + c;
        return flat < step ? 'out-done' : flat === step ? 'out-current' : 'out-todo';
      },
      label: (r, c) => (values && r * out.cols + c <= step ? formatNumber(values[r * out.cols + c]) : undefined),
    });

    const reads = ctx.byOutput[step];
    const total = tapRows.length * tapCols.length;
    const value = values ? ` → ${formatNumber(values[step])}` : '';
    const slice = d.depth ? ` In depth slice ${ctx.depth} of ${d.depth.output}, the window reads input depth slices ${depthInputs(d.depth, ctx.depth).join(', ') || 'none (only padding)'}.` : '';
    const status = `Step ${step + 1} of ${ctx.byOutput.length}: output ${cellName(step, out.cols, d.axes.length === 2)} reads ${total} kernel taps, ${reads.length} of them on real inputs${d.family === 'convTranspose' ? ' (the others hit inserted zeros or padding)' : ''}${value}.${slice}`;
    return { svg, status };
  },
};
