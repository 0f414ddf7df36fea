/** Layers written as configuration in YAML and JSON files (mmcv-style mappings, Keras model JSON). */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/core/config/parse';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { layerHoverMarkdown } from '../../src/core/present/hoverText';
import { answerShapeQuery } from '../../src/core/query';
import { formatShape } from '../../src/core/shape';

const example = (name: string): string => readFileSync(join(__dirname, '..', '..', 'examples', name), 'utf8');

function outputs(text: string, format: 'yaml' | 'json'): string[] {
  const analysis = new DocumentAnalysis(parseConfig(text, format), text, {});
  return analysis.insights.map((i) => `${i.layer.layerType} ${i.outcome.ok ? formatShape(i.outcome.value.output) : i.outcome.refusal.message}`);
}

describe('layer configs in YAML and JSON', () => {
  it('reads an mmcv-style YAML list as a chain, fed from its input comment', () => {
    assert.deepEqual(outputs(example('decoder_config.yaml'), 'yaml'), ['ConvTranspose2d (1, 128, 16, 16)', 'ReLU (1, 128, 16, 16)', 'ConvTranspose2d (1, 64, 32, 32)', 'Conv2d (1, 3, 32, 32)']);
  });

  it('reads a Keras model JSON: a Sequential from its InputLayer\'s batch_input_shape, keys the shape does not use left out', () => {
    assert.deepEqual(outputs(example('keras_model.json'), 'json'), ['Input (N, 7, 7, 128)', 'Conv2DTranspose (N, 14, 14, 64)', 'Conv2DTranspose (N, 28, 28, 1)']);
  });

  it('hovers a YAML layer with the spans of its mapping: the callee is its type', () => {
    const text = 'up:\n  type: ConvTranspose2d\n  in_channels: 16\n  out_channels: 8\n  kernel_size: 4\n  stride: 2\n  padding: 1\n';
    const model = parseConfig(text, 'yaml');
    const [layer] = model.layers;
    assert.equal(text.slice(layer.calleeSpan.from, layer.calleeSpan.to), 'type: ConvTranspose2d');
    const analysis = new DocumentAnalysis(model, text, {});
    assert.equal(layerHoverMarkdown(analysis.insights[0], {}).split('\n')[0], '**ConvTranspose2d** → `(N, 8, 2·H, 2·W)`');
  });

  it('gives the reason PyTorch would give for a refused config layer', () => {
    assert.deepEqual(outputs('- type: ConvTranspose2d\n  in_channels: 4\n  out_channels: 4\n  kernel_size: 3\n  output_padding: 1\n', 'yaml'), [
      'ConvTranspose2d output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1',
    ]);
  });

  it('ignores mappings whose type is not a layer, and survives broken files', () => {
    assert.deepEqual(parseConfig('optimizer:\n  type: SGD\n  lr: 0.1\n', 'yaml').layers, []);
    const broken = parseConfig('up: {type: ConvTranspose2d, in_channels: [1, 2\n', 'yaml');
    assert.ok(broken.syntaxErrors.length > 0);
    assert.equal(parseConfig('{"class_name": "Conv2D", "config": {"filters": 8, "kernel_size": 3', 'json').layers.length, 1);
  });

  it('has the CLI read JSON that opens with a comment as JSON: `// input: (1, 7, 7, 128)` read as YAML hid every layer', () => {
    const answer = answerShapeQuery(`// input: (1, 7, 7, 128)\n${example('keras_model.json')}`, undefined);
    assert.deepEqual('output' in answer ? answer.output : answer.error, ['N', 28, 28, 1]);
  });
});
