/**
 * TensorFlow's `tf.nn.conv*` functions, read from Python text, judged by TensorFlow's
 * semantics as @tensorflow/tfjs implements them (tf.conv1d, tf.conv2d, tf.conv2dTranspose on
 * real tensors, CPU backend): output shapes, and for conv2d_transpose the values (which part
 * of the full output TF keeps). What tfjs does not check — that output_shape reproduces the
 * input through the forward rule — is tested against reference §2.2's ranges and said so.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { analyzeItem } from '../../src/core/analyze';
import { constValue } from '../../src/core/expr';
import { parsePython } from '../../src/core/python/parse';
import type { LayerReport } from '../../src/core/torch/report';
import type { Grid } from '../../src/core/numeric';
import { seededRandom, windowValues } from './helpers';
import type { Outcome } from '../../src/core/outcome';

/** The last call of a Python snippet, analysed along its dataflow from the tensors it makes. */
function lastCall(lines: readonly string[]): Outcome<LayerReport> {
  const model = parsePython(['import tensorflow as tf', ...lines].join('\n'));
  const root = model.roots[model.roots.length - 1];
  let result = analyzeItem(root, undefined);
  while (result.kind === 'chain') result = result.steps[result.steps.length - 1];
  if (result.kind !== 'layer') throw new Error(`no layer result for ${lines.join('; ')}`);
  return result.outcome;
}

function shapeOf(outcome: Outcome<LayerReport>): number[] | string {
  return outcome.ok ? outcome.value.output.map((e) => constValue(e) ?? NaN) : `refused: ${outcome.refusal.message}`;
}

const list = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

