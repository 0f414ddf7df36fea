/**
 * MaxPool, AvgPool, AdaptiveAvg/MaxPool and MaxUnpool in 1, 2 and 3 dimensions, following
 * ATen's `pooling_output_shape` and `pool{2,3}d_shape_check` (PyTorch 1.13).
 */
import { addConst, constant, constValue, floorDiv, mod, scale, sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';
import { boolValue, intTuple, intValue, type BoundArgs } from '../args';
import { symbolicInput } from './conv';
import { unreadInputs, bracketList, Checks, joinInput, layerReport, sizeList, splitInput, type AxisArithmetic, type LayerReport } from './report';

type Nd = 1 | 2 | 3;

function read(args: BoundArgs, name: string): Value | undefined {
  return args.values.get(name);
}

const none: Value = { kind: 'none' };

/** Window lengths, PyTorch style: a missing or None stride means stride = kernel_size. */
function windowConfig(args: BoundArgs, nd: Nd, withDilation: boolean) {
  const kernel = intTuple(read(args, 'kernel_size')!, nd, 'kernel_size');
  const strideArg = read(args, 'stride') ?? none;
  const stride =
    strideArg.kind === 'none' || (strideArg.kind === 'seq' && strideArg.items.length === 0) ? kernel : intTuple(strideArg, nd, 'stride');
  const padding = intTuple(read(args, 'padding') ?? { kind: 'int', expr: constant(0) }, nd, 'padding');
  const dilation = withDilation ? intTuple(read(args, 'dilation') ?? { kind: 'int', expr: constant(1) }, nd, 'dilation') : kernel.map(() => 1);
  return { kernel, stride, padding, dilation };
}

/**
 * The output length of one pooling axis. In ceil mode PyTorch rounds up but drops a last
 * window that would start in the right padding; that rule is one floor expression once the
 * two cases are told apart: when s > keff − p the dropped-window bound `⌈(i + p)/s⌉` is the
 * smaller one for every i, otherwise the rounded-up count is.
 */
export function poolLength(i: Expr, k: number, s: number, p: number, d: number, ceil: boolean): Expr {
  const keff = d * (k - 1) + 1;
  const span = addConst(i, 2 * p - keff);
  if (!ceil) return addConst(floorDiv(span, s), 1);
  if (s > keff - p) return floorDiv(addConst(i, p + s - 1), s);
  return addConst(floorDiv(addConst(span, s - 1), s), 1);
}

export function inferPool(args: BoundArgs, nd: Nd, kind: 'max' | 'avg', input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const w = windowConfig(args, nd, kind === 'max');
  const ceil = boolValue(read(args, 'ceil_mode'), false, 'ceil_mode');
  const returnIndices = kind === 'max' && boolValue(read(args, 'return_indices'), false, 'return_indices');
  const divisor = read(args, 'divisor_override');
  if (divisor && divisor.kind !== 'none' && intValue(divisor, 'divisor_override') === 0) fail('other', 'divisor must be not zero');
  const x = input ?? symbolicInput(sym('C'), nd);
  const op = `${kind}_pool${nd}d`;
  const rank = (): never => fail('input-rank', `${op}: expected ${nd + 1}D or ${nd + 2}D (batch mode) input, but got input of size: ${bracketList(x)}`);
  for (const [name, values] of [['kernel_size', w.kernel], ['stride', w.stride], ['padding', w.padding], ['dilation', w.dilation]] as const) {
    if (values.length !== 1 && values.length !== nd) fail('spatial-dims', `${op}: ${name} must either be a single int, or a tuple of ${nd} ints`);
  }
  const at = (xs: number[], a: number): number => (xs.length === 1 ? xs[0] : xs[a]);
  const split = splitInput(x, nd, rank);
  // MaxPool1d without indices runs its own kernel in 1.13: its own checks, in its own order,
  // and it accepts a zero length.
  const ownKernel1d = kind === 'max' && nd === 1 && !returnIndices;
  if (ownKernel1d) {
    const [k, s, p, d] = [w.kernel[0], w.stride[0], w.padding[0], w.dilation[0]];
    if (k <= 0) fail('kernel-size', `max_pool1d() kernel_size must be greater than zero, but got ${k}`);
    if (s <= 0) fail('non-positive-stride', `max_pool1d() stride must be greater than zero, but got ${s}`);
    if (p < 0) fail('negative-padding', `max_pool1d() padding must be non-negative, but got ${p}`);
    if (p > Math.floor(k / 2)) fail('pool-padding', `max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
    if (d <= 0) fail('dilation', `max_pool1d() dilation must be greater than zero, but got ${d}`);
  }
  const axes: AxisArithmetic[] = split.spatial.map((i, a) => {
    const [k, s, p, d] = [at(w.kernel, a), at(w.stride, a), at(w.padding, a), at(w.dilation, a)];
    if (s === 0) fail('non-positive-stride', 'stride should not be zero');
    if (p < 0) fail('negative-padding', `pad must be non-negative, but got pad: ${p}`);
    if (p > Math.floor(k / 2)) fail('pool-padding', `pad should be at most half of kernel size, but got pad=${p} and kernel_size=${k}`);
    const keff = d * (k - 1) + 1;
    const output = poolLength(i, k, s, p, d, ceil);
    return { input: i, output, kernel: k, stride: s, dilation: d, effectiveKernel: keff, padBegin: p, padEnd: p, ceilMode: ceil, unread: ceil ? undefined : unreadInputs(mod(addConst(i, 2 * p - keff), s), p) };
  });
  if (w.kernel.some((k) => k <= 0)) fail('kernel-size', `kernel size should be greater than zero, but got kernel_size=${sizeList(w.kernel)}`);
  if (w.stride.some((s) => s <= 0)) fail('non-positive-stride', `stride should be greater than zero, but got stride=${sizeList(w.stride)}`);
  if (w.dilation.some((d) => d <= 0)) fail('dilation', `dilation should be greater than zero, but got dilation=${sizeList(w.dilation)}`);
  if (kind === 'avg' && nd === 3) {
    // avg_pool3d alone checks the unpadded input against the kernel.
    const kernel = split.spatial.map((_, a) => at(w.kernel, a));
    const tooSmall = (): never =>
      fail('kernel-too-large', `input image (T: ${sizeList([split.spatial[0]])} H: ${sizeList([split.spatial[1]])} W: ${sizeList([split.spatial[2]])}) smaller than kernel size (kT: ${kernel[0]} kH: ${kernel[1]} kW: ${kernel[2]})`.replace(/\((\S+)\)/g, '$1'));
    split.spatial.forEach((i, a) => checks.atLeast(i, kernel[a], tooSmall));
  }
  const outputs = axes.map((a) => a.output);
  const tooSmall = (): never =>
    fail('output-too-small', `Given input size: ${sizeList([split.channels, ...split.spatial], 'x')}. Calculated output size: ${sizeList([split.channels, ...outputs], 'x')}. Output size is too small`);
  outputs.forEach((o) => checks.atLeast(o, ownKernel1d ? 0 : 1, tooSmall));
  if (ownKernel1d && outputs.some((o) => constValue(o) === 0)) {
    checks.notes.push('MaxPool1d without return_indices returns an empty tensor instead of raising when the output length is 0 (PyTorch 1.13, no autograd); with autograd or return_indices it raises "Output size is too small"');
  }
  return layerReport(args.layerType, 'pool', x, joinInput(split, x, split.channels, outputs), checks, { axes });
}

/**
 * Adaptive pooling. The output size is what was asked for (None keeps the input's). Two 1.13
 * paths matter for shapes: a tuple output_size is first matched against the input's rank in
 * Python, and an average pool to all-ones output is a plain mean over the last axes, which
 * accepts any rank that has them.
 */
export function inferAdaptivePool(args: BoundArgs, nd: Nd, kind: 'max' | 'avg', input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const sizeArg = read(args, 'output_size')!;
  const x = input ?? symbolicInput(sym('C'), nd);
  const op = `adaptive_${kind}_pool${nd}d`;
  let requested: (number | undefined)[];
  if (sizeArg.kind === 'seq') {
    if (nd === 1) requested = sizeArg.items.map((v) => intValue(v, 'output_size'));
    else {
      if (x.length <= sizeArg.items.length) fail('input-rank', `Input dimension should be at least ${sizeArg.items.length + 1}`);
      requested = sizeArg.items.map((v) => (v.kind === 'none' ? undefined : intValue(v, 'output_size')));
    }
  } else {
    requested = Array.from({ length: nd }, () => intValue(sizeArg, 'output_size'));
  }
  // Resolve None against the trailing axes, as `_list_with_default` does.
  const trailing = x.slice(x.length - requested.length);
  const sizes = requested.map((r, a) => (r === undefined ? trailing[a] : constant(r)));
  if (nd === 1) {
    if (x.length < 2 || x.length > 3) fail('input-rank', `Expected 2 to 3 dimensions, but got ${x.length}-dimensional tensor for argument #1 'self' (while checking arguments for ${op})`);
    if (sizes.length !== 1) fail('adaptive', `${op}() argument 'output_size' should contain one int (got ${sizes.length})`);
  } else if (sizes.length !== nd) {
    fail('adaptive', kind === 'avg' ? `${op}: output_size must be ${nd}` : `${op}(): internal error: output_size.size() must be ${nd}`);
  }
  const negative = sizes.map(constValue).find((v) => v !== undefined && v < 0);
  if (negative !== undefined) {
    fail('adaptive', kind === 'avg' ? `${op}: elements of output_size must be greater than or equal to 0 but received ${negative}` : `Trying to create tensor with negative dimension ${negative}`);
  }
  const allOnes = sizes.every((v) => constValue(v) === 1);
  if (kind === 'avg' && allOnes) {
    // `input.mean(last axes, keepdim=True)`: any rank with nd trailing axes.
    if (x.length < nd) fail('input-rank', `Dimension out of range (expected to be in range of [${-x.length}, ${x.length - 1}], but got ${-nd})`);
    return layerReport(args.layerType, 'adaptivePool', x, [...x.slice(0, x.length - nd), ...sizes], checks);
  }
  const split = splitInput(x, nd, () => fail('input-rank', `${op}(): Expected ${nd + 1}D or ${nd + 2}D tensor, but got ${bracketList(x)}`));
  split.spatial.forEach((i, a) =>
    checks.atLeast(i, 1, () => fail('input-rank', `${op}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${bracketList(x)} with dimension ${x.length - nd + a} being empty`)),
  );
  return layerReport(args.layerType, 'adaptivePool', x, joinInput(split, x, split.channels, sizes), checks);
}

export function inferMaxUnpool(args: BoundArgs, nd: Nd, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const w = windowConfig(args, nd, false);
  const x = input ?? symbolicInput(sym('C'), nd);
  const split = splitInput(x, nd, () => fail('input-rank', `max_unpool${nd}d: expected ${nd + 1}D or ${nd + 2}D input, but got input of size: ${bracketList(x)}`));
  // `_unpool_output_size` walks the kernel's entries and indexes stride and padding with
  // them: a longer stride is silently cut, a shorter one is an IndexError.
  if (w.kernel.length !== nd || w.stride.length < nd || w.padding.length < nd) fail('spatial-dims', 'tuple index out of range');
  // (i − 1)·s − 2p + k, with no dilation term. An empty axis is allowed; a negative one overflows.
  const outputs = split.spatial.map((i, a) => addConst(scale(addConst(i, -1), w.stride[a]), w.kernel[a] - 2 * w.padding[a]));
  const tooSmall = (): never => fail('output-too-small', 'numel: integer multiplication overflow');
  outputs.forEach((o) => checks.atLeast(o, 0, tooSmall));
  checks.notes.push('forward(input, indices, output_size=…) may ask for any size strictly between default − stride and default + stride');
  return layerReport(args.layerType, 'unpool', x, joinInput(split, x, split.channels, outputs), checks);
}

