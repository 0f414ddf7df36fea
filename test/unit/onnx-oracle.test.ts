/**
 * The ONNX engine judged by Debian's python3-onnx 1.12 (test/oracle/onnx_cases.py): the 45
 * backend node test cases onnx ships (shapes, and for 2-D Conv and ConvTranspose the values
 * through our crop model), and random nodes whose shape onnx's own inference computes. The
 * committed fixture by default; ONNX_CASES names a fresh live sample (scripts/oracle-live.mjs).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLayer } from '../../src/core/analyze';
import { constant, constValue } from '../../src/core/expr';
import { conv2d, convTranspose2d, type Grid } from '../../src/core/numeric';
import type { LayerReport } from '../../src/core/torch/report';
import type { Argument, LayerCall, Value } from '../../src/core/values';

interface OnnxCase {
  readonly kind: 'backend' | 'inference';
  readonly name?: string;
  readonly op: string;
  readonly attributes: Record<string, number | string | number[]>;
  readonly inputs: (number[] | null)[];
  readonly outputs: number[][];
  readonly output_shape_input?: number[];
  readonly x?: number[][][][];
  readonly w?: number[][][][];
  readonly y?: number[][][][];
}

const file = process.env.ONNX_CASES ?? join(__dirname, '..', 'oracle', 'onnx-cases.jsonl');
const cases: OnnxCase[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as OnnxCase);

function valueOf(v: number | string | number[]): Value {
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (typeof v === 'number') return { kind: 'int', expr: constant(v) };
  return { kind: 'seq', brackets: 'list', items: v.map((x) => ({ kind: 'int', expr: constant(x) })) };
}

/** The node as the front end hands it over: attributes as keywords, W's shape and constant inputs as operands. */
function nodeOf(c: OnnxCase): LayerCall {
  const nowhere = { from: 0, to: 0 };
  const args: Argument[] = Object.entries(c.attributes).map(([name, v]) => ({ name, value: valueOf(v), text: JSON.stringify(v), spanInCall: nowhere }));
  const operands = c.op === 'MaxUnpool' ? [{}, c.output_shape_input ? { values: c.output_shape_input } : {}] : c.inputs[1] ? [{ shape: c.inputs[1].map(constant) }] : [];
  return { framework: 'onnx', layerType: c.op, args, operands, hasStarArgs: false, span: nowhere, calleeSpan: nowhere, text: c.op };
}

function reportOf(c: OnnxCase): LayerReport {
  const r = analyzeLayer(nodeOf(c), c.inputs[0]!.map(constant));
  if (!r.ok) throw new Error(`refused: ${r.refusal.message}`);
  return r.value;
}

/**
 * Output channel m of a 2-D node with one input channel, through our model: the padded conv,
 * or the full transposed output cropped as the report says (zeros past its end).
 */
function modelled(c: OnnxCase, r: LayerReport, m: number): Grid {
  const x = c.x![0][0];
  const [a0, a1] = r.axes;
  if (c.op === 'Conv') {
    const padded = Array.from({ length: x.length + a0.padBegin + a0.padEnd }, (_, i) => Array.from({ length: x[0].length + a1.padBegin + a1.padEnd }, (_, j) => x[i - a0.padBegin]?.[j - a1.padBegin] ?? 0));
    return conv2d(padded, c.w![m][0], { stride: [a0.stride, a1.stride], dilation: [a0.dilation, a1.dilation] });
  }
  const full = convTranspose2d(x, c.w![0][m], { stride: [a0.stride, a1.stride], dilation: [a0.dilation, a1.dilation] });
  const [rows, cols] = [constValue(a0.output)!, constValue(a1.output)!];
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => full[i + a0.padBegin]?.[j + a1.padBegin] ?? 0));
}

describe('ONNX nodes against python3-onnx 1.12', () => {
  const backend = cases.filter((c) => c.kind === 'backend');
  const inferred = cases.filter((c) => c.kind === 'inference');
  /** Cases that disagree, over all three checks (printed for the live run's summary). */
  const failed = new Set<OnnxCase>();
  after(() => {
    process.stdout.write(`\nonnx-oracle: ${cases.length - failed.size} passed, ${failed.size} failed\n`);
  });

  it(`gives the expected output shape of every backend node test case (${backend.length})`, () => {
    if (!process.env.ONNX_CASES) assert.equal(backend.length, 45);
    const wrong = backend.flatMap((c) => {
      const got = reportOf(c).output.map((e) => constValue(e));
      if (JSON.stringify(got) === JSON.stringify(c.outputs[0])) return [];
      failed.add(c);
      return [`${c.name}: Conv Lens ${JSON.stringify(got)}, onnx ${JSON.stringify(c.outputs[0])}`];
    });
    assert.deepEqual(wrong, []);
  });

  it('reproduces the values of every 2-D Conv and ConvTranspose backend case from the crop of the full output', () => {
    const valued = backend.filter((c) => c.y);
    assert.ok(valued.every((c) => c.x![0].length === 1), 'the cases have one input channel');
    if (!process.env.ONNX_CASES) assert.equal(valued.length, 13);
    const wrong = valued.flatMap((c) => {
      const r = reportOf(c);
      const bad = c.y![0].flatMap((channel, m) => (JSON.stringify(modelled(c, r, m)) === JSON.stringify(channel) ? [] : [`${c.name}, output channel ${m}`]));
      if (bad.length > 0) failed.add(c);
      return bad;
    });
    assert.deepEqual(wrong, []);
  });

  it(`agrees with onnx's shape inference on ${inferred.length} random Conv, ConvTranspose, MaxPool and AveragePool nodes`, () => {
    const wrong = inferred.flatMap((c) => {
      try {
        const got = reportOf(c).output.map((e) => constValue(e));
        if (JSON.stringify(got) === JSON.stringify(c.outputs[0])) return [];
        failed.add(c);
        return [`${c.op} ${JSON.stringify(c.attributes)} on ${JSON.stringify(c.inputs)}: Conv Lens ${JSON.stringify(got)}, onnx ${JSON.stringify(c.outputs[0])}`];
      } catch (e) {
        failed.add(c);
        return [`${c.op} ${JSON.stringify(c.attributes)}: ${String(e)}`];
      }
    });
    assert.deepEqual(wrong.slice(0, 10), []);
  });
});
