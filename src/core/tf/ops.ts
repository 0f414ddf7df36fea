/**
 * TensorFlow's convolution functions: `tf.nn.conv1d/conv2d/conv3d` and
 * `tf.nn.conv1d_transpose/conv2d_transpose/conv3d_transpose` (reference §2.1–2.2).
 *
 *   - The kernel is the filter tensor's shape: `[*k, in/groups, out]` for a conv,
 *     `[*k, out, in]` for a transposed one.
 *   - `strides`/`dilations` are an int, or a list of 1, n or n + 2 entries (TF's `_get_sequence`;
 *     the batch and channel entries must be 1); conv3d takes exactly 5.
 *   - `padding` is 'SAME', 'VALID' (upper case: the op's attribute) or explicit pairs for every
 *     axis. VALID is `trunc((i − keff + s)/s)`, refused only below 0; SAME is `⌈i/s⌉` with the
 *     odd pad at the end.
 *   - A transposed conv is the gradient of the conv from `output_shape` down to the input:
 *     TF runs the forward rule on each O and requires it to give the input's size, and keeps
 *     `full[before : before + O]` of the full output, `before` being the forward pad from O.
 */
import { bindSignature, intValue, opt, req, type BoundArgs, type Signature } from '../args';
import { addConst, ceilDiv, constant, constValue, floorDiv, mod, mul, type Expr } from '../expr';
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import { filterShape, kernelSize, layoutKind, placeAxes, readLayout, symbolicTensor, TENSOR, tensorReport, type Layout } from '../tensorOps';
import { Checks, croppedAxis, product, samePads, sizeText, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';

/** TF 2 parameter names; TF 1's (`value`, `filter`, `use_cudnn_on_gpu`) are accepted as keywords. */
const TF1_KEYWORDS = new Set(['value', 'filter', 'use_cudnn_on_gpu']);

const direct = (stride: string): Signature => ({ params: [opt('input'), opt('filters'), req(stride), req('padding'), opt('data_format'), opt('dilations'), opt('name')], keywords: TF1_KEYWORDS });
const transposed: Signature = { params: [opt('input'), opt('filters'), req('output_shape'), req('strides'), opt('padding'), opt('data_format'), opt('dilations'), opt('name')], keywords: TF1_KEYWORDS };

const OPS: Readonly<Record<string, { readonly rank: 1 | 2 | 3; readonly transposed: boolean; readonly signature: Signature }>> = {
  conv1d: { rank: 1, transposed: false, signature: direct('stride') },
  conv2d: { rank: 2, transposed: false, signature: direct('strides') },
  conv3d: { rank: 3, transposed: false, signature: direct('strides') },
  conv1d_transpose: { rank: 1, transposed: true, signature: transposed },
  conv2d_transpose: { rank: 2, transposed: true, signature: transposed },
  conv3d_transpose: { rank: 3, transposed: true, signature: transposed },
};

/** The `tf.nn` functions Conv Lens computes, by their name in `tf.nn`. */
export function isTfOp(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPS, name);
}

const FORMATS: Readonly<Record<1 | 2 | 3, readonly [string, string]>> = { 1: ['NWC', 'NCW'], 2: ['NHWC', 'NCHW'], 3: ['NDHWC', 'NCDHW'] };

type Padding = { readonly kind: 'SAME' | 'VALID' } | { readonly kind: 'EXPLICIT'; readonly pairs: readonly (readonly [number, number])[] };

function paddingOf(v: Value | undefined, layout: Layout): Padding {
  if (v === undefined) return { kind: 'SAME' }; // the transposed functions' default
  if (v.kind === 'str') {
    if (v.value === 'SAME' || v.value === 'VALID') return { kind: v.value };
    if (v.value === 'EXPLICIT') fail('padding-string', '"EXPLICIT" is not a valid value for `padding`. To use explicit padding, `padding` must be a list.');
    return fail('padding-string', `Value for attr 'padding' of "${v.value}" is not in the list of allowed values: "SAME", "VALID", "EXPLICIT"`);
  }
  if (v.kind === 'seq') {
    const rank = layout.spec.length;
    if (v.items.length !== rank) fail('argument', `explicit padding must list a [before, after] pair for each of the ${rank} axes of '${layout.spec}', but has ${v.items.length}`);
    const pairs = v.items.map((p): [number, number] => {
      if (p.kind !== 'seq' || p.items.length !== 2) return fail('argument', 'explicit padding must be a list of [before, after] pairs');
      return [intValue(p.items[0], 'padding'), intValue(p.items[1], 'padding')];
    });
    for (const axis of [layout.batch, layout.channels]) {
      if (pairs[axis][0] !== 0 || pairs[axis][1] !== 0) fail('argument', `explicit padding of the batch and channel axes must be [0, 0], but axis ${axis} of '${layout.spec}' has [${pairs[axis].join(', ')}]`);
    }
    if (pairs.some(([a, b]) => a < 0 || b < 0)) fail('negative-padding', 'explicit padding must be non-negative');
    return { kind: 'EXPLICIT', pairs: layout.spatial.map((axis) => pairs[axis]) };
  }
  return fail('padding-string', "padding must be 'SAME', 'VALID' or a list of [before, after] pairs");
}

