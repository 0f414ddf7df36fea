/**
 * Layers that reshape or check feature sizes rather than slide a window: Flatten, Unflatten,
 * Linear, the normalisations, the elementwise activations and dropouts, and explicit padding.
 */
import { add, addConst, constant, constValue, floorDiv, mul, sub, sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';
import { boolValue, countValue, intTuple, intValue, type BoundArgs } from '../args';
import { isElementwise } from './catalog';
import { symbolicInput } from './conv';
import { bracketList, Checks, layerReport, product, sizeList, sizeText, type LayerFamily, type LayerReport } from './report';

function read(args: BoundArgs, name: string): Value | undefined {
  const v = args.values.get(name);
  return v === undefined || v.kind === 'none' ? undefined : v;
}

function report(args: BoundArgs, family: LayerFamily, input: Shape, output: Shape, checks: Checks, parameters: Expr = constant(0)): LayerReport {
  return layerReport(args.layerType, family, input, output, checks, { parameters });
}


/** Python's dimension wrapping, with PyTorch's IndexError text. */
function wrapDim(dim: number, rank: number): number {
  const r = Math.max(rank, 1);
  if (dim < -r || dim >= r) fail('input-rank', `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${dim})`);
  return dim < 0 ? dim + r : dim;
}

export function inferFlatten(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const start = intValue(read(args, 'start_dim') ?? int(1), 'start_dim');
  const end = intValue(read(args, 'end_dim') ?? int(-1), 'end_dim');
  const x = input ?? symbolicInput(sym('C'), 2);
  if (x.length === 0) return report(args, 'reshape', x, [constant(1)], checks);
  const s = wrapDim(start, x.length);
  const e = wrapDim(end, x.length);
  if (s > e) fail('other', 'flatten() has invalid args: start_dim cannot come after end_dim');
  return report(args, 'reshape', x, [...x.slice(0, s), product(x.slice(s, e + 1)), ...x.slice(e + 1)], checks);
}

export function inferUnflatten(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const dim = intValue(read(args, 'dim')!, 'dim');
  const sizesArg = read(args, 'unflattened_size')!;
  if (sizesArg.kind !== 'seq') fail('unflatten', `unflattened_size must be a tuple of ints, but found type ${sizesArg.kind === 'float' ? 'float' : 'int'}`);
  const sizes = sizesArg.items.map((v, pos) => {
    if (v.kind === 'float') fail('unflatten', `unflattened_size must be tuple of ints, but found element of type float at pos ${pos}`);
    return intValue(v, 'unflattened_size');
  });
  const x = input ?? symbolicInput(sym('C'), 1);
  const d = wrapDim(dim, x.length);
  const inferred = sizes.filter((v) => v === -1).length;
  if (inferred > 1) fail('unflatten', 'only one dimension can be inferred');
  const known = sizes.filter((v) => v !== -1).reduce((a, b) => a * b, 1);
  let out: Expr[];
  const bad = (): never => fail('unflatten', `unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${dim} (${sizeText(x[d])}) in the input tensor`);
  if (inferred === 1) {
    const total = constValue(x[d]);
    if (total === undefined || known === 0 || total % known !== 0) {
      if (total !== undefined) bad();
      checks.divisible(x[d], known, bad);
    }
    const rest = total !== undefined ? constant(total / known) : sym(`${sizeText(x[d])}/${known}`);
    out = sizes.map((v) => (v === -1 ? rest : constant(v)));
  } else {
    checks.same(x[d], constant(known), bad);
    out = sizes.map(constant);
  }
  return report(args, 'reshape', x, [...x.slice(0, d), ...out, ...x.slice(d + 1)], checks);
}

export function inferLinear(args: BoundArgs, input: Shape | undefined, lazy: boolean): LayerReport {
  const checks = new Checks();
  const outFeatures = countValue(read(args, 'out_features')!, 'out_features');
  const declared = lazy ? undefined : countValue(read(args, 'in_features')!, 'in_features');
  const x = input ?? [sym('N'), declared ?? sym('F')];
  if (x.length === 0) fail('input-rank', 'both arguments to linear need to be at least 1D, but they are 0D and 2D');
  const last = x[x.length - 1];
  const inFeatures = declared ?? last;
  const rows = product(x.slice(0, -1));
  checks.same(last, inFeatures, () =>
    fail('linear-mismatch', `mat1 and mat2 shapes cannot be multiplied (${sizeText(rows)}x${sizeText(last)} and ${sizeText(inFeatures)}x${sizeText(outFeatures)})`),
  );
  const bias = boolValue(read(args, 'bias'), true, 'bias');
  const weights = mul(inFeatures, outFeatures);
  return report(args, 'linear', x, [...x.slice(0, -1), outFeatures], checks, bias ? add(weights, outFeatures) : weights);
}

const NORM_RANKS: Record<string, number[]> = {
  BatchNorm1d: [2, 3],
  BatchNorm2d: [4],
  BatchNorm3d: [5],
  InstanceNorm1d: [2, 3],
  InstanceNorm2d: [3, 4],
  InstanceNorm3d: [4, 5],
};

/**
 * BatchNorm and InstanceNorm, in the order PyTorch 1.13 checks them: the rank, then (modules
 * start in training mode) the batch statistics' need for two values, then the channel count
 * against the running statistics or the affine weight. InstanceNorm repeats those per sample,
 * so its messages count N·C.
 */
export function inferBatchOrInstanceNorm(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const t = args.layerType;
  const instance = t.startsWith('Instance');
  const nd = Number(t[t.length - 2]);
  const features = countValue(read(args, 'num_features')!, 'num_features');
  const affine = boolValue(read(args, 'affine'), !instance, 'affine');
  const tracking = boolValue(read(args, 'track_running_stats'), !instance, 'track_running_stats');
  const x = input ?? symbolicInput(features, nd === 1 && !instance ? 1 : nd);
  const ranks = NORM_RANKS[t];
  if (!ranks.includes(x.length)) {
    const want = ranks.length === 1 ? `${ranks[0]}D` : `${ranks[0]}D or ${ranks[1]}D`;
    fail('input-rank', `expected ${want} input (got ${x.length}D input)`);
  }
  const unbatched = instance && x.length === nd + 1;
  const channels = x[unbatched ? 0 : 1];
  const size = `torch.Size(${bracketList(x)})`;
  // Training-mode statistics need two values; only a known count of exactly one is refused
  // (a symbolic batch is not turned into a condition: it holds for any real batch).
  if (instance) {
    if (constValue(product(x.slice(unbatched ? 1 : 2))) === 1) fail('other', `Expected more than 1 spatial element when training, got input size ${size}`);
  } else if (constValue(product([x[0], ...x.slice(2)])) === 1) {
    fail('other', `Expected more than 1 value per channel when training, got input size ${size}`);
  }
  const samples = instance && !unbatched ? x[0] : constant(1);
  const statistic = tracking ? 'running_mean' : affine ? 'weight' : undefined;
  if (statistic) {
    checks.same(channels, features, () => fail('channel-mismatch', `${statistic} should contain ${sizeText(mul(samples, channels))} elements not ${sizeText(mul(samples, features))}`));
  } else if (constValue(sub(channels, features)) !== 0) {
    checks.notes.push(`num_features is ${sizeText(features)} but the input has ${sizeText(channels)} channels; PyTorch does not check it because the layer has neither affine parameters nor running statistics`);
  }
  return report(args, 'norm', x, x, checks, affine ? add(features, features) : constant(0));
}

export function inferGroupNorm(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const groups = intValue(read(args, 'num_groups')!, 'num_groups');
  const channels = countValue(read(args, 'num_channels')!, 'num_channels');
  const affine = boolValue(read(args, 'affine'), true, 'affine');
  if (groups === 0) fail('group-norm-groups', 'integer modulo by zero');
  checks.divisible(channels, groups, () => fail('group-norm-groups', 'num_channels must be divisible by num_groups'));
  const x = input ?? symbolicInput(channels, 2);
  if (x.length < 2) fail('input-rank', `Dimension out of range (expected to be in range of [-1, 0], but got 1)`);
  const c = x[1];
  // F.group_norm checks the statistics' size on ⌊N·C/G⌋ before anything else.
  const perGroup = constValue(product([floorDiv(mul(x[0], c), groups), ...x.slice(2)]));
  if (perGroup === 1) fail('other', `Expected more than 1 value per channel when training, got input size ${bracketList([floorDiv(mul(x[0], c), groups), constant(groups), ...x.slice(2)])}`);
  checks.divisible(c, groups, () => fail('group-norm-groups', `Expected number of channels in input to be divisible by num_groups, but got input of shape ${bracketList(x)} and num_groups=${groups}`));
  if (affine) {
    checks.same(c, channels, () => fail('channel-mismatch', `Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${sizeText(channels)}] and input of shape ${bracketList(x)}`));
  }
  return report(args, 'norm', x, x, checks, affine ? add(channels, channels) : constant(0));
}

export function inferLayerNorm(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const arg = read(args, 'normalized_shape')!;
  const normalized = arg.kind === 'seq' ? arg.items.map((v) => countValue(v, 'normalized_shape')) : [countValue(arg, 'normalized_shape')];
  const affine = boolValue(read(args, 'elementwise_affine'), true, 'elementwise_affine');
  const x = input ?? [sym('N'), ...normalized];
  const bad = (): never =>
    fail('layernorm-shape', `Given normalized_shape=${bracketList(normalized)}, expected input with shape [*, ${normalized.map((n) => sizeText(n)).join(', ')}], but got input of size${bracketList(x)}`);
  if (x.length < normalized.length) bad();
  const tail = x.slice(x.length - normalized.length);
  tail.forEach((d, a) => checks.same(d, normalized[a], bad));
  const count = product(normalized);
  return report(args, 'norm', x, x, checks, affine ? add(count, count) : constant(0));
}

export function inferElementwise(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const x = input ?? symbolicInput(sym('C'), 2);
  const t = args.layerType;
  let parameters = constant(0);
  if (t === 'PReLU') {
    const n = intValue(read(args, 'num_parameters') ?? int(1), 'num_parameters');
    parameters = constant(n);
    if (n !== 1) {
      if (x.length === 0) fail('input-rank', 'Not allow zero-dim input tensor.');
      const channels = x.length > 1 ? x[1] : constant(1);
      checks.same(channels, constant(n), () => fail('channel-mismatch', `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${n} and channel size = ${sizeText(channels)}.`));
    }
  } else if (t === 'Dropout1d' && x.length !== 2 && x.length !== 3) {
    fail('input-rank', `dropout1d: Expected 2D or 3D input, but received a ${x.length}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`);
  } else if ((t === 'Dropout2d' || t === 'Dropout3d') && x.length < 2) {
    fail('input-rank', 'Feature dropout requires at least 2 dimensions in the input');
  } else if (t === 'Softmax2d' && x.length !== 3 && x.length !== 4) {
    fail('input-rank', `Softmax2d: expected input to be 3D or 4D, got ${x.length}D instead`);
  } else if (!isElementwise(t) && t !== 'Identity') {
    fail('other', `${t} is not an elementwise layer`);
  }
  return report(args, t === 'Identity' ? 'elementwise' : 'elementwise', x, x, checks, parameters);
}

/** ZeroPad2d, ConstantPad, ReflectionPad and ReplicationPad in 1, 2 and 3 dimensions. */
export function inferPad(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const t = args.layerType;
  const nd = Number(t[t.length - 2]);
  const mode = t.startsWith('Reflection') ? 'reflect' : t.startsWith('Replication') ? 'replicate' : 'constant';
  const pads = intTuple(read(args, 'padding')!, 2 * nd, 'padding');
  const x = input ?? symbolicInput(sym('C'), nd);
  if (pads.length % 2 !== 0) fail('spatial-dims', 'Padding length must be divisible by 2');
  if (pads.length / 2 > x.length) fail('input-rank', 'Padding length too large');
  const padded = pads.length / 2;
  // Pads come last axis first: (left, right, top, bottom, front, back).
  const sides = (axis: number): [number, number] => {
    const j = x.length - 1 - axis;
    return [pads[2 * j], pads[2 * j + 1]];
  };
  const axes = Array.from({ length: padded }, (_, j) => x.length - padded + j);
  const out = [...x];
  if (mode === 'constant') {
    constantPad(x, axes, sides, checks).forEach((size, j) => (out[axes[j]] = size));
    return report(args, 'pad', x, out, checks);
  }
  // reflection_padNd and replication_padNd take (C, *spatial) or (N, C, *spatial).
  if (x.length !== padded + 1 && x.length !== padded + 2) {
    fail('input-rank', `Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now`);
  }
  for (const axis of axes) {
    const [before, after] = sides(axis);
    const size = x[axis];
    if (mode === 'reflect') {
      checks.atLeast(size, Math.max(before, after) + 1, () =>
        fail('pad-size', `Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${axis} of input ${bracketList(x)}`),
      );
    }
    out[axis] = addConst(size, before + after);
  }
  // The kernels refuse a result with no element along every padded axis (so the 1-D ones
  // refuse an empty result, and the 2-D and 3-D ones only an empty plane or volume).
  const results = axes.map((a) => constValue(out[a]));
  if (results.every((v) => v !== undefined && v < 1)) {
    fail('pad-size', `input ${sizeList(axes.map((a) => x[a]))} is too small. Calculated output ${sizeList(axes.map((a) => out[a]))}`);
  }
  for (const a of axes) {
    // A negative size past that check fails where the output is allocated.
    checks.atLeast(out[a], 0, () =>
      mode === 'reflect' && nd === 2
        ? fail('output-too-small', 'numel: integer multiplication overflow')
        : fail('pad-size', `Trying to create tensor with negative dimension ${sizeText(out[a])}: ${bracketList(out)}`),
    );
  }
  return report(args, 'pad', x, out, checks);
}

/**
 * constant_pad_nd: negative pads are narrows of the input (a start beyond the axis is an
 * IndexError, a negative length a RuntimeError); when any pad is positive the new size must
 * also be positive.
 */
function constantPad(x: Shape, axes: number[], sides: (axis: number) => [number, number], checks: Checks): Expr[] {
  const allNonPositive = axes.every((a) => sides(a).every((p) => p <= 0));
  return axes.map((axis) => {
    const [before, after] = sides(axis);
    let size = x[axis];
    if (before < 0) {
      checks.atLeast(size, -before, () => fail('input-rank', `Dimension out of range (expected to be in range of [${-x.length}, ${x.length - 1}], but got ${-before})`));
      size = addConst(size, before);
    }
    if (after < 0) {
      const length = addConst(size, after);
      checks.atLeast(length, 0, () => fail('pad-size', `start (0) + length (${sizeText(length)}) exceeds dimension size (${sizeText(size)}).`));
      size = length;
    }
    const result = addConst(x[axis], before + after);
    if (!allNonPositive) {
      checks.atLeast(result, 1, () =>
        fail('pad-size', `The input size ${sizeText(x[axis])}, plus negative padding ${before} and ${after} resulted in a negative output size, which is invalid. Check dimension ${axis} of your input.`),
      );
    }
    return result;
  });
}

function int(n: number): Value {
  return { kind: 'int', expr: constant(n) };
}
