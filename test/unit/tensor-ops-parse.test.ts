/**
 * The Python front end for functions of tensors (tf.nn, jax.lax): which calls are layers,
 * where their filter's shape and their input come from.
 */
import { strict as assert } from 'node:assert';
import { constValue } from '../../src/core/expr';
import { parsePython } from '../../src/core/python/parse';
import type { LayerCall, SourceModel } from '../../src/core/values';

function shapes(model: SourceModel, type: string): (number | string)[][] {
  return model.layers.filter((l) => l.layerType === type).map((l) => (l.operands?.[0]?.shape ?? []).map((e) => constValue(e) ?? 'sym'));
}

function chainTypes(model: SourceModel): string[][] {
  return model.chains.map((c) => c.items.map((i) => (i.kind === 'layer' ? `${i.layer.layerType}${i.layer.layerType === 'Tensor' ? JSON.stringify(i.layer.operands?.[0]?.shape?.map((e) => constValue(e))) : ''}` : i.kind)));
}

const op = (model: SourceModel, type: string): LayerCall => model.layers.find((l) => l.layerType === type)!;

describe('functions of tensors: tf.nn and jax.lax calls in Python', () => {
  it('classifies tf.nn, tf.compat.v1.nn and lax functions by their imports, and nothing else named conv2d', () => {
    const model = parsePython(['import tensorflow as tf', 'import torch.nn.functional as F', 'from jax import lax', 'a = tf.nn.conv2d(x, w, 1, "SAME")', 'b = tf.compat.v1.nn.conv2d_transpose(x, w, s, [1, 2, 2, 1])', 'c = lax.conv_transpose(x, k, (2, 2), "SAME")', 'd = F.conv2d(x, w)'].join('\n'));
    assert.deepEqual(model.layers.map((l) => `${l.framework}:${l.layerType}`), ['tf:conv2d', 'tf:conv2d_transpose', 'jax:conv_transpose']);
  });

  it('reads the filter\'s shape where the file makes it: tf.random.normal, jax.random.normal(key, shape), a nested list, np.random.rand(…).astype(…)', () => {
    const model = parsePython([
      'import tensorflow as tf', 'import numpy as np', 'import jax', 'from jax import lax',
      'w1 = tf.Variable(tf.random.normal([3, 3, 16, 32]))',
      'a = tf.nn.conv2d(x, w1, 1, "SAME")',
      'b = lax.conv(x, jax.random.normal(jax.random.PRNGKey(0), (8, 3, 5, 5)), (1, 1), "SAME")',
      'c = tf.nn.conv1d(x, tf.constant([[[1.0]], [[2.0]]]), 1, "VALID")',
      'w4 = np.random.rand(2, 2, 4, 4).astype(np.float32)',
      'd = tf.nn.conv2d(x, w4, 1, "VALID")',
    ].join('\n'));
    assert.deepEqual([...shapes(model, 'conv2d'), ...shapes(model, 'conv'), ...shapes(model, 'conv1d')], [[3, 3, 16, 32], [2, 2, 4, 4], [8, 3, 5, 5], [2, 1, 1]]);
  });

  it('starts a chain at the tensor a call is given, through names and activations, and chains calls on each other\'s results', () => {
    const model = parsePython(['import tensorflow as tf', 'x = tf.zeros([1, 8, 8, 3])', 'y = tf.nn.conv2d(x, tf.ones([3, 3, 3, 4]), 2, "SAME")', 'z = tf.nn.conv2d_transpose(tf.nn.relu(y), tf.ones([3, 3, 3, 4]), [1, 8, 8, 3], 2)'].join('\n'));
    assert.deepEqual(chainTypes(model), [['Tensor[1,8,8,3]', 'conv2d', 'conv2d_transpose']]);
  });

  it('gives each call that reads the same tensor a chain from it', () => {
    const model = parsePython(['import jax.numpy as jnp', 'from jax import lax', 'x = jnp.zeros((1, 3, 8, 8))', 'a = lax.conv(x, jnp.ones((4, 3, 3, 3)), (1, 1), "SAME")', 'b = lax.conv(x, jnp.ones((4, 3, 1, 1)), (2, 2), "VALID")'].join('\n'));
    assert.deepEqual(chainTypes(model), [
      ['Tensor[1,3,8,8]', 'conv'],
      ['Tensor[1,3,8,8]', 'conv'],
    ]);
  });

  it('leaves the input unknown, and the filter without a shape, when the file does not make them', () => {
    const model = parsePython(['import tensorflow as tf', 'def f(x, w):', '    return tf.nn.conv2d(x, w, 1, "SAME")'].join('\n'));
    assert.deepEqual(model.chains, []);
    assert.deepEqual(op(model, 'conv2d').operands, [{}]);
  });
});