/** TF's `_get_sequence`: an int, or 1, n or n + 2 entries (batch and channel entries 1). */
function sequence(v: Value | undefined, layout: Layout, name: string, exact?: number): number[] {
  const n = layout.spatial.length;
  if (v === undefined || v.kind === 'none') return Array.from({ length: n }, () => 1);
  const items = v.kind === 'seq' ? v.items.map((x) => intValue(x, name)) : [intValue(v, name)];
  if (exact !== undefined && (v.kind !== 'seq' || items.length !== exact)) fail('argument', `Sliding window ${name} field must specify ${exact} dimensions`);
  if (items.length === 1) return Array.from({ length: n }, () => items[0]);
  if (items.length === n) return items;
  if (items.length === n + 2) {
    if (items[layout.batch] !== 1 || items[layout.channels] !== 1) fail('argument', `Current implementation does not yet support ${name} in the batch and depth dimensions.`);
    return layout.spatial.map((axis) => items[axis]);
  }
  return fail('argument', `${name} should be of length 1, ${n} or ${n + 2} but was ${items.length}`);
}

interface Window {
  readonly layout: Layout;
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly padding: Padding;
  readonly filter: Shape;
}

function windowOf(call: LayerCall, args: BoundArgs, rank: 1 | 2 | 3, isTransposed: boolean): Window {
  const read = (name: string): Value | undefined => args.values.get(name);
  const format = read('data_format');
  const spec = format === undefined || format.kind === 'none' ? FORMATS[rank][0] : format.kind === 'str' ? format.value : undefined;
  if (spec === undefined || !FORMATS[rank].includes(spec)) fail('argument', `data_format must be ${FORMATS[rank].map((f) => `"${f}"`).join(' or ')}`);
  const layout = readLayout(spec, rank, 'N', 'C');
  const strideName = rank === 1 && !isTransposed ? 'stride' : 'strides';
  const strides = sequence(read(strideName), layout, strideName, rank === 3 && !isTransposed ? 5 : undefined);
  const dilations = sequence(read('dilations'), layout, 'dilations', rank === 3 && !isTransposed && read('dilations') !== undefined ? 5 : undefined);
  if (strides.some((s) => s <= 0)) fail('non-positive-stride', 'Row and column strides should be larger than 0.');
  if (dilations.some((d) => d <= 0)) fail('dilation', 'Dilated rates should be larger than 0.');
  const filter = filterShape(call, 'filters', rank);
  const kernel = filter.slice(0, rank).map((k) => kernelSize(k, 'filters'));
  return { layout, kernel, strides, dilations, padding: paddingOf(read('padding'), layout), filter };
}

