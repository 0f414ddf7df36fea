/**
 * Flax's convolutions by the rules of reference §3 (JAX and Flax cannot be installed here, so
 * these are the documented rules, not a run of Flax), and Flax modules in the editor.
 */
import { strict as assert } from 'node:assert';
import { analyzeItem, layerResults } from '../../src/core/analyze';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { findings } from '../../src/core/editor/findings';
import { parsePython } from '../../src/core/python/parse';
import { formatShape } from '../../src/core/shape';
import { call, outputOf, printedOutput, refusalOf, run, type Lit } from './helpers';

const flax = (type: string, positional: Lit[], keywords: Record<string, Lit> = {}) => call(type, positional, keywords, 'flax');

describe('Flax convolutions (reference §3 rules)', () => {
  it('pads SAME by default: a strided Conv gives ⌈i/s⌉', () => {
    assert.equal(printedOutput(flax('Conv', [32, [3, 3]], { strides: 2 })), '(N, ⌈H/2⌉, ⌈W/2⌉, 32)');
  });

  it('clamps a VALID Conv whose window is longer than the input at 0, as JAX does, instead of refusing', () => {
    assert.deepEqual(outputOf(flax('Conv', [8, [5]], { padding: 'VALID' }), [1, 2, 4]), [1, 0, 8]);
  });

  it('pads CIRCULAR ((keff − 1)//2, keff//2), giving ⌈i/s⌉', () => {
    const r = run(flax('Conv', [8, [4]], { padding: 'CIRCULAR', strides: 2 }), [1, 9, 4]);
    assert.ok(r.ok);
    assert.deepEqual([r.value.axes[0].padBegin, r.value.axes[0].padEnd, formatShape(r.value.output)], [1, 2, '(1, 5, 8)']);
  });

  it('gives ConvTranspose SAME i·s and VALID (i − 1)·s + max(keff, s): longer than PyTorch\'s when the stride exceeds the kernel', () => {
    assert.deepEqual(outputOf(flax('ConvTranspose', [8, [4, 4]], { strides: [2, 2] }), [1, 7, 7, 3]), [1, 14, 14, 8]);
    assert.deepEqual(outputOf(flax('ConvTranspose', [8, [1]], { strides: [3], padding: 'VALID' }), [1, 4, 3]), [1, 12, 8]);
    assert.deepEqual(outputOf(call('ConvTranspose1d', [3, 8, 1], { stride: 3 }), [1, 3, 4]), [1, 8, 10]);
  });

  it('reads explicit ConvTranspose pads as the zero-inserted input\'s: ((keff − 1 − p, keff − 1 − p)) is PyTorch\'s padding=p', () => {
    assert.deepEqual(outputOf(flax('ConvTranspose', [8, [3]], { strides: [2], padding: [[1, 1]] }), [1, 4, 3]), [1, 7, 8]);
    assert.deepEqual(outputOf(call('ConvTranspose1d', [3, 8, 3], { stride: 2, padding: 1 }), [1, 3, 4]), [1, 8, 7]);
  });

  it('reads an int kernel_size as a 1-D kernel: on (N, H, W, C) only W is convolved', () => {
    assert.deepEqual(outputOf(flax('Conv', [8, 3], { padding: 'VALID' }), [1, 16, 16, 3]), [1, 16, 14, 8]);
  });

  it('checks nnx.Conv\'s in_features against the input', () => {
    assert.equal(refusalOf(flax('nnx.Conv', [16, 32, [3, 3]]), [1, 8, 8, 3]).message, 'in_features=16, but the input has 3 features');
  });
});

describe('Flax modules in the editor', () => {
  it('warns that an int kernel_size is a 1-D kernel, with the fix writing one entry per axis', () => {
    const text = 'import flax.linen as nn\ny = nn.Conv(8, 3)  # input: (1, 16, 16, 3)\n';
    const [f] = findings(new DocumentAnalysis(parsePython(text), text, {}), { checkerboard: true, unreadInput: true });
    assert.equal(f.code, 'flax-int-kernel');
    assert.equal(f.message, 'kernel_size=3 is a 1-D kernel in Flax: on this 2-D input it convolves the last spatial axis only (the others are folded into the batch). Write kernel_size=(3, 3) for a 2-D kernel.');
    assert.deepEqual(f.fixes.map((x) => [x.title, text.slice(x.edit.span.from, x.edit.span.to), x.edit.text]), [['Write kernel_size=(3, 3)', '3', '(3, 3)']]);
  });

  it('chains a compact __call__ through the activations applied as functions', () => {
    const text = [
      'import flax.linen as nn',
      'class Decoder(nn.Module):',
      '    @nn.compact',
      '    def __call__(self, z):',
      '        x = nn.ConvTranspose(32, kernel_size=(4, 4), strides=(2, 2))(z)',
      '        x = nn.relu(x)',
      '        return nn.ConvTranspose(16, kernel_size=(3, 3), strides=(2, 2), padding="VALID")(x)',
    ].join('\n');
    const model = parsePython(text);
    assert.deepEqual(model.chains.map((c) => c.kind), ['functional']);
    const outputs = layerResults(analyzeItem(model.roots[0], undefined)).map((s) => (s.outcome.ok ? formatShape(s.outcome.value.output) : s.outcome.refusal.message));
    assert.deepEqual(outputs, ['(N, 2·H, 2·W, 32)', '(N, 4·H + 1, 4·W + 1, 16)']);
  });
});
