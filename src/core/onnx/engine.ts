/**
 * The ONNX shape engine: a node (`onnx.helper.make_node("ConvTranspose", …, strides=[2, 2])`)
 * and its input shapes in, a report or the reason out. ONNX is NCHW; a node's weight `W`
 * gives the kernel and channels when the file declares its shape, `kernel_shape` otherwise.
 *
 * Where ONNX's spec, onnx's own shape inference (1.12, Debian's) and ONNX Runtime disagree,
 * the spec's formulas are followed and the others are named in a note (reference §4).
 */
import { intValue } from '../args';
import { add, addConst, ceilDiv, constant, constValue, floorDiv, mod, mul, scale, sym, type Expr } from '../expr';
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import { Checks, croppedAxis, layerReport, product, samePads, sizeText, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';

/** The ops Conv Lens computes, and those that keep their input's shape. */
const WINDOWED = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'MaxUnpool']);
const SHAPE_KEEPING = new Set(['Relu', 'LeakyRelu', 'PRelu', 'Sigmoid', 'Tanh', 'Elu', 'Selu', 'Softplus', 'HardSigmoid', 'HardSwish', 'Softmax', 'BatchNormalization', 'InstanceNormalization', 'Dropout', 'Identity']);

/** Whether `make_node(op, …)` is a node Conv Lens computes (a graph input is `GraphInput`, made by the front end). */
export function isOnnxOp(op: string): boolean {
  return WINDOWED.has(op) || SHAPE_KEEPING.has(op);
}

type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

interface Attributes {
  readonly values: ReadonlyMap<string, Value>;
  readonly op: string;
}

function ints(a: Attributes, name: string): number[] | undefined {
  const v = a.values.get(name);
  if (v === undefined) return undefined;
  if (v.kind !== 'seq') fail('argument', `${a.op}: attribute ${name} must be a list of ints`);
  return v.items.map((x) => intValue(x, name));
}

function autoPad(a: Attributes): AutoPad {
  const v = a.values.get('auto_pad');
  if (v === undefined) return 'NOTSET';
  const text = v.kind === 'str' ? v.value : undefined;
  if (text === 'NOTSET' || text === 'SAME_UPPER' || text === 'SAME_LOWER' || text === 'VALID') return text;
  return fail('padding-string', `${a.op}: auto_pad must be one of NOTSET, SAME_UPPER, SAME_LOWER, VALID`);
}

/** Per axis (begin, end) of `pads` ([x1_begin, x2_begin, …, x1_end, x2_end, …]). */
function padPairs(a: Attributes, nd: number): [number, number][] {
  const pads = ints(a, 'pads') ?? Array.from({ length: 2 * nd }, () => 0);
  if (pads.length !== 2 * nd) fail('spatial-dims', `${a.op}: Attribute pads has incorrect length (${pads.length}; the input has ${nd} spatial axes, so ${2 * nd} are needed)`);
  return Array.from({ length: nd }, (_, k) => [pads[k], pads[k + nd]]);
}

/** The split of a total pad (or crop) T by auto_pad: SAME_UPPER puts the odd one at the end. */
function split(total: number, mode: AutoPad): [number, number] {
  const begin = mode === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
  return [begin, total - begin];
}

