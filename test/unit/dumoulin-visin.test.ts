/**
 * Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", relationships
 * 1–15 (reference §7), each checked on a grid of sizes against the engine.
 */
import { strict as assert } from 'node:assert';
import { call, outputOf } from './helpers';

const conv = (i: number, k: number, s: number, p: number, d = 1): number =>
  outputOf(call('Conv1d', [1, 1, k], { stride: s, padding: p, dilation: d }), [1, 1, i])[2];
const convT = (i: number, k: number, s: number, p: number, op = 0): number =>
  outputOf(call('ConvTranspose1d', [1, 1, k], { stride: s, padding: p, output_padding: op }), [1, 1, i])[2];
const pool = (i: number, k: number, s: number): number => outputOf(call('MaxPool1d', [k, s]), [1, 1, i])[2];

const sizes = [5, 6, 7, 8, 9, 12, 16];
const kernels = [1, 2, 3, 4, 5];

function forAll(check: (i: number, k: number) => void): void {
  for (const i of sizes) for (const k of kernels) if (k <= i) check(i, k);
}

describe('Dumoulin & Visin relationships', () => {
  it('1: s = 1, p = 0 gives o = (i − k) + 1', () => forAll((i, k) => assert.equal(conv(i, k, 1, 0), i - k + 1)));

  it('2: s = 1 and any p gives o = (i − k) + 2p + 1', () =>
    forAll((i, k) => [0, 1, 2].forEach((p) => assert.equal(conv(i, k, 1, p), i - k + 2 * p + 1))));

  it('3: half padding (k = 2n + 1, s = 1, p = n) gives o = i', () =>
    forAll((i, k) => k % 2 === 1 && assert.equal(conv(i, k, 1, (k - 1) / 2), i)));

  it('4: full padding (p = k − 1, s = 1) gives o = i + (k − 1)', () => forAll((i, k) => assert.equal(conv(i, k, 1, k - 1), i + k - 1)));

  it('5: p = 0 and any s gives o = ⌊(i − k)/s⌋ + 1', () =>
    forAll((i, k) => [1, 2, 3].forEach((s) => assert.equal(conv(i, k, s, 0), Math.floor((i - k) / s) + 1))));

  it('6: any i, k, p, s gives o = ⌊(i + 2p − k)/s⌋ + 1', () =>
    forAll((i, k) => [1, 2, 3].forEach((s) => [0, 1, 2].forEach((p) => assert.equal(conv(i, k, s, p), Math.floor((i + 2 * p - k) / s) + 1)))));

  it('7: pooling without padding gives o = ⌊(i − k)/s⌋ + 1', () =>
    forAll((i, k) => [1, 2, 3].forEach((s) => assert.equal(pool(i, k, s), Math.floor((i - k) / s) + 1))));

  it("8: the transpose of (s = 1, p = 0) is k' = k, s' = 1, p' = k − 1: o' = i' + (k − 1)", () =>
    forAll((i, k) => assert.equal(convT(i, k, 1, 0), i + k - 1)));

  it("9: the transpose of (s = 1, p) gives o' = i' + (k − 1) − 2p", () =>
    forAll((i, k) => [0, 1].forEach((p) => i + k - 1 - 2 * p >= 1 && assert.equal(convT(i, k, 1, p), i + k - 1 - 2 * p))));

  it("10: the transpose of half padding (k = 2n + 1, s = 1, p = n) gives o' = i'", () =>
    forAll((i, k) => k % 2 === 1 && assert.equal(convT(i, k, 1, (k - 1) / 2), i)));

  it("11: the transpose of full padding (s = 1, p = k − 1) gives o' = i' − (k − 1)", () =>
    forAll((i, k) => assert.equal(convT(i, k, 1, k - 1), i - (k - 1))));

  it("12: the transpose of (p = 0, s) with s | (i − k) gives o' = s(i' − 1) + k and restores i", () =>
    forAll((i, k) =>
      [2, 3].forEach((s) => {
        if ((i - k) % s !== 0) return;
        const o = conv(i, k, s, 0);
        assert.equal(convT(o, k, s, 0), s * (o - 1) + k);
        assert.equal(convT(o, k, s, 0), i);
      }),
    ));

  it("13: the transpose of (p, s) with s | (i + 2p − k) gives o' = s(i' − 1) + k − 2p and restores i", () =>
    forAll((i, k) =>
      [2, 3].forEach((s) =>
        [1, 2].forEach((p) => {
          if ((i + 2 * p - k) % s !== 0 || 2 * p > k - 1 + s) return;
          const o = conv(i, k, s, p);
          assert.equal(convT(o, k, s, p), s * (o - 1) + k - 2 * p);
          assert.equal(convT(o, k, s, p), i);
        }),
      ),
    ));

  it("14: in general a = (i + 2p − k) mod s is the output_padding that restores i: o' = s(i' − 1) + a + k − 2p", () =>
    forAll((i, k) =>
      [2, 3].forEach((s) =>
        [0, 1, 2].forEach((p) => {
          if (i + 2 * p < k) return;
          const a = (i + 2 * p - k) % s;
          const o = conv(i, k, s, p);
          assert.ok(a < s);
          assert.equal(convT(o, k, s, p, a), s * (o - 1) + a + k - 2 * p);
          assert.equal(convT(o, k, s, p, a), i);
        }),
      ),
    ));

  it('15: a dilated conv (rate d) gives o = ⌊(i + 2p − k − (k − 1)(d − 1))/s⌋ + 1', () =>
    forAll((i, k) =>
      [1, 2, 3].forEach((d) =>
        [1, 2].forEach((s) => {
          if (i + 2 < k + (k - 1) * (d - 1)) return;
          assert.equal(conv(i, k, s, 1, d), Math.floor((i + 2 - k - (k - 1) * (d - 1)) / s) + 1);
        }),
      ),
    ));
});
