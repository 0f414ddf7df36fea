/**
 * JAX's `lax.conv_general_dilated` / `lax.conv` / `lax.conv_transpose`, read from Python text.
 * JAX is not installed here and has no JS port: these tests check the rules of reference §3
 * (emulated from jax/_src/lax/convolution.py there), and that a fractionally strided
 * conv_general_dilated has the size and window of the PyTorch transposed conv it equals.
 */
import { strict as assert } from 'node:assert';
import { analyzeItem } from '../../src/core/analyze';
import { constValue } from '../../src/core/expr';
import { parsePython } from '../../src/core/python/parse';
import type { LayerReport } from '../../src/core/torch/report';
import type { Outcome } from '../../src/core/outcome';
import { call, run } from './helpers';

function lastCall(lines: readonly string[]): Outcome<LayerReport> {
  const model = parsePython(['import jax', 'import jax.numpy as jnp', 'from jax import lax', ...lines].join('\n'));
  let result = analyzeItem(model.roots[model.roots.length - 1], undefined);
  while (result.kind === 'chain') result = result.steps[result.steps.length - 1];
  if (result.kind !== 'layer') throw new Error('no layer');
  return result.outcome;
}

function shapeOf(outcome: Outcome<LayerReport>): (number | string)[] | string {
  return outcome.ok ? outcome.value.output.map((e) => constValue(e) ?? 'sym') : `refused: ${outcome.refusal.message}`;
}

