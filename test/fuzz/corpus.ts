/**
 * The fuzzer's inputs: source texts of the four kinds Conv Lens reads (Python, YAML, JSON,
 * Caffe prototxt), either generated — plausible layer code with implausible numbers — or
 * mutated from real seeds (the examples and the PyTorch oracle's cases) by byte and token
 * edits. Input `index` of a run depends only on (seed, index), so any one input can be
 * rebuilt without the ones before it, and a run can be split across threads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { seededRandom } from '../unit/helpers';

export type InputKind = 'python' | 'yaml' | 'json' | 'prototxt';
export const INPUT_KINDS: readonly InputKind[] = ['python', 'yaml', 'json', 'prototxt'];

export interface FuzzInput {
  readonly index: number;
  readonly kind: InputKind;
  readonly origin: 'generated' | 'mutated';
  readonly text: string;
  /** The input shape the queries are asked with (`parseShapeSpec` text), if any. */
  readonly shape?: string;
  /** For a mutated input: the text it was mutated from (the editor's previous version). */
  readonly seedText?: string;
}

type Random = (n: number) => number;

const root = join(__dirname, '..', '..');

/** The seeds to mutate, by kind: every example file, and the oracle's PyTorch sources. */
function loadSeeds(): Record<InputKind, string[]> {
  const seeds: Record<InputKind, string[]> = { python: [], yaml: [], json: [], prototxt: [] };
  const byExtension: Record<string, InputKind> = { '.py': 'python', '.yaml': 'yaml', '.yml': 'yaml', '.json': 'json', '.prototxt': 'prototxt' };
  const examples = join(root, 'examples');
  for (const name of readdirSync(examples).sort()) {
    const kind = byExtension[extname(name)];
    if (kind) seeds[kind].push(readFileSync(join(examples, name), 'utf8'));
  }
  for (const line of readFileSync(join(root, 'test', 'oracle', 'torch-cases.jsonl'), 'utf8').split('\n')) {
    if (line.trim() !== '') seeds.python.push((JSON.parse(line) as { source: string }).source);
  }
  return seeds;
}

let seedCache: Record<InputKind, string[]> | undefined;
function seeds(): Record<InputKind, string[]> {
  return (seedCache ??= loadSeeds());
}

/** A generator per input: the run's seed and the index hashed (murmur3's finaliser) into one 32-bit seed. */
function randomFor(seed: number, index: number): Random {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return seededRandom((h ^ (h >>> 16)) >>> 0);
}

const pick = <T>(random: Random, xs: readonly T[]): T => xs[random(xs.length)];
const chance = (random: Random, percent: number): boolean => random(100) < percent;
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/**
 * The longest input, in characters. The time limit is for answers on a snippet or a small
 * model file, and the Python parser's error recovery on garbage (which the CLI meets on every
 * text: it tries Python first) costs up to ~4 µs a character on a slow machine — linear, so
 * longer inputs would measure that, not a pathology. A longer generated text is cut at the
 * limit (a half-typed last line, as an editor often has); a longer mutated one is a window of
 * whole lines from a random line on (a pasted part of a file: every part of a seed is fuzzed).
 */
export const MAX_LENGTH = 1000;

function window(random: Random, text: string): string {
  if (text.length <= MAX_LENGTH) return text;
  const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1).filter((i) => i < text.length - MAX_LENGTH / 2)];
  const from = pick(random, starts);
  return text.slice(from, from + MAX_LENGTH);
}

/** Input `index` of the run `seed`: kinds in turn, generated and mutated in turn within a kind. */
export function fuzzInput(seed: number, index: number): FuzzInput {
  const random = randomFor(seed, index);
  const kind = INPUT_KINDS[index % INPUT_KINDS.length];
  const mutated = Math.floor(index / INPUT_KINDS.length) % 2 === 1;
  const shape = chance(random, 40) ? shapeText(random) : undefined;
  if (!mutated) return { index, kind, origin: 'generated', text: generate(random, kind).slice(0, MAX_LENGTH), ...(shape ? { shape } : {}) };
  // Half the seeds of YAML, JSON and prototxt are generated ones: there are few real files.
  const real = seeds()[kind];
  const seedText = window(random, kind === 'python' || chance(random, 50) ? pick(random, real) : generate(random, kind));
  return { index, kind, origin: 'mutated', text: window(random, mutate(random, seedText)), seedText, ...(shape ? { shape } : {}) };
}

