/**
 * The sliding-kernel ("gather") diagram of one windowed layer: the grid the kernel slides
 * over, what each of its cells holds, and which cells each output reads.
 *
 * For a convolution or a pool that grid is the input with its padding. For a transposed
 * convolution it is the zero-inserted input: stride − 1 zeros between neighbouring inputs,
 * then d·(k − 1) − p cells of padding at the start and that plus output_padding at the end
 * (negative: cropped), read by a stride-1 window with the kernel flipped. This is the
 * equivalence of ../shared/reference §1 made visible; the numbers come from the engine's own
 * per-axis arithmetic (LayerReport.axes), never re-derived from the source.
 */
import { constValue } from '../expr';
import { samePads, type AxisArithmetic, type LayerReport, type ZeroInsertion } from '../torch/report';

/**
 * One axis's window, in numbers: what the engine reports (AxisArithmetic has these fields),
 * or what a user typed into the panel's parameters.
 */
export type WindowParams = Pick<AxisArithmetic, 'kernel' | 'stride' | 'dilation' | 'padBegin' | 'padEnd' | 'ceilMode' | 'outputPadding'> & {
  readonly zeroInsertion?: Pick<ZeroInsertion, 'padBegin' | 'padEnd'>;
};

/** What a cell of the grid holds. */
export type CellKind = 'input' | 'zero' | 'pad' | 'cropped';

export interface AxisCanvas {
  /** The input length drawn: the layer's own, or an example when that is symbolic or too large. */
  readonly input: number;
  /** The window as the layer states it (for a transposed conv, padBegin/padEnd crop the full output). */
  readonly params: WindowParams;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  /** Each grid cell, along this axis. */
  readonly kinds: readonly CellKind[];
  /** For an input cell, the input index it holds; -1 otherwise. */
  readonly source: readonly number[];
  /** Where the first window starts, and how far each next one moves (1 for a transposed conv). */
  readonly first: number;
  readonly step: number;
  readonly output: number;
}

export type DiagramFamily = 'conv' | 'convTranspose' | 'pool';

export interface GatherDiagram {
  readonly family: DiagramFamily;
  readonly layerType: string;
  /** One axis (1-D) or two (rows, then columns). A 3-D layer is drawn on its last two axes. */
  readonly axes: readonly AxisCanvas[];
  /**
   * A 3-D layer's depth axis: the drawing is one depth slice of the output at a time (a
   * slice picker), whose window reads the input depths this axis's windows give.
   */
  readonly depth?: AxisCanvas;
  /** The taps read the kernel flipped: the zero-insertion form of a transposed conv. */
  readonly flipped: boolean;
  /** What the drawing leaves out or changes (example sizes, a dropped depth axis). */
  readonly notes: readonly string[];
}

/** Inputs up to this long are drawn as they are; longer or symbolic ones on an example. */
export const MAX_DRAWN_INPUT = 64;
/** The example length drawn for a symbolic or too long input. */
export const EXAMPLE_INPUT = 5;

const FAMILIES: ReadonlySet<string> = new Set<DiagramFamily>(['conv', 'convTranspose', 'pool']);

/**
 * Windows, strides and grids longer than this along an axis are not drawn. The drawn input is
 * at most MAX_DRAWN_INPUT, but a layer's own kernel, stride or padding may be anything the
 * source says (`kernel_size=10**12` with Flax's SAME padding pads 5·10¹¹ cells): a grid is
 * built cell by cell, so drawing one would take that much memory, and no one reads it.
 */
export const MAX_DRAWN_CELLS = 4096;

/** The input length an axis is drawn with: its own when small and known, else the example. */
function drawnLength(a: AxisArithmetic): number {
  const length = constValue(a.input);
  return length !== undefined && length >= 1 && length <= MAX_DRAWN_INPUT ? length : EXAMPLE_INPUT;
}

/** The pads an axis is drawn with: TF's SAME pads depend on the length, so an example input gets its own. */
function drawnPads(a: AxisArithmetic, drawn: number): [number, number] {
  return a.sameSplit ? samePads(drawn, a.stride, a.effectiveKernel, a.sameSplit) : [a.padBegin, a.padEnd];
}