describe('jax.lax.conv_transpose (reference §3: the reference rules; JAX is not installed here)', () => {
  const transpose = (padding: string, i: number, k: number, s: number, extra = ''): Outcome<LayerReport> =>
    lastCall([`x = jnp.zeros((1, ${i}, ${i}, 16))`, `k = jax.random.normal(jax.random.PRNGKey(0), (${k}, ${k}, 16, 8))`, `y = lax.conv_transpose(x, k, (${s}, ${s}), ${padding}${extra})`]);

  it("'SAME' gives i·s and 'VALID' gives (i − 1)·s + max(keff, s), on every kernel and stride up to 5", () => {
    const wrong: string[] = [];
    for (let i = 1; i <= 5; i++) {
      for (let k = 1; k <= 5; k++) {
        for (let s = 1; s <= 5; s++) {
          const same = shapeOf(transpose("'SAME'", i, k, s));
          const valid = shapeOf(transpose("'VALID'", i, k, s));
          if (JSON.stringify(same) !== JSON.stringify([1, i * s, i * s, 8])) wrong.push(`SAME i=${i} k=${k} s=${s}: ${JSON.stringify(same)}`);
          const v = (i - 1) * s + Math.max(k, s);
          if (JSON.stringify(valid) !== JSON.stringify([1, v, v, 8])) wrong.push(`VALID i=${i} k=${k} s=${s}: ${JSON.stringify(valid)}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("crops 'SAME' where TF does: the start crop ⌊(keff − s)/2⌋ when the kernel is longer than the stride", () => {
    const r = transpose("'SAME'", 4, 4, 2);
    assert.ok(r.ok);
    assert.deepEqual(r.value.axes.map((a) => [a.padBegin, a.padEnd]), [[1, 1], [1, 1]]);
    const odd = transpose("'SAME'", 4, 3, 2);
    assert.ok(odd.ok);
    assert.deepEqual(odd.value.axes.map((a) => [a.padBegin, a.padEnd]), [[0, 1], [0, 1]]);
  });

  it('reads (low, high) pairs as pads of the zero-inserted input: ((k − 1 − p), (k − 1 − p)) is PyTorch padding=p', () => {
    // With transpose_kernel=True the kernel is laid out as Keras' is: (k, k, out, in).
    const r = lastCall(['x = jnp.zeros((1, 8, 8, 16))', 'y = lax.conv_transpose(x, jnp.ones((4, 4, 8, 16)), (2, 2), ((2, 2), (2, 2)), transpose_kernel=True)']);
    const torch = run(call('ConvTranspose2d', [16, 8, 4, 2, 1]), [1, 16, 8, 8]);
    assert.ok(r.ok && torch.ok);
    assert.deepEqual(r.value.axes.map((a) => [constValue(a.output), a.padBegin, a.padEnd]), torch.value.axes.map((a) => [constValue(a.output), a.padBegin, a.padEnd]));
  });

  it('reads pairs as the forward conv\'s pads with use_consistent_padding=True', () => {
    assert.deepEqual(shapeOf(transpose('((1, 1), (1, 1))', 8, 4, 2, ', use_consistent_padding=True')), [1, 16, 16, 8]);
  });

  it('takes the input features from the kernel\'s I axis, or its O axis with transpose_kernel=True, in conv_general_dilated\'s words', () => {
    assert.deepEqual(shapeOf(transpose("'SAME'", 4, 3, 2)), [1, 8, 8, 8]);
    const swapped = transpose("'SAME'", 4, 3, 2, ', transpose_kernel=True');
    assert.equal(!swapped.ok && swapped.refusal.message, 'conv_general_dilated lhs feature dimension size divided by feature_group_count must equal the rhs input feature dimension size, but 16 // 1 != 8.');
  });

  it('notes that the kernel is not flipped unless transpose_kernel=True', () => {
    const r = transpose("'SAME'", 4, 3, 2);
    assert.ok(r.ok && r.value.notes.some((n) => n.startsWith('transpose_kernel=False')));
  });
});

describe('jax.lax.conv_general_dilated and lax.conv (reference §3)', () => {
  it('defaults to NCHW / OIHW and gives TF\'s SAME size ⌈i/s⌉', () => {
    assert.deepEqual(shapeOf(lastCall(['y = lax.conv_general_dilated(jnp.ones((2, 3, 33, 32)), jnp.ones((8, 3, 3, 3)), (2, 2), "SAME")'])), [2, 8, 17, 16]);
  });

  it("puts the odd padding element at the start with 'SAME_LOWER'", () => {
    const r = lastCall(['y = lax.conv(jnp.ones((1, 1, 8, 8)), jnp.ones((1, 1, 2, 2)), (1, 1), "SAME_LOWER")']);
    assert.ok(r.ok);
    assert.deepEqual(r.value.axes.map((a) => [a.padBegin, a.padEnd]), [[1, 0], [1, 0]]);
  });

  it('reads dimension_numbers given as three layout strings', () => {
    assert.deepEqual(shapeOf(lastCall(['y = lax.conv_general_dilated(jnp.ones((1, 32, 32, 3)), jnp.ones((5, 5, 3, 8)), (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC"))'])), [1, 28, 28, 8]);
  });

  it('clamps a too-short output at 0 rather than refusing', () => {
    assert.deepEqual(shapeOf(lastCall(['y = lax.conv(jnp.ones((1, 1, 2, 2)), jnp.ones((1, 1, 5, 5)), (1, 1), "VALID")'])), [1, 1, 0, 0]);
  });

  it('is the transposed conv of stride lhs_dilation when the window stride is 1: the size and window of PyTorch\'s ConvTranspose2d', () => {
    // PyTorch ConvTranspose2d(k=4, s=2, p=1, output_padding=1) is lhs_dilation 2, pads (k − 1 − p, k − 1 − p + op).
    const r = lastCall(['y = lax.conv_general_dilated(jnp.ones((1, 16, 8, 8)), jnp.ones((8, 16, 4, 4)), (1, 1), ((2, 3), (2, 3)), lhs_dilation=(2, 2))']);
    const torch = run(call('ConvTranspose2d', [16, 8, 4, 2, 1], { output_padding: 1 }), [1, 16, 8, 8]);
    assert.ok(r.ok && torch.ok);
    assert.equal(r.value.family, 'convTranspose');
    assert.deepEqual(r.value.output.map((e) => constValue(e)), torch.value.output.map((e) => constValue(e)));
    assert.deepEqual(r.value.axes.map((a) => [a.padBegin, a.padEnd]), torch.value.axes.map((a) => [a.padBegin, a.padEnd]));
  });

  it('refuses string padding with lhs_dilation, as JAX does', () => {
    const r = lastCall(['y = lax.conv_general_dilated(jnp.ones((1, 1, 8, 8)), jnp.ones((1, 1, 3, 3)), (1, 1), "SAME", lhs_dilation=(2, 2))']);
    assert.match(!r.ok ? r.refusal.message : '', /^String padding is not implemented for transposed convolution using this op/);
  });

  it('checks feature_group_count against the lhs features and the rhs I axis', () => {
    assert.deepEqual(shapeOf(lastCall(['y = lax.conv_general_dilated(jnp.ones((1, 8, 8, 8)), jnp.ones((16, 2, 3, 3)), (1, 1), "SAME", feature_group_count=4)'])), [1, 16, 8, 8]);
    const r = lastCall(['y = lax.conv_general_dilated(jnp.ones((1, 8, 8, 8)), jnp.ones((16, 2, 3, 3)), (1, 1), "SAME", feature_group_count=3)']);
    assert.equal(!r.ok && r.refusal.message, 'conv_general_dilated feature_group_count must divide lhs feature dimension size, but 3 does not divide 8.');
  });
});