export function generate(random: Random, kind: InputKind): string {
  switch (kind) {
    case 'python':
      return pythonSource(random);
    case 'yaml':
      return yamlSource(random);
    case 'json':
      return jsonSource(random);
    case 'prototxt':
      return prototxtSource(random);
  }
}

// ---------------------------------------------------------------------------------------
// Values: mostly sensible sizes, often not.

/** An integer where a size belongs: usually small, sometimes 0, negative or huge. */
function sizeNumber(random: Random): number {
  const r = random(100);
  if (r < 60) return 1 + random(8);
  if (r < 70) return 0;
  if (r < 78) return -1 - random(3);
  if (r < 86) return 16 * (1 + random(8));
  if (r < 92) return pick(random, [10 ** 12, 2 ** 31, 2 ** 53, 1e15 + 1, 999999937]);
  return 100 + random(5000);
}

/** A Python expression where an int belongs. */
function pyInt(random: Random): string {
  const r = random(100);
  if (r < 75) return String(sizeNumber(random));
  return pick(random, ['10**12', '2**64', '-0', '1.5', '0.5', '2.0', "'3'", '"same"', 'None', 'True', 'ngf * 8', 'ngf // 3', 'k', '-k', 'H', '(3)', '1e309', "float('nan')", '3 % 0', '1 // 0', '2 ** -1', 'x.shape[1]', '[]', '()', '{}', '...', 'len(x)', '(3,) * 2', '[2] * 10**12', "'ab' * 10**9", '-(-3)', '3 if True else 5', 'int(2.5)', 'max(2, 3)']);
}

function pyTuple(random: Random, n: number): string {
  if (chance(random, 45)) return pyInt(random);
  const items = times(chance(random, 85) ? n : random(5), () => pyInt(random));
  return chance(random, 80) ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
}

function pyString(random: Random, options: readonly string[]): string {
  const s = chance(random, 85) ? pick(random, options) : pick(random, ['', 'SAME ', 'same_upper', '层', 'VALID\u0000', 'causal', 'full']);
  return chance(random, 50) ? `"${s}"` : `'${s}'`;
}

/** A shape for the queries: concrete, symbolic, empty, with zeros or huge sizes. */
function shapeText(random: Random): string {
  const rank = pick(random, [3, 4, 4, 4, 5, 2, 0, 6]);
  return times(rank, () => (chance(random, 25) ? pick(random, ['N', 'C', 'H', 'W', 'L', 'D', 'ngf']) : String(chance(random, 90) ? pick(random, [1, 2, 3, 8, 16, 32, 64, 7, 33]) : pick(random, [0, 10 ** 12, 2 ** 40])))).join(', ');
}

function shapeComment(random: Random): string {
  const dims = times(pick(random, [3, 4, 4, 5]), () => (chance(random, 20) ? pick(random, ['N', 'H', 'W', 'C']) : String(pick(random, [1, 3, 8, 16, 32, 64, 0, 7, -1, 10 ** 12]))));
  return `# ${pick(random, ['', 'input: ', 'x: ', '-> ', 'shape '])}(${dims.join(', ')})`;
}

// ---------------------------------------------------------------------------------------
// Python: layer calls of every framework Conv Lens reads, in the forms code writes them.