/** Whether a windowed layer's grid is too long to draw along some axis (see MAX_DRAWN_CELLS). */
export function tooLargeToDraw(report: LayerReport): boolean {
  return report.axes.some((a) => {
    const drawn = drawnLength(a);
    const [padBegin, padEnd] = a.zeroInsertion ? [a.zeroInsertion.padBegin, a.zeroInsertion.padEnd] : drawnPads(a, drawn);
    const cells = Math.max(0, padBegin) + (drawn - 1) * (a.zeroInsertion ? a.stride : 1) + 1 + Math.max(0, padEnd);
    return !(a.effectiveKernel <= MAX_DRAWN_CELLS && a.stride <= MAX_DRAWN_CELLS && cells <= MAX_DRAWN_CELLS);
  });
}

/** Whether gatherDiagram gives a diagram, without building it (the hover asks this for its link). */
export function canDraw(report: LayerReport): boolean {
  return FAMILIES.has(report.family) && report.axes.length > 0 && !tooLargeToDraw(report);
}

/** The diagram of an engine answer; undefined for layers that do not slide a kernel, or whose grid is too large to draw. */
export function gatherDiagram(report: LayerReport): GatherDiagram | undefined {
  if (!canDraw(report)) return undefined;
  const family = report.family as DiagramFamily;
  const notes: string[] = [];
  const canvas = (a: AxisArithmetic): AxisCanvas => {
    const drawn = drawnLength(a);
    const [padBegin, padEnd] = drawnPads(a, drawn);
    return axisCanvas({ ...a, padBegin, padEnd }, family, drawn);
  };
  const drawn = report.axes.slice(-2);
  const axes = drawn.map(canvas);
  const depth = report.axes.length === 3 ? canvas(report.axes[0]) : undefined;
  if (depth) notes.push('A 3-D layer is drawn one output depth slice at a time: pick the slice; its window reads the input depth slices listed.');
  const examples = report.axes.flatMap((a) => {
    const length = constValue(a.input);
    return length !== undefined && length >= 1 && length <= MAX_DRAWN_INPUT ? [] : [length === undefined ? a.input : length];
  });
  if (examples.length > 0) notes.push(`Drawn on an example input of ${EXAMPLE_INPUT} per axis: the layer's own (${report.axes.map((a) => String(constValue(a.input) ?? 'symbolic')).join(' × ')}) is ${examples.some((e) => typeof e === 'number') ? 'too large to draw' : 'symbolic'}.`);
  return { family, layerType: report.layerType, axes, ...(depth ? { depth } : {}), flipped: family === 'convTranspose', notes };
}

/**
 * The diagram in words, for screen readers (the drawing's aria-label): e.g. "transposed
 * convolution: input 2×2, zero-inserted 3×3, padded 7×7, kernel 3×3, stride 1, output 5×5".
 */
export function describeDiagram(d: GatherDiagram): string {
  const sizes = (f: (a: AxisCanvas) => number): string => d.axes.map(f).join('×');
  // A step is one number when it is the same on every axis, as people say "stride 2".
  const steps = (f: (a: AxisCanvas) => number): string => (d.axes.every((a) => f(a) === f(d.axes[0])) ? String(f(d.axes[0])) : sizes(f));
  const kind = d.family === 'convTranspose' ? 'transposed convolution' : d.family === 'pool' ? 'pooling' : 'convolution';
  const parts = [`input ${sizes((a) => a.input)}`];
  if (d.family === 'convTranspose') parts.push(`zero-inserted ${sizes((a) => (a.input - 1) * a.stride + 1)}`);
  parts.push(`padded ${sizes((a) => a.kinds.length)}`);
  if (d.axes.some((a) => a.kinds.includes('cropped'))) parts.push(`cropped to ${sizes((a) => a.kinds.filter((k) => k !== 'cropped').length)}`);
  parts.push(`kernel ${sizes((a) => a.kernel)}`, `stride ${steps((a) => a.step)}`);
  if (d.axes.some((a) => a.dilation !== 1)) parts.push(`dilation ${steps((a) => a.dilation)}`);
  parts.push(`output ${sizes((a) => a.output)}`);
  return `${kind}: ${parts.join(', ')}`;
}

