/**
 * Conv1d/2d/3d, ConvTranspose1d/2d/3d and their Lazy forms, checked in the order PyTorch 1.13
 * checks them: the constructor (`_ConvNd.__init__`), then the forward (`conv2d`'s rank check,
 * `_convolution`'s parameter expansion, `check_shape_forward`, then the kernel's own checks).
 */
import { add, addConst, constant, constValue, floorDiv, mod, mul, scale, sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';
import { boolValue, countValue, describe, intTuple, intValue, strValue, type BoundArgs } from '../args';
import { unreadInputs, bracketList, Checks, joinInput, product, requireLength, sizeList, sizeText, splitInput, type AxisArithmetic, type LayerReport } from './report';

export interface ConvKind {
  readonly nd: 1 | 2 | 3;
  readonly transposed: boolean;
  readonly lazy: boolean;
}

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

interface ConvConfig {
  readonly inChannels: Expr | undefined; // undefined for Lazy until the input is seen
  readonly outChannels: Expr;
  readonly kernel: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly outputPadding: number[];
  readonly dilation: number[];
  readonly groups: number;
  readonly bias: boolean;
  readonly paddingMode: string;
}

export function spatialSymbols(nd: number): string[] {
  return nd === 1 ? ['L'] : nd === 2 ? ['H', 'W'] : ['D', 'H', 'W'];
}

/** The input a layer is shown with when none is known: `(N, C, H, W)`. */
export function symbolicInput(channels: Expr, nd: number): Shape {
  return [sym('N'), channels, ...spatialSymbols(nd).map(sym)];
}

export function inferConv(args: BoundArgs, kind: ConvKind, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const cfg = construct(args, kind, checks);
  const x = input ?? symbolicInput(cfg.inChannels ?? sym('C'), kind.nd);
  return forward(args.layerType, cfg, kind, x, checks);
}

function read(args: BoundArgs, name: string): Value | undefined {
  return args.values.get(name);
}

/** `_ConvNd.__init__` (and `_ConvTransposeNd.__init__`'s padding_mode check before it). */
function construct(args: BoundArgs, kind: ConvKind, checks: Checks): ConvConfig {
  const who = args.layerType;
  const paddingMode = strValue(read(args, 'padding_mode'), 'padding_mode') ?? 'zeros';
  if (kind.transposed && paddingMode !== 'zeros') {
    fail('padding-mode', `Only "zeros" padding mode is supported for ${who.replace('Lazy', '')}`);
  }
  const inChannels = kind.lazy ? undefined : countValue(read(args, 'in_channels')!, 'in_channels');
  const outChannels = countValue(read(args, 'out_channels')!, 'out_channels');
  const kernel = intTuple(read(args, 'kernel_size')!, kind.nd, 'kernel_size');
  const stride = intTuple(read(args, 'stride') ?? int(1), kind.nd, 'stride');
  const dilation = intTuple(read(args, 'dilation') ?? int(1), kind.nd, 'dilation');
  const outputPadding = kind.transposed ? intTuple(read(args, 'output_padding') ?? int(0), kind.nd, 'output_padding') : [];
  const groups = intValue(read(args, 'groups') ?? int(1), 'groups');
  const bias = boolValue(read(args, 'bias'), true, 'bias');
  const paddingArg = read(args, 'padding') ?? int(0);

  if (groups <= 0) fail('groups-positive', 'groups must be a positive integer');
  if (inChannels) checks.divisible(inChannels, groups, () => fail('groups-divide-in', 'in_channels must be divisible by groups'));
  // The Lazy constructors pass 0 channels to the base class, so out_channels is never checked there.
  if (!kind.lazy) checks.divisible(outChannels, groups, () => fail('groups-divide-out', 'out_channels must be divisible by groups'));

  let padding: ConvConfig['padding'];
  if (paddingArg.kind === 'str') {
    if (kind.transposed) {
      // The constructor stores tuple('same') without complaint; the forward rejects it.
      fail('argument', `conv_transpose${kind.nd}d(): argument 'padding' must be tuple of ints, not str`);
    }
    if (paddingArg.value !== 'same' && paddingArg.value !== 'valid') {
      fail('padding-string', `Invalid padding string '${paddingArg.value}', should be one of {'valid', 'same'}`);
    }
    if (paddingArg.value === 'same' && stride.some((s) => s !== 1)) {
      fail('same-strided', "padding='same' is not supported for strided convolutions");
    }
    padding = paddingArg.value;
  } else {
    padding = intTuple(paddingArg, kind.nd, 'padding');
  }
  if (!PADDING_MODES.includes(paddingMode)) {
    fail('padding-mode', `padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${paddingMode}'`);
  }
  if (kernel.some((k) => k < 0)) fail('kernel-size', `Trying to create tensor with negative dimension ${Math.min(...kernel)}: kernel_size=${describe(read(args, 'kernel_size')!)}`);
  return { inChannels, outChannels, kernel, stride, padding, outputPadding, dilation, groups, bias, paddingMode };
}

function int(n: number): Value {
  return { kind: 'int', expr: constant(n) };
}

/** Per-side padding PyTorch applies: 'same' puts the odd element at the end. */
function sidePads(cfg: ConvConfig, axis: number): [number, number] {
  if (cfg.padding === 'valid') return [0, 0];
  if (cfg.padding === 'same') {
    const total = cfg.dilation[axis] * (cfg.kernel[axis] - 1);
    const begin = Math.floor(total / 2);
    return [begin, total - begin];
  }
  return [cfg.padding[axis], cfg.padding[axis]];
}

function forward(layerType: string, config: ConvConfig, kind: ConvKind, input: Shape, checks: Checks): LayerReport {
  let cfg = config;
  const { nd, transposed } = kind;
  const op = `${transposed ? 'conv_transpose' : 'conv'}${nd}d`;
  const rankError = (): never =>
    fail('input-rank', `Expected ${nd + 1}D (unbatched) or ${nd + 2}D (batched) input to ${op}, but got input of size: ${bracketList(input)}`);
  // Lazy modules materialise in a pre-forward hook (rank, in_channels) before anything else;
  // for the others the order of the rank check and F.pad does not change the rule.
  const split = splitInput(input, nd, rankError);

  const inChannels = cfg.inChannels ?? split.channels;
  if (kind.lazy) checks.divisible(inChannels, cfg.groups, () => fail('groups-divide-in', 'in_channels must be divisible by groups'));
  if (kind.lazy) cfg = { ...cfg, outChannels: lazyOutChannels(cfg, transposed) };

  // A non-zero padding_mode pads with F.pad first, which has its own limits. Its pad list
  // is `_reversed_padding_repeated_twice`: two entries per padding entry (per kernel entry
  // for 'same'/'valid'), and its length decides which ranks F.pad takes.
  if (cfg.paddingMode !== 'zeros') {
    const padded = Array.isArray(cfg.padding) ? cfg.padding.length : cfg.kernel.length;
    if (cfg.paddingMode === 'circular' && input.length !== padded + 2) {
      fail('input-rank', `Invalid padding size, expected ${2 * Math.max(input.length - 2, 0)} but got ${2 * padded}`);
    }
    if (cfg.paddingMode !== 'circular' && input.length !== padded + 1 && input.length !== padded + 2) {
      fail('input-rank', 'Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now');
    }
    checkModePadding(cfg, nd, input, checks);
  }

  // `_convolution` expands a one-element list to every axis (`expand_param_if_needed`).
  const expand = (xs: number[], name: string): number[] => {
    if (xs.length === 1) return Array.from({ length: nd }, () => xs[0]);
    requireLength(xs, nd, name, 'convolution');
    return xs;
  };
  cfg = {
    ...cfg,
    stride: expand(cfg.stride, 'stride'),
    padding: Array.isArray(cfg.padding) ? expand(cfg.padding, 'padding') : cfg.padding,
    dilation: expand(cfg.dilation, 'dilation'),
    outputPadding: transposed ? expand(cfg.outputPadding, 'output_padding') : cfg.outputPadding,
  };
  // With a padding_mode, F.pad applies the padding (a negative one crops) and the conv gets 0.
  if (cfg.paddingMode === 'zeros' && Array.isArray(cfg.padding) && cfg.padding.some((p) => p < 0)) fail('negative-padding', 'negative padding is not supported');
  if (cfg.outputPadding.some((p) => p < 0)) fail('negative-padding', 'negative output_padding is not supported');
  if (cfg.stride.some((s) => s <= 0)) fail('non-positive-stride', 'non-positive stride is not supported');
  if (cfg.dilation.some((d) => d < 0)) fail('dilation', 'dilation should be greater than zero');

  const weight = transposed
    ? [inChannels, floorDiv(cfg.outChannels, cfg.groups), ...cfg.kernel.map(constant)]
    : [cfg.outChannels, floorDiv(inChannels, cfg.groups), ...cfg.kernel.map(constant)];
  const batchedInput = split.batched ? input : [constant(1), ...input];
  if (cfg.kernel.length !== nd) {
    fail('spatial-dims', `Expected ${cfg.kernel.length + 2}-dimensional input for ${cfg.kernel.length + 2}-dimensional weight ${bracketList(weight)}, but got ${nd + 2}-dimensional input of size ${bracketList(batchedInput)} instead`);
  }
  checks.same(split.channels, inChannels, () =>
    fail('channel-mismatch', `Given ${transposed ? 'transposed=1' : `groups=${cfg.groups}`}, weight of size ${bracketList(weight)}, expected input${bracketList(batchedInput)} to have ${sizeText(inChannels)} channels, but got ${sizeText(split.channels)} channels instead`),
  );

  const axes = transposed ? transposedAxes(cfg, split.spatial, checks) : directAxes(cfg, split.spatial, checks);
  const weightCount = product(weight);
  const parameters = cfg.bias ? add(weightCount, cfg.outChannels) : weightCount;
  const batch = split.batched ? input[0] : constant(1);
  const perOutput = mul(mul(batch, product(axes.map((a) => a.output))), weightCount);
  const multiplyAdds = transposed ? { computed: mul(mul(batch, product(split.spatial)), weightCount), zeroInserted: perOutput } : { computed: perOutput };
  return {
    layerType,
    family: transposed ? 'convTranspose' : 'conv',
    input,
    output: joinInput(split, input, cfg.outChannels, axes.map((a) => a.output)),
    axes,
    parameters,
    multiplyAdds,
    groups: cfg.groups,
    conditions: checks.conditions,
    notes: [...checks.notes, ...convNotes(cfg, kind)],
  };
}

/**
 * A Lazy conv whose out_channels the groups do not divide is only caught by the forward's
 * weight and bias checks; without a bias, a transposed one silently has ⌊out/g⌋·g outputs.
 */
function lazyOutChannels(cfg: ConvConfig, transposed: boolean): Expr {
  const out = constValue(cfg.outChannels);
  const g = cfg.groups;
  if (out === undefined || out % g === 0) return cfg.outChannels;
  if (!transposed) {
    if (out < g) fail('groups-divide-out', `Given groups=${g}, expected weight to be at least ${g} at dimension 0, but got weight of size [${out}, …] instead`);
    fail('groups-divide-out', `Given groups=${g}, expected weight to be divisible by ${g} at dimension 0, but got weight of size [${out}, …] instead`);
  }
  const kept = Math.floor(out / g) * g;
  if (cfg.bias) fail('groups-divide-out', `Given transposed=1, expected bias to be 1-dimensional with ${kept} elements, but got bias of size [${out}] instead`);
  if (kept === 0) fail('groups-divide-out', `non-empty weight tensor expected: out_channels // groups is 0 (out_channels=${out}, groups=${g})`);
  return constant(kept);
}

function directAxes(cfg: ConvConfig, spatial: readonly Expr[], checks: Checks): AxisArithmetic[] {
  if (cfg.kernel.some((k) => k <= 0)) fail('kernel-size', `kernel size should be greater than zero, but got kernel_size=${sizeList(cfg.kernel)}`);
  if (cfg.dilation.some((d) => d <= 0)) fail('dilation', `dilation should be greater than zero, but got dilation=${sizeList(cfg.dilation)}`);
  const pads = spatial.map((_, a) => sidePads(cfg, a));
  const padded = spatial.map((i, a) => addConst(i, pads[a][0] + pads[a][1]));
  const keff = cfg.kernel.map((k, a) => cfg.dilation[a] * (k - 1) + 1);
  const tooLarge = (): never =>
    fail('kernel-too-large', `Calculated padded input size per channel: ${sizeList(padded)}. Kernel size: ${sizeList(keff)}. Kernel size can't be greater than actual input size`);
  padded.forEach((p, a) => checks.atLeast(p, keff[a], tooLarge));
  return spatial.map((i, a) => {
    const s = cfg.stride[a];
    const span = addConst(padded[a], -keff[a]);
    return {
      input: i,
      output: addConst(floorDiv(span, s), 1),
      kernel: cfg.kernel[a],
      stride: s,
      dilation: cfg.dilation[a],
      effectiveKernel: keff[a],
      padBegin: pads[a][0],
      padEnd: pads[a][1],
      unread: unreadInputs(mod(span, s), pads[a][1]),
    };
  });
}

function transposedAxes(cfg: ConvConfig, spatial: readonly Expr[], checks: Checks): AxisArithmetic[] {
  const padding = cfg.padding as number[];
  const nd = spatial.length;
  const names = nd === 1 ? ['width'] : nd === 2 ? ['height', 'width'] : ['depth', 'height', 'width'];
  const listed = (label: string, xs: number[]): string => xs.map((x, a) => `${label}_${names[a]}: ${x}`).join(' ');
  if (cfg.kernel.some((k) => k <= 0)) fail('kernel-size', `kernel size should be greater than zero, but got ${listed('kernel', cfg.kernel)}`);
  if (cfg.dilation.some((d) => d <= 0)) fail('dilation', `dilation should be greater than zero, but got ${listed('dilation', cfg.dilation)}`);
  const badOp = cfg.outputPadding.some((op, a) => op >= cfg.stride[a] && op >= cfg.dilation[a]);
  if (badOp) {
    fail('output-padding', `output padding must be smaller than either stride or dilation, but got ${listed('output_padding', cfg.outputPadding)} ${listed('stride', cfg.stride)} ${listed('dilation', cfg.dilation)}`);
  }
  const outputs = spatial.map((i, a) => {
    const reach = cfg.dilation[a] * (cfg.kernel[a] - 1);
    return addConst(scale(addConst(i, -1), cfg.stride[a]), reach - 2 * padding[a] + cfg.outputPadding[a] + 1);
  });
  const tooSmall = (): never =>
    fail('output-too-small', `Given input size per channel: ${sizeList(spatial)}. Calculated output size per channel: ${sizeList(outputs)}. Output size is too small`);
  outputs.forEach((o) => checks.atLeast(o, 1, tooSmall));
  return spatial.map((i, a) => {
    const s = cfg.stride[a];
    const reach = cfg.dilation[a] * (cfg.kernel[a] - 1);
    const q = reach - padding[a];
    return {
      input: i,
      output: outputs[a],
      kernel: cfg.kernel[a],
      stride: s,
      dilation: cfg.dilation[a],
      effectiveKernel: reach + 1,
      padBegin: padding[a],
      padEnd: padding[a] - cfg.outputPadding[a],
      outputPadding: cfg.outputPadding[a],
      zeroInsertion: {
        zerosBetween: s - 1,
        insertedLength: addConst(mul(addConst(i, -1), constant(s)), 1),
        padBegin: q,
        padEnd: q + cfg.outputPadding[a],
      },
    };
  });
}

/** F.pad's limits for reflect and circular padding, which a conv with that padding_mode meets first. */
function checkModePadding(cfg: ConvConfig, nd: number, input: Shape, checks: Checks): void {
  const spatial = input.slice(input.length - nd);
  spatial.forEach((size, a) => {
    const [begin, end] = cfg.padding === 'valid' ? [0, 0] : sidePads(cfg, a);
    const pad = Math.max(begin, end);
    if (pad === 0) return;
    if (cfg.paddingMode === 'reflect') {
      checks.atLeast(size, pad + 1, () =>
        fail('pad-size', `Padding size should be less than the corresponding input dimension, but got: padding (${begin}, ${end}) at dimension ${input.length - nd + a} of input ${bracketList(input)}`),
      );
    } else if (cfg.paddingMode === 'circular') {
      checks.atLeast(size, pad, () => fail('pad-size', 'Padding value causes wrapping around more than once.'));
    }
  });
}

function convNotes(cfg: ConvConfig, kind: ConvKind): string[] {
  const notes: string[] = [];
  if (cfg.padding === 'same') {
    const odd = cfg.kernel.map((_, a) => sidePads(cfg, a)).filter(([b, e]) => b !== e);
    if (odd.length > 0) notes.push(`padding='same' with an odd total pads one more at the end (${odd.map(([b, e]) => `${b} before, ${e} after`).join('; ')}); PyTorch makes a padded copy of the input for it`);
  }
  if (kind.transposed) {
    cfg.outputPadding.forEach((op, a) => {
      if (op >= cfg.stride[a]) {
        notes.push(`output_padding ${op} ≥ stride ${cfg.stride[a]} is accepted only because it is smaller than dilation ${cfg.dilation[a]}; forward(output_size=…) could not ask for this size`);
      }
    });
  }
  return notes;
}

