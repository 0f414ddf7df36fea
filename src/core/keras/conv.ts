/**
 * Keras Conv1D/2D/3D and Conv1DTranspose/2DTranspose/3DTranspose, checked in the order Keras 3
 * checks them: the constructor (`BaseConv.__init__` / `BaseConvTranspose.__init__`), then
 * `build` (the input's rank and channels), then `compute_output_shape`.
 *
 * A transposed conv is described as every framework's: the full output
 * `F = (i − 1)·s + keff`, cropped by `c = ⌊max(0, F − O)/2⌋` at the start (TF's alignment, which
 * Keras follows on every backend), with zeros past the end of F when O is longer.
 */
import { boolValue, countValue, intValue, type BoundArgs } from '../args';
import { add, addConst, constant, constValue, floorDiv, mod, mul, type Expr } from '../expr';
import { fail } from '../outcome';
import { Checks, croppedAxis, product, samePads, unreadInputs, type AxisArithmetic, type LayerReport } from '../torch/report';
import type { Value } from '../values';
import { arrayText, dataFormat, joinKerasOutput, kerasPadding, kerasShape, kerasTuple, splitKerasInput, symbolicKerasInput, tupleText, type KerasPadding } from './layout';
import { inputFromArguments } from './input';
import type { Shape } from '../shape';

const ONE: Value = { kind: 'int', expr: constant(1) };

export function inferKerasConv(args: BoundArgs, rank: 1 | 2 | 3, transposed: boolean, given: Shape | undefined): LayerReport {
  const read = (name: string): Value | undefined => args.values.get(name);
  const checks = new Checks();
  const filters = countValue(read('filters')!, 'filters');
  const kernel = kerasTuple(read('kernel_size')!, rank, 'kernel_size');
  const strides = kerasTuple(read('strides') ?? ONE, rank, 'strides');
  const dilation = kerasTuple(read('dilation_rate') ?? ONE, rank, 'dilation_rate');
  const padding = kerasPadding(read('padding'), !transposed && rank === 1);
  const opArg = read('output_padding');
  const outputPadding = transposed && opArg !== undefined && opArg.kind !== 'none' ? kerasTuple(opArg, rank, 'output_padding', true) : undefined;
  const fmt = dataFormat(read('data_format'));
  const groups = transposed ? 1 : intValue(read('groups') ?? ONE, 'groups');
  const bias = boolValue(read('use_bias'), true, 'use_bias');

  const f = constValue(filters);
  if (f !== undefined && f <= 0) fail('argument', `Invalid value for argument \`filters\`. Expected a strictly positive value. Received filters=${f}.`);
  if (groups <= 0) fail('groups-positive', `The number of groups must be a positive integer. Received: groups=${groups}.`);
  checks.divisible(filters, groups, () => fail('groups-divide-out', `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${f}.`));
  outputPadding?.forEach((op, a) => {
    if (op >= strides[a]) fail('output-padding', `\`output_padding\` must be < \`strides\`. output_padding=${tupleText(outputPadding)}, strides=${tupleText(strides)}`);
  });
  if (Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    fail('dilation', `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. Received: strides=${tupleText(strides)} and dilation_rate=${tupleText(dilation)}`);
  }

  const input = given ?? inputFromArguments(args) ?? symbolicKerasInput(rank, fmt);
  const x = splitKerasInput(args.layerType, input, rank, fmt);
  const channels = x.channels;
  checks.divisible(channels, groups, () =>
    fail('groups-divide-in', `The number of input channels must be evenly divisible by the number of groups. Received groups=${groups}, but the input has ${constValue(channels)} channels (full input shape is ${kerasShape(input)}).`),
  );
  const kernelShape: Expr[] = transposed ? [...kernel.map(constant), filters, channels] : [...kernel.map(constant), floorDiv(channels, groups), filters];
  const axes = transposed
    ? transposedAxes(kernel, strides, dilation, padding, outputPadding, x.spatial)
    : directAxes(kernel, strides, dilation, padding, x.spatial, checks, () =>
        fail('output-too-small', `Computed output size would be negative. Received \`inputs shape=${kerasShape(input)}\`, \`kernel shape=${tupleText(kernelShape.map((k) => constValue(k) ?? '?'))}\`, \`dilation_rate=${arrayText(dilation)}\`.`),
      );
  const weightCount = product(kernelShape);
  const parameters = bias ? add(weightCount, filters) : weightCount;
  const perOutput = mul(mul(x.batch, product(axes.map((a) => a.output))), weightCount);
  const notes = [...checks.notes, ...kerasConvNotes(padding, kernel, dilation, outputPadding, transposed, axes)];
  return {
    layerType: args.layerType,
    family: transposed ? 'convTranspose' : 'conv',
    input,
    output: joinKerasOutput(fmt, x.batch, filters, axes.map((a) => a.output)),
    axes,
    parameters,
    multiplyAdds: transposed ? { computed: mul(mul(x.batch, product(x.spatial)), weightCount), zeroInserted: perOutput } : { computed: perOutput },
    groups,
    conditions: checks.conditions,
    notes,
    framework: 'keras',
    ...(fmt === 'channels_last' ? { layout: 'channels_last' as const } : {}),
  };
}

