/**
 * Grids painted on a canvas: the sliding kernel (whose animation step repaints only the
 * cells it changes) and any view's large pictures (a 64×64 transposed conv has 33,000 cells
 * in one view and 115,000 in another; one SVG element per cell takes seconds to build).
 * Cells are written as pixels; text and outlines use the canvas API. Colours, widths, dashes,
 * fonts and opacities come from the same CSS classes the SVG drawings use (panel.css, theme
 * variables), resolved once per class list by asking the browser for their computed style —
 * so both drawings look alike in every theme.
 */
const SVG = 'http://www.w3.org/2000/svg';

interface CellStyle {
  /** The cell's inside as a pixel: its fill laid over the page background. */
  readonly fill: number;
  /** The fill colour itself and the page background, for cells given their own opacity (heat maps). */
  readonly fillColour: Rgba | undefined;
  readonly background: Rgba;
  /** Its border as a pixel, or undefined when the look has none. */
  readonly stroke: number | undefined;
  readonly strokeWidth: number;
  readonly dash: number[];
  /** What the canvas API draws with (labels, captions, the window's outline). */
  readonly fillCss: string;
  readonly strokeCss: string;
  readonly font: string;
  readonly opacity: number;
}

/** A colour as the four bytes of a pixel, 0–255 each. */
type Rgba = readonly [number, number, number, number];

const styles = new Map<string, CellStyle>();
let probe: SVGSVGElement | undefined;
let swatch: CanvasRenderingContext2D | undefined;

/** Any CSS colour as pixel bytes, as the browser itself renders it (theme colours may come in any CSS syntax). */
function rgbaOf(css: string): Rgba {
  swatch ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true })!;
  swatch.clearRect(0, 0, 1, 1);
  swatch.fillStyle = css;
  swatch.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = swatch.getImageData(0, 0, 1, 1).data;
  return [r, g, b, a];
}

/** `top` drawn with opacity `alpha` over `bottom` (source-over, non-premultiplied bytes). */
function over(top: Rgba, alpha: number, bottom: Rgba): Rgba {
  const ta = (top[3] / 255) * alpha;
  const ba = bottom[3] / 255;
  const a = ta + ba * (1 - ta);
  if (a === 0) return [0, 0, 0, 0];
  const mix = (t: number, b: number): number => Math.round((t * ta + b * ba * (1 - ta)) / a);
  return [mix(top[0], bottom[0]), mix(top[1], bottom[1]), mix(top[2], bottom[2]), Math.round(a * 255)];
}

/** Whether this machine stores a Uint32 with its low byte first (every browser in practice; checked, not assumed). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const pixelOf = ([r, g, b, a]: Rgba): number => (LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0);

/** The computed style of an SVG element of the diagram with these classes (cached; cleared when the theme changes). */
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
  const background = rgbaOf(getComputedStyle(document.body).backgroundColor);
  const fillColour = cs.fill === 'none' ? undefined : rgbaOf(cs.fill);
  const style: CellStyle = {
    fill: pixelOf(fillColour ? over(fillColour, Number(cs.fillOpacity || 1), background) : background),
    fillColour,
    background,
    stroke: cs.stroke === 'none' ? undefined : pixelOf(over(rgbaOf(cs.stroke), Number(cs.strokeOpacity || 1), background)),
    strokeWidth: parseFloat(cs.strokeWidth) || 1,
    dash: cs.strokeDasharray === 'none' ? [] : cs.strokeDasharray.split(/[ ,]+/).map(parseFloat).filter(Number.isFinite),
    fillCss: cs.fill,
    strokeCss: cs.stroke,
    font: `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`,
    opacity: Number(cs.opacity || 1),
  };
  rect.remove();
  styles.set(classes, style);
  return style;
}

