/** Small SVG builders for the views: elements, text, and a grid of cells. */
const SVG = 'http://www.w3.org/2000/svg';

export function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

export function text(x: number, y: number, content: string, cls: string, anchor: 'start' | 'middle' = 'start'): SVGTextElement {
  const t = el('text', { x, y, class: cls, 'text-anchor': anchor });
  t.textContent = content;
  return t;
}

export interface GridSpec {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
  readonly cols: number;
  readonly cell: number;
  /** CSS classes of cell (r, c). */
  readonly classes: (r: number, c: number) => string;
  /** Text inside the cell, drawn when cells are large enough to read. */
  readonly label?: (r: number, c: number) => string | undefined;
  /** A tooltip (SVG title), e.g. what contributes to the cell. */
  readonly title?: (r: number, c: number) => string | undefined;
  /** Inline fill opacity, for heat maps. */
  readonly opacity?: (r: number, c: number) => number | undefined;
}

/** Cells large enough for a number inside. */
export const LABEL_MIN_CELL = 16;

export function grid(svg: SVGSVGElement, g: GridSpec): void {
  for (let r = 0; r < g.rows; r++) {
    for (let c = 0; c < g.cols; c++) {
      const x = g.x + c * g.cell;
      const y = g.y + r * g.cell;
      const rect = el('rect', { x: x + 0.5, y: y + 0.5, width: Math.max(1, g.cell - 1), height: Math.max(1, g.cell - 1), class: `cell ${g.classes(r, c)}` });
      const opacity = g.opacity?.(r, c);
      if (opacity !== undefined) rect.setAttribute('fill-opacity', opacity.toFixed(3));
      const title = g.title?.(r, c);
      if (title) rect.append(Object.assign(el('title', {}), { textContent: title }));
      svg.append(rect);
      const label = g.cell >= LABEL_MIN_CELL ? g.label?.(r, c) : undefined;
      if (label) svg.append(text(x + g.cell / 2, y + g.cell / 2 + 4, label, 'value', 'middle'));
    }
  }
}

/**
 * A cell size that fits `columns` cells (and gaps) in `width` within readable bounds (4 to
 * `max` pixels), times the panel's zoom: at 200% every cell is twice that size, and below
 * 100% a large layer shows more of itself, down to 2-pixel cells.
 */
export function cellSize(width: number, columns: number, max: number, zoom: number): number {
  const fitted = Math.max(4, Math.min(max, Math.floor((width - 24) / Math.max(1, columns))));
  return Math.max(2, Math.floor(fitted * zoom));
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

/** Text cut to what fits in `width` pixels of 11 px captions (about 6 px a character). */
export function fit(content: string, width: number): string {
  const chars = Math.max(8, Math.floor(width / 6));
  return content.length > chars ? `${content.slice(0, chars - 1)}…` : content;
}

export function svgRoot(width: number, height: number, label: string): SVGSVGElement {
  const svg = el('svg', { width: Math.ceil(width), height: Math.ceil(height), role: 'img', class: 'diagram' });
  svg.setAttribute('aria-label', label);
  return svg;
}
