/**
 * The worked examples of the documents the project started from (../shared/seeds), as
 * specifications of the engine and the numeric core.
 */
import { strict as assert } from 'node:assert';
import { convolutionMatrix, convTranspose2d, conv2d, matrixValues, transpose } from '../../src/core/numeric';
import { call, outputOf } from './helpers';

describe('seed: a 4×4 input convolved with a 3×3 kernel (no padding, stride 1)', () => {
  it('gives a 2×2 output', () => {
    assert.deepEqual(outputOf(call('Conv2d', [1, 1, 3]), [1, 1, 4, 4]), [1, 1, 2, 2]);
  });

  it('is a 4×16 convolution matrix', () => {
    const c = convolutionMatrix(4, 4, { kernel: [3, 3] });
    assert.equal(c.length, 4);
    assert.ok(c.every((row) => row.length === 16));
  });

  it('has each row hold w00 w01 w02 0 w10 w11 w12 0 w20 w21 w22, starting at column (r // 2)·4 + r % 2', () => {
    const c = convolutionMatrix(4, 4, { kernel: [3, 3] });
    const pattern = [0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8];
    c.forEach((row, r) => {
      const start = Math.floor(r / 2) * 4 + (r % 2);
      const expected = new Array<number>(16).fill(-1);
      pattern.forEach((tap, j) => (expected[start + j] = tap));
      assert.deepEqual(row, expected, `row ${r}`);
    });
  });

  it('computes the convolution as C·vec(x)', () => {
    const x = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]];
    const w = [[1, 0, -1], [2, 0, -2], [1, 0, -1]];
    const viaMatrix = matrixValues(convolutionMatrix(4, 4, { kernel: [3, 3] }), w).map((row) => row.reduce((a, v, i) => a + v * x.flat()[i], 0));
    assert.deepEqual(viaMatrix, conv2d(x, w).flat());
    assert.deepEqual(conv2d(x, w), [[-8, -8], [-8, -8]]);
  });

  it('has Cᵀ (16×4) map a 2×2 input back to 4×4, which is the transposed convolution', () => {
    const w = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const y = [[1, 2], [3, 4]];
    const ct = transpose(matrixValues(convolutionMatrix(4, 4, { kernel: [3, 3] }), w));
    assert.equal(ct.length, 16);
    const viaMatrix = ct.map((row) => row.reduce((a, v, i) => a + v * y.flat()[i], 0));
    assert.deepEqual(viaMatrix, convTranspose2d(y, w).flat());
    assert.deepEqual(outputOf(call('ConvTranspose2d', [1, 1, 3]), [1, 1, 2, 2]), [1, 1, 4, 4]);
  });
});

describe('seed: a 2×2 input and a 2×2 kernel with unit stride and no padding (OpenGenus)', () => {
  it('upsamples to 3×3', () => {
    assert.deepEqual(outputOf(call('ConvTranspose2d', [1, 1, 2]), [1, 1, 2, 2]), [1, 1, 3, 3]);
  });

  it('adds the overlapping stamps', () => {
    assert.deepEqual(convTranspose2d([[1, 2], [3, 4]], [[1, 1], [1, 1]]), [[1, 3, 2], [4, 10, 6], [3, 7, 4]]);
  });
});

describe('seed: 2×2 → 4×4 with a 3×3 kernel of ones and stride 2', () => {
  it('has a 5×5 full output, (2 − 1)·2 + 3', () => {
    assert.deepEqual(outputOf(call('ConvTranspose2d', [1, 1, 3, 2]), [1, 1, 2, 2]), [1, 1, 5, 5]);
    const ones = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
    assert.deepEqual(convTranspose2d([[1, 2], [3, 4]], ones, { stride: [2, 2] }), [
      [1, 1, 3, 2, 2],
      [1, 1, 3, 2, 2],
      [4, 4, 10, 6, 6],
      [3, 3, 7, 4, 4],
      [3, 3, 7, 4, 4],
    ]);
  });

  it('is 4×4 in PyTorch with padding=1, output_padding=1', () => {
    assert.deepEqual(outputOf(call('ConvTranspose2d', [1, 1, 3, 2, 1, 1]), [1, 1, 2, 2]), [1, 1, 4, 4]);
  });

  it('keeps rows and columns 1…4 of the full output in PyTorch (crop 1 at the start)', () => {
    const ones = [[1, 1, 1], [1, 1, 1], [1, 1, 1]];
    assert.deepEqual(convTranspose2d([[1, 2], [3, 4]], ones, { stride: [2, 2], padding: [1, 1], outputPadding: [1, 1] }), [
      [1, 3, 2, 2],
      [4, 10, 6, 6],
      [3, 7, 4, 4],
      [3, 7, 4, 4],
    ]);
  });
});

describe('seed: FCN 2× upsampling of a 4×4 image with a 4×4 bilinear kernel (stride 2)', () => {
  it('gives 8×8 with padding 1, the usual FCN setting', () => {
    assert.deepEqual(outputOf(call('ConvTranspose2d', [1, 1, 4, 2, 1]), [1, 1, 4, 4]), [1, 1, 8, 8]);
  });
});
