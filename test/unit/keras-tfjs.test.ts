/**
 * The Keras engine judged by TensorFlow's semantics as @tensorflow/tfjs implements them (pure
 * JS, CPU backend): for random layer configurations, the shape of a real tensor the layer
 * produces, and for transposed convs the values (the crop of the full output). tfjs follows
 * tf.keras; where Keras 3 differs (output_padding, size-0 outputs) the tests say so and check
 * the documented formula instead.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { kerasCall, outputOf, refusalOf, run, seededRandom, windowValues, type Lit } from './helpers';
import type { Grid } from '../../src/core/numeric';
import { constValue } from '../../src/core/expr';

interface Case {
  readonly name: string;
  readonly keras: [string, Lit[], Record<string, Lit>];
  readonly tfjs: () => tf.layers.Layer;
  readonly input: number[];
}

function convCase(r: (n: number) => number, rank: 1 | 2 | 3, transposed: boolean): Case {
  const k = 1 + r(rank === 3 ? 3 : 5);
  const dilated = !transposed && r(4) === 0;
  const s = dilated ? 1 : 1 + r(3);
  const d = dilated ? 2 + r(2) : 1;
  const padding: 'valid' | 'same' = r(2) === 0 ? 'valid' : 'same';
  const filters = 1 + r(4);
  const channels = 1 + r(3);
  const spatial = Array.from({ length: rank }, () => (rank === 3 ? 2 : 3) + r(rank === 3 ? 4 : 9));
  // Keep the valid direct conv where TF accepts it (its output would be 0 or less).
  if (!transposed && padding === 'valid') spatial.forEach((i, a) => (spatial[a] = Math.max(i, d * (k - 1) + 1)));
  const kw: Record<string, Lit> = { strides: s, padding, ...(d > 1 ? { dilation_rate: d } : {}) };
  const type = transposed ? `Conv${rank}DTranspose` : `Conv${rank}D`;
  const make = (): tf.layers.Layer => {
    const args = { filters, kernelSize: k, strides: s, padding, dilationRate: d, useBias: false };
    if (transposed) return rank === 2 ? tf.layers.conv2dTranspose(args) : tf.layers.conv3dTranspose(args);
    return rank === 1 ? tf.layers.conv1d(args) : rank === 2 ? tf.layers.conv2d(args) : tf.layers.conv3d(args);
  };
  return { name: `${type}(${filters}, ${k}, ${JSON.stringify(kw)}) on ${JSON.stringify([1, ...spatial, channels])}`, keras: [type, [filters, k], kw], tfjs: make, input: [1, ...spatial, channels] };
}

function poolCase(r: (n: number) => number, rank: 1 | 2 | 3): Case {
  const k = 1 + r(3);
  const s = 1 + r(3);
  const padding: 'valid' | 'same' = r(2) === 0 ? 'valid' : 'same';
  const max = r(2) === 0;
  const channels = 1 + r(3);
  const spatial = Array.from({ length: rank }, () => k + r(rank === 3 ? 4 : 8));
  const type = `${max ? 'MaxPooling' : 'AveragePooling'}${rank}D`;
  const kw: Record<string, Lit> = { pool_size: k, strides: s, padding };
  const make = (): tf.layers.Layer => {
    const args = { poolSize: k, strides: s, padding };
    if (rank === 1) return max ? tf.layers.maxPooling1d(args) : tf.layers.averagePooling1d(args);
    if (rank === 2) return max ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    return max ? tf.layers.maxPooling3d(args) : tf.layers.averagePooling3d(args);
  };
  return { name: `${type}(${JSON.stringify(kw)}) on ${JSON.stringify([1, ...spatial, channels])}`, keras: [type, [], kw], tfjs: make, input: [1, ...spatial, channels] };
}

function otherCase(r: (n: number) => number): Case {
  const h = 2 + r(6);
  const w = 2 + r(6);
  const c = 1 + r(4);
  const input = [1, h, w, c];
  switch (r(5)) {
    case 0: {
      const size: [number, number] = [1 + r(3), 1 + r(3)];
      return { name: `UpSampling2D(${size.join(', ')})`, keras: ['UpSampling2D', [], { size }], tfjs: () => tf.layers.upSampling2d({ size }), input };
    }
    case 1: {
      const padding: [[number, number], [number, number]] = [[r(3), r(3)], [r(3), r(3)]];
      return { name: `ZeroPadding2D(${JSON.stringify(padding)})`, keras: ['ZeroPadding2D', [], { padding }], tfjs: () => tf.layers.zeroPadding2d({ padding }), input };
    }
    case 2: {
      const cropping: [[number, number], [number, number]] = [[r(Math.floor(h / 2)), r(Math.floor(h / 2))], [r(Math.floor(w / 2)), r(Math.floor(w / 2))]];
      return { name: `Cropping2D(${JSON.stringify(cropping)})`, keras: ['Cropping2D', [], { cropping }], tfjs: () => tf.layers.cropping2D({ cropping }), input };
    }
    case 3: {
      const units = 1 + r(9);
      return { name: `Dense(${units})`, keras: ['Dense', [units], {}], tfjs: () => tf.layers.dense({ units }), input };
    }
    default:
      return { name: 'Flatten()', keras: ['Flatten', [], {}], tfjs: () => tf.layers.flatten(), input };
  }
}

/** The shape tfjs gives a real tensor of `shape` through the layer. */
function tfjsShape(layer: tf.layers.Layer, shape: number[]): number[] {
  return tf.tidy(() => (layer.apply(tf.zeros(shape)) as tf.Tensor).shape);
}

