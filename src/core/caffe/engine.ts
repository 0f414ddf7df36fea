/**
 * Caffe's shape rules (reference §5; BVLC/caffe's conv, deconv and pooling layers): NCHW
 * blobs; `kernel_size`/`stride`/`pad`/`dilation` repeated per axis or given once (or as
 * `kernel_h`/`kernel_w` …); Convolution `⌊(i + 2p − keff)/s⌋ + 1` (PyTorch's), Deconvolution
 * `s·(i − 1) + keff − 2p` (PyTorch's without output_padding), Pooling in CEIL mode by default,
 * whose last window is dropped when it would start in the padding — only when pad > 0.
 * Caffe is not installed here: these are the documented rules, tested as such.
 */
import { intValue } from '../args';
import { add, addConst, ceilDiv, constant, constValue, floorDiv, mod, mul, sym, type Expr } from '../expr';
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import { Checks, croppedAxis, layerReport, product, sizeText, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';

const SHAPE_KEEPING = new Set(['ReLU', 'PReLU', 'ELU', 'Sigmoid', 'TanH', 'AbsVal', 'Power', 'BNLL', 'Dropout', 'BatchNorm', 'Scale', 'Bias', 'LRN', 'MVN', 'Softmax', 'Threshold']);
const WINDOWED = new Set(['Convolution', 'Deconvolution', 'Pooling']);

export function isCaffeLayerType(type: string): boolean {
  return WINDOWED.has(type) || SHAPE_KEEPING.has(type) || type === 'InnerProduct' || type === 'Input';
}

type Params = ReadonlyMap<string, Value>;

function ints(p: Params, name: string): number[] {
  const v = p.get(name);
  if (v === undefined) return [];
  return v.kind === 'seq' ? v.items.map((x) => intValue(x, name)) : [intValue(v, name)];
}

/**
 * One value per spatial axis: `<prefix>_h`/`_w` (2-D only, both), or the field repeated once
 * per axis, or once for all, or the default (`kernel_size` has none).
 */
function perAxis(p: Params, field: string, prefix: string, nd: number, fallback: number | undefined): number[] {
  const h = ints(p, `${prefix}_h`);
  const w = ints(p, `${prefix}_w`);
  if (h.length > 0 || w.length > 0) {
    if (nd !== 2 || h.length !== 1 || w.length !== 1) fail('spatial-dims', `${prefix}_h & ${prefix}_w can only be used for 2D convolution, both of them given`);
    return [h[0], w[0]];
  }
  const xs = ints(p, field);
  if (xs.length === 0) {
    if (fallback === undefined) return fail('argument', `${field} is required (or ${prefix}_h and ${prefix}_w)`);
    return Array.from({ length: nd }, () => fallback);
  }
  if (xs.length === 1) return Array.from({ length: nd }, () => xs[0]);
  if (xs.length !== nd) fail('spatial-dims', `${field} must be specified once, or once per spatial dimension (${field} specified ${xs.length} times; ${nd} spatial dims).`);
  return xs;
}

function split(input: Shape): { batch: Expr; channels: Expr; spatial: readonly Expr[] } {
  if (input.length < 3) fail('input-rank', `the input blob must be (N, C, spatial…), but it has ${input.length} axes`);
  return { batch: input[0], channels: input[1], spatial: input.slice(2) };
}

function inferConv(p: Params, input: Shape, deconv: boolean, layer: string): LayerReport {
  const checks = new Checks();
  const x = split(input);
  const nd = x.spatial.length;
  const numOutput = p.get('num_output');
  if (!numOutput) fail('argument', `num_output is required`);
  const out = constant(intValue(numOutput, 'num_output'));
  const kernelSize = perAxis(p, 'kernel_size', 'kernel', nd, undefined);
  const stride = perAxis(p, 'stride', 'stride', nd, 1);
  const pad = perAxis(p, 'pad', 'pad', nd, 0);
  const dilation = perAxis(p, 'dilation', 'dilation', nd, 1);
  const group = intValue(p.get('group') ?? { kind: 'int', expr: constant(1) }, 'group');
  const biasTerm = p.get('bias_term');
  const bias = !(biasTerm?.kind === 'bool' && !biasTerm.value);
  checks.divisible(x.channels, group, () => fail('groups-divide-in', `Number of input channels should be multiples of group (${sizeText(x.channels)} and ${group}).`));
  checks.divisible(out, group, () => fail('groups-divide-out', `Number of output should be multiples of group.`));
  const axes: AxisArithmetic[] = x.spatial.map((i, a) => {
    const keff = dilation[a] * (kernelSize[a] - 1) + 1;
    const common = { input: i, kernel: kernelSize[a], stride: stride[a], dilation: dilation[a], effectiveKernel: keff };
    if (deconv) {
      const axis = croppedAxis(i, kernelSize[a], stride[a], dilation[a], { begin: pad[a], end: pad[a] }, 0);
      checks.atLeast(axis.output, 1, () => fail('output-too-small', `the output would be empty (${sizeText(axis.output)})`));
      return axis;
    }
    const span = addConst(i, 2 * pad[a] - keff);
    const output = addConst(floorDiv(span, stride[a]), 1);
    checks.atLeast(output, 1, () => fail('kernel-too-large', `the kernel (${keff}) is larger than the padded input (${sizeText(addConst(i, 2 * pad[a]))}): the output would be empty`));
    return { ...common, output, padBegin: pad[a], padEnd: pad[a], unread: unreadInputs(mod(span, stride[a]), pad[a]) };
  });
  const weights = product([deconv ? x.channels : out, deconv ? floorDiv(out, group) : floorDiv(x.channels, group), ...kernelSize.map(constant)]);
  const perOutput = mul(mul(x.batch, product(axes.map((a) => a.output))), weights);
  return {
    ...layerReport(layer, deconv ? 'convTranspose' : 'conv', input, [x.batch, out, ...axes.map((a) => a.output)], checks, { axes, parameters: bias ? add(weights, out) : weights }),
    multiplyAdds: deconv ? { computed: mul(mul(x.batch, product(x.spatial)), weights), zeroInserted: perOutput } : { computed: perOutput },
    groups: group,
  };
}

function inferPool(p: Params, input: Shape, layer: string): LayerReport {
  const checks = new Checks();
  const x = split(input);
  if (x.spatial.length !== 2) fail('input-rank', `Input must have 4 axes, corresponding to (num, channels, height, width)`);
  const global = p.get('global_pooling');
  const isGlobal = global?.kind === 'bool' && global.value;
  const kernel = isGlobal ? x.spatial.map((s) => constValue(s) ?? fail('not-constant', `global pooling over a symbolic input size`)) : perAxis(p, 'kernel_size', 'kernel', 2, undefined);
  const stride = perAxis(p, 'stride', 'stride', 2, 1);
  const pad = perAxis(p, 'pad', 'pad', 2, 0);
  const floor = p.get('round_mode')?.kind === 'str' && (p.get('round_mode') as { value: string }).value === 'FLOOR';
  pad.forEach((pd, a) => {
    if (pd >= kernel[a]) fail('pool-padding', `Check failed: pad_${a === 0 ? 'h' : 'w'}_ < kernel_${a === 0 ? 'h' : 'w'}_ (${pd} vs. ${kernel[a]})`);
  });
  const axes: AxisArithmetic[] = x.spatial.map((i, a) => {
    const span = addConst(i, 2 * pad[a] - kernel[a]);
    let output = addConst(floor ? floorDiv(span, stride[a]) : ceilDiv(span, stride[a]), 1);
    const n = constValue(output);
    const len = constValue(i);
    // Caffe drops a last window that starts in the padding, but only when there is padding.
    if (!floor && pad[a] > 0 && n !== undefined && len !== undefined && (n - 1) * stride[a] >= len + pad[a]) output = constant(n - 1);
    return { input: i, output, kernel: kernel[a], stride: stride[a], dilation: 1, effectiveKernel: kernel[a], padBegin: pad[a], padEnd: pad[a], ceilMode: !floor };
  });
  if (!floor && pad.every((pd) => pd === 0) && stride.some((s, a) => s > kernel[a])) checks.notes.push('CEIL rounding without padding keeps a last window that PyTorch\'s ceil_mode drops when the stride exceeds the kernel');
  return layerReport(layer, 'pool', input, [x.batch, x.channels, ...axes.map((a) => a.output)], checks, { axes });
}

export function inferCaffeLayer(call: LayerCall, given: Shape | undefined): Outcome<LayerReport> {
  try {
    const p: Params = new Map(call.args.flatMap((a) => (a.name ? [[a.name, a.value] as const] : [])));
    const t = call.layerType;
    const input = given ?? [sym('N'), sym('C'), sym('H'), sym('W')];
    let report: LayerReport;
    if (t === 'Input') {
      const shape = call.operands?.[0]?.shape ?? fail('not-constant', 'Input: no shape { dim … } given');
      report = layerReport(t, 'input', shape, shape, new Checks());
    } else if (t === 'Convolution' || t === 'Deconvolution') report = inferConv(p, input, t === 'Deconvolution', t);
    else if (t === 'Pooling') report = inferPool(p, input, t);
    else if (t === 'InnerProduct') {
      const out = constant(intValue(p.get('num_output') ?? fail('argument', 'InnerProduct: num_output is required'), 'num_output'));
      // Its axis 1 (the features from there on) must exist: an Input with an empty shape
      // { } gives a blob of no axes, and there is no batch axis to keep either.
      if (input.length < 2) fail('input-rank', `axis 1 out of range for ${input.length}-D Blob: InnerProduct needs (N, features…)`);
      const features = product(input.slice(1));
      report = layerReport(t, 'linear', input, [input[0], out], new Checks(), { parameters: add(mul(features, out), out) });
    } else if (SHAPE_KEEPING.has(t)) report = layerReport(t, 'elementwise', input, input, new Checks());
    else return refuse('no-layer', `${t} is not a Caffe layer Conv Lens knows`);
    return ok({ ...report, framework: 'caffe' });
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
