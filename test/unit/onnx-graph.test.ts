/** ONNX graphs written with onnx.helper: nodes found, linked by tensor names, judged by onnx's own shape inference. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeItem, layerResults } from '../../src/core/analyze';
import { concreteShape } from '../../src/core/shape';
import { parsePython } from '../../src/core/python/parse';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'onnx_graph.py');

describe('ONNX graphs in Python (onnx.helper)', () => {
  it('links the example\'s nodes through their tensor names, from its declared input', () => {
    const model = parsePython(readFileSync(EXAMPLE, 'utf8'));
    assert.deepEqual(model.chains.map((c) => [c.kind, c.items.map((i) => (i.kind === 'layer' ? i.layer.layerType : i.kind))]), [['graph', ['GraphInput', 'Conv', 'Relu', 'ConvTranspose', 'MaxPool']]]);
  });

  it('gives every tensor of the example the shape onnx\'s shape inference gives (python3-onnx)', () => {
    const inferred = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', [
        'import json, runpy, onnx',
        `m = runpy.run_path(${JSON.stringify(EXAMPLE)})["model"]`,
        'g = onnx.shape_inference.infer_shapes(m, strict_mode=True).graph',
        'print(json.dumps({v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(g.value_info) + list(g.output)}))',
      ].join('\n')], { encoding: 'utf8' }),
    ) as Record<string, number[]>;
    const model = parsePython(readFileSync(EXAMPLE, 'utf8'));
    const steps = layerResults(analyzeItem(model.roots[0], undefined)).slice(1);
    const ours = steps.map((s) => (s.outcome.ok ? concreteShape(s.outcome.value.output) : s.outcome.refusal.message));
    assert.deepEqual(ours, [inferred.h, inferred.r, inferred.up, inferred.Y]);
  });

  it('reads a node\'s attributes as keywords and W\'s shape from its declaration', () => {
    const text = 'from onnx import helper, TensorProto\nw = helper.make_tensor_value_info("W", TensorProto.FLOAT, [4, 2, 3, 3])\nn = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2], name="up")\n';
    const [node] = parsePython(text).layers;
    assert.deepEqual([node.framework, node.layerType, node.args.map((a) => a.name)], ['onnx', 'ConvTranspose', ['strides']]);
    assert.deepEqual(node.operands?.[0].shape?.map((e) => e.c), [4, 2, 3, 3]);
  });
});