const TORCH_WINDOWED = ['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d', 'LazyConv2d', 'LazyConvTranspose2d'];
const TORCH_POOLS = ['MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d', 'MaxUnpool2d'];
const TORCH_OTHER = ['Upsample', 'UpsamplingNearest2d', 'UpsamplingBilinear2d', 'PixelShuffle', 'PixelUnshuffle', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool1d', 'BatchNorm2d', 'GroupNorm', 'LayerNorm', 'Linear', 'Flatten', 'Unflatten', 'ZeroPad2d', 'ReflectionPad2d', 'ConstantPad1d', 'ReLU', 'Tanh', 'Dropout', 'Identity', 'MyBlock'];

function torchCall(random: Random, prefix: string): string {
  const r = random(10);
  const type = r < 5 ? pick(random, TORCH_WINDOWED) : r < 8 ? pick(random, TORCH_POOLS) : pick(random, TORCH_OTHER);
  const nd = Number(/([123])d$/.exec(type)?.[1] ?? 2);
  const args: string[] = [];
  const keyword = (name: string, value: string): void => {
    args.push(chance(random, 8) ? `${pick(random, ['kernel', 'strides', 'pad', 'padding_size', 'outputpadding', 'dilations'])}=${value}` : `${name}=${value}`);
  };
  if (type.includes('Conv')) {
    if (!type.startsWith('Lazy')) args.push(pyInt(random));
    args.push(pyInt(random), pyTuple(random, nd));
    if (chance(random, 70)) keyword('stride', pyTuple(random, nd));
    if (chance(random, 60)) keyword('padding', chance(random, 15) ? pyString(random, ['same', 'valid']) : pyTuple(random, nd));
    if (type.includes('Transpose') && chance(random, 50)) keyword('output_padding', pyTuple(random, nd));
    if (chance(random, 40)) keyword('dilation', pyTuple(random, nd));
    if (chance(random, 20)) keyword('groups', pyInt(random));
    if (chance(random, 15)) keyword('padding_mode', pyString(random, ['zeros', 'reflect', 'replicate', 'circular']));
    if (chance(random, 20)) keyword('bias', pick(random, ['False', 'True', '0', 'None']));
  } else if (type.includes('Pool') && !type.startsWith('Adaptive')) {
    args.push(pyTuple(random, nd));
    if (chance(random, 60)) args.push(pyTuple(random, nd));
    if (chance(random, 40)) keyword('padding', pyTuple(random, nd));
    if (chance(random, 30) && type.startsWith('Max')) keyword('dilation', pyTuple(random, nd));
    if (chance(random, 30)) keyword('ceil_mode', pick(random, ['True', 'False', '1']));
    if (chance(random, 10)) keyword('return_indices', 'True');
  } else if (type.startsWith('Upsampl')) {
    if (chance(random, 50)) keyword('scale_factor', pick(random, ['2', '1.5', '0.29', '(2, 3)', '[2, 2]', '0', '-1', '1e300', pyInt(random)]));
    else keyword('size', pyTuple(random, nd));
    if (chance(random, 50)) keyword('mode', pyString(random, ['nearest', 'bilinear', 'bicubic', 'trilinear', 'linear', 'area', 'nearest-exact']));
    if (chance(random, 20)) keyword('align_corners', pick(random, ['True', 'False']));
  } else {
    args.push(...times(random(3), () => pyInt(random)));
  }
  if (chance(random, 5)) args.push(pick(random, ['*args', '**kwargs', 'device=dev']));
  return `${prefix}${type}(${args.join(', ')})`;
}

function kerasCall(random: Random): string {
  const type = pick(random, ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose', 'MaxPooling2D', 'AveragePooling1D', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'Dense', 'Flatten', 'Reshape', 'BatchNormalization']);
  const nd = Number(/([123])D/.exec(type)?.[1] ?? 2);
  const args: string[] = [];
  if (type.startsWith('Conv')) {
    args.push(pyInt(random), pyTuple(random, nd));
    if (chance(random, 60)) args.push(`strides=${pyTuple(random, nd)}`);
    if (chance(random, 70)) args.push(`padding=${pyString(random, ['same', 'valid', 'causal'])}`);
    if (type.includes('Transpose') && chance(random, 40)) args.push(`output_padding=${chance(random, 20) ? 'None' : pyTuple(random, nd)}`);
    if (chance(random, 25)) args.push(`dilation_rate=${pyTuple(random, nd)}`);
    if (chance(random, 20)) args.push(`data_format=${pyString(random, ['channels_first', 'channels_last'])}`);
    if (chance(random, 10)) args.push(`input_shape=${pyTuple(random, nd + 1)}`);
  } else if (type.includes('Pooling')) {
    if (chance(random, 70)) args.push(`pool_size=${pyTuple(random, nd)}`);
    if (chance(random, 40)) args.push(`strides=${pyTuple(random, nd)}`);
    if (chance(random, 40)) args.push(`padding=${pyString(random, ['same', 'valid'])}`);
  } else {
    args.push(...times(random(3), () => pyTuple(random, 2)));
  }
  return `${pick(random, ['layers.', 'keras.layers.', 'tf.keras.layers.'])}${type}(${args.join(', ')})`;
}

/** The functional frameworks make their tensors first: tf.nn and lax read shapes from them. */
function tensorOps(random: Random): string[] {
  const nd = 1 + random(3);
  const dims = (n: number): string => `(${times(n, () => pyInt(random)).join(', ')})`;
  if (chance(random, 50)) {
    const op = pick(random, ['conv1d', 'conv2d', 'conv3d', 'conv1d_transpose', 'conv2d_transpose', 'conv3d_transpose']);
    const rank = Number(/\d/.exec(op)![0]);
    const args = ['x', 'f'];
    if (op.endsWith('transpose')) args.push(`output_shape=${chance(random, 70) ? dims(rank + 2) : pyInt(random)}`);
    args.push(`${op === 'conv1d' ? 'stride' : 'strides'}=${chance(random, 50) ? pyInt(random) : `[${times(rank + 2, () => pyInt(random)).join(', ')}]`}`);
    args.push(`padding=${chance(random, 80) ? pyString(random, ['SAME', 'VALID']) : `[[0, 0], [${pyInt(random)}, ${pyInt(random)}], [0, 0], [0, 0]]`}`);
    if (chance(random, 25)) args.push(`data_format=${pyString(random, ['NHWC', 'NCHW', 'NWC', 'NCDHW'])}`);
    if (chance(random, 20)) args.push(`dilations=${pyInt(random)}`);
    return [`x = tf.zeros(${dims(rank + 2)})`, `f = tf.ones(${chance(random, 80) ? `[${times(rank + 2, () => pyInt(random)).join(', ')}]` : pyInt(random)})`, `y = tf.nn.${op}(${args.join(', ')})`];
  }
  const op = pick(random, ['conv_transpose', 'conv_general_dilated', 'conv', 'conv_with_general_padding']);
  const pairs = `(${times(nd, () => `(${pyInt(random)}, ${pyInt(random)})`).join(', ')})`;
  const padding = chance(random, 60) ? pyString(random, ['SAME', 'VALID', 'SAME_LOWER']) : pairs;
  const rest: string[] = [];
  if (op === 'conv_general_dilated' && chance(random, 60)) rest.push(`lhs_dilation=${dims(nd)}`);
  if (op !== 'conv' && chance(random, 40)) rest.push(`rhs_dilation=${dims(nd)}`);
  if (chance(random, 30)) rest.push(`dimension_numbers=${pick(random, ['("NHWC", "HWIO", "NHWC")', '("NCHW", "OIHW", "NCHW")', '("NWC", "WIO", "NWC")', 'None', '("NCHW",)'])}`);
  return [`h = jnp.zeros(${dims(nd + 2)})`, `k = jnp.ones(${dims(nd + 2)})`, `y = lax.${op}(h, k, ${dims(nd)}, ${padding}${rest.map((r) => `, ${r}`).join('')})`];
}

function flaxCall(random: Random): string {
  const nnx = chance(random, 30);
  const type = pick(random, ['Conv', 'ConvTranspose']);
  const args = nnx ? [pyInt(random), pyInt(random)] : [pyInt(random)];
  args.push(`kernel_size=${pyTuple(random, 2)}`);
  if (chance(random, 60)) args.push(`strides=${pyTuple(random, 2)}`);
  if (chance(random, 50)) args.push(`padding=${chance(random, 70) ? pyString(random, ['SAME', 'VALID', 'CIRCULAR', 'REFLECT', 'CAUSAL']) : `((${pyInt(random)}, ${pyInt(random)}), (${pyInt(random)}, ${pyInt(random)}))`}`);
  if (chance(random, 25)) args.push(`${type === 'Conv' ? pick(random, ['kernel_dilation', 'input_dilation']) : 'kernel_dilation'}=${pyTuple(random, 2)}`);
  if (nnx) args.push('rngs=rngs');
  return `x = ${nnx ? 'nnx.' : 'nn.'}${type}(${args.join(', ')})(x)  ${shapeComment(random)}`;
}

function onnxNodes(random: Random): string[] {
  const ops = times(1 + random(3), () => pick(random, ['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'MaxUnpool', 'Relu', 'Resize', 'Upsample']));
  const list = (n: number): string => `[${times(n, () => pyInt(random)).join(', ')}]`;
  const lines = [`X = helper.make_tensor_value_info("X", TensorProto.FLOAT, ${chance(random, 80) ? list(4) : 'None'})`, `W = helper.make_tensor_value_info("W", TensorProto.FLOAT, ${list(4)})`, 'nodes = ['];
  ops.forEach((op, k) => {
    const attrs: string[] = [];
    if (chance(random, 70)) attrs.push(`kernel_shape=${list(2)}`);
    if (chance(random, 60)) attrs.push(`strides=${list(2)}`);
    if (chance(random, 40)) attrs.push(`pads=${list(4)}`);
    if (chance(random, 30)) attrs.push(`auto_pad=${pyString(random, ['SAME_UPPER', 'SAME_LOWER', 'VALID', 'NOTSET'])}`);
    if (op === 'ConvTranspose' && chance(random, 30)) attrs.push(`${pick(random, ['output_padding', 'output_shape'])}=${list(2)}`);
    if (chance(random, 20)) attrs.push(`dilations=${list(2)}`);
    const inputs = k === 0 ? '["X", "W"]' : `["t${k - 1}", "W"]`;
    lines.push(`    helper.make_node(${pyString(random, [op])}, ${inputs}, ["t${k}"]${attrs.map((a) => `, ${a}`).join('')}),`);
  });
  lines.push(']', 'graph = helper.make_graph(nodes, "g", [X, W], [])');
  return lines;
}

function sequential(random: Random, indent: string, prefix: string): string[] {
  const lines = [`${indent}${pick(random, ['self.main = ', 'net = ', 'return ', ''])}${prefix}${pick(random, ['Sequential', 'Sequential', 'ModuleList'])}(${chance(random, 70) ? `  ${shapeComment(random)}` : ''}`];
  const items = 1 + random(6);
  for (let k = 0; k < items; k++) {
    const item = chance(random, 10) ? `${indent}    ${prefix}Sequential(${torchCall(random, prefix)})` : `${indent}    ${torchCall(random, prefix)}`;
    lines.push(`${item},${chance(random, 20) ? `  ${shapeComment(random)}` : ''}`);
  }
  lines.push(`${indent})`);
  return lines;
}

export function pythonSource(random: Random): string {
  const framework = pick(random, ['torch', 'torch', 'torch', 'keras', 'tensor', 'flax', 'onnx']);
  const imports: Record<string, string[]> = {
    torch: [pick(random, ['import torch.nn as nn', 'from torch import nn', 'import torch', 'from torch.nn import *'])],
    keras: [pick(random, ['import keras', 'from tensorflow import keras']), 'from keras import layers'],
    tensor: ['import tensorflow as tf', 'import jax.numpy as jnp', 'from jax import lax'],
    flax: [pick(random, ['import flax.linen as nn', 'from flax import nnx'])],
    onnx: ['import onnx', pick(random, ['from onnx import TensorProto, helper', 'from onnx.helper import *'])],
  };
  const lines = chance(random, 90) ? [...imports[framework]] : [];
  for (let k = random(3); k > 0; k--) lines.push(`${pick(random, ['ngf', 'k', 'C', 'ndf', 'H'])} = ${pyInt(random)}`);
  const prefix = framework === 'torch' && lines[0]?.startsWith('from torch.nn import') ? '' : framework === 'torch' && lines[0] === 'import torch' ? 'torch.nn.' : 'nn.';
  const blocks = 1 + random(3);
  for (let b = 0; b < blocks; b++) {
    if (framework === 'torch') {
      if (chance(random, 40)) lines.push('class Net(nn.Module):', '    def __init__(self):', '        super().__init__()', ...sequential(random, '        ', prefix));
      else if (chance(random, 50)) lines.push(...sequential(random, '', prefix));
      else lines.push(`${chance(random, 50) ? 'layer = ' : ''}${torchCall(random, prefix)}${chance(random, 40) ? `  ${shapeComment(random)}` : ''}`);
    } else if (framework === 'keras') {
      lines.push(`inputs = keras.Input(shape=${pyTuple(random, 3)})`);
      for (let k = 1 + random(4); k > 0; k--) lines.push(`x = ${kerasCall(random)}(${k === 1 ? 'inputs' : 'x'})${chance(random, 40) ? `  ${shapeComment(random)}` : ''}`);
      if (chance(random, 30)) lines.push(`model = keras.Sequential([${times(1 + random(3), () => kerasCall(random)).join(', ')}])`);
    } else if (framework === 'tensor') {
      lines.push(...tensorOps(random));
    } else if (framework === 'flax') {
      lines.push('class Decoder(nn.Module):', '    @nn.compact', '    def __call__(self, x):', `        ${shapeComment(random)}`);
      for (let k = 1 + random(4); k > 0; k--) lines.push(`        ${flaxCall(random)}`);
      lines.push('        return x');
    } else {
      lines.push(...onnxNodes(random));
    }
  }
  // A half-typed last line: the editor sees these on every keystroke.
  if (chance(random, 25)) {
    const last = lines.length - 1;
    lines[last] = lines[last].slice(0, random(lines[last].length + 1));
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// YAML and JSON configs: mmcv-style `type:` mappings, Keras model JSON.

const CONFIG_TYPES = ['ConvTranspose2d', 'Conv2d', 'deconv', 'Conv', 'conv', 'MaxPool2d', 'bilinear', 'nearest', 'Upsample', 'ReLU', 'BN', 'ConvTranspose1d', 'Conv3d', 'carafe', 'pixel_shuffle', 'Unknown', ''];
const CONFIG_KEYS = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'dilation', 'groups', 'bias', 'scale_factor', 'mode', 'size', 'upsample_kernel', 'kernal_size', 'strides'];
const KERAS_CLASSES = ['Conv2DTranspose', 'Conv2D', 'Conv1D', 'Conv3DTranspose', 'MaxPooling2D', 'UpSampling2D', 'InputLayer', 'Dense', 'Flatten', 'Activation', 'Custom'];

/** A scalar config value, as a JS value: numbers of every sort, strings, null, lists. */
function configValue(random: Random, depth = 0): unknown {
  const r = random(100);
  if (r < 55) return sizeNumber(random);
  if (r < 62) return pick(random, [1.5, 0.5, -0.0, 1e300, 2 ** 63]);
  if (r < 70) return pick(random, ['same', 'valid', '3', 'nearest', '层', '']);
  if (r < 75) return pick(random, [null, true, false]);
  if (r < 90 && depth < 2) return times(random(4), () => configValue(random, depth + 1));
  if (depth < 2) return { [pick(random, CONFIG_KEYS)]: configValue(random, depth + 1) };
  return 0;
}

function mmcvLayer(random: Random): Record<string, unknown> {
  const layer: Record<string, unknown> = { type: pick(random, CONFIG_TYPES) };
  for (let k = random(7); k > 0; k--) layer[pick(random, CONFIG_KEYS)] = configValue(random);
  return layer;
}

function kerasLayerJson(random: Random): Record<string, unknown> {
  const className = pick(random, KERAS_CLASSES);
  const config: Record<string, unknown> = { name: `l${random(100)}` };
  if (className === 'InputLayer') config[pick(random, ['batch_input_shape', 'batch_shape'])] = [null, ...times(pick(random, [3, 3, 2, 4]), () => (chance(random, 85) ? 1 + random(64) : configValue(random)))];
  else {
    const keys = ['filters', 'kernel_size', 'strides', 'padding', 'output_padding', 'dilation_rate', 'data_format', 'pool_size', 'size', 'units', 'groups'];
    for (let k = 1 + random(6); k > 0; k--) {
      const key = pick(random, keys);
      config[key] = key === 'padding' ? pick(random, ['same', 'valid', 'causal', 'full']) : key === 'data_format' ? pick(random, ['channels_last', 'channels_first', 'NCHW']) : chance(random, 50) ? [configValue(random), configValue(random)] : configValue(random);
    }
  }
  return { class_name: className, config };
}

/** The config tree of a YAML or JSON file: a list of layers, a keyed pipeline, or a Keras model. */
function configTree(random: Random): unknown {
  const r = random(4);
  if (r === 0) return times(1 + random(6), () => mmcvLayer(random));
  if (r === 1) return { [pick(random, ['decoder', 'neck', 'model', 'head'])]: { [pick(random, ['layers', 'upsample', 'blocks'])]: times(1 + random(5), () => mmcvLayer(random)) }, ...(chance(random, 30) ? { extra: mmcvLayer(random) } : {}) };
  if (r === 2) return { class_name: pick(random, ['Sequential', 'Sequential', 'Functional', 'Model']), config: { name: 'm', layers: times(1 + random(5), (k) => (k === 0 && chance(random, 70) ? { class_name: 'InputLayer', config: { batch_input_shape: [null, 1 + random(32), 1 + random(32), 1 + random(8)] } } : kerasLayerJson(random))) } };
  return chance(random, 50) ? mmcvLayer(random) : kerasLayerJson(random);
}

function yamlScalar(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v === '' || /[:#\s]/.test(v) ? JSON.stringify(v) : v;
  return 'null';
}

/** Block-style YAML with flow lists, comments, and the odd anchor or tag. */
function toYaml(random: Random, v: unknown, indent: string): string[] {
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object' || x === null)) return [`${indent}[${v.map(yamlScalar).join(', ')}]`];
    return v.flatMap((item) => {
      const body = toYaml(random, item, `${indent}  `);
      return body.length === 0 ? [`${indent}- []`] : [`${indent}- ${body[0].trimStart()}`, ...body.slice(1)];
    });
  }
  if (typeof v === 'object' && v !== null) {
    const lines: string[] = [];
    for (const [key, value] of Object.entries(v)) {
      const comment = chance(random, 10) ? `  # ${pick(random, ['input: (1, 256, 8, 8)', 'note', '(N, 3, H, W)'])}` : '';
      if (typeof value === 'object' && value !== null && !(Array.isArray(value) && value.every((x) => typeof x !== 'object' || x === null))) lines.push(`${indent}${key}:${comment}`, ...toYaml(random, value, `${indent}  `));
      else lines.push(`${indent}${key}: ${Array.isArray(value) ? toYaml(random, value, '')[0] : `${chance(random, 3) ? pick(random, ['&a ', '!!str ', '!!int ', '*a ']) : ''}${yamlScalar(value)}`}${comment}`);
    }
    return lines;
  }
  return [`${indent}${yamlScalar(v)}`];
}

export function yamlSource(random: Random): string {
  const header = chance(random, 30) ? [`# ${pick(random, ['input: (1, 256, 8, 8)', 'mmcv decoder', '(N, 64, H, W)'])}`] : [];
  return `${[...header, ...toYaml(random, configTree(random), '')].join('\n')}\n`;
}

export function jsonSource(random: Random): string {
  const text = JSON.stringify(configTree(random), null, chance(random, 50) ? 2 : undefined);
  // jsonc: comments and trailing commas are read too.
  return chance(random, 20) ? `// ${pick(random, ['input: (1, 7, 7, 128)', 'model'])}\n${text.replace(/\}\n/, '},\n')}` : text;
}

// ---------------------------------------------------------------------------------------
// Caffe prototxt: an input, then layers linked through their blob names.

export function prototxtSource(random: Random): string {
  const lines: string[] = [];
  if (chance(random, 80)) lines.push(`name: "${pick(random, ['Net', 'FCN', '层'])}"`);
  const dim = (): string => String(chance(random, 85) ? 1 + random(64) : pick(random, ['0', '-1', '1000000000000', '3.5', 'abc', '"4"']));
  if (chance(random, 50)) lines.push('input: "data"', `input_shape { ${times(pick(random, [4, 4, 3, 5]), () => `dim: ${dim()}`).join(' ')} }`);
  else if (chance(random, 60)) lines.push('input: "data"', ...times(pick(random, [4, 4, 3]), () => `input_dim: ${dim()}`));
  else lines.push(`layer { name: "data" type: "Input" top: "data" input_param { shape { ${times(4, () => `dim: ${dim()}`).join(' ')} } } }`);
  let blob = 'data';
  for (let k = 1 + random(5); k > 0; k--) {
    const type = pick(random, ['Convolution', 'Deconvolution', 'Pooling', 'ReLU', 'InnerProduct', 'Crop', 'Concat', 'Dropout', 'Foo']);
    const top = chance(random, 20) ? blob : `b${k}`;
    const param = type === 'Pooling' ? 'pooling_param' : type === 'InnerProduct' ? 'inner_product_param' : 'convolution_param';
    const fields: string[] = [];
    const keys = type === 'Pooling' ? ['pool', 'kernel_size', 'stride', 'pad', 'kernel_h', 'kernel_w', 'global_pooling', 'round_mode'] : ['num_output', 'kernel_size', 'stride', 'pad', 'dilation', 'group', 'bias_term', 'kernel_h', 'stride_w', 'pad_h', 'axis'];
    for (let f = random(7); f > 0; f--) {
      const key = pick(random, keys);
      const value = key === 'pool' ? pick(random, ['MAX', 'AVE', 'STOCHASTIC', '7']) : key === 'bias_term' || key === 'global_pooling' ? pick(random, ['true', 'false', '2']) : key === 'round_mode' ? pick(random, ['CEIL', 'FLOOR']) : String(sizeNumber(random));
      fields.push(`${key}: ${value}`);
    }
    const body = [`name: "l${k}"`, `type: "${type}"`, `bottom: "${blob}"`, `top: "${top}"`];
    if (chance(random, 10)) body.push(`bottom: "${pick(random, ['data', 'missing'])}"`);
    if (fields.length > 0 || chance(random, 50)) body.push(`${param}${chance(random, 15) ? ':' : ''} { ${fields.join(chance(random, 50) ? ' ' : '\n    ')} }`);
    lines.push('layer {', ...body.map((b) => `  ${b}`), '}');
    blob = top;
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------
// Mutations: byte and token edits of a seed, one to four of them.

const INSERTS = ['(', ')', '[', ']', '{', '}', ',', ':', '=', '"', "'", '"""', '#', '\\', '\n', '\t', '    ', '*', '**', '.', '...', '-', ' - ', '!!', '&', '@',
  '层', '卷积', '🔥', '👩‍💻', '\u202e', '\u200f', '\u200b', '\u0000', '\ufeff', '\ud800', '\r', '\r\n', 'é', 'ｎｎ', '０', '٣',
  '10**12', '99999999999999999999', '-1', '0', '1e309', 'None', 'lambda:', 'nn.', 'nn.Conv2d(', 'layer {', 'type: deconv', '}}}}', '((((', '[[[['];

function span(random: Random, text: string): [number, number] {
  const from = random(text.length + 1);
  return [from, Math.min(text.length, from + 1 + random(Math.min(40, text.length - from + 1)))];
}

/** One edit: delete, duplicate or swap a span; insert a token; truncate; repeat a line; change a number or a name. */
function mutateOnce(random: Random, text: string): string {
  const [from, to] = span(random, text);
  switch (random(9)) {
    case 0:
      return text.slice(0, from) + text.slice(to);
    case 1:
      return text.slice(0, to) + text.slice(from, to) + text.slice(to);
    case 2: {
      const [a, b] = span(random, text);
      if (b <= from || a >= to) return a < from ? text.slice(0, a) + text.slice(from, to) + text.slice(b, from) + text.slice(a, b) + text.slice(to) : text.slice(0, from) + text.slice(a, b) + text.slice(to, a) + text.slice(from, to) + text.slice(b);
      return text;
    }
    case 3:
    case 4:
      return text.slice(0, from) + pick(random, INSERTS) + text.slice(from);
    case 5:
      return text.slice(0, random(text.length + 1));
    case 6: {
      const lines = text.split('\n');
      const k = random(lines.length);
      lines.splice(k, 0, ...times(1 + random(3), () => lines[k]));
      return lines.join('\n');
    }
    case 7: {
      // A number, somewhere, becomes another.
      const numbers = [...text.matchAll(/\d+/g)];
      if (numbers.length === 0) return text;
      const m = pick(random, numbers);
      return text.slice(0, m.index) + pick(random, ['0', '-1', '1', '2', '7', '1000000000000', '2.5', '3e5', '00', '1_000']) + text.slice(m.index + m[0].length);
    }
    default: {
      // A name, somewhere, becomes another (a keyword misspelt, a type swapped).
      const names = [...text.matchAll(/[A-Za-z_]\w*/g)];
      if (names.length === 0) return text;
      const m = pick(random, names);
      return text.slice(0, m.index) + pick(random, ['stride', 'strides', 'padding', 'output_padding', 'kernel_size', 'ConvTranspose2d', 'Conv2DTranspose', 'Deconvolution', 'Sequential', 'type', 'dilation', 'groups', 'x', '层', 'None', 'def', 'class', 'import']) + text.slice(m.index + m[0].length);
    }
  }
}

export function mutate(random: Random, seed: string): string {
  let text = seed;
  for (let k = 1 + random(4); k > 0; k--) text = mutateOnce(random, text);
  return text;
}
