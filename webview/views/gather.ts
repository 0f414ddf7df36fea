/** View 1, sliding kernel (gather): the kernel moves over the (zero-inserted, padded) input; the output fills in. */
import { depthInputs, describeDiagram, unflatten, unreadCells, windowCells, type AxisCanvas, type CellKind } from '../../src/core/visual/gather';
import { cellSize, formatNumber, LABEL_MIN_CELL } from '../svg';
import { CanvasGrid } from '../canvasGrid';
import { cellName, plane, type Drawing, type ViewContext, type ViewDef } from './context';

/** What a cell shows where its row and column kinds meet: the least "real" of the two. */
function cellKind(row: CellKind, col: CellKind): CellKind {
  for (const k of ['cropped', 'pad', 'zero'] as const) if (row === k || col === k) return k;
  return 'input';
}

export const gatherView: ViewDef = {
  label: 'Sliding kernel',
  steps: (ctx) => ctx.byOutput.length,
  unavailable: () => undefined,
  draw: drawOnCanvas,
};

/** The sentence for a step (announced in the live region). */
function statusOf(ctx: ViewContext, step: number, taps: number): string {
  const d = ctx.diagram;
  const out = plane(d.axes, (a) => a.output);
  const values = ctx.numbers ? ctx.view.numbers?.output : undefined;
  const value = values ? ` → ${formatNumber(values[step])}` : '';
  const slice = d.depth ? ` In depth slice ${ctx.depth} of ${d.depth.output}, the window reads input depth slices ${depthInputs(d.depth, ctx.depth).join(', ') || 'none (only padding)'}.` : '';
  return `Step ${step + 1} of ${ctx.byOutput.length}: output ${cellName(step, out.cols, d.axes.length === 2)} reads ${taps} kernel taps, ${ctx.byOutput[step].length} of them on real inputs${d.family === 'convTranspose' ? ' (the others hit inserted zeros or padding)' : ''}${value}.${slice}`;
}

/**
 * Both grids are painted once; a step then repaints the old and new window's cells and the
 * output cells between the old and new step (a few dozen cells, whatever the size).
 */
function drawOnCanvas(ctx: ViewContext, first: number): Drawing {
  const d = ctx.diagram;
  const rowsAxis: AxisCanvas | undefined = d.axes.length === 2 ? d.axes[0] : undefined;
  const colsAxis = d.axes[d.axes.length - 1];
  const rowKinds: readonly CellKind[] = rowsAxis?.kinds ?? ['input'];
  const rowSource: readonly number[] = rowsAxis?.source ?? [0];
  const unreadRows = new Set(rowsAxis ? unreadCells(rowsAxis) : []);
  const unreadCols = new Set(unreadCells(colsAxis));
  const out = plane(d.axes, (a) => a.output);
  const numbers = ctx.numbers;
  const values = numbers ? ctx.view.numbers?.output : undefined;

  const cell = cellSize(ctx.width, colsAxis.kinds.length + out.cols + 3, 34);
  const labelled = numbers !== undefined && cell >= LABEL_MIN_CELL;
  const top = 32;
  const outX = Math.max((colsAxis.kinds.length + 3) * cell, 200);
  const canvas = new CanvasGrid(outX + out.cols * cell + 2, top + Math.max(rowKinds.length, out.rows) * cell + 8, cell, describeDiagram(d));
  const input = { x: 0, y: top, rows: rowKinds.length, cols: colsAxis.kinds.length };
  const output = { x: outX, y: top, rows: out.rows, cols: out.cols };
  const [caption, detail] = d.family === 'convTranspose' ? ['zero-inserted input + padding', 'read at stride 1, kernel flipped'] : ['input + padding', `read at stride ${d.axes.map((a) => a.stride).join(' × ')}`];
  canvas.text(0, 12, caption, 'caption');
  canvas.text(0, 26, detail, 'caption faint');
  canvas.text(outX, 12, 'output', 'caption');
  canvas.text(outX, 26, d.axes.map((a) => a.output).join(' × '), 'caption faint');

  const kindAt = (r: number, c: number): CellKind => cellKind(rowKinds[r], colsAxis.kinds[c]);
  const classesAt = (r: number, c: number, tap: boolean): string => {
    const kind = kindAt(r, c);
    return `kind-${kind}${(unreadRows.has(r) || unreadCols.has(c)) && kind !== 'cropped' ? ' unread' : ''}${tap ? ' tap' : ''}`;
  };
  const paintInput = (r: number, c: number, tap: boolean): void => {
    const kind = kindAt(r, c);
    const classes = classesAt(r, c, tap);
    const index = kind === 'input' ? rowSource[r] * colsAxis.input + colsAxis.source[c] : -1;
    const label = !labelled ? undefined : index >= 0 ? formatNumber(numbers.input[index]) : kind === 'zero' || kind === 'pad' ? '0' : undefined;
    canvas.paint(input, r, c, classes, label);
  };
  const paintOutput = (flat: number, step: number): void => {
    const classes = flat < step ? 'out-done' : flat === step ? 'out-current' : 'out-todo';
    canvas.paint(output, Math.floor(flat / out.cols), flat % out.cols, classes, labelled && values && flat <= step ? formatNumber(values[flat]) : undefined);
  };
  // The first paint, by look (a few looks, many cells); labels only where cells are large.
  const byLook = new Map<string, number[]>();
  for (let r = 0; r < input.rows; r++) {
    for (let c = 0; c < input.cols; c++) {
      const classes = classesAt(r, c, false);
      const list = byLook.get(classes) ?? [];
      list.push(r * input.cols + c);
      byLook.set(classes, list);
    }
  }
  for (const [classes, cells] of byLook) canvas.paintAll(input, cells, classes);
  canvas.paintAll(output, Array.from({ length: ctx.byOutput.length }, (_, i) => i), 'out-todo');
  if (labelled) for (let r = 0; r < input.rows; r++) for (let c = 0; c < input.cols; c++) paintInput(r, c, false);
  for (let flat = 0; flat < first; flat++) paintOutput(flat, first);

  let shown = -1;
  let box: { rows: number[]; cols: number[] } | undefined;
  const span = (xs: number[]): number[] => Array.from({ length: xs[xs.length - 1] - xs[0] + 1 }, (_, i) => xs[0] + i);
  const update = (step: number): string => {
    // Clear the old window: every cell under its box (dilation gaps included).
    if (box) for (const r of span(box.rows)) for (const c of span(box.cols)) paintInput(r, c, false);
    const [oy, ox] = unflatten(step, [out.rows, out.cols]);
    box = { rows: rowsAxis ? windowCells(rowsAxis, oy) : [0], cols: windowCells(colsAxis, ox) };
    for (const r of box.rows) for (const c of box.cols) paintInput(r, c, true);
    canvas.outline(box.cols[0] * cell, top + box.rows[0] * cell, (box.cols[box.cols.length - 1] - box.cols[0] + 1) * cell, (box.rows[box.rows.length - 1] - box.rows[0] + 1) * cell, 'window');
    if (shown >= 0) for (let flat = Math.min(shown, step); flat <= Math.max(shown, step); flat++) paintOutput(flat, step);
    else paintOutput(step, step);
    shown = step;
    return statusOf(ctx, step, box.rows.length * box.cols.length);
  };
  const status = update(first);
  return { element: canvas.element, status, update };
}
