/**
 * JAX's convolution functions: `jax.lax.conv_general_dilated`, `lax.conv`,
 * `lax.conv_with_general_padding` and `lax.conv_transpose` (reference §3).
 *
 *   - The kernel is the `rhs` tensor's shape, read through `dimension_numbers` (default
 *     `('NCHW', 'OIHW', 'NCHW')`, or `('NHWC', 'HWIO', 'NHWC')` for conv_transpose).
 *   - conv_general_dilated's `lhs_dilation` inserts zeros between input elements: with a window
 *     stride of 1 it *is* a transposed convolution (fractionally strided), and is shown as one.
 *     Sizes are `max(0, ⌊(dil(i) + lo + hi − keff)/s⌋ + 1)`: JAX clamps at 0 and never refuses.
 *   - conv_transpose pads the zero-inserted input: 'SAME' gives i·s and 'VALID' (i − 1)·s +
 *     max(keff, s) with TF's alignment; (lo, hi) pairs are the zero-inserted input's pads (the
 *     legacy meaning), or the forward conv's with `use_consistent_padding=True`.
 *   - Neither flips the kernel (conv_transpose does with `transpose_kernel=True`).
 * JAX is not installed here: these rules are the reference's, tested as such.
 */
import { bindSignature, boolValue, intValue, opt, req, type BoundArgs, type Signature } from '../args';
import { addConst, ceilDiv, constant, constValue, floorDiv, mod, mul, scale, type Expr } from '../expr';
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import { filterShape, kernelSize, layoutKind, placeAxes, readLayout, symbolicTensor, TENSOR, tensorReport, type Layout } from '../tensorOps';
import { Checks, croppedAxis, product, samePads, sizeText, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';

const SIGNATURES: Readonly<Record<string, Signature>> = {
  conv_general_dilated: { params: ['lhs', 'rhs', 'window_strides', 'padding'].map(req).concat(['lhs_dilation', 'rhs_dilation', 'dimension_numbers', 'feature_group_count', 'batch_group_count', 'precision', 'preferred_element_type'].map(opt)) },
  conv: { params: ['lhs', 'rhs', 'window_strides', 'padding'].map(req).concat(['precision', 'preferred_element_type'].map(opt)) },
  conv_with_general_padding: { params: ['lhs', 'rhs', 'window_strides', 'padding', 'lhs_dilation', 'rhs_dilation'].map(req).concat(['precision', 'preferred_element_type'].map(opt)) },
  conv_transpose: { params: ['lhs', 'rhs', 'strides', 'padding'].map(req).concat(['rhs_dilation', 'dimension_numbers', 'transpose_kernel', 'precision', 'preferred_element_type', 'use_consistent_padding'].map(opt)) },
};

/** JAX's refusal of string padding with an lhs_dilation (Flax's Conv runs into it too). */
export const STRING_PADDING_WITH_LHS_DILATION = 'String padding is not implemented for transposed convolution using this op. Please either exactly specify the required padding or use conv_transpose.';

/** The `jax.lax` functions Conv Lens computes, by their name in `lax`. */
export function isLaxOp(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(SIGNATURES, name);
}

interface Layouts {
  readonly lhs: Layout;
  readonly rhs: Layout;
  readonly out: Layout;
}

const SPATIAL = 'HWD';

function layoutsOf(v: Value | undefined, rank: number, transposeDefault: boolean): Layouts {
  let specs: string[];
  if (v === undefined || v.kind === 'none') {
    const letters = transposeDefault ? SPATIAL.slice(0, rank) : rank === 1 ? 'W' : rank === 2 ? 'HW' : 'DHW';
    specs = transposeDefault ? [`N${letters}C`, `${letters}IO`, `N${letters}C`] : [`NC${letters}`, `OI${letters}`, `NC${letters}`];
  } else if (v.kind === 'seq' && v.items.length === 3 && v.items.every((x) => x.kind === 'str')) {
    specs = v.items.map((x) => (x.kind === 'str' ? x.value : ''));
  } else {
    return fail('not-constant', 'dimension_numbers is not three layout strings here (such as ("NHWC", "HWIO", "NHWC")), so the layout cannot be known without running the code');
  }
  const rhs = readLayout(specs[1], rank, 'O', 'I');
  const order = rhs.spatial.map((axis) => specs[1][axis]).join('');
  return { lhs: readLayout(specs[0], rank, 'N', 'C', order), rhs, out: readLayout(specs[2], rank, 'N', 'C', order) };
}

/** Per-axis ints: JAX takes a sequence with one entry per spatial axis. */
function perAxis(v: Value | undefined, n: number, name: string): number[] {
  if (v === undefined || v.kind === 'none') return Array.from({ length: n }, () => 1);
  if (v.kind !== 'seq') return fail('argument', `${name} must be a sequence of ${n} ints`);
  if (v.items.length !== n) fail('spatial-dims', `${name} has ${v.items.length} entries for ${n} spatial dimensions`);
  return v.items.map((x) => intValue(x, name));
}

type Padding = { readonly kind: 'SAME' | 'SAME_LOWER' | 'VALID' } | { readonly kind: 'pairs'; readonly pairs: readonly (readonly [number, number])[] };

function paddingOf(v: Value, n: number): Padding {
  if (v.kind === 'str') {
    const p = v.value.toUpperCase();
    if (p === 'SAME' || p === 'SAME_LOWER' || p === 'VALID') return { kind: p };
    return fail('padding-string', `Unknown padding type: ${v.value}.`);
  }
  if (v.kind === 'seq') {
    if (v.items.length !== n) fail('spatial-dims', `padding has ${v.items.length} (low, high) pairs for ${n} spatial dimensions`);
    return {
      kind: 'pairs',
      pairs: v.items.map((p): [number, number] => {
        if (p.kind !== 'seq' || p.items.length !== 2) return fail('argument', 'padding must be a string or a sequence of (low, high) pairs');
        return [intValue(p.items[0], 'padding'), intValue(p.items[1], 'padding')];
      }),
    };
  }
  if (v.kind === 'unknown') fail('not-constant', `padding = ${v.text} is not a constant here, so the size cannot be computed without running the code`);
  return fail('argument', 'padding must be a string or a sequence of (low, high) pairs');
}

interface Parts {
  readonly layouts: Layouts;
  readonly kernel: number[];
  readonly filter: Shape;
  readonly input: Shape;
  readonly spatial: Expr[];
  readonly checks: Checks;
}

function partsOf(call: LayerCall, given: Shape | undefined, dimensionNumbers: Value | undefined, transposeDefault: boolean): Parts {
  const rhsShape = call.operands?.[0]?.shape;
  const rank = rhsShape ? rhsShape.length - 2 : 2;
  const layouts = layoutsOf(dimensionNumbers, rank, transposeDefault);
  const filter = filterShape(call, 'rhs', rank);
  const kernel = layouts.rhs.spatial.map((axis) => kernelSize(filter[axis], 'rhs'));
  const input = given ?? symbolicTensor(layouts.lhs);
  if (input.length !== rank + 2) fail('input-rank', `lhs must be ${rank + 2}-D like rhs (${layouts.lhs.spec}), but its shape is (${input.map(sizeText).join(', ')})`);
  if (layoutKind(layouts.lhs) !== layoutKind(layouts.out)) fail('argument', `Conv Lens shows convolutions whose input and output layouts agree, not '${layouts.lhs.spec}' → '${layouts.out.spec}'`);
  return { layouts, kernel, filter, input, spatial: layouts.lhs.spatial.map((axis) => input[axis]), checks: new Checks() };
}

/** conv_general_dilated's feature checks (conv_transpose runs them on the swapped kernel). */
function features(p: Parts, inFeatures: Expr, outFeatures: Expr, groups: number): void {
  const c = p.input[p.layouts.lhs.channels];
  p.checks.divisible(c, groups, () => fail('groups-divide-in', `conv_general_dilated feature_group_count must divide lhs feature dimension size, but ${groups} does not divide ${sizeText(c)}.`));
  p.checks.same(floorDiv(c, groups), inFeatures, () =>
    fail('channel-mismatch', `conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but ${sizeText(c)} // ${groups} != ${sizeText(inFeatures)}.`),
  );
  p.checks.divisible(outFeatures, groups, () => fail('groups-divide-out', `conv_general_dilated rhs output feature dimension size must be a multiple of feature_group_count, but ${sizeText(outFeatures)} is not a multiple of ${groups}.`));
}

function report(layerType: string, p: Parts, family: 'conv' | 'convTranspose', axes: AxisArithmetic[], outFeatures: Expr, groups: number, notes: string[]): LayerReport {
  const batch = p.input[p.layouts.lhs.batch];
  const weights = product(p.filter);
  const perOutput = mul(mul(batch, product(axes.map((a) => a.output))), floorDiv(weights, groups));
  return {
    layerType,
    family,
    input: p.input,
    output: placeAxes(p.layouts.out, batch, outFeatures, axes.map((a) => a.output)),
    axes,
    parameters: weights,
    multiplyAdds: family === 'convTranspose' ? { computed: mul(mul(batch, product(p.spatial)), weights), zeroInserted: perOutput } : { computed: perOutput },
    groups,
    conditions: p.checks.conditions,
    notes: [...p.checks.notes, ...notes, 'the rhs tensor holds the weights: the count is its size'],
    framework: 'jax',
    ...(layoutKind(p.layouts.lhs) === 'channels_last' ? { layout: 'channels_last' as const } : {}),
  };
}

function inferGeneral(call: LayerCall, args: BoundArgs, given: Shape | undefined): LayerReport {
  const read = (name: string): Value | undefined => args.values.get(name);
  const p = partsOf(call, given, read('dimension_numbers'), false);
  const n = p.kernel.length;
  const strides = perAxis(read('window_strides'), n, 'window_strides');
  const lhsDilation = perAxis(read('lhs_dilation'), n, 'lhs_dilation');
  const rhsDilation = perAxis(read('rhs_dilation'), n, 'rhs_dilation');
  const groups = intValue(read('feature_group_count') ?? { kind: 'int', expr: constant(1) }, 'feature_group_count');
  const batchGroups = intValue(read('batch_group_count') ?? { kind: 'int', expr: constant(1) }, 'batch_group_count');
  if (batchGroups !== 1) fail('argument', `batch_group_count=${batchGroups}: Conv Lens computes convolutions with batch_group_count=1 only (it is used for weight gradients)`);
  if (strides.some((s) => s <= 0)) fail('non-positive-stride', `All elements of window_strides must be positive, got ${strides.join(', ')}`);
  const padding = paddingOf(read('padding')!, n);
  if (padding.kind !== 'pairs' && lhsDilation.some((d) => d !== 1)) {
    fail('argument', STRING_PADDING_WITH_LHS_DILATION);
  }
  const inFeatures = p.filter[p.layouts.rhs.channels];
  const outFeatures = p.filter[p.layouts.rhs.batch];
  features(p, inFeatures, outFeatures, groups);
  const notes: string[] = [];
  // A stride-1 window over a zero-inserted input is a transposed conv of stride lhs_dilation.
  const fractional = lhsDilation.some((d) => d > 1) && strides.every((s) => s === 1) && padding.kind === 'pairs';
  const axes = p.spatial.map((i, a): AxisArithmetic => {
    const s = strides[a];
    const d = rhsDilation[a];
    const keff = d * (p.kernel[a] - 1) + 1;
    if (padding.kind !== 'pairs') {
      const common = { input: i, kernel: p.kernel[a], stride: s, dilation: d, effectiveKernel: keff };
      if (padding.kind === 'VALID') return directAxis(common, i, 0, 0, s, keff);
      const [padBegin, padEnd] = samePads(constValue(i) ?? s, s, keff, padding.kind === 'SAME' ? 'end' : 'start');
      return { ...common, output: ceilDiv(i, s), padBegin, padEnd, sameSplit: padding.kind === 'SAME' ? 'end' : 'start' };
    }
    const [lo, hi] = padding.pairs[a];
    if (fractional) return croppedAxis(i, p.kernel[a], lhsDilation[a], d, { begin: keff - 1 - lo, end: keff - 1 - hi });
    const dilated = addConst(scale(addConst(i, -1), lhsDilation[a]), 1);
    const padded = constValue(addConst(dilated, lo + hi));
    if (padded !== undefined && padded < 0) fail('negative-padding', `Negative padding is larger than the size of the corresponding dimension: got padding=(${lo}, ${hi}) for an input of ${sizeText(i)}`);
    return directAxis({ input: i, kernel: p.kernel[a], stride: s, dilation: d, effectiveKernel: keff }, dilated, lo, hi, s, keff);
  });
  if (fractional) notes.push(`lhs_dilation ${lhsDilation.join(', ')} inserts zeros between the input's elements: with window stride 1 this is a transposed (fractionally strided) convolution, drawn as one; the kernel is used as given, so it equals the transposed conv of the flipped kernel`);
  else if (lhsDilation.some((d) => d > 1)) notes.push(`lhs_dilation ${lhsDilation.join(', ')} inserts zeros between the input's elements before the strided window runs`);
  if (padding.kind === 'SAME_LOWER') notes.push("padding='SAME_LOWER' puts the odd padding element at the start (SAME puts it at the end)");
  return report(args.layerType, p, fractional ? 'convTranspose' : 'conv', axes, outFeatures, groups, notes);
}

/** `max(0, ⌊(length + lo + hi − keff)/s⌋ + 1)`: JAX clamps at 0. */
function directAxis(common: Omit<AxisArithmetic, 'output' | 'padBegin' | 'padEnd'>, length: Expr, lo: number, hi: number, s: number, keff: number): AxisArithmetic {
  const span = addConst(length, lo + hi - keff);
  const raw = addConst(floorDiv(span, s), 1);
  const k = constValue(raw);
  return { ...common, output: k !== undefined && k < 0 ? constant(0) : raw, padBegin: lo, padEnd: hi, unread: unreadInputs(mod(span, s), hi) };
}

function inferTranspose(call: LayerCall, args: BoundArgs, given: Shape | undefined): LayerReport {
  const read = (name: string): Value | undefined => args.values.get(name);
  const p = partsOf(call, given, read('dimension_numbers'), true);
  const n = p.kernel.length;
  const strides = perAxis(read('strides'), n, 'strides');
  const dilation = perAxis(read('rhs_dilation'), n, 'rhs_dilation');
  const flip = boolValue(read('transpose_kernel'), false, 'transpose_kernel');
  const consistent = boolValue(read('use_consistent_padding'), false, 'use_consistent_padding');
  const padding = paddingOf(read('padding')!, n);
  if (padding.kind === 'SAME_LOWER') fail('padding-string', "conv_transpose takes 'SAME', 'VALID' or (low, high) pairs, not 'SAME_LOWER'");
  // transpose_kernel swaps the kernel's I and O before conv_general_dilated checks them.
  const i = p.filter[p.layouts.rhs.channels];
  const o = p.filter[p.layouts.rhs.batch];
  const [inFeatures, outFeatures] = flip ? [o, i] : [i, o];
  features(p, inFeatures, outFeatures, 1);
  const axes = p.spatial.map((x, a): AxisArithmetic => {
    const s = strides[a];
    const keff = dilation[a] * (p.kernel[a] - 1) + 1;
    let lo: number;
    let hi: number;
    if (padding.kind === 'pairs') {
      [lo, hi] = consistent ? [keff - 1 - padding.pairs[a][0], keff - 1 - padding.pairs[a][1]] : padding.pairs[a];
    } else {
      // _conv_transpose_padding
      const padLen = padding.kind === 'SAME' ? keff + s - 2 : keff + s - 2 + Math.max(keff - s, 0);
      lo = padding.kind === 'VALID' ? keff - 1 : s > keff - 1 ? keff - 1 : Math.ceil(padLen / 2);
      hi = padLen - lo;
    }
    return croppedAxis(x, p.kernel[a], s, dilation[a], { begin: keff - 1 - lo, end: keff - 1 - hi });
  });
  const notes = flip ? [] : ['transpose_kernel=False (the default): the kernel is not flipped, so the values differ from PyTorch\'s, Keras\' and TF\'s even where the sizes agree'];
  if (padding.kind === 'pairs' && !consistent) notes.push('(low, high) pairs pad the zero-inserted input (the legacy meaning); with use_consistent_padding=True they are the forward conv\'s pads, as in PyTorch');
  return report(args.layerType, p, 'convTranspose', axes, outFeatures, 1, notes);
}

export function inferLaxOp(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    if (call.layerType === TENSOR) return ok(tensorReport(call, 'jax'));
    const signature = SIGNATURES[call.layerType];
    if (!signature) return refuse('no-layer', `lax.${call.layerType} is not a function Conv Lens computes`);
    const args = bindSignature(call, signature, (name) => `${call.layerType}() got an unexpected keyword argument '${name}'`);
    if (call.layerType === 'conv_transpose') return ok(inferTranspose(call, args, input));
    return ok(inferGeneral(call, args, input));
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