interface Window {
  readonly nd: number;
  readonly kernel: number[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly mode: AutoPad;
}

function windowOf(a: Attributes, nd: number, kernel: number[]): Window {
  const strides = ints(a, 'strides') ?? kernel.map(() => 1);
  const dilations = ints(a, 'dilations') ?? kernel.map(() => 1);
  for (const [name, xs] of [['kernel_shape', kernel], ['strides', strides], ['dilations', dilations]] as const) {
    if (xs.length !== nd) fail('spatial-dims', `${a.op}: Attribute ${name} has incorrect length (${xs.length}; the input has ${nd} spatial axes)`);
  }
  if (strides.some((s) => s <= 0)) fail('non-positive-stride', `${a.op}: strides must be positive`);
  if (kernel.some((k) => k <= 0)) fail('kernel-size', `${a.op}: kernel_shape must be positive`);
  const mode = autoPad(a);
  if (mode !== 'NOTSET' && a.values.has('pads')) fail('argument', `${a.op}: pads and auto_pad cannot be used together (auto_pad=${mode})`);
  return { nd, kernel, strides, dilations, mode };
}

/** Conv and pools: `⌊(i + pb + pe − keff)/s⌋ + 1`; SAME_* gives `⌈i/s⌉` with TF's split (SAME_LOWER: the odd pad first). */
function forwardAxes(a: Attributes, w: Window, spatial: readonly Expr[], checks: Checks, ceil: boolean): AxisArithmetic[] {
  const pads = w.mode === 'NOTSET' ? padPairs(a, w.nd) : undefined;
  return spatial.map((i, k) => {
    const s = w.strides[k];
    const keff = w.dilations[k] * (w.kernel[k] - 1) + 1;
    const common = { input: i, kernel: w.kernel[k], stride: s, dilation: w.dilations[k], effectiveKernel: keff };
    if (w.mode === 'SAME_UPPER' || w.mode === 'SAME_LOWER') {
      const odd = w.mode === 'SAME_UPPER' ? 'end' : 'start';
      const [padBegin, padEnd] = samePads(constValue(i) ?? s, s, keff, odd);
      return { ...common, output: ceilDiv(i, s), padBegin, padEnd, sameSplit: odd };
    }
    const [pb, pe] = pads?.[k] ?? [0, 0];
    const span = addConst(i, pb + pe - keff);
    let output = addConst(ceil ? ceilDiv(span, s) : floorDiv(span, s), 1);
    if (ceil) {
      // ONNX ≥ 1.16 drops a last window that would start in the end padding (as PyTorch).
      const n = constValue(output);
      const len = constValue(i);
      if (n !== undefined && len !== undefined && (n - 1) * s >= len + pb) {
        output = constant(n - 1);
        checks.notes.push('ceil_mode: the last window would start in the end padding, so it is dropped (ONNX ≥ 1.16, as PyTorch); onnx < 1.16 shape inference keeps it and gives one more');
      }
    }
    checks.atLeast(output, 1, () =>
      fail('kernel-too-large', `${a.op}: the window (${keff}) is longer than the padded input (${sizeText(addConst(i, pb + pe))}): the output would be empty (onnx 1.12 shape inference rounds toward zero here and infers ${sizeText(addConst(i, pb + pe - keff))} + 1 without an error)`),
    );
    return { ...common, output, padBegin: pb, padEnd: pe, ...(ceil ? { ceilMode: true } : { unread: unreadInputs(mod(span, s), pe) }) };
  });
}

function kernelOf(a: Attributes, weight: Shape | undefined): number[] {
  const k = ints(a, 'kernel_shape');
  if (k) return k;
  const fromWeight = weight?.slice(2).map(constValue);
  if (fromWeight && fromWeight.every((x): x is number => x !== undefined)) return fromWeight;
  return fail('not-constant', `${a.op}: kernel_shape is not given, and the shape of its weight W is not declared in this file (ONNX takes the kernel from W)`);
}

function splitNchw(a: Attributes, input: Shape, nd: number): { batch: Expr; channels: Expr; spatial: readonly Expr[] } {
  if (input.length !== nd + 2) fail('input-rank', `${a.op}: the input must have rank ${nd + 2} (N, C and ${nd} spatial axes), but it has rank ${input.length}: ${shapeText(input)}`);
  return { batch: input[0], channels: input[1], spatial: input.slice(2) };
}

function shapeText(s: Shape): string {
  return `[${s.map(sizeText).join(', ')}]`;
}

function symbolic(nd: number, channels: Expr = sym('C')): Shape {
  return [sym('N'), channels, ...(nd === 1 ? ['L'] : nd === 2 ? ['H', 'W'] : ['D', 'H', 'W']).map(sym)];
}

function inferConv(a: Attributes, given: Shape | undefined, weight: Shape | undefined, transposed: boolean, bias: boolean): LayerReport {
  const checks = new Checks();
  const kernel = kernelOf(a, weight);
  const nd = kernel.length;
  const group = intValue(a.values.get('group') ?? { kind: 'int', expr: constant(1) }, 'group');
  if (group <= 0) fail('groups-positive', `${a.op}: group must be positive`);
  const inputChannels = weight ? (transposed ? weight[0] : mul(weight[1], constant(group))) : undefined;
  const input = given ?? symbolic(nd, inputChannels);
  const x = splitNchw(a, input, nd);
  const w = windowOf(a, nd, kernel);
  if (inputChannels) checks.same(x.channels, inputChannels, () => fail('channel-mismatch', `${a.op}: the input has ${sizeText(x.channels)} channels, but W ${shapeText(weight!)} expects ${sizeText(inputChannels)}`));
  checks.divisible(x.channels, group, () => fail('groups-divide-in', `${a.op}: the input's ${sizeText(x.channels)} channels are not divisible by group=${group}`));
  const outChannels = weight ? (transposed ? mul(weight[1], constant(group)) : weight[0]) : sym('M');
  if (!weight) checks.notes.push("W's shape is not declared in this file: the output channels are shown as M");
  const axes = transposed ? transposedAxes(a, w, x.spatial, checks) : forwardAxes(a, w, x.spatial, checks, false);
  const weightCount = product(weight ?? [transposed ? x.channels : outChannels, transposed ? floorDiv(outChannels, group) : floorDiv(x.channels, group), ...kernel.map(constant)]);
  const perOutput = mul(mul(x.batch, product(axes.map((ax) => ax.output))), weightCount);
  const report: LayerReport = {
    ...layerReport(a.op, transposed ? 'convTranspose' : 'conv', input, [x.batch, outChannels, ...axes.map((ax) => ax.output)], checks, { axes, parameters: bias ? add(weightCount, outChannels) : weightCount }),
    multiplyAdds: transposed ? { computed: mul(mul(x.batch, product(x.spatial)), weightCount), zeroInserted: perOutput } : { computed: perOutput },
    groups: group,
  };
  return report;
}

/**
 * ConvTranspose: the full output `F = s·(i − 1) + op + keff`, cropped by pads, by the split of
 * `T = F − output_shape`, or with auto_pad SAME_* by the spec's `T = max(0, keff − s)`.
 */
function transposedAxes(a: Attributes, w: Window, spatial: readonly Expr[], checks: Checks): AxisArithmetic[] {
  const op = ints(a, 'output_padding') ?? w.kernel.map(() => 0);
  const requested = ints(a, 'output_shape');
  if (op.length !== w.nd) fail('spatial-dims', `${a.op}: Attribute output_padding has incorrect length (${op.length}; the input has ${w.nd} spatial axes)`);
  if (requested && requested.length !== w.nd) fail('spatial-dims', `${a.op}: Attribute output_shape has incorrect length (${requested.length}; give the ${w.nd} spatial sizes)`);
  const pads = w.mode === 'NOTSET' && !requested ? padPairs(a, w.nd) : undefined;
  op.forEach((p, k) => {
    if (p >= w.strides[k] && p >= w.dilations[k]) checks.notes.push(`output_padding ${p} is not smaller than stride ${w.strides[k]} or dilation ${w.dilations[k]}, as ONNX's spec asks; onnx's shape inference does not check it`);
  });
  const differs = w.kernel.some((k, n) => w.dilations[n] * (k - 1) + 1 < w.strides[n] || op[n] > 0);
  if ((w.mode === 'SAME_UPPER' || w.mode === 'SAME_LOWER') && !requested && differs) {
    checks.notes.push("auto_pad SAME: ONNX's text promises i·s; its formula, used here as by onnx's shape inference, crops max(0, keff − s), which gives i·s + output_padding when keff ≥ s and (i − 1)·s + keff + output_padding when keff < s");
  }
  return spatial.map((i, k) => {
    const s = w.strides[k];
    const keff = w.dilations[k] * (w.kernel[k] - 1) + 1;
    // The crop of F + output_padding (ONNX's full output) at each end.
    let begin: number;
    let end: number;
    if (requested) {
      const length = constValue(i);
      if (length === undefined) fail('not-constant', `${a.op}: output_shape is given, so the crop depends on the input size, which is symbolic here`);
      [begin, end] = split(s * (length - 1) + op[k] + keff - requested[k], w.mode === 'SAME_UPPER' ? 'SAME_UPPER' : 'SAME_LOWER');
    } else if (pads) {
      [begin, end] = pads[k];
    } else {
      [begin, end] = split(w.mode === 'VALID' ? 0 : Math.max(0, keff - s), w.mode);
    }
    // As every framework's: output_padding extends F, so F's own crop at the end is end − op.
    const axis = croppedAxis(i, w.kernel[k], s, w.dilations[k], { begin, end: end - op[k] }, op[k]);
    checks.atLeast(axis.output, 1, () => fail('output-too-small', `${a.op}: the output would be empty (${sizeText(axis.output)})`));
    return axis;
  });
}

/** A pool's (or unpool's) kernel, which it must state, and its NCHW input. */
function pooled(a: Attributes, given: Shape | undefined): { kernel: number[]; nd: number; input: Shape; x: ReturnType<typeof splitNchw> } {
  const kernel = ints(a, 'kernel_shape');
  if (!kernel) return fail('argument', `${a.op}: Attribute kernel_shape must be specified`);
  const input = given ?? symbolic(kernel.length);
  return { kernel, nd: kernel.length, input, x: splitNchw(a, input, kernel.length) };
}

function inferPool(a: Attributes, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const { kernel, nd, input, x } = pooled(a, given);
  const w = windowOf(a, nd, kernel);
  const ceilMode = intValue(a.values.get('ceil_mode') ?? { kind: 'int', expr: constant(0) }, 'ceil_mode') !== 0;
  const axes = forwardAxes(a, w, x.spatial, checks, ceilMode);
  if (a.op === 'AveragePool' && !a.values.has('count_include_pad')) checks.notes.push('count_include_pad defaults to 0 in ONNX: padding is not counted in the average (PyTorch counts it by default)');
  return layerReport(a.op, 'pool', input, [x.batch, x.channels, ...axes.map((ax) => ax.output)], checks, { axes });
}

/**
 * MaxUnpool: `(i − 1)·s + k − pb − pe`, or the values of its `output_shape` input: ONNX
 * scatters into the default grid, then pads with zeros at the end up to that shape.
 */
function inferMaxUnpool(a: Attributes, given: Shape | undefined, outputShape: readonly number[] | undefined): LayerReport {
  const checks = new Checks();
  const { kernel, nd, input, x } = pooled(a, given);
  const strides = ints(a, 'strides') ?? kernel.map(() => 1);
  const pads = padPairs(a, nd);
  const out = x.spatial.map((i, k) => addConst(scale(addConst(i, -1), strides[k]), kernel[k] - pads[k][0] - pads[k][1]));
  if (outputShape) {
    if (outputShape.length !== nd + 2) fail('spatial-dims', `${a.op}: output_shape has ${outputShape.length} values; the input has rank ${nd + 2}`);
    out.forEach((o, k) => checks.atLeast(constant(outputShape[k + 2]), constValue(o) ?? 0, () => fail('output-too-small', `${a.op}: output_shape ${shapeText(outputShape.map(constant))} is smaller than the default output ${shapeText(out)} the indices refer to`)));
    checks.notes.push("output_shape: ONNX scatters the values into the default grid and pads with zeros at the end; PyTorch's max_unpool reads the indices in the requested grid instead, so the values land elsewhere");
    return layerReport(a.op, 'unpool', input, outputShape.map(constant), checks);
  }
  return layerReport(a.op, 'unpool', input, [x.batch, x.channels, ...out], checks);
}

/** ONNX nodes carry their attributes as keywords; the op type is the layer type. */
function attributesOf(call: LayerCall): Attributes {
  const values = new Map<string, Value>();
  for (const arg of call.args) if (arg.name !== undefined) values.set(arg.name, arg.value);
  return { values, op: call.layerType };
}

export function inferOnnxNode(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    const a = attributesOf(call);
    const weight = call.operands?.[0]?.shape;
    let report: LayerReport;
    // A bias is the node's third input (operands: W, then B).
    if (call.layerType === 'Conv' || call.layerType === 'ConvTranspose') report = inferConv(a, input, weight, call.layerType === 'ConvTranspose', (call.operands?.length ?? 0) >= 2);
    else if (call.layerType === 'MaxPool' || call.layerType === 'AveragePool') report = inferPool(a, input);
    else if (call.layerType === 'MaxUnpool') report = inferMaxUnpool(a, input, call.operands?.[1]?.values);
    else if (call.layerType === 'GraphInput' && weight) report = layerReport('GraphInput', 'input', weight, weight, new Checks());
    else if (SHAPE_KEEPING.has(call.layerType)) {
      const x = input ?? symbolic(2);
      report = layerReport(call.layerType, 'elementwise', x, x, new Checks());
    } else return refuse('no-layer', `${call.layerType} is not an ONNX op Conv Lens knows`);
    return ok({ ...report, framework: 'onnx' });
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