/** `compute_conv_output_shape`: valid `⌊(i − keff)/s⌋ + 1` (negative refused), same and causal `⌈i/s⌉`. */
export function directAxes(kernel: number[], strides: number[], dilation: number[], padding: KerasPadding, spatial: readonly Expr[], checks: Checks, negative: () => never): AxisArithmetic[] {
  return spatial.map((i, a) => {
    const s = strides[a];
    const keff = dilation[a] * (kernel[a] - 1) + 1;
    const common = { input: i, kernel: kernel[a], stride: s, dilation: dilation[a], effectiveKernel: keff };
    if (padding === 'valid') {
      const span = addConst(i, -keff);
      const output = addConst(floorDiv(span, s), 1);
      checks.atLeast(output, 0, negative);
      return { ...common, output, padBegin: 0, padEnd: 0, unread: unreadInputs(mod(span, s), 0) };
    }
    const output = addConst(floorDiv(addConst(i, -1), s), 1);
    if (padding === 'causal') return { ...common, output, padBegin: keff - 1, padEnd: 0 };
    const length = constValue(i);
    const [padBegin, padEnd] = samePads(length ?? s, s, keff);
    return { ...common, output, padBegin, padEnd, sameSplit: 'end' };
  });
}

/** `_get_output_shape_given_tf_padding`, with TF's crop of the full output. */
function transposedAxes(kernel: number[], strides: number[], dilation: number[], padding: KerasPadding, outputPadding: number[] | undefined, spatial: readonly Expr[]): AxisArithmetic[] {
  return spatial.map((i, a) => {
    const s = strides[a];
    const keff = dilation[a] * (kernel[a] - 1) + 1;
    const op = outputPadding?.[a];
    // O as Keras computes it, and T = F − O, which never depends on i.
    let extra: number; // O − (i − 1)·s
    if (padding === 'valid') extra = op === undefined ? Math.max(keff, s) : keff + op;
    else extra = op === undefined ? s : (keff % 2) + op;
    const total = keff - extra;
    const crop = Math.floor(Math.max(0, total) / 2);
    return croppedAxis(i, kernel[a], s, dilation[a], { begin: crop, end: total - crop }, op);
  });
}

function kerasConvNotes(padding: KerasPadding, kernel: number[], dilation: number[], outputPadding: number[] | undefined, transposed: boolean, axes: readonly AxisArithmetic[]): string[] {
  const notes: string[] = [];
  if (!transposed && padding === 'same' && axes.some((a) => a.padBegin !== a.padEnd)) {
    notes.push(`padding='same' pads the odd element at the end, as TF does (PyTorch's 'same' splits the same way; ONNX SAME_LOWER puts it at the start)`);
  }
  if (axes.some((a) => a.sameSplit && a.stride > 1 && constValue(a.input) === undefined)) notes.push("padding='same' with a stride: the padding depends on the input length; shown for a length that is a multiple of the stride");
  if (transposed) {
    const zero = axes.findIndex((a) => constValue(a.output) === 0);
    if (zero >= 0) notes.push('the output is empty (size 0): Keras computes it, but TF refuses this length when the layer runs');
    if (padding === 'same' && outputPadding && kernel.some((k, a) => (dilation[a] * (k - 1) + 1) % 2 === 0 && outputPadding[a] === 0)) {
      notes.push("padding='same' with an even kernel and output_padding=0 asks for (i − 1)·s, which TF's own conv2d_transpose refuses (its forward check gives i − 1); Keras 3 on JAX and PyTorch computes it");
    }
    if (outputPadding === undefined && padding === 'valid' && axes.some((a) => a.stride > a.effectiveKernel)) {
      notes.push('padding=\'valid\' with a stride larger than the kernel: Keras ends the output with zeros up to (i − 1)·s + s, where PyTorch stops at (i − 1)·s + k');
    }
  }
  return notes;
}
