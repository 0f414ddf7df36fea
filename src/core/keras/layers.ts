/**
 * The Keras layers around the convolutions: pooling (valid `⌊(i − k)/s⌋ + 1`, same `⌈i/s⌉`,
 * no dilation, no ceil mode), UpSampling, ZeroPadding, Cropping, Dense, Flatten, Reshape,
 * the shape-keeping layers and `keras.Input`.
 */
import { countValue, describe, intValue, type BoundArgs } from '../args';
import { add, addConst, constant, constValue, floorDiv, mod, mul, scale, sym } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import { Checks, layerReport, product, samePads, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { Value } from '../values';
import { inputFromArguments, inputLayerShape } from './input';
import { arrayText, dataFormat, joinKerasOutput, kerasPadding, kerasShape, kerasTuple, splitKerasInput, symbolicKerasInput, tupleText, type DataFormat } from './layout';

const int = (n: number): Value => ({ kind: 'int', expr: constant(n) });

/** Marks a report as Keras', with its layout. */
function keras(report: LayerReport, fmt: DataFormat | undefined): LayerReport {
  return { ...report, framework: 'keras', ...(fmt === 'channels_last' ? { layout: 'channels_last' as const } : {}) };
}

function inputOf(args: BoundArgs, given: Shape | undefined, fallback: () => Shape): Shape {
  return given ?? inputFromArguments(args) ?? fallback();
}

export function inferKerasPool(args: BoundArgs, rank: 1 | 2 | 3, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const pool = kerasTuple(args.values.get('pool_size') ?? int(2), rank, 'pool_size');
  const stridesArg = args.values.get('strides');
  const strides = stridesArg === undefined || stridesArg.kind === 'none' ? pool : kerasTuple(stridesArg, rank, 'strides');
  const padding = kerasPadding(args.values.get('padding'), false);
  const fmt = dataFormat(args.values.get('data_format'));
  const input = inputOf(args, given, () => symbolicKerasInput(rank, fmt));
  const x = splitKerasInput(args.layerType, input, rank, fmt);
  const axes: AxisArithmetic[] = x.spatial.map((i, a) => {
    const k = pool[a];
    const s = strides[a];
    const common = { input: i, kernel: k, stride: s, dilation: 1, effectiveKernel: k };
    if (padding === 'valid') {
      const span = addConst(i, -k);
      const output = addConst(floorDiv(span, s), 1);
      checks.atLeast(output, 0, () => fail('output-too-small', `Computed output size would be negative. Received: \`inputs.shape=${arrayText(input.map((e, n) => (n === 0 && constValue(e) === undefined ? 'None' : (constValue(e) ?? '?'))))}\` and \`pool_size=${arrayText(pool)}\`.`));
      return { ...common, output, padBegin: 0, padEnd: 0, unread: unreadInputs(mod(span, s), 0) };
    }
    const length = constValue(i);
    const [padBegin, padEnd] = samePads(length ?? s, s, k);
    return { ...common, output: addConst(floorDiv(addConst(i, -1), s), 1), padBegin, padEnd, sameSplit: 'end' };
  });
  const output = joinKerasOutput(fmt, x.batch, x.channels, axes.map((a) => a.output));
  if (padding === 'same') checks.notes.push("padding='same' pools over real elements only (padded positions are ignored), as TF does");
  return keras(layerReport(args.layerType, 'pool', input, output, checks, { axes }), fmt);
}

export function inferKerasUpSampling(args: BoundArgs, rank: 1 | 2 | 3, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const sizeArg = args.values.get('size') ?? int(2);
  // UpSampling1D takes one int; the others a tuple (or an int repeated).
  const size = rank === 1 ? [intValue(sizeArg, 'size')] : kerasTuple(sizeArg, rank, 'size');
  const fmt = rank === 1 ? 'channels_last' : dataFormat(args.values.get('data_format'));
  const input = inputOf(args, given, () => symbolicKerasInput(rank, fmt));
  const x = splitKerasInput(args.layerType, input, rank, fmt);
  const output = joinKerasOutput(fmt, x.batch, x.channels, x.spatial.map((i, a) => scale(i, size[a])));
  return keras(layerReport(args.layerType, 'upsample', input, output, checks), fmt);
}

/** ZeroPadding/Cropping's argument: an int, one int per axis (both sides), or a (begin, end) pair per axis. */
function sidePairs(v: Value, rank: number, name: string): [number, number][] {
  if (v.kind === 'int' || v.kind === 'bool') {
    const n = intValue(v, name);
    return Array.from({ length: rank }, () => [n, n]);
  }
  if (v.kind === 'seq' && rank === 1 && v.items.length === 2 && v.items.every((i) => i.kind !== 'seq')) {
    return [[intValue(v.items[0], name), intValue(v.items[1], name)]];
  }
  if (v.kind !== 'seq' || v.items.length !== rank) {
    return fail('argument', `\`${name}\` should have ${rank === 1 ? 'two' : rank === 2 ? 'two' : 'three'} elements. Received: ${name}=${describe(v)}.`);
  }
  return v.items.map((item) => {
    if (item.kind === 'seq') {
      if (item.items.length !== 2) fail('argument', `\`${name}\` should be a tuple of ${rank} tuples of 2 integers. Received: ${name}=${describe(v)}.`);
      return [intValue(item.items[0], name), intValue(item.items[1], name)];
    }
    const n = intValue(item, name);
    return [n, n];
  });
}

export function inferKerasPadOrCrop(args: BoundArgs, rank: 1 | 2 | 3, crop: boolean, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const name = crop ? 'cropping' : 'padding';
  const fallback = crop ? (rank === 1 ? [1, 1] : rank === 2 ? 0 : 1) : rank === 2 ? 1 : 1;
  const arg = args.values.get(name) ?? (Array.isArray(fallback) ? { kind: 'seq' as const, brackets: 'tuple' as const, items: fallback.map(int) } : int(fallback));
  const pairs = sidePairs(arg, rank, name);
  if (pairs.some(([b, e]) => b < 0 || e < 0)) fail('negative-padding', `\`${name}\` must be non-negative. Received: ${name}=${describe(arg)}.`);
  const fmt = rank === 1 ? 'channels_last' : dataFormat(args.values.get('data_format'));
  const input = inputOf(args, given, () => symbolicKerasInput(rank, fmt));
  const x = splitKerasInput(args.layerType, input, rank, fmt);
  const spatial = x.spatial.map((i, a) => (crop ? addConst(i, -pairs[a][0] - pairs[a][1]) : addConst(i, pairs[a][0] + pairs[a][1])));
  if (crop) {
    spatial.forEach((o) =>
      checks.atLeast(o, 1, () =>
        fail('output-too-small', `Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. Received: input_shape=${kerasShape(input)}, cropping=${tupleText(pairs.map(([b, e]) => tupleText([b, e])))}`),
      ),
    );
  }
  const output = joinKerasOutput(fmt, x.batch, x.channels, spatial);
  return keras(layerReport(args.layerType, 'pad', input, output, checks), fmt);
}

export function inferKerasDense(args: BoundArgs, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const units = countValue(args.values.get('units')!, 'units');
  const u = constValue(units);
  if (u !== undefined && u <= 0) fail('argument', `Received an invalid value for \`units\`, expected a positive integer. Received: units=${u}`);
  const input = inputOf(args, given, () => [sym('N'), sym('F')]);
  if (input.length < 2) fail('input-rank', `Input 0 of layer "dense" is incompatible with the layer: expected min_ndim=2, found ndim=${input.length}. Full shape received: ${kerasShape(input)}`);
  const features = input[input.length - 1];
  const use = args.values.get('use_bias');
  const bias = !(use && use.kind === 'bool' && !use.value);
  const weights = mul(features, units);
  return keras(layerReport(args.layerType, 'linear', input, [...input.slice(0, -1), units], checks, { parameters: bias ? add(weights, units) : weights }), undefined);
}

export function inferKerasFlatten(args: BoundArgs, given: Shape | undefined): LayerReport {
  const input = inputOf(args, given, () => symbolicKerasInput(2, 'channels_last'));
  const rest = input.slice(1);
  return keras(layerReport(args.layerType, 'reshape', input, rest.length === 0 ? [input[0], constant(1)] : [input[0], product(rest)], new Checks()), undefined);
}

export function inferKerasReshape(args: BoundArgs, given: Shape | undefined): LayerReport {
  const checks = new Checks();
  const targetArg = args.values.get('target_shape')!;
  const target = targetArg.kind === 'seq' ? targetArg.items.map((v) => countValue(v, 'target_shape')) : [countValue(targetArg, 'target_shape')];
  const unknown = target.filter((t) => constValue(t) === -1).length;
  if (unknown > 1) fail('argument', `There must be at most one unknown dimension (-1) in target_shape. Received: target_shape=${describe(targetArg)}.`);
  if (!given && !inputFromArguments(args)) {
    // No input: the target as written, -1 left as an unknown size.
    const out = target.map((t, k) => (constValue(t) === -1 ? sym(`S${k}`) : t));
    return keras(layerReport(args.layerType, 'reshape', [sym('N'), product(out)], [sym('N'), ...out], checks), undefined);
  }
  const input = inputOf(args, given, () => []);
  const total = product(input.slice(1));
  const known = product(target.filter((t) => constValue(t) !== -1));
  const bad = (): never => fail('argument', `The total size of the tensor must be unchanged. Received: input_shape=${tupleText(input.slice(1).map((e) => constValue(e) ?? '?'))}, target_shape=${describe(targetArg)}`);
  let out = target;
  if (unknown === 1) {
    const k = constValue(known);
    const t = constValue(total);
    if (k !== undefined && t !== undefined) {
      if (k === 0 || t % k !== 0) bad();
      out = target.map((x) => (constValue(x) === -1 ? constant(t / k) : x));
    } else if (k !== undefined) {
      checks.divisible(total, k, bad);
      out = target.map((x) => (constValue(x) === -1 ? floorDiv(total, k) : x));
    } else bad();
  } else checks.same(total, known, bad);
  return keras(layerReport(args.layerType, 'reshape', input, [input[0], ...out], checks), undefined);
}

export function inferKerasShapeKeeping(args: BoundArgs, given: Shape | undefined): LayerReport {
  const input = inputOf(args, given, () => symbolicKerasInput(2, 'channels_last'));
  return keras(layerReport(args.layerType, 'elementwise', input, input, new Checks()), undefined);
}

/** `keras.Input(…)`: a source, not a transformation; what it is given is ignored. */
export function inferKerasInput(args: BoundArgs): LayerReport {
  const shape = inputLayerShape(args);
  return keras(layerReport(args.layerType, 'input', shape, shape, new Checks()), undefined);
}
