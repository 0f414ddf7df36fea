/**
 * What TensorFlow's `tf.nn.conv*` and JAX's `lax.conv*` functions share: they take tensors,
 * not hyper-parameters, so the kernel comes from the filter tensor's shape (the front end
 * finds it where the file makes that tensor: `tf.random.normal([3, 3, 16, 32])`), and the
 * layout of each tensor is a string of axis letters (`'NHWC'`, `'HWIO'`).
 *
 * A tensor the file makes (the data input of such a function) is the layer type `Tensor`:
 * its one operand is the shape, and its report is an input with that shape.
 */
import { constValue, sym, type Expr } from './expr';
import { fail } from './outcome';
import type { Shape } from './shape';
import { Checks, layerReport, sizeText, type LayerReport } from './torch/report';
import type { LayerCall, Operand } from './values';

/** The layer type of a tensor made in the file, which feeds a function's first argument. */
export const TENSOR = 'Tensor';

export function tensorReport(call: LayerCall, framework: 'tf' | 'jax'): LayerReport {
  const shape = call.operands?.[0]?.shape;
  if (!shape) return fail('not-constant', 'the shape of this tensor is not written in the file');
  return { ...layerReport(TENSOR, 'input', shape, shape, new Checks()), framework };
}

/** Where each axis kind sits in a tensor whose layout is `spec` (`'NHWC'`: n 0, c 3, spatial [1, 2]). */
export interface Layout {
  readonly spec: string;
  readonly batch: number;
  readonly channels: number;
  /** Spatial axes in the order `order` gives their letters (the kernel's order). */
  readonly spatial: readonly number[];
}

/**
 * A layout string read with the letters `batch`/`channels` for its two special axes (`N`,
 * `C` for data; `O`, `I` for kernels); the other letters are spatial, ordered as in
 * `order` (JAX matches data and kernel spatial axes by letter, through the kernel's order).
 */
export function readLayout(spec: string, rank: number, batch: string, channels: string, order?: string): Layout {
  const letters = [...spec];
  const b = letters.indexOf(batch);
  const c = letters.indexOf(channels);
  const spatialLetters = letters.filter((l) => l !== batch && l !== channels);
  if (b < 0 || c < 0 || letters.length !== rank + 2 || new Set(letters).size !== letters.length) {
    fail('argument', `'${spec}' is not a layout of ${rank + 2} distinct axes with ${batch} and ${channels}`);
  }
  const ordered = order ? [...order].filter((l) => spatialLetters.includes(l)) : spatialLetters;
  if (ordered.length !== spatialLetters.length) fail('argument', `the spatial axes of '${spec}' and '${order}' differ`);
  return { spec, batch: b, channels: c, spatial: ordered.map((l) => letters.indexOf(l)) };
}

/** Channels-last when C is the last axis; channels first when it directly follows N. */
export function layoutKind(l: Layout): 'channels_last' | 'channels_first' {
  if (l.channels === l.spec.length - 1 && l.batch === 0) return 'channels_last';
  if (l.batch === 0 && l.channels === 1) return 'channels_first';
  return fail('argument', `Conv Lens shows layouts with N first and C second or last, not '${l.spec}'`);
}

/** The symbolic data tensor of a layout: N, C and spatial H, W (D, H, W; L) in their places. */
export function symbolicTensor(l: Layout, channels: Expr = sym('C')): Shape {
  const names = l.spatial.length === 1 ? ['L'] : l.spatial.length === 2 ? ['H', 'W'] : ['D', 'H', 'W'];
  const out: Expr[] = [];
  out[l.batch] = sym('N');
  out[l.channels] = channels;
  l.spatial.forEach((axis, k) => (out[axis] = sym(names[k] ?? `S${k}`)));
  return out;
}

/** A shape in a layout, from its parts. */
export function placeAxes(l: Layout, batch: Expr, channels: Expr, spatial: readonly Expr[]): Shape {
  const out: Expr[] = [];
  out[l.batch] = batch;
  out[l.channels] = channels;
  l.spatial.forEach((axis, k) => (out[axis] = spatial[k]));
  return out;
}

/** The filter tensor's shape, which the front end found where the file makes it. */
export function filterShape(call: LayerCall, argument: string, rank: number): Shape {
  const operand: Operand | undefined = call.operands?.[0];
  if (!operand?.shape) {
    fail('not-constant', `the kernel size comes from the shape of ${argument}, which this file does not show: make it in the file (e.g. tf.random.normal([3, 3, 16, 32]) or jnp.zeros((3, 3, 16, 32))), or name a tensor made so`);
  }
  if (operand.shape.length !== rank + 2) fail('input-rank', `${argument} must be ${rank + 2}-D for a ${rank}-D convolution, but its shape is (${operand.shape.map(sizeText).join(', ')})`);
  return operand.shape;
}

/** A kernel size, which must be a known constant. */
export function kernelSize(e: Expr, argument: string): number {
  const k = constValue(e);
  if (k === undefined) fail('not-constant', `the kernel size ${sizeText(e)} in ${argument}'s shape is not a constant here`);
  return k;
}