function inferConv(call: LayerCall, args: BoundArgs, rank: 1 | 2 | 3, given: Shape | undefined): LayerReport {
  const w = windowOf(call, args, rank, false);
  const checks = new Checks();
  const input = given ?? symbolicTensor(w.layout, w.filter[rank]);
  if (input.length !== rank + 2) fail('input-rank', `input must be ${rank + 2}-D (${w.layout.spec}), but its shape is (${input.map(sizeText).join(', ')})`);
  const channels = input[w.layout.channels];
  const filterIn = w.filter[rank];
  const out = w.filter[rank + 1];
  const groups = constValue(channels) !== undefined && constValue(filterIn) ? Math.floor(constValue(channels)! / constValue(filterIn)!) : 1;
  checks.divisible(channels, constValue(filterIn) ?? 1, () => fail('groups-divide-in', `input depth must be evenly divisible by filter depth: ${sizeText(channels)} vs ${sizeText(filterIn)}`));
  if (groups > 1) checks.divisible(out, groups, () => fail('groups-divide-out', `output depth must be evenly divisible by number of groups: ${sizeText(out)} vs ${groups}`));
  const spatial = w.layout.spatial.map((axis) => input[axis]);
  const axes = spatial.map((i, a): AxisArithmetic => {
    const s = w.strides[a];
    const keff = w.dilations[a] * (w.kernel[a] - 1) + 1;
    const common = { input: i, kernel: w.kernel[a], stride: s, dilation: w.dilations[a], effectiveKernel: keff };
    if (w.padding.kind === 'SAME') {
      const [padBegin, padEnd] = samePads(constValue(i) ?? s, s, keff);
      return { ...common, output: ceilDiv(i, s), padBegin, padEnd, sameSplit: 'end' };
    }
    const [lo, hi] = w.padding.kind === 'EXPLICIT' ? w.padding.pairs[a] : [0, 0];
    const span = addConst(i, lo + hi - keff);
    const output = validSize(span, s, i, keff, checks);
    return { ...common, output, padBegin: lo, padEnd: hi, unread: unreadInputs(mod(span, s), hi) };
  });
  const notes = [...checks.notes];
  if (w.strides.some((s) => s > 1) && w.dilations.some((d) => d > 1)) notes.push('strides > 1 with dilations > 1: tf.nn.convolution and Keras refuse this; the conv op computes it on some devices only');
  if (w.padding.kind === 'SAME' && axes.some((a) => a.padBegin !== a.padEnd)) notes.push("padding='SAME' puts the odd padding element at the end (ONNX SAME_LOWER puts it at the start)");
  const weights = product(w.filter);
  const output = placeAxes(w.layout, input[w.layout.batch], out, axes.map((a) => a.output));
  return {
    layerType: args.layerType,
    family: 'conv',
    input,
    output,
    axes,
    parameters: weights,
    multiplyAdds: { computed: mul(mul(input[w.layout.batch], product(axes.map((a) => a.output))), product(w.filter.slice(0, rank + 1))) },
    groups,
    conditions: checks.conditions,
    notes: [...notes, 'the filter tensor holds the weights: the count is its size'],
    framework: 'tf',
    ...(layoutKind(w.layout) === 'channels_last' ? { layout: 'channels_last' as const } : {}),
  };
}

/** VALID (and explicit) size: `trunc(span + s)/s`, which TF refuses only when negative. */
function validSize(span: Expr, s: number, i: Expr, keff: number, checks: Checks): Expr {
  const raw = constValue(span);
  if (raw !== undefined) {
    const size = Math.trunc((raw + s) / s);
    if (size < 0) fail('output-too-small', `Computed output size would be negative: ${size} [input_size: ${sizeText(i)}, effective_filter_size: ${keff}, stride: ${s}]`);
    if (size === 0) checks.notes.push('the output is empty (size 0): TF computes it without an error');
    return constant(size);
  }
  checks.atLeast(addConst(span, s), 0, () => fail('output-too-small', 'Computed output size would be negative'));
  return addConst(floorDiv(span, s), 1);
}

