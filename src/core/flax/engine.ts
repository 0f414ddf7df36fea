/**
 * Flax's convolutions: `flax.linen.Conv` / `ConvTranspose` and `flax.nnx.Conv` /
 * `ConvTranspose`, which run `jax.lax.conv_general_dilated` / `lax.conv_transpose` on
 * channels-last inputs `(*batch, *spatial, features)`. Their rules (reference §3):
 *   - padding defaults to 'SAME' (not 'VALID' as in Keras, nor 0 as in PyTorch);
 *   - an int kernel_size is a 1-D kernel: on (N, H, W, C) it convolves W only;
 *   - Conv: 'SAME' gives ⌈i/s⌉ (TF's split), 'VALID' ⌊(i − keff)/s⌋ + 1 clamped at 0 (JAX does
 *     not refuse), 'CIRCULAR'/'REFLECT' pad ((keff − 1)//2, keff//2) first, 'CAUSAL' (1-D)
 *     keff − 1 on the left, explicit (lo, hi) pairs, input_dilation (fractional stride);
 *   - ConvTranspose: 'SAME' i·s and 'VALID' (i − 1)·s + max(keff, s), TF's alignment; explicit
 *     pairs are the zero-inserted input's pads (lax.conv_transpose's legacy meaning); no
 *     output_padding, no groups; the kernel is not flipped unless transpose_kernel=True.
 * JAX and Flax are not installed here: these rules are the reference's, tested as such.
 */
