/** What every view draws from: the layer's view model from the extension, and derived relations (computed by the core). */
import type { Contribution } from '../../src/core/visual/connections';
import type { AxisCanvas, GatherDiagram } from '../../src/core/visual/gather';
import type { PanelNumbers, PanelView } from '../../src/core/visual/panelView';

export type DiagramView = Extract<PanelView, { kind: 'diagram' }>;

export interface ViewContext {
  readonly view: DiagramView;
  readonly diagram: GatherDiagram;
  /** Present in numbers mode, for layers that have values (convolutions). */
  readonly numbers: PanelNumbers | undefined;
  /** How many output cells are drawn (the steps of the sliding kernel). */
  readonly outputs: number;
  /** Worked out on first use: the sliding kernel never needs all of it. */
  readonly byOutput: readonly Contribution[][];
  /** The drawing's available width in pixels. */
  readonly width: number;
  /** The panel's zoom: cells are this many times the size that fits the width. */
  readonly zoom: number;
  /** For a 3-D layer, the output depth slice drawn. */
  readonly depth: number;
}


export interface Drawing {
  readonly element: Element;
  /** What this step shows, in a sentence (announced in the live region). */
  readonly status: string;
  /**
   * Moves the drawing to another step in place, repainting only what changes, and returns
   * the new status; views drawn again for every step leave it out.
   */
  readonly update?: (step: number) => string;
  /** Where the step's action is (the kernel window), in the element's pixels: kept in view when zoomed in. */
  readonly spot?: () => { x: number; y: number; width: number; height: number };
}

export interface ViewDef {
  readonly label: string;
  /** How many steps it animates (1: a still picture). */
  steps(ctx: ViewContext): number;
  /** Why it does not apply to this layer, when it does not. */
  unavailable(ctx: ViewContext): string | undefined;
  draw(ctx: ViewContext, step: number): Drawing;
}

/** Rows × columns of an input or output laid out in 2-D (a 1-D one is a single row). */
export function plane(axes: readonly AxisCanvas[], f: (a: AxisCanvas) => number): { rows: number; cols: number } {
  return axes.length === 1 ? { rows: 1, cols: f(axes[0]) } : { rows: f(axes[0]), cols: f(axes[1]) };
}

/** A flat cell as people write it: `(r, c)` in 2-D, `[i]` in 1-D. */
export function cellName(flat: number, cols: number, twoD: boolean): string {
  return twoD ? `(${Math.floor(flat / cols)}, ${flat % cols})` : `[${flat}]`;
}