/** The grid along one axis for an input of `input` cells. */
export function axisCanvas(a: WindowParams, family: DiagramFamily, input: number): AxisCanvas {
  const params: WindowParams = { kernel: a.kernel, stride: a.stride, dilation: a.dilation, padBegin: a.padBegin, padEnd: a.padEnd, ...(a.ceilMode !== undefined ? { ceilMode: a.ceilMode } : {}), ...(a.outputPadding !== undefined ? { outputPadding: a.outputPadding } : {}), ...(a.zeroInsertion ? { zeroInsertion: { padBegin: a.zeroInsertion.padBegin, padEnd: a.zeroInsertion.padEnd } } : {}) };
  const span = a.dilation * (a.kernel - 1) + 1;
  const kinds: CellKind[] = [];
  const source: number[] = [];
  const push = (kind: CellKind, from: number): void => {
    kinds.push(kind);
    source.push(from);
  };
  if (family === 'convTranspose' && a.zeroInsertion) {
    const { padBegin, padEnd } = a.zeroInsertion;
    for (let i = 0; i < padBegin; i++) push('pad', -1);
    const inserted = (input - 1) * a.stride + 1;
    for (let i = 0; i < inserted; i++) {
      const real = i % a.stride === 0;
      const cropped = i < -padBegin || i >= inserted + padEnd;
      push(cropped ? 'cropped' : real ? 'input' : 'zero', real ? i / a.stride : -1);
    }
    for (let i = 0; i < padEnd; i++) push('pad', -1);
    const first = Math.max(0, -padBegin);
    const readable = kinds.length - first - Math.max(0, -padEnd);
    return { input, params, kernel: a.kernel, stride: a.stride, dilation: a.dilation, kinds, source, first, step: 1, output: Math.max(0, readable - span + 1) };
  }
  for (let i = 0; i < a.padBegin; i++) push('pad', -1);
  for (let i = 0; i < input; i++) push('input', i);
  for (let i = 0; i < a.padEnd; i++) push('pad', -1);
  return { input, params, kernel: a.kernel, stride: a.stride, dilation: a.dilation, kinds, source, first: 0, step: a.stride, output: windowCount(kinds.length, span, a, input) };
}

/**
 * How many windows fit: ⌊(L − span)/s⌋ + 1, or with ceil_mode PyTorch's ⌈…⌉ + 1 minus a last
 * window that would start in the end padding.
 */
function windowCount(length: number, span: number, a: WindowParams, input: number): number {
  if (length < span) return 0;
  if (!a.ceilMode) return Math.floor((length - span) / a.stride) + 1;
  let n = Math.ceil((length - span) / a.stride) + 1;
  if ((n - 1) * a.stride >= input + a.padBegin) n--;
  return n;
}

/** The grid cells output `o` reads along an axis, tap by tap. */
export function windowCells(axis: AxisCanvas, o: number): number[] {
  const start = axis.first + o * axis.step;
  return Array.from({ length: axis.kernel }, (_, j) => start + j * axis.dilation);
}

/** The input depth slices output depth slice `z` reads (real inputs only, in tap order). */
export function depthInputs(depth: AxisCanvas, z: number): number[] {
  return windowCells(depth, z).flatMap((c) => (depth.kinds[c] === 'input' ? [depth.source[c]] : []));
}

/** Grid cells no window ever reads (a strided conv's floor remainder, past the last window). */
export function unreadCells(axis: AxisCanvas): number[] {
  if (axis.output === 0) return [];
  const end = axis.first + (axis.output - 1) * axis.step + axis.dilation * (axis.kernel - 1) + 1;
  const out: number[] = [];
  for (let c = end; c < axis.kinds.length; c++) if (axis.kinds[c] !== 'cropped') out.push(c);
  return out;
}

/** Row-major index → per-axis indices. */
export function unflatten(flat: number, lengths: readonly number[]): number[] {
  const out = new Array<number>(lengths.length);
  for (let k = lengths.length - 1; k >= 0; k--) {
    out[k] = flat % lengths[k];
    flat = Math.floor(flat / lengths[k]);
  }
  return out;
}
