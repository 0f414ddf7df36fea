/**
 * Every message between the extension and the visualization panel's webview, one
 * discriminated union per direction, and the runtime checks each side runs on arrival (a
 * webview message is untrusted input: it is checked before it is acted on).
 */
import type { AxisConfig } from '../solve/solver';
import { KERNEL_CHOICES, type KernelChoice } from './examples';
import type { PanelView } from './panelView';

/** The layer a panel shows: a document and an offset inside the layer call. */
export interface PanelSource {
  readonly uri: string;
  readonly offset: number;
}

/** The layers of a selection of several, for the panel's layer picker. */
export interface PanelChain {
  /** One short title per layer, in order (`2. ConvTranspose2d → (N, 256, 8, 8)`). */
  readonly layers: readonly string[];
  /** The one drawn. */
  readonly index: number;
}

/** Extension → webview. */
export type HostMessage =
  /** Draw this layer (one of `chain`, when the user selected several). */
  | { readonly type: 'view'; readonly view: PanelView; readonly source: PanelSource; readonly chain?: PanelChain }
  /** Nothing to draw (no layer under the cursor, no Python editor), and why. */
  | { readonly type: 'idle'; readonly message: string };

/** Webview → extension. */
export type WebviewMessage =
  /** The webview's script is running and can take messages. */
  | { readonly type: 'ready' }
  /** Write these window parameters (one per drawn axis, the last axes) into the layer call at `source`. */
  | { readonly type: 'apply'; readonly source: PanelSource; readonly axes: readonly AxisConfig[] }
  /** Draw layer `index` of the selection's chain. */
  | { readonly type: 'pick'; readonly index: number };

/** The panel's views, in the order its tabs show them. */
export const PANEL_VIEWS = ['gather', 'scatter', 'overlap', 'matrix', 'compare', 'family'] as const;
export type PanelViewId = (typeof PANEL_VIEWS)[number];

/** What the webview keeps with `setState` (and the serializer gets back after a reload). */
export interface PanelState {
  readonly source?: PanelSource;
  /** The title of the layer last drawn: the step is kept while the cursor stays on it. */
  readonly layer?: string;
  readonly view: PanelViewId;
  readonly step: number;
  /** For a 3-D layer: the output depth slice drawn. */
  readonly depth: number;
  readonly numbers: boolean;
  /** Numbers mode's kernel (unless the user typed one). */
  readonly kernel: KernelChoice;
  /** Milliseconds per step while playing. */
  readonly speed: number;
  /** The drawing's zoom: 1 fits the panel's width; one of PANEL_ZOOMS. */
  readonly zoom: number;
}

/** The zoom levels the panel steps through (×0.5 shows more of a large layer, ×4 reads its cells). */
export const PANEL_ZOOMS: readonly number[] = [0.5, 0.75, 1, 1.5, 2, 3, 4];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Whether `f` holds for every item, holes included (`[, x].every(f)` skips the hole). */
function everyItem(xs: readonly unknown[], f: (x: unknown) => boolean): boolean {
  for (let i = 0; i < xs.length; i++) if (!f(xs[i])) return false;
  return true;
}

export function isPanelSource(x: unknown): x is PanelSource {
  return isObject(x) && typeof x.uri === 'string' && typeof x.offset === 'number' && Number.isInteger(x.offset) && x.offset >= 0;
}

function isAxisConfig(x: unknown): x is AxisConfig {
  if (!isObject(x)) return false;
  const int = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 10_000;
  return int(x.kernel, 1) && int(x.stride, 1) && int(x.padding, 0) && int(x.outputPadding, 0) && int(x.dilation, 1);
}

export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isObject(x)) return false;
  if (x.type === 'ready') return Object.keys(x).length === 1;
  if (x.type === 'pick') return typeof x.index === 'number' && Number.isInteger(x.index) && x.index >= 0 && x.index < 10_000;
  return x.type === 'apply' && isPanelSource(x.source) && Array.isArray(x.axes) && x.axes.length >= 1 && x.axes.length <= 3 && everyItem(x.axes, isAxisConfig);
}

export function isHostMessage(x: unknown): x is HostMessage {
  if (!isObject(x)) return false;
  if (x.type === 'idle') return typeof x.message === 'string';
  const chain = x.chain === undefined || (isObject(x.chain) && Array.isArray(x.chain.layers) && everyItem(x.chain.layers, (l) => typeof l === 'string') && typeof x.chain.index === 'number');
  return x.type === 'view' && isObject(x.view) && (x.view.kind === 'diagram' || x.view.kind === 'message') && isPanelSource(x.source) && chain;
}

/** A stored state, or the defaults for whatever is missing or malformed. */
export function panelState(x: unknown): PanelState {
  const s = isObject(x) ? x : {};
  return {
    ...(isPanelSource(s.source) ? { source: s.source } : {}),
    ...(typeof s.layer === 'string' ? { layer: s.layer } : {}),
    view: PANEL_VIEWS.find((v) => v === s.view) ?? 'gather',
    step: typeof s.step === 'number' && Number.isInteger(s.step) && s.step >= 0 ? s.step : 0,
    depth: typeof s.depth === 'number' && Number.isInteger(s.depth) && s.depth >= 0 ? s.depth : 0,
    numbers: s.numbers === true,
    kernel: KERNEL_CHOICES.find((k) => k.id === s.kernel)?.id ?? 'ones',
    speed: typeof s.speed === 'number' && s.speed >= 50 && s.speed <= 5000 ? s.speed : 500,
    zoom: PANEL_ZOOMS.find((z) => z === s.zoom) ?? 1,
  };
}
