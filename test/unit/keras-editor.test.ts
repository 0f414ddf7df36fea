/** Keras files in the editor: the same hover, hints, diagnostics and panel, in Keras' terms. */
import { strict as assert } from 'node:assert';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { findings } from '../../src/core/editor/findings';
import { layerHoverMarkdown } from '../../src/core/present/hoverText';
import { parsePython } from '../../src/core/python/parse';
import { formatShape } from '../../src/core/shape';
import { panelView } from '../../src/core/visual/panelView';

const GENERATOR = [
  'from tensorflow import keras',
  'from tensorflow.keras import layers',
  '',
  'generator = keras.Sequential([',
  '    keras.Input(shape=(100,)),',
  '    layers.Dense(7 * 7 * 256, use_bias=False),',
  '    layers.BatchNormalization(),',
  '    layers.LeakyReLU(),',
  '    layers.Reshape((7, 7, 256)),',
  "    layers.Conv2DTranspose(128, (5, 5), strides=(1, 1), padding='same', use_bias=False),",
  "    layers.Conv2DTranspose(64, (5, 5), strides=(2, 2), padding='same', use_bias=False),",
  "    layers.Conv2DTranspose(1, (5, 5), strides=(2, 2), padding='same', use_bias=False, activation='tanh'),",
  '])',
  '',
].join('\n');

function analyse(text: string): DocumentAnalysis {
  return new DocumentAnalysis(parsePython(text), text, {});
}

describe('Keras in the editor', () => {
  it('feeds keras.Sequential from its keras.Input: the TF DCGAN generator ends at (N, 28, 28, 1)', () => {
    const outputs = analyse(GENERATOR).insights.map((i) => (i.outcome.ok ? formatShape(i.outcome.value.output) : i.outcome.refusal.message));
    assert.deepEqual(outputs, ['(N, 100)', '(N, 12544)', '(N, 12544)', '(N, 12544)', '(N, 7, 7, 256)', '(N, 7, 7, 128)', '(N, 14, 14, 64)', '(N, 28, 28, 1)']);
  });

  it('hovers a Keras transposed conv with the full output less its crops, TF\'s odd crop at the end', () => {
    const lines = layerHoverMarkdown(analyse(GENERATOR).insights[6], {}).split('\n');
    assert.equal(lines[0], '**Conv2DTranspose** → `(N, 14, 14, 64)`');
    assert.ok(lines.includes('- H: `(7 − 1)·2 + 1·(5 − 1) + 1 − 1 − 2 = 14`'), lines.join('\n'));
    assert.ok(lines.includes('  - same output size without it: `layers.UpSampling2D(size=2), layers.Conv2D(64, 3, padding="same")`'), lines.join('\n'));
  });

  it('writes padding="same" of a strided Keras conv as ⌈i/s⌉', () => {
    const text = 'from tensorflow.keras import layers\nx = layers.Conv2D(8, 3, strides=2, padding="same")\n';
    assert.ok(layerHoverMarkdown(analyse(text).insights[0], {}).split('\n').includes('- H: `⌈H/2⌉ = ⌈H/2⌉`'));
  });

  it('flags what Keras refuses, in Keras\' words', () => {
    const text = 'from tensorflow.keras import layers\nx = layers.Conv2DTranspose(8, 3, strides=2, output_padding=2)\n';
    const [f] = findings(analyse(text), { checkerboard: true, unreadInput: true });
    assert.equal(f.message, 'Keras refuses this Conv2DTranspose: `output_padding` must be < `strides`. output_padding=(2, 2), strides=(2, 2)');
  });

  it('draws a channels-last layer in the panel, reading its channels from the last axis', () => {
    const view = panelView(analyse(GENERATOR).insights[6]);
    assert.equal(view.kind, 'diagram');
    if (view.kind !== 'diagram') return;
    assert.equal(view.channels, 'one channel pair drawn, of 128 in → 64 out');
    assert.equal(view.editable, undefined, 'parameters are edited as PyTorch calls: not offered for Keras');
  });
});
