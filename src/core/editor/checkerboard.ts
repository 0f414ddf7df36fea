/**
 * Uneven overlap in transposed convs (the "checkerboard" of Odena et al., 2016): when the
 * kernel is not divisible by the stride, neighbouring outputs get different numbers of taps.
 * The usual cure is resize-then-conv; this finds the one that gives the same output size.
 */
import { constValue, format, scale, sub, type Expr } from '../expr';
import { channelIndex, type LayerReport } from '../torch/report';

export interface Checkerboard {
  /** The axes (0-based) whose effective kernel the stride does not divide. */
  readonly axes: readonly number[];
  /** Taps per output on those axes: alternately `min` and `max`. */
  readonly minTaps: number;
  readonly maxTaps: number;
  /** Resize-then-conv with the same output size, in the layer's framework; undefined when none is simple. */
  readonly alternative?: string;
}

export function checkerboard(r: LayerReport): Checkerboard | undefined {
  if (r.family !== 'convTranspose') return undefined;
  const axes = r.axes.flatMap((a, k) => (a.effectiveKernel % a.stride !== 0 ? [k] : []));
  if (axes.length === 0) return undefined;
  const a = r.axes[axes[0]];
  return { axes, minTaps: Math.floor(a.effectiveKernel / a.stride), maxTaps: Math.ceil(a.effectiveKernel / a.stride), alternative: resizeThenConv(r) };
}

/**
 * `nn.Upsample(scale_factor=s)` then a stride-1 conv with kernel K and padding P gives
 * s·L + 2P − K + 1; the transposed conv gives s·L + c. Pick the smallest odd kernel (3 first)
 * with P ≥ 0 and 2P − K + 1 = c on every axis.
 */
function resizeThenConv(r: LayerReport): string | undefined {
  const nd = r.axes.length;
  if (r.framework === 'keras') return kerasResizeThenConv(r);
  // Written as PyTorch or Keras source only: ONNX and Flax get the warning without a snippet.
  if (r.framework !== undefined) return undefined;
  const choice: { k: number; p: number }[] = [];
  for (const a of r.axes) {
    const c = constValue(sub(a.output, scale(a.input, a.stride)));
    if (c === undefined) return undefined;
    const k = [3, 1, 5, 2, 4, 7].find((kk) => (c + kk - 1) % 2 === 0 && (c + kk - 1) / 2 >= 0);
    if (k === undefined) return undefined;
    choice.push({ k, p: (c + k - 1) / 2 });
  }
  const cin = r.input[channelIndex(r, r.input, nd)];
  const cout = r.output[channelIndex(r, r.output, nd)];
  const strides = r.axes.map((a) => a.stride);
  const tuple = (xs: number[]): string => (xs.every((x) => x === xs[0]) ? String(xs[0]) : `(${xs.join(', ')})`);
  return `nn.Upsample(scale_factor=${tuple(strides)}, mode="nearest"), nn.Conv${nd}d(${python(cin)}, ${python(cout)}, ${tuple(choice.map((c) => c.k))}, padding=${tuple(choice.map((c) => c.p))})`;
}

/**
 * Keras: `UpSampling(size=s)` then a stride-1 conv with padding="same" keeps s·L, which is the
 * transposed conv's own length when it crops nothing extra (padding="same", no output_padding).
 */
function kerasResizeThenConv(r: LayerReport): string | undefined {
  const nd = r.axes.length;
  if (r.axes.some((a) => constValue(sub(a.output, scale(a.input, a.stride))) !== 0)) return undefined;
  const strides = r.axes.map((a) => a.stride);
  const size = strides.every((s) => s === strides[0]) ? String(strides[0]) : `(${strides.join(', ')})`;
  return `layers.UpSampling${nd}D(size=${size}), layers.Conv${nd}D(${python(r.output[channelIndex(r, r.output, nd)])}, 3, padding="same")`;
}

/** A size as Python source: `ngf·4` is written `ngf * 4`. */
function python(e: Expr): string {
  return format(e)
    .replace(/⌊([^⌋]+)\/(\d+)⌋/g, '($1) // $2')
    .replace(/\((\w+)\) \/\//g, '$1 //')
    .replace(/·/g, ' * ')
    .replace(/−/g, '-');
}
