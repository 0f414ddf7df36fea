/**
 * Caffe prototxt networks by the rules of reference §5 (Caffe cannot be installed here, so
 * these are its documented rules, emulated there with torch — not a run of Caffe).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCaffe } from '../../src/core/caffe/model';
import { parsePrototxt } from '../../src/core/caffe/prototxt';
import { answerShapeQuery, mayHoldPythonLayers } from '../../src/core/query';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { formatShape } from '../../src/core/shape';

function outputs(text: string): string[] {
  const analysis = new DocumentAnalysis(parseCaffe(text), text, {});
  return analysis.insights.map((i) => `${i.layer.layerType} ${i.outcome.ok ? formatShape(i.outcome.value.output) : i.outcome.refusal.message}`);
}

const net = (layers: string): string => `input: "data"\ninput_dim: 1\ninput_dim: 3\ninput_dim: 8\ninput_dim: 8\n${layers}`;

describe('Caffe prototxt (reference §5 rules)', () => {
  it('reads the FCN-32s head: blobs link the layers (in-place ReLU too), the Deconvolution upsamples 32×', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'examples', 'fcn32s_head.prototxt'), 'utf8');
    assert.deepEqual(outputs(text), ['Input (1, 4096, 16, 16)', 'Convolution (1, 21, 16, 16)', 'ReLU (1, 21, 16, 16)', 'Deconvolution (1, 21, 544, 544)', 'Pooling (1, 21, 272, 272)']);
  });

  it('gives Deconvolution s·(i − 1) + keff − 2p (PyTorch\'s without output_padding), with kernel_h/kernel_w', () => {
    const out = outputs(net('layer { type: "Deconvolution" bottom: "data" top: "up" convolution_param { num_output: 4 kernel_h: 4 kernel_w: 3 stride: 2 pad: 1 } }'));
    assert.deepEqual(out, ['Input (1, 3, 8, 8)', 'Deconvolution (1, 4, 16, 15)']);
  });

  it('pools in CEIL mode by default, dropping a last window that starts in the padding only when there is padding', () => {
    assert.deepEqual(outputs(net('layer { type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 2 stride: 2 pad: 1 } }'))[1], 'Pooling (1, 3, 5, 5)');
    // i = 2, k = 1, s = 2, no padding: Caffe keeps 2 windows where PyTorch's ceil_mode gives 1.
    const two = `input: "data"\ninput_shape { dim: 1 dim: 1 dim: 2 dim: 2 }\nlayer { type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 1 stride: 2 } }`;
    assert.equal(outputs(two)[1], 'Pooling (1, 1, 2, 2)');
  });

  it('refuses a pad that is not smaller than the kernel, in Caffe\'s words', () => {
    assert.equal(outputs(net('layer { type: "Pooling" bottom: "data" top: "p" pooling_param { kernel_size: 2 pad: 2 } }'))[1], 'Pooling Check failed: pad_h_ < kernel_h_ (2 vs. 2)');
  });

  it('refuses an InnerProduct on a blob with no axis 1 (an Input of shape { }), whose output had an undefined size', () => {
    const text = 'layer { name: "data" type: "Input" top: "data" input_param { shape { } } }\nlayer { type: "InnerProduct" bottom: "data" top: "fc" inner_product_param { num_output: 10 } }';
    assert.deepEqual(outputs(text), ['Input ()', 'InnerProduct axis 1 out of range for 0-D Blob: InnerProduct needs (N, features…)']);
  });

  it('reads half-typed text without throwing, and says where it stopped', () => {
    const { fields, errors } = parsePrototxt('layer { type: "Convolution" convolution_param { num_output: 8 ');
    assert.equal(fields.length, 1);
    assert.ok(errors.length > 0);
    assert.doesNotThrow(() => parseCaffe('layer { type: "Convolution" convolution_param { num_output: 8 }'));
  });
});

describe('the reader the CLI takes for a text', () => {
  // Texts were tried as Python first, whatever they were: lezer's error recovery on a
  // prototxt costs 3–7 µs a byte, 10–30× Caffe's own parse, in every answer.
  const fcn = readFileSync(join(__dirname, '..', '..', 'examples', 'fcn32s_head.prototxt'), 'utf8');
  const output = (text: string): unknown => {
    const answer = answerShapeQuery(text, undefined);
    return 'output' in answer ? answer.output : answer.error;
  };

  it('does not try Python on a Caffe net whose only parentheses are in comments (the FCN-32s head)', () => {
    assert.equal(mayHoldPythonLayers(fcn), false);
    assert.deepEqual(output(fcn), [1, 21, 272, 272]);
  });

  it('reads a text with a `layer {` line as Caffe, a `(` in it notwithstanding', () => {
    const text = fcn.replace('name: "pool"', 'name: "pool (3×3)"');
    assert.equal(mayHoldPythonLayers(text), false);
    assert.deepEqual(output(text), [1, 21, 272, 272]);
  });

  it('takes a `#` inside a Python string for no comment: the call after it is read', () => {
    const text = 'm = {"#": nn.Conv2d(3, 8, 3)}';
    assert.equal(mayHoldPythonLayers(text), true);
    assert.deepEqual(output(text), ['N', 8, 'H − 2', 'W − 2']);
  });

  it('finds no layer in Python whose only call is in a comment', () => {
    const text = 'x = 1  # nn.Conv2d(3, 8, 3)';
    assert.equal(mayHoldPythonLayers(text), false);
    assert.equal(output(text), 'no layer found in the source (PyTorch, Keras, Flax or ONNX in Python; a YAML or JSON layer config)');
  });
});