/** A cell's fill pixel when it has its own opacity (quantized: a heat map has few distinct values). */
function fillWith(s: CellStyle, opacity: number | undefined): number {
  if (opacity === undefined || !s.fillColour) return s.fill;
  const key = Math.round(opacity * 255);
  let byOpacity = withOpacity.get(s);
  if (!byOpacity) withOpacity.set(s, (byOpacity = new Map<number, number>()));
  let pixel = byOpacity.get(key);
  if (pixel === undefined) byOpacity.set(key, (pixel = pixelOf(over(s.fillColour, key / 255, s.background))));
  return pixel;
}
const withOpacity = new WeakMap<CellStyle, Map<number, number>>();

/** Forgets the resolved looks (when the theme changes: the same classes resolve to other colours). */
export function forgetStyles(): void {
  styles.clear();
}

/** Where a grid sits on the canvas (CSS pixels) and its size in cells. */
export interface GridPlace {
  readonly x: number;
  readonly y: number;
  readonly rows: number;
  readonly cols: number;
  readonly cell: number;
}

export class CanvasGrid {
  readonly element: HTMLCanvasElement;
  private readonly g: CanvasRenderingContext2D;
  /** The cells' pixels (device pixels), kept so that a cell repaints by writing its own pixels only. */
  private readonly image: ImageData;
  private readonly pixels: Uint32Array;
  private readonly scale: number;

  constructor(width: number, height: number, label: string) {
    this.scale = window.devicePixelRatio || 1;
    this.element = document.createElement('canvas');
    this.element.width = Math.ceil(width * this.scale);
    this.element.height = Math.ceil(height * this.scale);
    this.element.style.width = `${Math.ceil(width)}px`;
    this.element.style.height = `${Math.ceil(height)}px`;
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', label);
    this.element.className = 'diagram';
    this.g = this.element.getContext('2d')!;
    this.image = this.g.createImageData(this.element.width, this.element.height);
    this.pixels = new Uint32Array(this.image.data.buffer);
    this.g.scale(this.scale, this.scale);
  }