function inferTransposed(call: LayerCall, args: BoundArgs, rank: 1 | 2 | 3, given: Shape | undefined): LayerReport {
  const w = windowOf(call, args, rank, true);
  const checks = new Checks();
  const label = rank === 3 ? 'Conv3DBackpropInputOpV2' : 'Conv2DSlowBackpropInput';
  const requested = outputShape(args.values.get('output_shape')!, w.layout, rank);
  const filterOut = w.filter[rank];
  const filterIn = w.filter[rank + 1];
  const input = given ?? symbolicTensor(w.layout, filterIn);
  if (input.length !== rank + 2) fail('input-rank', `input must be ${rank + 2}-D (${w.layout.spec}), but its shape is (${input.map(sizeText).join(', ')})`);
  checks.same(input[w.layout.channels], filterIn, () => fail('channel-mismatch', `${label}: filter and out_backprop must have the same out_depth (filters' last axis is ${sizeText(filterIn)}, the input has ${sizeText(input[w.layout.channels])} channels)`));
  const channels = requested.channels ?? filterOut;
  checks.divisible(channels, constValue(filterOut) ?? 1, () => fail('groups-divide-in', `${label}: input depth must be evenly divisible by filter depth (output_shape has ${sizeText(channels)} channels, filters ${sizeText(filterOut)})`));
  const batch = requested.batch ?? input[w.layout.batch];
  if (requested.batch) checks.same(requested.batch, input[w.layout.batch], () => fail('argument', `${label}: input and out_backprop must have the same batch size`));

  const derived: string[] = [];
  const axes = requested.spatial.map((o, a): AxisArithmetic => {
    const s = w.strides[a];
    const keff = w.dilations[a] * (w.kernel[a] - 1) + 1;
    const [lo, hi] = w.padding.kind === 'EXPLICIT' ? w.padding.pairs[a] : [0, 0];
    // The forward rule on O: the input size TF requires.
    const forward = w.padding.kind === 'SAME' ? Math.ceil(o / s) : Math.trunc((o + lo + hi - keff + s) / s);
    if (forward < 0) fail('output-too-small', `Computed output size would be negative: ${forward} [input_size: ${o}, effective_filter_size: ${keff}, stride: ${s}]`);
    const axis = w.layout.spatial[a];
    const given = constValue(input[axis]);
    if (given === undefined) derived.push(`${sizeText(input[axis])} = ${forward}`);
    else if (given !== forward) {
      fail('argument', `${label}: Size of out_backprop doesn't match computed: actual = ${given}, computed = ${forward} spatial_dim: ${axis} input: ${o} filter: ${w.kernel[a]} output: ${given} stride: ${s} dilation: ${w.dilations[a]}`);
    }
    const i = forward;
    const full = (i - 1) * s + keff;
    const begin = w.padding.kind === 'SAME' ? Math.floor(Math.max(0, (i - 1) * s + keff - o) / 2) : lo;
    return croppedAxis(constant(i), w.kernel[a], s, w.dilations[a], { begin, end: full - begin - o });
  });
  const actualInput = placeAxes(w.layout, input[w.layout.batch], input[w.layout.channels], axes.map((a) => a.input));
  const notes = [...checks.notes];
  if (derived.length > 0) notes.push(`TF requires the input to be what the forward conv gives from output_shape: ${derived.join(', ')}`);
  if (axes.some((a) => a.padEnd < 0)) notes.push('output_shape is longer than the full output: TF fills the end with zeros');
  const weights = product(w.filter);
  return {
    layerType: args.layerType,
    family: 'convTranspose',
    input: actualInput,
    output: placeAxes(w.layout, batch, channels, axes.map((a) => a.output)),
    axes,
    parameters: weights,
    multiplyAdds: {
      computed: mul(mul(input[w.layout.batch], product(axes.map((a) => a.input))), weights),
      zeroInserted: mul(mul(input[w.layout.batch], product(axes.map((a) => a.output))), weights),
    },
    groups: 1,
    conditions: checks.conditions,
    notes: [...notes, 'the filter tensor holds the weights: the count is its size'],
    framework: 'tf',
    ...(layoutKind(w.layout) === 'channels_last' ? { layout: 'channels_last' as const } : {}),
  };
}

/** output_shape's batch, channels and spatial sizes (a full shape, or the spatial sizes alone). */
function outputShape(v: Value, layout: Layout, rank: number): { batch?: Expr; channels?: Expr; spatial: number[] } {
  if (v.kind !== 'seq') {
    if (v.kind === 'unknown') fail('not-constant', `output_shape = ${v.text} is not a constant here, so the size cannot be computed without running the code`);
    return fail('argument', 'output_shape must be a list of sizes');
  }
  if (v.items.length !== rank + 2 && v.items.length !== rank) fail('argument', `output_shape must have shape (${rank + 2},), got (${v.items.length},)`);
  const size = (x: Value): Expr | undefined => (x.kind === 'int' ? x.expr : undefined);
  const spatialAt = v.items.length === rank ? layout.spatial.map((_, k) => k) : layout.spatial;
  const spatial = spatialAt.map((k) => {
    const o = size(v.items[k]);
    const c = o && constValue(o);
    if (c === undefined) return fail('not-constant', `output_shape's spatial size ${describeItem(v.items[k])} is not a constant here, so the size cannot be computed without running the code`);
    return c;
  });
  if (v.items.length === rank) return { spatial };
  return { batch: size(v.items[layout.batch]), channels: size(v.items[layout.channels]), spatial };
}

function describeItem(v: Value): string {
  return v.kind === 'unknown' ? v.text : v.kind === 'int' ? sizeText(v.expr) : v.kind;
}

export function inferTfOp(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    if (call.layerType === TENSOR) return ok(tensorReport(call, 'tf'));
    const op = OPS[call.layerType];
    if (!op) return refuse('no-layer', `tf.nn.${call.layerType} is not a function Conv Lens computes`);
    const args = bindSignature(call, op.signature, (name) => `${call.layerType}() got an unexpected keyword argument '${name}'`);
    const aliased = aliases(args);
    return ok(op.transposed ? inferTransposed(call, aliased, op.rank, input) : inferConv(call, aliased, op.rank, input));
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** TF 1's names for TF 2's parameters. */
function aliases(args: BoundArgs): BoundArgs {
  const values = new Map(args.values);
  for (const [old, now] of [['value', 'input'], ['filter', 'filters']] as const) {
    const v = values.get(old);
    if (v !== undefined && !values.has(now)) values.set(now, v);
  }
  return { ...args, values };
}
