/**
 * One transposed convolution in every framework's terms. Every framework returns a window of
 * the same full output `F = (i − 1)·s + d·(k − 1) + 1`: it starts `c` cells in and stops `e`
 * cells before the end (a negative `e`: zeros appended). A layer is translated by finding the
 * target's settings with the same (c, e) on every axis — exactly, or with the extra slice,
 * crop or zero padding the target needs when no setting of its own gives that window (TF's
 * SAME with an odd total, in PyTorch). (c, e) never depends on the input size, so neither does
 * a translation. Reference: ../shared/reference/conv-arithmetic.md §0.
 */
import { format, type Expr } from './expr';
import { channelIndex, type AxisArithmetic, type LayerReport } from './torch/report';

export type TranslationTarget = 'torch' | 'keras' | 'onnx' | 'flax';
export const TRANSLATION_TARGETS: readonly TranslationTarget[] = ['torch', 'keras', 'onnx', 'flax'];
const TARGET_NAMES: Record<TranslationTarget, string> = { torch: 'PyTorch', keras: 'Keras', onnx: 'ONNX', flax: 'Flax' };

export interface Translation {
  readonly target: TranslationTarget;
  readonly name: string;
  /** Python source computing the same function (same weights up to each framework's layout). */
  readonly code: string;
  /** True when one layer of the target gives the window; false when a slice/crop/pad follows it. */
  readonly exact: boolean;
  /** Why it is not exact, or what differs besides the window (kernel layout, flip). */
  readonly note?: string;
}

/** The window of the full output, per axis. */
interface AxisWindow {
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly keff: number;
  /** Cells dropped at the start of F. */
  readonly c: number;
  /** Cells dropped at the end of F (negative: zeros appended). */
  readonly e: number;
}

function windowOf(a: AxisArithmetic): AxisWindow {
  return { kernel: a.kernel, stride: a.stride, dilation: a.dilation, keff: a.effectiveKernel, c: a.padBegin, e: a.padEnd };
}