describe('Keras layers against TensorFlow semantics (@tensorflow/tfjs, CPU)', function () {
  this.timeout(120_000);
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the shape tfjs gives a real tensor, for 400 random conv, transposed conv, pooling and reshaping layers', () => {
    const r = seededRandom(20261122);
    const cases: Case[] = [];
    for (let n = 0; n < 400; n++) {
      const kind = r(10);
      if (kind < 3) cases.push(convCase(r, (1 + r(3)) as 1 | 2 | 3, false));
      else if (kind < 6) cases.push(convCase(r, r(4) === 0 ? 3 : 2, true));
      else if (kind < 8) cases.push(poolCase(r, (1 + r(3)) as 1 | 2 | 3));
      else cases.push(otherCase(r));
    }
    const wrong: string[] = [];
    for (const c of cases) {
      const expected = tfjsShape(c.tfjs(), c.input);
      const got = outputOf(kerasCall(...c.keras), c.input);
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`${c.name}: Conv Lens ${JSON.stringify(got)}, tfjs ${JSON.stringify(expected)}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('reproduces the seeds\' conv2d_transpose SAME example value by value: [[1,2],[3,4]], a 3×3 ones kernel, stride 2', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = tf.conv2dTranspose(x, tf.ones([3, 3, 1, 1]), [1, 4, 4, 1], 2, 'same');
    const expected = (y.reshape([4, 4]).arraySync() as number[][]);
    assert.deepEqual(expected, [[1, 1, 3, 2], [1, 1, 3, 2], [4, 4, 10, 6], [3, 3, 7, 4]]);
    assert.deepEqual(kerasTransposedValues([[1, 2], [3, 4]], [[1, 1, 1], [1, 1, 1], [1, 1, 1]], 2, 'same'), expected);
  });

  it('crops the full output where TF does: 200 random Conv2DTranspose layers, value by value', () => {
    const r = seededRandom(7);
    const wrong: string[] = [];
    for (let n = 0; n < 200; n++) {
      const k = 1 + r(5);
      const s = 1 + r(4);
      const padding: 'valid' | 'same' = r(2) === 0 ? 'valid' : 'same';
      const h = 1 + r(5);
      const w = 1 + r(5);
      const x = Array.from({ length: h }, () => Array.from({ length: w }, () => r(9) - 4));
      const kernel = Array.from({ length: k }, () => Array.from({ length: k }, () => r(7) - 3));
      const layer = tf.layers.conv2dTranspose({ filters: 1, kernelSize: k, strides: s, padding, useBias: false, kernelInitializer: 'zeros' });
      layer.apply(tf.zeros([1, h, w, 1]));
      // Keras' kernel layout is (k, k, filters, in); ours is the kernel as PyTorch stores it.
      layer.setWeights([tf.tensor4d(kernel.flat(), [k, k, 1, 1])]);
      const expected = tf.tidy(() => ((layer.apply(tf.tensor4d(x.flat(), [1, h, w, 1])) as tf.Tensor).squeeze([0, 3]).arraySync() as number[][]));
      const got = kerasTransposedValues(x, kernel, s, padding);
      if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`k=${k} s=${s} ${padding} on ${h}×${w}`);
    }
    assert.deepEqual(wrong, []);
  });
});

/** Our model of a Keras transposed conv's values: the window of the full output its report keeps. */
function kerasTransposedValues(x: Grid, kernel: Grid, stride: number, padding: string): number[][] {
  const r = run(kerasCall('Conv2DTranspose', [1, kernel.length], { strides: stride, padding }), [1, x.length, x[0].length, 1]);
  if (!r.ok) throw new Error(r.refusal.message);
  return windowValues(r.value, x, kernel);
}

describe('Keras rules tfjs does not have (the documented formulas of Keras 3, reference §2.4)', () => {
  it('Conv2DTranspose output_padding: valid (i − 1)·s + keff + op, same (i − 1)·s + keff mod 2 + op', () => {
    assert.deepEqual(outputOf(kerasCall('Conv2DTranspose', [8, 3], { strides: 2, padding: 'valid', output_padding: 1 }), [1, 5, 5, 4]), [1, 12, 12, 8]);
    assert.deepEqual(outputOf(kerasCall('Conv2DTranspose', [8, 4], { strides: 2, padding: 'same', output_padding: 1 }), [1, 5, 5, 4]), [1, 9, 9, 8]);
  });

  it('Conv1DTranspose (tfjs has none): same gives i·s, valid (i − 1)·s + max(keff, s)', () => {
    assert.deepEqual(outputOf(kerasCall('Conv1DTranspose', [2, 3], { strides: 4, padding: 'same' }), [1, 5, 3]), [1, 20, 2]);
    assert.deepEqual(outputOf(kerasCall('Conv1DTranspose', [2, 3], { strides: 4, padding: 'valid' }), [1, 5, 3]), [1, 20, 2]);
    assert.deepEqual(outputOf(kerasCall('Conv1DTranspose', [2, 5], { strides: 2, padding: 'valid' }), [1, 5, 3]), [1, 13, 2]);
  });

  it('refuses output_padding ≥ strides with Keras\' reason', () => {
    assert.equal(refusalOf(kerasCall('Conv2DTranspose', [8, 3], { strides: 2, output_padding: 2 }), [1, 5, 5, 4]).message, '`output_padding` must be < `strides`. output_padding=(2, 2), strides=(2, 2)');
  });

  it('refuses strides > 1 with dilation_rate > 1', () => {
    assert.equal(refusalOf(kerasCall('Conv2D', [8, 3], { strides: 2, dilation_rate: 2 }), [1, 9, 9, 4]).message, '`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=(2, 2) and dilation_rate=(2, 2)');
  });

  it('refuses a valid conv whose output would be negative, and accepts size 0 as Keras 3 does', () => {
    assert.equal(refusalOf(kerasCall('Conv2D', [8, 5]), [1, 3, 3, 4]).message, 'Computed output size would be negative. Received `inputs shape=(1, 3, 3, 4)`, `kernel shape=(5, 5, 4, 8)`, `dilation_rate=[1 1]`.');
    assert.deepEqual(outputOf(kerasCall('Conv2D', [8, 5]), [1, 4, 4, 4]), [1, 0, 0, 8]);
  });

  it('allows padding=\'causal\' on Conv1D only: d·(k − 1) on the left', () => {
    const r = run(kerasCall('Conv1D', [4, 3], { padding: 'causal', dilation_rate: 2 }), [1, 10, 2]);
    assert.ok(r.ok);
    assert.deepEqual([r.value.axes[0].padBegin, r.value.axes[0].padEnd, constValue(r.value.axes[0].output)], [4, 0, 10]);
    assert.equal(refusalOf(kerasCall('Conv2D', [4, 3], { padding: 'causal' }), [1, 10, 10, 2]).message, "The `padding` argument must be a list/tuple or one of {'valid', 'same'}. Received: causal");
  });

  it('reads channels first when data_format says so', () => {
    assert.deepEqual(outputOf(kerasCall('Conv2DTranspose', [8, 4], { strides: 2, padding: 'same', data_format: 'channels_first' }), [1, 3, 16, 16]), [1, 8, 32, 32]);
  });

  it('refuses an input of the wrong rank with Keras\' InputSpec reason', () => {
    assert.equal(refusalOf(kerasCall('Conv2D', [8, 3]), [1, 28, 28]).message, 'Input 0 of layer "conv2d" is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape received: (1, 28, 28)');
  });

  it('refuses an unknown keyword argument as Keras 3 does', () => {
    assert.equal(refusalOf(kerasCall('Conv2D', [8, 3], { kernel: 3 }), [1, 28, 28, 1]).message, "Unrecognized keyword arguments passed to Conv2D: {'kernel': 3}");
  });
});
