import { strict as assert } from 'node:assert';
import { exampleKernel, parseValues } from '../../src/core/visual/examples';

describe('numbers mode\'s example values', () => {
  it('gives FCN\'s bilinear filter: [0.25, 0.75, 0.75, 0.25] for 4, [0.5, 1, 0.5] for 3, separable in 2-D', () => {
    assert.deepEqual(exampleKernel('bilinear', [4]), [0.25, 0.75, 0.75, 0.25]);
    assert.deepEqual(exampleKernel('bilinear', [3]), [0.5, 1, 0.5]);
    assert.deepEqual(exampleKernel('bilinear', [2, 3]), [0.25, 0.5, 0.25, 0.25, 0.5, 0.25]); // [0.5, 0.5] ⊗ [0.5, 1, 0.5]
  });

  it('gives the same seeded random integers in −2…2 every time', () => {
    const k = exampleKernel('random', [3, 3]);
    assert.deepEqual(k, exampleKernel('random', [3, 3]));
    assert.ok(k.every((w) => Number.isInteger(w) && w >= -2 && w <= 2), k.join(', '));
    assert.ok(new Set(k).size > 1);
  });

  it('reads typed values only when there are exactly as many as cells', () => {
    assert.deepEqual(parseValues('1, 2 3;4', 4), [1, 2, 3, 4]);
    assert.equal(parseValues('1, 2, 3', 4), undefined);
    assert.equal(parseValues('1, x, 3, 4', 4), undefined);
  });
});