/** `3` when every axis has 3, else `(3, 4)`; `[3, 3]` for lists. */
function tuple(xs: readonly number[]): string {
  return xs.every((x) => x === xs[0]) ? String(xs[0]) : `(${xs.join(', ')})`;
}
function pyTuple(xs: readonly number[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}
function list(xs: readonly number[]): string {
  return `[${xs.join(', ')}]`;
}
function python(e: Expr): string {
  return format(e).replace(/·/g, ' * ').replace(/−/g, '-');
}

/** Translations of a transposed conv's report into every target, its own framework included. */
export function translateTransposed(report: LayerReport): Translation[] | undefined {
  if (report.family !== 'convTranspose' || report.axes.length === 0) return undefined;
  const axes = report.axes.map(windowOf);
  const nd = axes.length;
  const cin = python(report.input[channelIndex(report, report.input, nd)]);
  const cout = python(report.output[channelIndex(report, report.output, nd)]);
  const groups = report.groups ?? 1;
  return TRANSLATION_TARGETS.map((target) => {
    const t = translators[target](axes, { cin, cout, groups, nd });
    return { target, name: TARGET_NAMES[target], ...t };
  });
}

interface Channels {
  readonly cin: string;
  readonly cout: string;
  readonly groups: number;
  readonly nd: number;
}

type Translator = (axes: readonly AxisWindow[], ch: Channels) => Omit<Translation, 'target' | 'name'>;

/** The slice, crop or pad that turns the full output F into the window (c, e), in torch. */
function torchFix(axes: readonly AxisWindow[]): string {
  const slices = axes.map((a) => `${a.c > 0 ? a.c : ''}:${a.e > 0 ? `-${a.e}` : ''}`);
  const pads = axes.flatMap((a) => [0, Math.max(0, -a.e)]).reverse();
  const sliced = `y[..., ${slices.join(', ')}]`;
  return pads.some((p) => p > 0) ? `F.pad(${sliced}, ${pyTuple(pads)})` : sliced;
}

const translators: Record<TranslationTarget, Translator> = {
  torch(axes, ch) {
    const p = axes.map((a) => a.c);
    const op = axes.map((a) => a.c - a.e);
    const exact = axes.every((a, k) => p[k] >= 0 && op[k] >= 0 && (op[k] < a.stride || op[k] < a.dilation));
    const common = `${ch.cin}, ${ch.cout}, kernel_size=${tuple(axes.map((a) => a.kernel))}, stride=${tuple(axes.map((a) => a.stride))}`;
    const tail = `${axes.some((a) => a.dilation > 1) ? `, dilation=${tuple(axes.map((a) => a.dilation))}` : ''}${ch.groups > 1 ? `, groups=${ch.groups}` : ''}`;
    if (exact) return { code: `nn.ConvTranspose${ch.nd}d(${common}, padding=${tuple(p)}, output_padding=${tuple(op)}${tail})`, exact };
    return {
      code: `y = nn.ConvTranspose${ch.nd}d(${common}, padding=0${tail})(x)\ny = ${torchFix(axes)}`,
      exact,
      note: 'PyTorch crops padding at the start and padding − output_padding at the end: it cannot crop more at the end than at the start, so the full output is sliced',
    };
  },

  keras(axes, ch) {
    if (axes.some((a) => a.dilation > 1) && axes.some((a) => a.stride > 1)) {
      return { code: '', exact: false, note: 'Keras refuses strides > 1 together with dilation_rate > 1: no Keras layer computes this' };
    }
    if (ch.groups > 1) return { code: '', exact: false, note: 'Keras transposed convolutions have no groups' };
    // Keras' own windows: padding and output_padding (None or 0 … s − 1) fix T = c + e and c.
    // T falls by one per unit of output_padding, so only the one giving T = c + e can keep
    // the window: that one is tried, not all s of them (a stride may be 10**12).
    const options = (a: AxisWindow): { padding: 'same' | 'valid'; op: number | undefined; c: number; e: number }[] => {
      const out: { padding: 'same' | 'valid'; op: number | undefined; c: number; e: number }[] = [];
      for (const padding of ['same', 'valid'] as const) {
        const wanted = a.keff - (padding === 'valid' ? a.keff : a.keff % 2) - (a.c + a.e);
        for (const op of [undefined, ...(wanted >= 0 && wanted < a.stride ? [wanted] : [])]) {
          const extra = padding === 'valid' ? (op === undefined ? Math.max(a.keff, a.stride) : a.keff + op) : op === undefined ? a.stride : (a.keff % 2) + op;
          const total = a.keff - extra;
          const c = Math.floor(Math.max(0, total) / 2);
          out.push({ padding, op, c, e: total - c });
        }
      }
      return out;
    };
    const head = (padding: string, op: readonly (number | undefined)[]): string =>
      `layers.Conv${ch.nd}DTranspose(${ch.cout}, ${tuple(axes.map((a) => a.kernel))}, strides=${tuple(axes.map((a) => a.stride))}, padding="${padding}"${op.every((o) => o === undefined) ? '' : `, output_padding=${tuple(op.map((o) => o ?? 0))}`}${axes.some((a) => a.dilation > 1) ? `, dilation_rate=${tuple(axes.map((a) => a.dilation))}` : ''})`;
    // One padding string for all axes (Keras takes one): the first under which every axis keeps its crop.
    for (const padding of ['same', 'valid'] as const) {
      const picks = axes.map((a) => options(a).find((o) => o.padding === padding && o.c === a.c && o.e === a.e));
      if (picks.every((p) => p !== undefined)) {
        const ops = picks.map((p) => p.op);
        if (ops.some((o) => o !== undefined) && ops.some((o) => o === undefined)) continue;
        return { code: head(padding, ops), exact: true, note: "Keras' kernel is (k…, out, in): transpose PyTorch's (in, out, k…)" };
      }
    }
    // The full output (valid, output_padding 0), then Cropping and ZeroPadding.
    const crop = axes.map((a) => [a.c, Math.max(0, a.e)]);
    const pad = axes.map((a) => [0, Math.max(0, -a.e)]);
    const pairs = (xs: number[][]): string => (ch.nd === 1 ? `(${xs[0][0]}, ${xs[0][1]})` : `(${xs.map(([b, e]) => `(${b}, ${e})`).join(', ')})`);
    const steps = [`${head('valid', axes.map(() => 0))}`];
    if (crop.some(([b, e]) => b + e > 0)) steps.push(`layers.Cropping${ch.nd}D(${pairs(crop)})`);
    if (pad.some(([, e]) => e > 0)) steps.push(`layers.ZeroPadding${ch.nd}D(${pairs(pad)})`);
    return { code: steps.join(',\n'), exact: false, note: "no padding/output_padding of Keras keeps this window (Keras crops ⌊T/2⌋ at the start, TF's alignment): the full output is cropped" };
  },

  onnx(axes, ch) {
    const begins = axes.map((a) => a.c);
    const ends = axes.map((a) => Math.max(0, a.e));
    const op = axes.map((a) => Math.max(0, -a.e));
    const exact = begins.every((b) => b >= 0);
    const attrs = [`kernel_shape=${list(axes.map((a) => a.kernel))}`, `strides=${list(axes.map((a) => a.stride))}`, `pads=${list([...begins, ...ends])}`];
    if (op.some((o) => o > 0)) attrs.push(`output_padding=${list(op)}`);
    if (axes.some((a) => a.dilation > 1)) attrs.push(`dilations=${list(axes.map((a) => a.dilation))}`);
    if (ch.groups > 1) attrs.push(`group=${ch.groups}`);
    return { code: `helper.make_node("ConvTranspose", ["X", "W"], ["Y"], ${attrs.join(', ')})`, exact, note: "W is (in, out/group, k…), as PyTorch's" };
  },

  flax(axes, ch) {
    if (ch.groups > 1) return { code: '', exact: false, note: 'flax.linen.ConvTranspose has no feature groups' };
    // lax.conv_transpose's explicit pads are the zero-inserted input's: keff − 1 − c and keff − 1 − e.
    const pads = axes.map((a) => `(${a.keff - 1 - a.c}, ${a.keff - 1 - a.e})`);
    const padding = `(${pads.join(', ')}${axes.length === 1 ? ',' : ''})`;
    return {
      code: `nn.ConvTranspose(${ch.cout}, kernel_size=${pyTuple(axes.map((a) => a.kernel))}, strides=${pyTuple(axes.map((a) => a.stride))}, padding=${padding}${axes.some((a) => a.dilation > 1) ? `, kernel_dilation=${pyTuple(axes.map((a) => a.dilation))}` : ''}, transpose_kernel=True)`,
      exact: true,
      note: 'transpose_kernel=True flips the kernel as the other frameworks do (Flax does not by default); the pads are those of the zero-inserted input',
    };
  },
};
