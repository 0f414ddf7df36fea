import { strict as assert } from 'node:assert';
import { answerShapeQuery } from '../../src/core/query';
import { constant } from '../../src/core/expr';
import { configText, invertConv, outputLength, solve } from '../../src/core/solve/solver';

/** The engine's own answer (oracle-checked against PyTorch) for a 1-D layer. */
function engineLength(source: string, length: number, channels = 1): number | string {
  const a = answerShapeQuery(source, [constant(1), constant(channels), constant(length)]);
  return 'error' in a ? a.error : a.output[2];
}

describe('reverse solver', () => {
  it('"2× the input" for a transposed conv: kernel 2/stride 2, then kernel 4/padding 1 (no checkerboard) first', () => {
    assert.deepEqual(solve('convTranspose', { kind: 'scale', factor: 2 }, 3).map((c) => configText('convTranspose', c)), [
      'kernel_size=2, stride=2',
      'kernel_size=4, stride=2, padding=1',
      'kernel_size=6, stride=2, padding=2',
    ]);
  });

  it('every "2×" answer doubles every length, by the engine', () => {
    for (const c of solve('convTranspose', { kind: 'scale', factor: 2 }, 50)) {
      for (const l of [1, 5, 32]) assert.equal(engineLength(`nn.ConvTranspose1d(1, 1, ${configText('convTranspose', c)})`, l), 2 * l, configText('convTranspose', c));
    }
  });

  it('"exactly N": a conv from 32 to 16, simplest first', () => {
    assert.deepEqual(solve('conv', { kind: 'exact', input: 32, size: 16 }, 2).map((c) => configText('conv', c)), ['kernel_size=1, stride=2', 'kernel_size=2, stride=2']);
  });

  it('every "exactly N" answer gives N, by the engine', () => {
    for (const kind of ['conv', 'convTranspose'] as const) {
      for (const c of solve(kind, { kind: 'exact', input: 13, size: 25 }, 50)) {
        const layer = kind === 'conv' ? 'Conv1d' : 'ConvTranspose1d';
        assert.equal(engineLength(`nn.${layer}(1, 1, ${configText(kind, c)})`, 13), 25, configText(kind, c));
      }
    }
  });

  it('says so when no configuration gives the size (a conv cannot grow 4 to 40)', () => {
    assert.deepEqual(solve('conv', { kind: 'exact', input: 4, size: 40 }), []);
  });

  it('inverts a conv: the transposed conv with the output_padding that restores the input length', () => {
    const conv = { kernel: 3, stride: 2, padding: 1, outputPadding: 0, dilation: 1 };
    assert.equal(outputLength('conv', conv, 32), 16);
    assert.deepEqual(invertConv(conv, 32), { ...conv, outputPadding: 1 });
    assert.deepEqual(invertConv(conv, 33), { ...conv, outputPadding: 0 });
    assert.equal(engineLength('nn.ConvTranspose1d(1, 1, 3, stride=2, padding=1, output_padding=1)', 16), 32);
  });
});

describe('rewriting a call with a solver configuration', () => {
  it('replaces the window arguments and keeps the others\' source text', async () => {
    const { parsePython } = await import('../../src/core/python/parse');
    const { withConfig } = await import('../../src/core/solve/rewrite');
    const [layer] = parsePython('nn.ConvTranspose2d(ngf * 8, ngf * 4, 3, 2, 1, 0, 1, False)').layers;
    assert.equal(withConfig(layer, 'convTranspose', { kernel: 4, stride: 2, padding: 1, outputPadding: 0, dilation: 1 }), 'ngf * 8, ngf * 4, kernel_size=4, stride=2, padding=1, groups=1, bias=False');
  });
});
