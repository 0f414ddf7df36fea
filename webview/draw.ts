/**
 * Draws one step of the gather diagram as SVG: the grid the kernel slides over, with the
 * current window's taps, and the output filling in. Everything drawn was computed by the
 * core (src/core/visual); this file only places shapes. Colours are theme variables
 * (panel.css), so the drawing follows the user's theme.
 */
import { unflatten, unreadCells, windowCells, type AxisCanvas, type CellKind, type GatherDiagram } from '../src/core/visual/gather';
import type { PanelNumbers } from '../src/core/visual/panelView';

const SVG = 'http://www.w3.org/2000/svg';

/** Output cells of a diagram, row-major. */
export function stepCount(diagram: GatherDiagram): number {
  return diagram.axes.reduce((n, a) => n * a.output, 1);
}

/** The 2-D view of a 1-D or 2-D diagram: rows, then columns (a 1-D diagram is one row). */
function planes(diagram: GatherDiagram): { rows: AxisCanvas | undefined; cols: AxisCanvas } {
  return diagram.axes.length === 1 ? { rows: undefined, cols: diagram.axes[0] } : { rows: diagram.axes[0], cols: diagram.axes[1] };
}

/** What a grid cell shows when its row and column kinds meet: the least "real" of the two. */
function cellKind(row: CellKind, col: CellKind): CellKind {
  for (const k of ['cropped', 'pad', 'zero'] as const) if (row === k || col === k) return k;
  return 'input';
}

export interface StepInfo {
  /** The output cell of this step, per drawn axis. */
  readonly output: readonly number[];
  readonly taps: number;
  readonly realTaps: number;
  readonly value?: number;
}

export function drawStep(diagram: GatherDiagram, step: number, numbers: PanelNumbers | undefined, width: number): { svg: SVGSVGElement; info: StepInfo } {
  const { rows, cols } = planes(diagram);
  const rowKinds: readonly CellKind[] = rows?.kinds ?? ['input'];
  const rowSource: readonly number[] = rows?.source ?? [0];
  const outRows = rows?.output ?? 1;
  const outputs = [outRows, cols.output];
  const [oy, ox] = unflatten(step, outputs);
  const tapRows = rows ? windowCells(rows, oy) : [0];
  const tapCols = windowCells(cols, ox);
  const unreadRows = new Set(rows ? unreadCells(rows) : []);
  const unreadCols = new Set(unreadCells(cols));

  const gap = 3;
  const cell = Math.max(10, Math.min(34, Math.floor((width - 24) / (cols.kinds.length + cols.output + gap))));
  const label = 32;
  const gridH = rowKinds.length * cell;
  const height = label + Math.max(gridH, outRows * cell) + 8;
  // The output grid starts right of the input grid and of its two-line caption.
  const outX = Math.max((cols.kinds.length + gap) * cell, 200);
  const svg = el('svg', { width: outX + cols.output * cell + 2, height, role: 'img', class: 'diagram' });
  svg.setAttribute('aria-label', `Step ${step + 1}: output ${outputs.length === 2 && rows ? `(${oy}, ${ox})` : String(ox)}`);

  const [caption, detail] =
    diagram.family === 'convTranspose' ? ['zero-inserted input + padding', 'read at stride 1, kernel flipped'] : ['input + padding', `read at stride ${diagram.axes.map((a) => a.stride).join(' × ')}`];
  svg.append(text(0, 12, caption, 'caption'), text(0, 26, detail, 'caption faint'));
  svg.append(text(outX, 12, 'output', 'caption'), text(outX, 26, diagram.axes.map((a) => a.output).join(' × '), 'caption faint'));

  const inputWidth = cols.input;
  let realTaps = 0;
  let value = 0;
  const tapSet = new Set(tapRows.flatMap((r) => tapCols.map((c) => r * cols.kinds.length + c)));
  rowKinds.forEach((rk, r) => {
    cols.kinds.forEach((ck, c) => {
      const kind = cellKind(rk, ck);
      const tap = tapSet.has(r * cols.kinds.length + c);
      const unread = (unreadRows.has(r) || unreadCols.has(c)) && kind !== 'cropped';
      const classes = ['cell', `kind-${kind}`];
      if (unread) classes.push('unread');
      if (tap) classes.push('tap');
      const x = c * cell;
      const y = label + r * cell;
      svg.append(el('rect', { x: x + 0.5, y: y + 0.5, width: cell - 1, height: cell - 1, class: classes.join(' ') }));
      const index = kind === 'input' ? rowSource[r] * inputWidth + cols.source[c] : -1;
      if (tap && index >= 0) {
        realTaps++;
        if (numbers) value += numbers.input[index] * kernelAt(diagram, numbers, tapRows.indexOf(r), tapCols.indexOf(c));
      }
      if (numbers && cell >= 16) {
        const shown = index >= 0 ? String(numbers.input[index]) : kind === 'zero' || kind === 'pad' ? '0' : '';
        if (shown) svg.append(text(x + cell / 2, y + cell / 2 + 4, shown, `value${index < 0 ? ' faint' : ''}`, 'middle'));
      }
    });
  });
  // The window: the box spanning its taps (dilation shows as gaps between tapped cells).
  const [wy0, wy1] = [tapRows[0], tapRows[tapRows.length - 1]];
  const [wx0, wx1] = [tapCols[0], tapCols[tapCols.length - 1]];
  svg.append(el('rect', { x: wx0 * cell, y: label + wy0 * cell, width: (wx1 - wx0 + 1) * cell, height: (wy1 - wy0 + 1) * cell, class: 'window' }));

  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < cols.output; c++) {
      const flat = r * cols.output + c;
      const state = flat < step ? 'done' : flat === step ? 'current' : 'todo';
      const x = outX + c * cell;
      const y = label + r * cell;
      svg.append(el('rect', { x: x + 0.5, y: y + 0.5, width: cell - 1, height: cell - 1, class: `cell out-${state}` }));
      if (numbers && cell >= 16 && state !== 'todo') svg.append(text(x + cell / 2, y + cell / 2 + 4, formatNumber(numbers.output[flat]), 'value', 'middle'));
    }
  }
  const taps = tapRows.length * tapCols.length;
  return { svg, info: { output: rows ? [oy, ox] : [ox], taps, realTaps, ...(numbers ? { value } : {}) } };
}

/** The kernel weight a tap multiplies: the transposed conv's taps read the kernel flipped. */
function kernelAt(diagram: GatherDiagram, numbers: PanelNumbers, ty: number, tx: number): number {
  const { rows, cols } = planes(diagram);
  const kh = rows?.kernel ?? 1;
  const y = diagram.flipped ? kh - 1 - ty : ty;
  const x = diagram.flipped ? cols.kernel - 1 - tx : tx;
  return numbers.kernel[y * cols.kernel + x];
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function text(x: number, y: number, content: string, cls: string, anchor: 'start' | 'middle' = 'start'): SVGTextElement {
  const t = el('text', { x, y, class: cls, 'text-anchor': anchor });
  t.textContent = content;
  return t;
}
