/** Symbolic sizes: each layer's output written in its simplest equal form. */
import { strict as assert } from 'node:assert';
import { add, ceilDiv, constant, evaluate, floorDiv, format, mod, scale, sym } from '../../src/core/expr';
import { analyzeChain, itemConditions, itemOutput } from '../../src/core/analyze';
import { formatCondition, formatShape, simplifyConditions } from '../../src/core/shape';
import type { LayerChain } from '../../src/core/values';
import { call, dims, printedOutput, run } from './helpers';

const H = sym('H');

describe('symbolic expressions', () => {
  it('simplify an affine chain: (2·H − 1)·2 + 2 is 4·H', () => {
    assert.equal(format(add(scale(add(scale(H, 2), constant(-1)), 2), constant(2))), '4·H');
  });

  it('print ⌊(H + 1)/2⌋ as ⌈H/2⌉', () => assert.equal(format(floorDiv(add(H, constant(1)), 2)), '⌈H/2⌉'));

  it('print ⌊H/2⌋ with a floor', () => assert.equal(format(floorDiv(H, 2)), '⌊H/2⌋'));

  it('move whole multiples out of a floor: ⌊(H − 3)/2⌋ + 1 is ⌈H/2⌉ − 1', () =>
    assert.equal(format(add(floorDiv(add(H, constant(-3)), 2), constant(1))), '⌈H/2⌉ − 1'));

  it('divide exactly when every coefficient is a multiple: ⌊(4·H + 3)/2⌋ is 2·H + 1', () =>
    assert.equal(format(floorDiv(add(scale(H, 4), constant(3)), 2)), '2·H + 1'));

  it('print ceilings as written by ceilDiv', () => assert.equal(format(ceilDiv(H, 3)), '⌈H/3⌉'));

  it('write programmer-named counts name first: ngf·8', () => assert.equal(format(scale(sym('ngf'), 8)), 'ngf·8'));

  it('evaluate floors with Python semantics (toward −∞)', () => {
    assert.equal(evaluate(floorDiv(add(H, constant(-5)), 2), new Map([['H', 2]])), -2);
    assert.equal(evaluate(mod(add(H, constant(-5)), 2), new Map([['H', 2]])), 1);
  });
});

describe('symbolic layer outputs', () => {
  it('ConvTranspose2d(16, 33, 4, 2, 1) doubles: (N, 33, 2·H, 2·W)', () =>
    assert.equal(printedOutput(call('ConvTranspose2d', [16, 33, 4, 2, 1])), '(N, 33, 2·H, 2·W)'));

  it('ConvTranspose2d(16, 33, 3, 2, 1) gives 2·H − 1', () =>
    assert.equal(printedOutput(call('ConvTranspose2d', [16, 33, 3, 2, 1])), '(N, 33, 2·H − 1, 2·W − 1)'));

  it('ConvTranspose1d(8, 8, 5, 3) gives 3·L + 2', () => assert.equal(printedOutput(call('ConvTranspose1d', [8, 8, 5, 3])), '(N, 8, 3·L + 2)'));

  it('Conv2d(16, 33, 3, padding=1) keeps H', () => assert.equal(printedOutput(call('Conv2d', [16, 33, 3], { padding: 1 })), '(N, 33, H, W)'));

  it('Conv2d(16, 33, 3, stride=2, padding=1) gives ⌈H/2⌉', () =>
    assert.equal(printedOutput(call('Conv2d', [16, 33, 3], { stride: 2, padding: 1 })), '(N, 33, ⌈H/2⌉, ⌈W/2⌉)'));

  it('Conv2d(16, 33, 3) gives H − 2, valid when H ≥ 3', () => {
    const r = run(call('Conv2d', [16, 33, 3]));
    assert.ok(r.ok);
    assert.equal(printedOutput(call('Conv2d', [16, 33, 3])), '(N, 33, H − 2, W − 2)');
    assert.deepEqual(simplifyConditions(r.value.conditions).map(formatCondition), ['H ≥ 3', 'W ≥ 3']);
  });

  it('MaxPool2d(2) gives ⌊H/2⌋, valid when H ≥ 2', () => {
    assert.equal(printedOutput(call('MaxPool2d', [2])), '(N, C, ⌊H/2⌋, ⌊W/2⌋)');
  });

  it('MaxPool2d(3, 2, ceil_mode=True) rounds up but drops a window starting in the padding: ⌊H/2⌋', () =>
    assert.equal(printedOutput(call('MaxPool2d', [3, 2], { ceil_mode: true })), '(N, C, ⌊H/2⌋, ⌊W/2⌋)'));

  it('keeps unknown channel counts symbolic: ConvTranspose2d(ngf·8, ngf·4, 4, 2, 1)', () => {
    const layer = call('ConvTranspose2d', [{ sym: 'ngf' }, { sym: 'ngf' }, 4, 2, 1]);
    assert.equal(printedOutput(layer), '(N, ngf, 2·H, 2·W)');
  });

  it('Upsample(scale_factor=1.5) is the floor of the product', () =>
    assert.equal(printedOutput(call('Upsample', [], { scale_factor: 1.5 })), '(N, C, ⌊1.5·H⌋, ⌊1.5·W⌋)'));

  it('PixelShuffle(2) multiplies the spatial sizes and divides the channels', () =>
    assert.equal(printedOutput(call('PixelShuffle', [2])), '(N, C, 2·H, 2·W)'));

  it('a chain of conditions reads on the input symbol: a 3×3 conv after MaxPool2d(2) needs H ≥ 6', () => {
    const chain: LayerChain = {
      kind: 'sequential',
      span: { from: 0, to: 0 },
      items: [{ kind: 'layer', layer: call('MaxPool2d', [2]) }, { kind: 'layer', layer: call('Conv2d', [3, 8, 3]) }],
    };
    const result = analyzeChain(chain, dims('N', 3, 'H', 'W'));
    const out = itemOutput(result);
    assert.ok(out.ok);
    assert.equal(formatShape(out.value), '(N, 8, ⌊H/2⌋ − 2, ⌊W/2⌋ − 2)');
    assert.deepEqual(itemConditions(result).map(formatCondition), ['H ≥ 6', 'W ≥ 6']);
  });
});