import { bindSignature, boolValue, countValue, describe, intValue, opt, req, type BoundArgs, type Signature } from '../args';
import { add, addConst, constant, constValue, floorDiv, mod, mul, scale, sym, type Expr } from '../expr';
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import { Checks, croppedAxis, product, samePads, sizeText, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';
import { STRING_PADDING_WITH_LHS_DILATION } from '../jax/lax';

const common = ['strides', 'padding', 'input_dilation', 'kernel_dilation', 'feature_group_count', 'use_bias', 'mask', 'dtype', 'param_dtype', 'precision', 'kernel_init', 'bias_init', 'conv_general_dilated', 'promote_dtype', 'parent', 'name'];
const transposeCommon = ['strides', 'padding', 'kernel_dilation', 'use_bias', 'mask', 'dtype', 'param_dtype', 'precision', 'kernel_init', 'bias_init', 'transpose_kernel', 'promote_dtype', 'parent', 'name'];

/** linen takes `features`; nnx takes `in_features, out_features` and `rngs`. */
export const FLAX_SIGNATURES: Readonly<Record<string, Signature>> = {
  Conv: { params: [req('features'), req('kernel_size'), ...common.map(opt)] },
  ConvTranspose: { params: [req('features'), req('kernel_size'), ...transposeCommon.map(opt)] },
  'nnx.Conv': { params: [req('in_features'), req('out_features'), req('kernel_size'), ...common.filter((p) => p !== 'parent' && p !== 'name').map(opt), opt('rngs')] },
  'nnx.ConvTranspose': { params: [req('in_features'), req('out_features'), req('kernel_size'), ...transposeCommon.filter((p) => p !== 'parent' && p !== 'name').map(opt), opt('rngs')] },
};

const ONE: Value = { kind: 'int', expr: constant(1) };

/** An int or a sequence, as Flax's `maybe_broadcast`: an int is repeated per axis. */
function perAxis(v: Value | undefined, n: number, name: string): number[] {
  if (v === undefined || v.kind === 'none') return Array.from({ length: n }, () => 1);
  if (v.kind === 'seq') {
    if (v.items.length !== n) fail('spatial-dims', `${name} has ${v.items.length} entries for a ${n}-axis kernel`);
    return v.items.map((x) => intValue(x, name));
  }
  const k = intValue(v, name);
  return Array.from({ length: n }, () => k);
}

type Padding = { readonly kind: 'SAME' | 'VALID' | 'CIRCULAR' | 'REFLECT' | 'CAUSAL' } | { readonly kind: 'pairs'; readonly pairs: [number, number][] };

function paddingOf(v: Value | undefined, n: number): Padding {
  if (v === undefined) return { kind: 'SAME' };
  if (v.kind === 'str') {
    const p = v.value.toUpperCase();
    if (p === 'SAME' || p === 'VALID' || p === 'CIRCULAR' || p === 'REFLECT' || p === 'CAUSAL') {
      if (p === 'CAUSAL' && n !== 1) fail('padding-string', `Causal padding is only implemented for 1D convolutions.`);
      return { kind: p };
    }
    return fail('padding-string', `Invalid padding: '${v.value}'; Flax takes 'SAME', 'VALID', 'CIRCULAR', 'REFLECT', 'CAUSAL', an int or (low, high) pairs`);
  }
  if (v.kind === 'int') {
    const p = intValue(v, 'padding');
    return { kind: 'pairs', pairs: Array.from({ length: n }, () => [p, p]) };
  }
  if (v.kind === 'seq') {
    if (v.items.length !== n) fail('spatial-dims', `padding has ${v.items.length} entries for a ${n}-axis kernel`);
    return { kind: 'pairs', pairs: v.items.map((x) => (x.kind === 'seq' && x.items.length === 2 ? [intValue(x.items[0], 'padding'), intValue(x.items[1], 'padding')] : [intValue(x, 'padding'), intValue(x, 'padding')])) };
  }
  return fail('argument', `padding=${describe(v)} is not a padding Flax takes`);
}

function symbolicInput(n: number, channels: Expr): Shape {
  return [sym('N'), ...(n === 1 ? ['L'] : n === 2 ? ['H', 'W'] : ['D', 'H', 'W']).map(sym), channels];
}

function inferConv(args: BoundArgs, given: Shape | undefined, transposed: boolean, nnx: boolean): LayerReport {
  const read = (name: string): Value | undefined => args.values.get(name);
  const checks = new Checks();
  const kernelArg = read('kernel_size')!;
  const kernel = kernelArg.kind === 'seq' ? kernelArg.items.map((x) => intValue(x, 'kernel_size')) : [intValue(kernelArg, 'kernel_size')];
  const n = kernel.length;
  const features = countValue(read(nnx ? 'out_features' : 'features')!, nnx ? 'out_features' : 'features');
  const declaredIn = nnx ? countValue(read('in_features')!, 'in_features') : undefined;
  const strides = perAxis(read('strides'), n, 'strides');
  const dilation = perAxis(read('kernel_dilation'), n, 'kernel_dilation');
  const lhs = transposed ? kernel.map(() => 1) : perAxis(read('input_dilation'), n, 'input_dilation');
  const groups = transposed ? 1 : intValue(read('feature_group_count') ?? ONE, 'feature_group_count');
  const padding = paddingOf(read('padding'), n);
  const bias = boolValue(read('use_bias'), true, 'use_bias');
  const input = given ?? symbolicInput(n, declaredIn ?? sym('C'));
  if (input.length < n + 1) fail('input-rank', `a ${n}-D kernel needs an input of at least ${n + 1} axes (spatial…, features), but got ${input.length}: (${input.map(sizeText).join(', ')})`);
  const channels = input[input.length - 1];
  const spatial = input.slice(input.length - 1 - n, input.length - 1);
  const batch = input.slice(0, input.length - 1 - n);
  if (declaredIn) checks.same(channels, declaredIn, () => fail('channel-mismatch', `in_features=${sizeText(declaredIn)}, but the input has ${sizeText(channels)} features`));
  checks.divisible(channels, groups, () => fail('groups-divide-in', `feature_group_count=${groups} must divide the input's ${sizeText(channels)} features`));
  checks.divisible(features, groups, () => fail('groups-divide-out', `feature_group_count=${groups} must divide features=${sizeText(features)}`));
  if (!transposed && padding.kind !== 'pairs' && padding.kind !== 'CIRCULAR' && padding.kind !== 'REFLECT' && lhs.some((d) => d !== 1)) {
    fail('argument', STRING_PADDING_WITH_LHS_DILATION);
  }
  const axes = transposed ? transposedAxes(kernel, strides, dilation, padding, spatial, checks) : directAxes(kernel, strides, dilation, lhs, padding, spatial);
  const weightCount = product([...kernel.map(constant), transposed ? channels : floorDiv(channels, groups), features]);
  const perOutput = mul(mul(product(batch), product(axes.map((a) => a.output))), weightCount);
  if (transposed && boolValue(read('transpose_kernel'), false, 'transpose_kernel') === false) {
    checks.notes.push("transpose_kernel=False (Flax's default): the kernel is not flipped, so the values differ from PyTorch's, Keras' and ONNX's even where the sizes agree");
  }
  return {
    layerType: args.layerType,
    family: transposed ? 'convTranspose' : 'conv',
    input,
    output: [...batch, ...axes.map((a) => a.output), features],
    axes,
    parameters: bias ? add(weightCount, features) : weightCount,
    multiplyAdds: transposed ? { computed: mul(mul(product(batch), product(spatial)), weightCount), zeroInserted: perOutput } : { computed: perOutput },
    groups,
    conditions: checks.conditions,
    notes: checks.notes,
    framework: 'flax',
    layout: 'channels_last',
  };
}

function directAxes(kernel: number[], strides: number[], dilation: number[], lhs: number[], padding: Padding, spatial: readonly Expr[]): AxisArithmetic[] {
  return spatial.map((i, a) => {
    const s = strides[a];
    const keff = dilation[a] * (kernel[a] - 1) + 1;
    const dilated = addConst(scale(addConst(i, -1), lhs[a]), 1);
    const common = { input: i, kernel: kernel[a], stride: s, dilation: dilation[a], effectiveKernel: keff };
    if (padding.kind === 'SAME') {
      const length = constValue(dilated);
      const [padBegin, padEnd] = samePads(length ?? s, s, keff);
      return { ...common, output: addConst(floorDiv(addConst(dilated, -1), s), 1), padBegin, padEnd, sameSplit: 'end' };
    }
    const [lo, hi] =
      padding.kind === 'pairs' ? padding.pairs[a] : padding.kind === 'VALID' ? [0, 0] : padding.kind === 'CAUSAL' ? [keff - 1, 0] : [Math.floor((keff - 1) / 2), Math.floor(keff / 2)];
    const span = addConst(dilated, lo + hi - keff);
    // JAX clamps at 0 rather than refusing.
    const raw = addConst(floorDiv(span, s), 1);
    const k = constValue(raw);
    return { ...common, output: k !== undefined && k < 0 ? constant(0) : raw, padBegin: lo, padEnd: hi, unread: unreadInputs(mod(span, s), hi) };
  });
}

function transposedAxes(kernel: number[], strides: number[], dilation: number[], padding: Padding, spatial: readonly Expr[], checks: Checks): AxisArithmetic[] {
  if (padding.kind === 'CAUSAL' || padding.kind === 'REFLECT') fail('padding-string', `ConvTranspose does not take padding='${padding.kind}'`);
  if (padding.kind === 'CIRCULAR') checks.notes.push("padding='CIRCULAR' wraps the full output around to i·s: the size of 'SAME', other values");
  return spatial.map((i, a) => {
    const s = strides[a];
    const keff = dilation[a] * (kernel[a] - 1) + 1;
    // The crop (c, e) of the full output F = (i − 1)·s + keff.
    let c: number;
    let e: number;
    if (padding.kind === 'pairs') {
      const [lo, hi] = padding.pairs[a];
      [c, e] = [keff - 1 - lo, keff - 1 - hi];
    } else {
      const total = padding.kind === 'VALID' ? keff - Math.max(keff, s) : keff - s;
      c = Math.floor(Math.max(0, total) / 2);
      e = total - c;
    }
    return croppedAxis(i, kernel[a], s, dilation[a], { begin: c, end: e });
  });
}

export function inferFlaxLayer(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    const signature = FLAX_SIGNATURES[call.layerType];
    if (!signature) return refuse('no-layer', `${call.layerType} is not a Flax layer Conv Lens knows`);
    const args = bindSignature(call, signature, (name) => `${call.layerType}.__init__() got an unexpected keyword argument '${name}'`);
    const nnx = call.layerType.startsWith('nnx.');
    return ok(inferConv(args, input, call.layerType.endsWith('ConvTranspose'), nnx));
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