describe('tf.nn convolutions against TensorFlow semantics (@tensorflow/tfjs, CPU)', function () {
  this.timeout(120_000);
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('gives tf.conv2d\'s shape for 300 random tf.nn.conv2d calls: SAME, VALID and explicit padding, strides or dilations', () => {
    const r = seededRandom(2026112201);
    const wrong: string[] = [];
    for (let n = 0; n < 300; n++) {
      const [kh, kw] = [1 + r(5), 1 + r(5)];
      const dilated = r(3) === 0;
      const s = dilated ? 1 : 1 + r(3);
      const d = dilated ? 2 + r(2) : 1;
      const [cin, cout] = [1 + r(4), 1 + r(4)];
      const h = d * (kh - 1) + 1 + r(8);
      const w = d * (kw - 1) + 1 + r(8);
      const style = r(3);
      const pads: [number, number][] = [[r(3), r(3)], [r(3), r(3)]];
      const pyPadding = style === 0 ? "'SAME'" : style === 1 ? "'VALID'" : `[[0, 0], ${list(pads[0])}, ${list(pads[1])}, [0, 0]]`;
      const jsPadding = style === 0 ? 'same' : style === 1 ? 'valid' : ([[0, 0], pads[0], pads[1], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
      const src = [`x = tf.zeros([1, ${h}, ${w}, ${cin}])`, `w = tf.random.normal([${kh}, ${kw}, ${cin}, ${cout}])`, `y = tf.nn.conv2d(x, w, strides=${s}, padding=${pyPadding}, dilations=${d})`];
      const expected = tf.tidy(() => tf.conv2d(tf.zeros<tf.Rank.R4>([1, h, w, cin]), tf.zeros<tf.Rank.R4>([kh, kw, cin, cout]), s, jsPadding, 'NHWC', d).shape);
      const got = shapeOf(lastCall(src));
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${src[2]} on ${h}×${w}: Conv Lens ${JSON.stringify(got)}, tfjs ${JSON.stringify(expected)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('gives tf.conv1d\'s shape for 100 random tf.nn.conv1d calls (stride is singular there)', () => {
    const r = seededRandom(2026112202);
    const wrong: string[] = [];
    for (let n = 0; n < 100; n++) {
      const k = 1 + r(5);
      const s = 1 + r(3);
      const [cin, cout] = [1 + r(3), 1 + r(3)];
      const length = k + r(10);
      const padding = r(2) === 0 ? 'same' : 'valid';
      const src = [`x = tf.ones([2, ${length}, ${cin}])`, `y = tf.nn.conv1d(x, tf.ones([${k}, ${cin}, ${cout}]), stride=${s}, padding='${padding.toUpperCase()}')`];
      const expected = tf.tidy(() => tf.conv1d(tf.zeros<tf.Rank.R3>([2, length, cin]), tf.zeros<tf.Rank.R3>([k, cin, cout]), s, padding).shape);
      const got = shapeOf(lastCall(src));
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${src[1]} on ${length}: Conv Lens ${JSON.stringify(got)}, tfjs ${JSON.stringify(expected)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('reproduces the seeds\' example as written: tf.nn.conv2d_transpose(x, f, output_shape=(1, 4, 4, 1), strides=[1, 2, 2, 1], padding=\'SAME\') keeps full[0:4, 0:4]', () => {
    const outcome = lastCall([
      'import numpy as np',
      'x = tf.constant(np.array([[[[1], [2]], [[3], [4]]]]), tf.float32)',
      'f = tf.constant(np.array([[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]), tf.float32)',
      "conv = tf.nn.conv2d_transpose(x, f, output_shape=(1, 4, 4, 1), strides=[1, 2, 2, 1], padding='SAME')",
    ]);
    assert.deepEqual(shapeOf(outcome), [1, 4, 4, 1]);
    const expected = tf.tidy(() => tf.conv2dTranspose(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), tf.ones<tf.Rank.R4>([3, 3, 1, 1]), [1, 4, 4, 1], 2, 'same').reshape([4, 4]).arraySync() as number[][]);
    assert.deepEqual(expected, [[1, 1, 3, 2], [1, 1, 3, 2], [4, 4, 10, 6], [3, 3, 7, 4]]);
    assert.deepEqual(croppedValues(outcome, [[1, 2], [3, 4]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]]), expected);
  });

  it('keeps the part of the full output TF keeps: 200 random tf.nn.conv2d_transpose calls, every output_shape TF accepts, value by value', () => {
    const r = seededRandom(2026112203);
    const wrong: string[] = [];
    for (let n = 0; n < 200; n++) {
      const k = 1 + r(5);
      const s = 1 + r(4);
      const same = r(2) === 0;
      const [h, w] = [1 + r(4), 1 + r(4)];
      // TF's accepted output lengths (reference §2.2); pick one per axis.
      const pick = (i: number): number => (same ? (i - 1) * s + 1 + r(s) : (i - 1) * s + k + r(s));
      const [oh, ow] = [pick(h), pick(w)];
      const x = Array.from({ length: h }, () => Array.from({ length: w }, () => r(9) - 4));
      const kernel = Array.from({ length: k }, () => Array.from({ length: k }, () => r(7) - 3));
      const outcome = lastCall([`x = tf.zeros([1, ${h}, ${w}, 1])`, `f = tf.zeros([${k}, ${k}, 1, 1])`, `y = tf.nn.conv2d_transpose(x, f, output_shape=[1, ${oh}, ${ow}, 1], strides=${s}, padding='${same ? 'SAME' : 'VALID'}')`]);
      const expected = tf.tidy(() => tf.conv2dTranspose(tf.tensor4d(x.flat(), [1, h, w, 1]), tf.tensor4d(kernel.flat(), [k, k, 1, 1]), [1, oh, ow, 1], s, same ? 'same' : 'valid').reshape([oh, ow]).arraySync() as number[][]);
      const got = outcome.ok ? croppedValues(outcome, x, kernel) : outcome.refusal.message;
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`k=${k} s=${s} ${same ? 'SAME' : 'VALID'} ${h}×${w} → ${oh}×${ow}`);
    }
    assert.deepEqual(wrong, []);
  });
});

describe('tf.nn rules tfjs does not check (reference §2.2, TF\'s conv_grad_shape_utils)', () => {
  const transpose = (o: number, padding: string, i = 4, k = 3, s = 2): Outcome<LayerReport> =>
    lastCall([`x = tf.zeros([1, ${i}, ${i}, 8])`, `w = tf.zeros([${k}, ${k}, 4, 8])`, `y = tf.nn.conv2d_transpose(x, w, [1, ${o}, ${o}, 4], ${s}, padding='${padding}')`]);

  it('accepts output_shape exactly where the forward conv gives the input back: SAME (i − 1)·s + 1 … i·s, VALID (i − 1)·s + k … (i − 1)·s + k + s − 1', () => {
    const accepted = (padding: string): number[] => Array.from({ length: 16 }, (_, o) => o + 1).filter((o) => transpose(o, padding).ok);
    assert.deepEqual(accepted('SAME'), [7, 8]);
    assert.deepEqual(accepted('VALID'), [9, 10]);
  });

  it('refuses any other output_shape with TF\'s message', () => {
    const outcome = transpose(9, 'SAME');
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.refusal.message, "Conv2DSlowBackpropInput: Size of out_backprop doesn't match computed: actual = 4, computed = 5 spatial_dim: 1 input: 9 filter: 3 output: 4 stride: 2 dilation: 1");
  });

  it('takes the input size from output_shape when the input is not known: TF requires ⌈O/s⌉', () => {
    const outcome = lastCall(['y = tf.nn.conv2d_transpose(x, tf.zeros([4, 4, 16, 32]), output_shape=[8, 32, 32, 16], strides=2)']);
    assert.ok(outcome.ok);
    assert.deepEqual(outcome.value.input.map((e) => constValue(e) ?? 'sym'), ['sym', 16, 16, 32]);
    assert.deepEqual(shapeOf(outcome), [8, 32, 32, 16]);
  });

  it('refuses an input whose channels are not the filter\'s last axis', () => {
    const outcome = lastCall(['x = tf.zeros([1, 4, 4, 3])', 'y = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 4, 8]), [1, 8, 8, 4], 2)']);
    assert.equal(!outcome.ok && outcome.refusal.rule, 'channel-mismatch');
    assert.match(!outcome.ok ? outcome.refusal.message : '', /^Conv2DSlowBackpropInput: filter and out_backprop must have the same out_depth/);
  });

  it('refuses lower-case padding as TF\'s op attribute does', () => {
    const outcome = lastCall(['y = tf.nn.conv2d(tf.zeros([1, 8, 8, 3]), tf.zeros([3, 3, 3, 4]), 1, "same")']);
    assert.equal(!outcome.ok && outcome.refusal.message, 'Value for attr \'padding\' of "same" is not in the list of allowed values: "SAME", "VALID", "EXPLICIT"');
  });

  it('refuses a VALID conv whose output would be negative, in TF\'s words, and computes size 0 as TF does', () => {
    const negative = lastCall(['y = tf.nn.conv2d(tf.zeros([1, 2, 2, 1]), tf.zeros([5, 5, 1, 1]), 1, "VALID")']);
    assert.equal(!negative.ok && negative.refusal.message, 'Computed output size would be negative: -2 [input_size: 2, effective_filter_size: 5, stride: 1]');
    assert.deepEqual(shapeOf(lastCall(['y = tf.nn.conv2d(tf.zeros([1, 1, 1, 1]), tf.zeros([4, 4, 1, 1]), 2, "VALID")'])), [1, 0, 0, 1]);
  });

  it('reads channels first with data_format="NCHW" and 4-entry strides', () => {
    assert.deepEqual(shapeOf(lastCall(['y = tf.nn.conv2d(tf.zeros([1, 3, 32, 32]), tf.zeros([3, 3, 3, 16]), [1, 1, 2, 2], "SAME", data_format="NCHW")'])), [1, 16, 16, 16]);
  });

  it('refuses strides in the batch or channel entries, as TF does', () => {
    const outcome = lastCall(['y = tf.nn.conv2d(tf.zeros([1, 8, 8, 3]), tf.zeros([3, 3, 3, 4]), [2, 2, 2, 1], "SAME")']);
    assert.equal(!outcome.ok && outcome.refusal.message, 'Current implementation does not yet support strides in the batch and depth dimensions.');
  });

  it('says where the kernel size would come from when the filter tensor is not made in the file', () => {
    const outcome = lastCall(['y = tf.nn.conv2d(tf.zeros([1, 8, 8, 3]), weights, 1, "SAME")']);
    assert.equal(!outcome.ok && outcome.refusal.rule, 'not-constant');
    assert.match(!outcome.ok ? outcome.refusal.message : '', /kernel size comes from the shape of filters/);
  });
});

/** Our model of the values: the window of the full output the report keeps. */
function croppedValues(outcome: Outcome<LayerReport>, x: Grid, kernel: Grid): number[][] {
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return windowValues(outcome.value, x, kernel);
}
