/**
 * Where a view draws its grids and captions. Small pictures are SVG (crisp at any zoom, a
 * native tooltip per cell); large ones a canvas (one SVG element per cell takes seconds for
 * the 115,000 cells of a 64×64 layer's upsampling family), with the same looks and the same
 * tooltips, shown for the cell under the pointer.
 */
import { CanvasGrid } from './canvasGrid';
import { grid, LABEL_MIN_CELL, svgRoot, text, type GridSpec } from './svg';

export interface Board {
  readonly element: Element;
  /** Text at (x, y) on its baseline. */
  text(x: number, y: number, content: string, classes: string, anchor?: 'start' | 'middle'): void;
  grid(spec: GridSpec): void;
}

/** From this many cells on, a picture is painted on a canvas. */
export const CANVAS_FROM_CELLS = 2_500;

/** A board of `width` × `height` pixels for a picture of `cells` cells, described by `label` for screen readers. */
export function board(width: number, height: number, label: string, cells: number): Board {
  return cells >= CANVAS_FROM_CELLS ? canvasBoard(width, height, label) : svgBoard(width, height, label);
}

function svgBoard(width: number, height: number, label: string): Board {
  const svg = svgRoot(width, height, label);
  return {
    element: svg,
    text: (x, y, content, classes, anchor) => svg.append(text(x, y, content, classes, anchor)),
    grid: (spec) => grid(svg, spec),
  };
}

function canvasBoard(width: number, height: number, label: string): Board {
  const canvas = new CanvasGrid(width, height, label);
  const grids: GridSpec[] = [];
  // The tooltip of the cell under the pointer, as SVG's <title> gives it.
  canvas.element.addEventListener('mousemove', (event) => {
    const x = event.offsetX;
    const y = event.offsetY;
    let tip = '';
    for (const g of grids) {
      const c = Math.floor((x - g.x) / g.cell);
      const r = Math.floor((y - g.y) / g.cell);
      if (r >= 0 && r < g.rows && c >= 0 && c < g.cols) {
        tip = g.title?.(r, c) ?? '';
        break;
      }
    }
    if (canvas.element.title !== tip) canvas.element.title = tip;
  });
  return {
    element: canvas.element,
    text: (x, y, content, classes, anchor) => canvas.text(x, y, content, classes, anchor),
    grid(spec) {
      grids.push(spec);
      canvas.paintGrid(spec, spec.classes, spec.opacity);
      if (spec.label && spec.cell >= LABEL_MIN_CELL) for (let r = 0; r < spec.rows; r++) for (let c = 0; c < spec.cols; c++) canvas.label(spec, r, c, spec.label(r, c));
    },
  };
}
