/**
 * The seeds' question, "are upsampling and transposed convolution the same?", answered on
 * the user's own numbers: one input upsampled by a factor s per axis in five ways, side by
 * side. Bed of nails (zero insertion) is a transposed conv's first step; a transposed conv
 * whose kernel is fixed to the bilinear filter (FCN's initialisation: kernel 2s − s mod 2,
 * stride s, padding ⌈(s − 1)/2⌉) gives bilinear upsampling away from the borders.
 *
 * Grids are row-major with their sizes; a 1-D signal is one row. Nearest and bilinear follow
 * PyTorch's F.interpolate (`align_corners=False`); max-unpooling uses the switches of a
 * max-pool (kernel = stride = s) over an example input that pooling turns into this one.
 */
import { contributions, weightedSums } from './connections';
import { exampleKernel } from './examples';
import { axisCanvas, unflatten } from './gather';

export interface Signal {
  /** Per axis (1 or 2). */
  readonly size: readonly number[];
  readonly values: readonly number[];
}

export interface Upsampled {
  readonly name: string;
  /** What it is, in one line, with this input's numbers. */
  readonly how: string;
  readonly result: Signal;
  /** For max-unpooling: the example input whose max-pool gave the switches (and this input). */
  readonly pooledFrom?: Signal;
}

/** The five upsamplings of `input` by `scale` per axis, plus the layer's own transposed conv. */
export function upsamplingFamily(input: Signal, scale: readonly number[]): Upsampled[] {
  const fcn = scale.map(bilinearKernelFor);
  return [
    { name: 'Nearest neighbour', how: `each input repeated ${scale.join(' × ')} times`, result: separable(input, scale, nearest1d) },
    { name: 'Bilinear', how: 'linear interpolation between neighbours (align_corners=False)', result: separable(input, scale, bilinear1d) },
    { name: 'Bed of nails', how: `each input at the corner of its ${scale.join(' × ')} block, zeros elsewhere — a transposed conv's zero insertion`, result: separable(input, scale, bedOfNails1d) },
    { name: 'Max-unpooling', how: 'each input back where a max-pool found it (its switch), zeros elsewhere', ...maxUnpool(input, scale) },
    {
      name: 'Transposed conv, bilinear kernel',
      how: `kernel ${fcn.map((f) => f.kernel).join(' × ')}, stride ${scale.join(' × ')}, padding ${fcn.map((f) => f.padding).join(' × ')}, weights fixed to the bilinear filter (FCN) — bilinear away from the borders`,
      result: transposedBilinear(input, scale, fcn),
    },
  ];
}

/** FCN's bilinear kernel for factor s: size 2s − s mod 2, padding ⌈(s − 1)/2⌉. */
export function bilinearKernelFor(s: number): { kernel: number; padding: number; weights: number[] } {
  const kernel = 2 * s - (s % 2);
  return { kernel, padding: Math.ceil((s - 1) / 2), weights: exampleKernel('bilinear', [kernel]) };
}

type Resample1d = (values: readonly number[], s: number) => number[];

const nearest1d: Resample1d = (v, s) => Array.from({ length: v.length * s }, (_, o) => v[Math.floor(o / s)]);

const bilinear1d: Resample1d = (v, s) =>
  Array.from({ length: v.length * s }, (_, o) => {
    const src = Math.max(0, (o + 0.5) / s - 0.5);
    const i0 = Math.min(Math.floor(src), v.length - 1);
    const i1 = Math.min(i0 + 1, v.length - 1);
    const t = src - i0;
    return (1 - t) * v[i0] + t * v[i1];
  });

const bedOfNails1d: Resample1d = (v, s) => Array.from({ length: v.length * s }, (_, o) => (o % s === 0 ? v[o / s] : 0));

/** Applies a 1-D resampling along each axis in turn (all of these are separable). */
function separable(input: Signal, scale: readonly number[], f: Resample1d): Signal {
  let size = [...input.size];
  let values = [...input.values];
  for (let axis = 0; axis < size.length; axis++) {
    const s = scale[axis];
    const outSize = size.map((n, k) => (k === axis ? n * s : n));
    const out = new Array<number>(outSize.reduce((a, b) => a * b, 1));
    const stride = size.slice(axis + 1).reduce((a, b) => a * b, 1);
    const outer = size.slice(0, axis).reduce((a, b) => a * b, 1);
    for (let o = 0; o < outer; o++) {
      for (let inner = 0; inner < stride; inner++) {
        const line = Array.from({ length: size[axis] }, (_, i) => values[(o * size[axis] + i) * stride + inner]);
        f(line, s).forEach((v, i) => (out[(o * outSize[axis] + i) * stride + inner] = v));
      }
    }
    size = outSize;
    values = out;
  }
  return { size, values };
}

/**
 * Max-unpooling needs the switches of a max-pool. They come from max-pooling (kernel =
 * stride = s) an example input that pools to this one: in each block the input value sits at
 * a position that moves from block to block, the other cells a little lower. Unpooling then
 * puts each value back where the pool found its maximum.
 */
function maxUnpool(input: Signal, scale: readonly number[]): { result: Signal; pooledFrom: Signal } {
  const size = input.size.map((n, k) => n * scale[k]);
  const cells = size.reduce((a, b) => a * b, 1);
  const blockCells = scale.reduce((a, b) => a * b, 1);
  const blockOf = (flat: number): number => {
    const at = unflatten(flat, size);
    return at.map((x, k) => Math.floor(x / scale[k])).reduce((n, x, k) => n * input.size[k] + x, 0);
  };
  const withinOf = (flat: number): number => unflatten(flat, size).map((x, k) => x % scale[k]).reduce((n, x, k) => n * scale[k] + x, 0);
  // The example pre-pool input.
  const example = Array.from({ length: cells }, (_, flat) => {
    const block = blockOf(flat);
    return withinOf(flat) === (block * 7 + 3) % blockCells ? input.values[block] : input.values[block] - 1 - withinOf(flat) / blockCells;
  });
  // Max-pool it, keeping the switches (the first maximum, as PyTorch's argmax does).
  const switches = new Array<number>(input.values.length).fill(-1);
  example.forEach((v, flat) => {
    const block = blockOf(flat);
    if (switches[block] < 0 || v > example[switches[block]]) switches[block] = flat;
  });
  const values = new Array<number>(cells).fill(0);
  switches.forEach((at, block) => (values[at] = input.values[block]));
  return { result: { size, values }, pooledFrom: { size, values: example } };
}

function transposedBilinear(input: Signal, scale: readonly number[], fcn: readonly { kernel: number; padding: number; weights: number[] }[]): Signal {
  const axes = scale.map((s, k) => {
    const { kernel, padding } = fcn[k];
    const pad = kernel - 1 - padding;
    return axisCanvas({ kernel, stride: s, dilation: 1, padBegin: padding, padEnd: padding, zeroInsertion: { padBegin: pad, padEnd: pad } }, 'convTranspose', input.size[k]);
  });
  const kernel: number[] = [];
  const taps = fcn.reduce((n, f) => n * f.kernel, 1);
  for (let t = 0; t < taps; t++) {
    const j = unflatten(t, fcn.map((f) => f.kernel));
    kernel.push(j.reduce((w, x, k) => w * fcn[k].weights[x], 1));
  }
  const values = weightedSums(contributions({ family: 'convTranspose', layerType: 'ConvTranspose', axes, flipped: true, notes: [] }), input.values, kernel);
  return { size: axes.map((a) => a.output), values };
}