  /** Paints one cell of a grid with the look of `classes`, and its label if any. */
  paint(place: GridPlace, r: number, c: number, classes: string, label?: string): void {
    const box = this.fillCell(place, r, c, styleOf(classes), undefined);
    this.g.putImageData(this.image, 0, 0, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    this.label(place, r, c, label);
  }

  /**
   * Paints many cells of one look at once (a first paint): their pixels are written into the
   * image and the canvas takes them in one call — drawing 33,000 cells one canvas call at a
   * time took 80 ms in Chromium. `cells` are row-major indices.
   */
  paintAll(place: GridPlace, cells: readonly number[], classes: string): void {
    const s = styleOf(classes);
    for (const i of cells) this.fillCell(place, Math.floor(i / place.cols), i % place.cols, s, undefined);
    this.flush(place);
  }

  /** Paints a whole grid, each cell with its own look (and opacity, for heat maps). */
  paintGrid(place: GridPlace, classes: (r: number, c: number) => string, opacity?: (r: number, c: number) => number | undefined): void {
    for (let r = 0; r < place.rows; r++) for (let c = 0; c < place.cols; c++) this.fillCell(place, r, c, styleOf(classes(r, c)), opacity?.(r, c));
    this.flush(place);
  }

  /** Writes a cell's label (if any), centred in it, over what is painted there. */
  label(place: GridPlace, r: number, c: number, text: string | undefined): void {
    if (text === undefined) return;
    const g = this.g;
    const s = styleOf('value');
    g.fillStyle = s.fillCss;
    g.font = s.font;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(text, place.x + (c + 0.5) * place.cell, place.y + (r + 0.5) * place.cell + 0.5);
  }

  /** Outlines a box (the kernel window) with the look of `classes`. */
  outline(x: number, y: number, width: number, height: number, classes: string): void {
    const s = styleOf(classes);
    const g = this.g;
    g.strokeStyle = s.strokeCss;
    g.lineWidth = s.strokeWidth;
    g.setLineDash(s.dash);
    g.strokeRect(x + 0.5, y + 0.5, width - 1, height - 1);
    g.setLineDash([]);
  }

  /** Text at (x, y) on its baseline, with the look of `classes` (captions). */
  text(x: number, y: number, content: string, classes: string, anchor: 'start' | 'middle' = 'start'): void {
    const s = styleOf(classes);
    const g = this.g;
    g.globalAlpha = s.opacity;
    g.fillStyle = s.fillCss;
    g.font = s.font;
    g.textAlign = anchor === 'middle' ? 'center' : 'left';
    g.textBaseline = 'alphabetic';
    g.fillText(content, x, y);
    g.globalAlpha = 1;
  }

  /** Hands the pixels of a grid's area to the canvas. */
  private flush(place: GridPlace): void {
    const x0 = Math.floor(place.x * this.scale);
    const y0 = Math.floor(place.y * this.scale);
    this.g.putImageData(this.image, 0, 0, x0, y0, Math.ceil((place.x + place.cols * place.cell) * this.scale) - x0, Math.ceil((place.y + place.rows * place.cell) * this.scale) - y0);
  }
  /**
   * Writes a cell's pixels into the image: its border (dashed when the look is dashed and the
   * cell is large enough to show it) and its inside. A look without a border keeps a
   * one-pixel gap of background on its right and bottom, so the grid stays readable.
   */
  private fillCell(place: GridPlace, r: number, c: number, s: CellStyle, opacity: number | undefined): { x0: number; y0: number; x1: number; y1: number } {
    const k = this.scale;
    const x0 = Math.round((place.x + c * place.cell) * k);
    const y0 = Math.round((place.y + r * place.cell) * k);
    const x1 = Math.round((place.x + (c + 1) * place.cell) * k);
    const y1 = Math.round((place.y + (r + 1) * place.cell) * k);
    const stride = this.image.width;
    const px = this.pixels;
    const width = x1 - x0;
    const height = y1 - y0;
    const fill = fillWith(s, opacity);
    if (!s.stroke || Math.min(width, height) < 4) {
      // Plain loops: cells this small are a few pixels wide, too few for fill() to pay off.
      const gap = Math.min(width, height) >= 3 ? 1 : 0;
      for (let y = y0; y < y1; y++) {
        const row = y * stride;
        const value = gap && y === y1 - 1 ? 0 : fill;
        for (let x = x0; x < x1 - gap; x++) px[row + x] = value;
        if (gap) px[row + x1 - 1] = 0;
      }
      return { x0, y0, x1, y1 };
    }
    const line = s.stroke;
    const w = Math.max(1, Math.min(Math.round(s.strokeWidth * k), Math.floor(Math.min(width, height) / 3)));
    for (let y = y0; y < y1; y++) {
      const edge = y < y0 + w || y >= y1 - w;
      px.fill(edge ? line : fill, y * stride + x0, y * stride + x1);
      if (!edge) {
        px.fill(line, y * stride + x0, y * stride + x0 + w);
        px.fill(line, y * stride + x1 - w, y * stride + x1);
      }
    }
    if (s.dash.length > 0 && Math.min(width, height) >= 8 * k) {
      // Dashes run along each edge from its start; the gaps show the inside's colour.
      const on = s.dash[0] * k;
      const period = (s.dash[0] + (s.dash[1] ?? s.dash[0])) * k;
      const gapAt = (t: number): boolean => t % period >= on;
      for (let t = 0; t < width; t++) {
        if (!gapAt(t)) continue;
        for (let d = 0; d < w; d++) {
          px[(y0 + d) * stride + x0 + t] = fill;
          px[(y1 - 1 - d) * stride + x0 + t] = fill;
        }
      }
      for (let t = 0; t < height; t++) {
        if (!gapAt(t)) continue;
        for (let d = 0; d < w; d++) {
          px[(y0 + t) * stride + x0 + d] = fill;
          px[(y0 + t) * stride + x1 - 1 - d] = fill;
        }
      }
    }
    return { x0, y0, x1, y1 };
  }
}
