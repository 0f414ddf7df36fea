/**
 * Translations of a transposed conv between frameworks: the worked examples of reference §2.3,
 * and agreement value by value — real PyTorch (Debian's python3-torch) for the layer, TF's
 * conv2d_transpose in @tensorflow/tfjs for its Keras translation.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { layerHoverMarkdown } from '../../src/core/present/hoverText';
import { parsePython } from '../../src/core/python/parse';
import { constValue } from '../../src/core/expr';
import { translateTransposed, type Translation } from '../../src/core/translate';
import { call, kerasCall, run } from './helpers';

function translations(r: ReturnType<typeof run>): Record<string, Translation> {
  if (!r.ok) throw new Error(r.refusal.message);
  return Object.fromEntries(translateTransposed(r.value)!.map((t) => [t.target, t]));
}

describe('translating a transposed conv between frameworks', () => {
  it('TF SAME on [[1,2],[3,4]] (crop 0 at the start, 1 at the end): PyTorch needs a slice; ONNX pads [0, 0, 1, 1]', () => {
    const t = translations(run(kerasCall('Conv2DTranspose', [1, 3], { strides: 2, padding: 'same' }), [1, 2, 2, 1]));
    assert.equal(t.torch.exact, false);
    assert.equal(t.torch.code, 'y = nn.ConvTranspose2d(1, 1, kernel_size=3, stride=2, padding=0)(x)\ny = y[..., :-1, :-1]');
    assert.equal(t.keras.code, 'layers.Conv2DTranspose(1, 3, strides=2, padding="same")');
    assert.equal(t.onnx.code, 'helper.make_node("ConvTranspose", ["X", "W"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1])');
    assert.equal(t.flax.code, 'nn.ConvTranspose(1, kernel_size=(3, 3), strides=(2, 2), padding=((2, 1), (2, 1)), transpose_kernel=True)');
  });

  it('PyTorch padding=1, output_padding=1 (crop 1 at the start, 0 at the end): Keras crops its full output', () => {
    const t = translations(run(call('ConvTranspose2d', [4, 8, 3], { stride: 2, padding: 1, output_padding: 1 }), [1, 4, 2, 2]));
    assert.equal(t.torch.code, 'nn.ConvTranspose2d(4, 8, kernel_size=3, stride=2, padding=1, output_padding=1)');
    assert.equal(t.keras.exact, false);
    assert.equal(t.keras.code, 'layers.Conv2DTranspose(8, 3, strides=2, padding="valid", output_padding=0),\nlayers.Cropping2D(((1, 0), (1, 0)))');
    assert.equal(t.onnx.code, 'helper.make_node("ConvTranspose", ["X", "W"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 0, 0])');
  });

  it('the DCGAN\'s kernel 4, stride 2, padding 1 is Keras\' padding="same" exactly', () => {
    const t = translations(run(call('ConvTranspose2d', [512, 256, 4, 2, 1]), [1, 512, 4, 4]));
    assert.equal(t.keras.code, 'layers.Conv2DTranspose(256, 4, strides=2, padding="same")');
    assert.equal(t.keras.exact, true);
  });

  it('finds Keras\' output_padding for a stride of 10**12 without trying each of them (that threw RangeError: Invalid array length)', () => {
    const t = translations(run(call('ConvTranspose1d', [1, 1, 3], { stride: 10 ** 12, padding: 1 }), [1, 1, 2]));
    assert.equal(t.keras.code, 'layers.Conv1DTranspose(1, 3, strides=1000000000000, padding="same", output_padding=0)');
  });

  it('lists the same layer in the other frameworks in the hover', () => {
    const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1)\n';
    const analysis = new DocumentAnalysis(parsePython(text), text, {});
    const lines = layerHoverMarkdown(analysis.insights[0], {}).split('\n');
    const at = lines.indexOf('- the same layer in');
    assert.deepEqual(lines.slice(at + 1, at + 4), [
      '  - Keras: `layers.Conv2DTranspose(8, 4, strides=2, padding="same")`',
      '  - ONNX: `helper.make_node("ConvTranspose", ["X", "W"], ["Y"], kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1])`',
      '  - Flax: `nn.ConvTranspose(8, kernel_size=(4, 4), strides=(2, 2), padding=((2, 2), (2, 2)), transpose_kernel=True)`',
    ]);
  });

  it('gives the ONNX translation the output size real PyTorch gives (onnx shape inference on the emitted node, 40 random layers)', () => {
    let seed = 7;
    const r = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const cases = Array.from({ length: 40 }, () => ({ k: 1 + r(4), s: 1 + r(3), p: r(3), op: r(2), d: 1 + r(2), h: 2 + r(5) }))
      .map((c) => ({ ...c, op: c.op < c.s || c.op < c.d ? c.op : 0 }))
      .filter((c) => (c.h - 1) * c.s - 2 * c.p + c.d * (c.k - 1) + c.op + 1 >= 1);
    const nodes = cases.map((c) => {
      const report = run(call('ConvTranspose1d', [1, 1, c.k], { stride: c.s, padding: c.p, output_padding: c.op, dilation: c.d }), [1, 1, c.h]);
      if (!report.ok) throw new Error(report.refusal.message);
      return { code: translateTransposed(report.value)!.find((t) => t.target === 'onnx')!.code, h: c.h, k: c.k, expected: constValue(report.value.output[2]) };
    });
    const inferred = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', [
        'import json, sys',
        'from onnx import helper, TensorProto, shape_inference',
        'out = []',
        'for n in json.load(sys.stdin):',
        '    node = eval(n["code"])',
        '    g = helper.make_graph([node], "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 1, n["h"]]), helper.make_tensor_value_info("W", TensorProto.FLOAT, [1, 1, n["k"]])], [helper.make_tensor_value_info("Y", TensorProto.FLOAT, None)])',
        '    m = shape_inference.infer_shapes(helper.make_model(g), strict_mode=True)',
        '    out.append(m.graph.output[0].type.tensor_type.shape.dim[2].dim_value)',
        'print(json.dumps(out))',
      ].join('\n')], { input: JSON.stringify(nodes), encoding: 'utf8' }),
    ) as number[];
    assert.deepEqual(inferred, nodes.map((n) => n.expected));
  });

  it('computes the same values: 60 random ConvTranspose2d layers in real PyTorch and their Keras translation in tfjs', async () => {
    await tf.setBackend('cpu');
    let seed = 99;
    const r = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const cases = Array.from({ length: 60 }, () => {
      const k = 1 + r(4);
      const s = 1 + r(3);
      const p = r(k);
      const op = r(s);
      const h = 1 + r(4);
      const w = 1 + r(4);
      return { k, s, p, op, h, w, x: Array.from({ length: h * w }, () => r(9) - 4), kernel: Array.from({ length: k * k }, () => r(5) - 2) };
    }).filter((c) => (c.h - 1) * c.s - 2 * c.p + c.k + c.op >= 1 && (c.w - 1) * c.s - 2 * c.p + c.k + c.op >= 1);
    const torchOut = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', [
        'import json, sys, torch',
        'out = []',
        'for c in json.load(sys.stdin):',
        '    x = torch.tensor(c["x"], dtype=torch.float64).reshape(1, 1, c["h"], c["w"])',
        '    w = torch.tensor(c["kernel"], dtype=torch.float64).reshape(1, 1, c["k"], c["k"])',
        '    out.append(torch.nn.functional.conv_transpose2d(x, w, stride=c["s"], padding=c["p"], output_padding=c["op"])[0, 0].tolist())',
        'print(json.dumps(out))',
      ].join('\n')], { input: JSON.stringify(cases), encoding: 'utf8' }),
    ) as number[][][];
    const wrong: string[] = [];
    cases.forEach((c, n) => {
      const report = run(call('ConvTranspose2d', [1, 1, c.k], { stride: c.s, padding: c.p, output_padding: c.op }), [1, 1, c.h, c.w]);
      if (!report.ok) throw new Error(report.refusal.message);
      const keras = translateTransposed(report.value)!.find((t) => t.target === 'keras')!;
      // Run the translation with TF's op: Keras' layer is conv2d_transpose with its length and alignment.
      const out = kerasValues(keras.code, c);
      if (JSON.stringify(out) !== JSON.stringify(torchOut[n])) wrong.push(`k=${c.k} s=${c.s} p=${c.p} op=${c.op} on ${c.h}×${c.w}: ${keras.code}`);
    });
    assert.deepEqual(wrong, []);
  });
});

/** A Keras translation evaluated with tfjs: conv2d_transpose at Keras' length (TF's alignment), then Cropping2D / ZeroPadding2D. */
function kerasValues(code: string, c: { k: number; s: number; h: number; w: number; x: number[]; kernel: number[] }): number[][] {
  const padding = /padding="(\w+)"/.exec(code)![1] as 'same' | 'valid';
  const op = /output_padding=(\d+)/.exec(code);
  const length = (i: number): number => {
    if (padding === 'valid') return op ? (i - 1) * c.s + c.k + Number(op[1]) : (i - 1) * c.s + Math.max(c.k, c.s);
    return op ? (i - 1) * c.s + (c.k % 2) + Number(op[1]) : i * c.s;
  };
  return tf.tidy(() => {
    const x = tf.tensor4d(c.x, [1, c.h, c.w, 1]);
    const w = tf.tensor4d(c.kernel, [c.k, c.k, 1, 1]);
    let y = tf.conv2dTranspose(x, w, [1, length(c.h), length(c.w), 1], c.s, padding).squeeze<tf.Tensor2D>([0, 3]);
    const crop = /Cropping2D\(\(\((\d+), (\d+)\), \((\d+), (\d+)\)\)\)/.exec(code);
    if (crop) {
      const [t, b, l, r] = crop.slice(1).map(Number);
      y = y.slice([t, l], [y.shape[0] - t - b, y.shape[1] - l - r]);
    }
    const pad = /ZeroPadding2D\(\(\((\d+), (\d+)\), \((\d+), (\d+)\)\)\)/.exec(code);
    if (pad) {
      const [t, b, l, r] = pad.slice(1).map(Number);
      y = y.pad([[t, b], [l, r]]);
    }
    return y.arraySync();
  });
}

