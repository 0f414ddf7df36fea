/** View 1, sliding kernel (gather): the kernel moves over the (zero-inserted, padded) input; the output fills in. */
import { depthInputs, describeDiagram, unflatten, unreadCells, windowCells, type AxisCanvas, type CellKind } from '../../src/core/visual/gather';
import { realTapCount } from '../../src/core/visual/connections';
import { cellSize, formatNumber, LABEL_MIN_CELL } from '../svg';
import { CanvasGrid } from '../canvasGrid';
import { cellName, plane, type Drawing, type ViewContext, type ViewDef } from './context';

/** Kinds from most to least "real": where a row and a column meet, the cell is the later of the two. */
const KINDS: readonly CellKind[] = ['input', 'zero', 'pad', 'cropped'];

export const gatherView: ViewDef = {
  label: 'Sliding kernel',
  steps: (ctx) => ctx.outputs,
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
  return `Step ${step + 1} of ${ctx.outputs}: output ${cellName(step, out.cols, d.axes.length === 2)} reads ${taps} kernel taps, ${realTapCount(d, step)} of them on real inputs${d.family === 'convTranspose' ? ' (the others hit inserted zeros or padding)' : ''}${value}.${slice}`;
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

  const cell = cellSize(ctx.width, colsAxis.kinds.length + out.cols + 3, 34, ctx.zoom);
  const labelled = numbers !== undefined && cell >= LABEL_MIN_CELL;
  const top = 32;
  const outX = Math.max((colsAxis.kinds.length + 3) * cell, 200);
  const canvas = new CanvasGrid(outX + out.cols * cell + 2, top + Math.max(rowKinds.length, out.rows) * cell + 8, describeDiagram(d));
  const input = { x: 0, y: top, rows: rowKinds.length, cols: colsAxis.kinds.length, cell };
  const output = { x: outX, y: top, rows: out.rows, cols: out.cols, cell };
  const [caption, detail] = d.family === 'convTranspose' ? ['zero-inserted input + padding', 'read at stride 1, kernel flipped'] : ['input + padding', `read at stride ${d.axes.map((a) => a.stride).join(' × ')}`];
  canvas.text(0, 12, caption, 'caption');
  canvas.text(0, 26, detail, 'caption faint');
  canvas.text(outX, 12, 'output', 'caption');
  canvas.text(outX, 26, d.axes.map((a) => a.output).join(' × '), 'caption faint');

  // Per row and column, the kind's rank and whether it is never read; a cell's look is then a
  // table lookup (the first paint classifies 17,000 cells for a 64×64 transposed conv).
  const rowRank = rowKinds.map((k) => KINDS.indexOf(k));
  const colRank = colsAxis.kinds.map((k) => KINDS.indexOf(k));
  const rowUnread = rowKinds.map((_, r) => unreadRows.has(r));
  const colUnread = colsAxis.kinds.map((_, c) => unreadCols.has(c));
  const looks = KINDS.map((kind) => [false, true].map((unread) => [false, true].map((tap) => `kind-${kind}${unread && kind !== 'cropped' ? ' unread' : ''}${tap ? ' tap' : ''}`)));
  const kindAt = (r: number, c: number): CellKind => KINDS[Math.max(rowRank[r], colRank[c])];
  const classesAt = (r: number, c: number, tap: boolean): string => looks[Math.max(rowRank[r], colRank[c])][+(rowUnread[r] || colUnread[c])][+tap];
  const inputLabel = (r: number, c: number): string | undefined => {
    if (!labelled) return undefined;
    const kind = kindAt(r, c);
    if (kind === 'input') return formatNumber(numbers.input[rowSource[r] * colsAxis.input + colsAxis.source[c]]);
    return kind === 'zero' || kind === 'pad' ? '0' : undefined;
  };
  const outputLabel = (flat: number, step: number): string | undefined => (labelled && values && flat <= step ? formatNumber(values[flat]) : undefined);
  const paintInput = (r: number, c: number, tap: boolean): void => canvas.paint(input, r, c, classesAt(r, c, tap), inputLabel(r, c));
  const paintOutput = (flat: number, step: number): void => {
    const classes = flat < step ? 'out-done' : flat === step ? 'out-current' : 'out-todo';
    canvas.paint(output, Math.floor(flat / out.cols), flat % out.cols, classes, outputLabel(flat, step));
  };
  // The first paint, by look (a few looks, many cells), then the labels (only where cells are large).
  const byLook = new Map<string, number[]>();
  const look = (classes: string, cell: number): void => {
    const list = byLook.get(classes);
    if (list) list.push(cell);
    else byLook.set(classes, [cell]);
  };
  for (let r = 0; r < input.rows; r++) for (let c = 0; c < input.cols; c++) look(classesAt(r, c, false), r * input.cols + c);
  for (const [classes, cells] of byLook) canvas.paintAll(input, cells, classes);
  const outputs = Array.from({ length: ctx.outputs }, (_, i) => i);
  canvas.paintAll(output, outputs.slice(0, first), 'out-done');
  canvas.paintAll(output, outputs.slice(first), 'out-todo');
  if (labelled) {
    for (let r = 0; r < input.rows; r++) for (let c = 0; c < input.cols; c++) canvas.label(input, r, c, inputLabel(r, c));
    for (let flat = 0; flat < first; flat++) canvas.label(output, Math.floor(flat / out.cols), flat % out.cols, outputLabel(flat, first));
  }

  let shown = -1;
  let box: { rows: number[]; cols: number[] } | undefined;
  let spot = { x: 0, y: 0, width: 0, height: 0 };
  const span = (xs: number[]): number[] => Array.from({ length: xs[xs.length - 1] - xs[0] + 1 }, (_, i) => xs[0] + i);
  const update = (step: number): string => {
    // Clear the old window: every cell under its box (dilation gaps included).
    if (box) for (const r of span(box.rows)) for (const c of span(box.cols)) paintInput(r, c, false);
    const [oy, ox] = unflatten(step, [out.rows, out.cols]);
    box = { rows: rowsAxis ? windowCells(rowsAxis, oy) : [0], cols: windowCells(colsAxis, ox) };
    for (const r of box.rows) for (const c of box.cols) paintInput(r, c, true);
    spot = { x: box.cols[0] * cell, y: top + box.rows[0] * cell, width: (box.cols[box.cols.length - 1] - box.cols[0] + 1) * cell, height: (box.rows[box.rows.length - 1] - box.rows[0] + 1) * cell };
    canvas.outline(spot.x, spot.y, spot.width, spot.height, 'window');
    if (shown >= 0) for (let flat = Math.min(shown, step); flat <= Math.max(shown, step); flat++) paintOutput(flat, step);
    else paintOutput(step, step);
    shown = step;
    return statusOf(ctx, step, box.rows.length * box.cols.length);
  };
  const status = update(first);
  return { element: canvas.element, status, update, spot: () => spot };
}
