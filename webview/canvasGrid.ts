/**
 * The sliding-kernel grids are painted on a canvas, cell by cell, so that an animation step
 * repaints only the cells it changes (a 64×64 transposed conv draws 33,000 cells; one SVG
 * element per cell would take far too long to build and to update). Colours come from the same CSS classes the SVG drawing uses (panel.css,
 * theme variables), resolved once per class list by asking the browser for their computed
 * style — so both drawings look alike in every theme.
 */
const SVG = 'http://www.w3.org/2000/svg';

interface CellStyle {
  readonly fill: string;
  readonly fillOpacity: number;
  readonly stroke: string;
  readonly strokeWidth: number;
  readonly dash: number[];
}

const styles = new Map<string, CellStyle>();
let probe: SVGSVGElement | undefined;

/** The computed style of an SVG cell with these classes (cached; cleared when the theme changes). */
function styleOf(classes: string): CellStyle {
  const known = styles.get(classes);
  if (known) return known;
  if (!probe) {
    probe = document.createElementNS(SVG, 'svg');
    probe.setAttribute('class', 'diagram probe');
    probe.setAttribute('aria-hidden', 'true');
    document.body.append(probe);
  }
  const rect = document.createElementNS(SVG, 'rect');
  rect.setAttribute('class', `cell ${classes}`);
  probe.append(rect);
  const cs = getComputedStyle(rect);
  const style: CellStyle = {
    fill: cs.fill,
    fillOpacity: Number(cs.fillOpacity || 1),
    stroke: cs.stroke,
    strokeWidth: parseFloat(cs.strokeWidth) || 1,
    dash: cs.strokeDasharray === 'none' ? [] : cs.strokeDasharray.split(/[ ,]+/).map(parseFloat).filter(Number.isFinite),
  };
  rect.remove();
  styles.set(classes, style);
  return style;
}

/** VS Code changes the theme by changing body classes: forget resolved colours then. */
new MutationObserver(() => styles.clear()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

export interface GridPlace {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
  readonly cols: number;
}

export class CanvasGrid {
  readonly element: HTMLCanvasElement;
  private readonly g: CanvasRenderingContext2D;
  private readonly background: string;
  /** Canvas fonts take no CSS variables: the page's resolved font family. */
  private readonly font: string;

  constructor(
    width: number,
    height: number,
    readonly cell: number,
    label: string,
  ) {
    const scale = window.devicePixelRatio || 1;
    this.element = document.createElement('canvas');
    this.element.width = Math.ceil(width * scale);
    this.element.height = Math.ceil(height * scale);
    this.element.style.width = `${Math.ceil(width)}px`;
    this.element.style.height = `${Math.ceil(height)}px`;
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
    this.element.className = 'diagram';
    this.g = this.element.getContext('2d')!;
    this.g.scale(scale, scale);
    this.background = getComputedStyle(document.body).backgroundColor;
    this.font = getComputedStyle(document.body).fontFamily;
  }

  /** Paints one cell of a grid placed at `place` with the look of `classes`, and its label if any. */
  paint(place: GridPlace, r: number, c: number, classes: string, label?: string): void {
    const s = styleOf(classes);
    const x = place.x + c * this.cell;
    const y = place.y + r * this.cell;
    const g = this.g;
    g.fillStyle = this.background;
    g.fillRect(x, y, this.cell, this.cell);
    g.globalAlpha = s.fillOpacity;
    g.fillStyle = s.fill;
    g.fillRect(x + 0.5, y + 0.5, this.cell - 1, this.cell - 1);
    g.globalAlpha = 1;
    if (s.stroke !== 'none' && this.cell >= 4) {
      g.strokeStyle = s.stroke;
      g.lineWidth = Math.min(s.strokeWidth, this.cell / 3);
      if (s.dash.length > 0) g.setLineDash(this.cell >= 8 ? s.dash : []);
      g.strokeRect(x + 0.5, y + 0.5, this.cell - 1, this.cell - 1);
      if (s.dash.length > 0) g.setLineDash([]);
    }
    if (label !== undefined) {
      g.fillStyle = styleOf('value').fill;
      g.font = `11px ${this.font}`;
      g.textAlign = 'center';
      g.textBaseline = 'middle';
      g.fillText(label, x + this.cell / 2, y + this.cell / 2 + 0.5);
    }
  }

  /**
   * Paints many cells of one look at once (the first paint): colours are set once per look,
   * not once per cell, which is what makes 33,000 cells cheap. `cells` are row-major indices.
   */
  paintAll(place: GridPlace, cells: readonly number[], classes: string): void {
    const s = styleOf(classes);
    const g = this.g;
    const size = this.cell;
    g.fillStyle = this.background;
    for (const i of cells) g.fillRect(place.x + (i % place.cols) * size, place.y + Math.floor(i / place.cols) * size, size, size);
    g.globalAlpha = s.fillOpacity;
    g.fillStyle = s.fill;
    for (const i of cells) g.fillRect(place.x + (i % place.cols) * size + 0.5, place.y + Math.floor(i / place.cols) * size + 0.5, size - 1, size - 1);
    g.globalAlpha = 1;
    if (s.stroke !== 'none' && size >= 4) {
      g.strokeStyle = s.stroke;
      g.lineWidth = Math.min(s.strokeWidth, size / 3);
      if (s.dash.length > 0) g.setLineDash(size >= 8 ? s.dash : []);
      g.beginPath();
      for (const i of cells) g.rect(place.x + (i % place.cols) * size + 0.5, place.y + Math.floor(i / place.cols) * size + 0.5, size - 1, size - 1);
      g.stroke();
      if (s.dash.length > 0) g.setLineDash([]);
    }
  }

  /** Outlines a box (the kernel window) with the look of `classes`. */
  outline(x: number, y: number, width: number, height: number, classes: string): void {
    const s = styleOf(classes);
    const g = this.g;
    g.strokeStyle = s.stroke;
    g.lineWidth = s.strokeWidth;
    g.setLineDash(s.dash);
    g.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
    g.setLineDash([]);
  }

  text(x: number, y: number, content: string, classes: string): void {
    this.g.fillStyle = styleOf(classes).fill;
    this.g.font = `11px ${this.font}`;
    this.g.textAlign = 'left';
    this.g.textBaseline = 'alphabetic';
    this.g.fillText(content, x, y);
  }
}
