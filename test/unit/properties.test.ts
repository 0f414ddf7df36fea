/**
 * Properties of the engine, checked on random layer configurations (fast-check, fixed seeds:
 * every run checks the same cases). Each states a relation the engine must keep with itself:
 * a transposed conv undoes a conv's shape, the zero-insertion form it reports computes the
 * transposed conv's values, a symbolic answer is the concrete one with the sizes plugged in,
 * the CLI's answer is the engine's, the solver's answers meet their target.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyzeChain, analyzeLayer, itemOutput } from '../../src/core/analyze';
import { constant, evaluate, symbols, type Expr } from '../../src/core/expr';
import { conv2d, convTranspose2d, type Grid } from '../../src/core/numeric';
import { parsePython } from '../../src/core/python/parse';
import { answerShapeQuery, mayHoldPythonLayers } from '../../src/core/query';
import { concreteShape, type Condition } from '../../src/core/shape';
import { invertConv, outputLength, solve, type AxisConfig, type ConvKind } from '../../src/core/solve/solver';
import type { LayerReport } from '../../src/core/torch/report';
import type { LayerCall, LayerChain } from '../../src/core/values';
import { call, kerasCall, outputOf, run, type Lit } from './helpers';

const SEED = 20261122;
const RUNS = 300;

/** One axis of a conv that PyTorch builds (any padding ≥ 0; the input decides the rest). */
const axisArb: fc.Arbitrary<AxisConfig> = fc
  .record({ kernel: fc.integer({ min: 1, max: 7 }), stride: fc.integer({ min: 1, max: 4 }), dilation: fc.integer({ min: 1, max: 3 }) })
  .chain((a) => fc.integer({ min: 0, max: a.dilation * (a.kernel - 1) + 2 }).map((padding) => ({ ...a, padding, outputPadding: 0 })));

const lengthArb = fc.integer({ min: 1, max: 64 });

/** A 2-D layer's arguments from one config per axis: `(k_H, k_W)`, `(s_H, s_W)`, … */
function windowArgs(axes: readonly AxisConfig[], transposed: boolean): Record<string, Lit> {
  const tuple = (f: (a: AxisConfig) => number): Lit => axes.map(f);
  return {
    kernel_size: tuple((a) => a.kernel),
    stride: tuple((a) => a.stride),
    padding: tuple((a) => a.padding),
    dilation: tuple((a) => a.dilation),
    ...(transposed ? { output_padding: tuple((a) => a.outputPadding) } : {}),
  };
}

function chainOf(...layers: LayerCall[]): LayerChain {
  return { kind: 'sequential', span: { from: 0, to: 0 }, items: layers.map((layer) => ({ kind: 'layer' as const, layer })) };
}

describe('properties: a transposed conv restores a conv\'s input', () => {
  it('invertConv gives the transposed config whose output length is the conv\'s input length', () => {
    fc.assert(
      fc.property(axisArb, lengthArb, (conv, length) => {
        const out = outputLength('conv', conv, length);
        fc.pre(out !== undefined);
        const inverse = invertConv(conv, length);
        assert.ok(inverse, `no inverse of ${JSON.stringify(conv)} at ${length}`);
        assert.equal(outputLength('convTranspose', inverse, out), length);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('its output_padding is below max(stride, dilation), as PyTorch requires', () => {
    fc.assert(
      fc.property(axisArb, lengthArb, (conv, length) => {
        fc.pre(outputLength('conv', conv, length) !== undefined);
        const { outputPadding } = invertConv(conv, length)!;
        assert.ok(outputPadding >= 0 && outputPadding < Math.max(conv.stride, conv.dilation), `output_padding ${outputPadding} for ${JSON.stringify(conv)}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('nn.Conv2d then the inverting nn.ConvTranspose2d: the engine gives back (N, C, H, W), each axis its own config', () => {
    fc.assert(
      fc.property(fc.tuple(axisArb, axisArb), fc.tuple(lengthArb, lengthArb), ([ch, cw], [h, w]) => {
        const outs = [outputLength('conv', ch, h), outputLength('conv', cw, w)];
        fc.pre(outs.every((o) => o !== undefined));
        const inverse = [invertConv(ch, h)!, invertConv(cw, w)!];
        const conv = call('Conv2d', [3, 5], windowArgs([ch, cw], false));
        const transposed = call('ConvTranspose2d', [5, 3], windowArgs(inverse, true));
        // The engine's conv agrees with the solver's arithmetic, and accepts the inverse alone…
        assert.deepEqual(outputOf(conv, [2, 3, h, w]), [2, 5, ...outs]);
        assert.deepEqual(outputOf(transposed, [2, 5, ...outs]), [2, 3, h, w]);
        // …and through the chain, one feeding the other.
        const out = itemOutput(analyzeChain(chainOf(conv, transposed), [2, 3, h, w].map(constant)));
        assert.ok(out.ok, out.ok ? '' : out.refusal.message);
        assert.deepEqual(concreteShape(out.value), [2, 3, h, w]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('properties: the reported zero-insertion form computes the transposed conv', () => {
  /** Inserts `zeros` zeros between neighbours along both axes. */
  function insertZeros(x: Grid, zeros: readonly [number, number]): Grid {
    const rows = (x.length - 1) * (zeros[0] + 1) + 1;
    const cols = (x[0].length - 1) * (zeros[1] + 1) + 1;
    const out = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
    x.forEach((row, i) => row.forEach((v, j) => (out[i * (zeros[0] + 1)][j * (zeros[1] + 1)] = v)));
    return out;
  }

  /** Pads `begin` zeros before and `end` after along one axis (a negative count crops). */
  function padAxis(rows: Grid, begin: number, end: number, width: number): Grid {
    const zeros = (n: number): number[][] => Array.from({ length: n }, () => new Array<number>(width).fill(0));
    const kept = rows.slice(Math.max(0, -begin), rows.length - Math.max(0, -end));
    return [...zeros(Math.max(0, begin)), ...kept, ...zeros(Math.max(0, end))];
  }

  const transposeGrid = (g: Grid): Grid => g[0].map((_, c) => g.map((row) => row[c]));

  /** conv_transpose(x) as the report says: zeros between inputs, pad [start, end], stride-1 conv, kernel flipped. */
  function zeroInsertedForm(report: LayerReport, x: Grid, kernel: Grid): Grid {
    const [zh, zw] = report.axes.map((a) => a.zeroInsertion!);
    let g = insertZeros(x, [zh.zerosBetween, zw.zerosBetween]);
    g = padAxis(g, zh.padBegin, zh.padEnd, g[0].length);
    g = transposeGrid(padAxis(transposeGrid(g), zw.padBegin, zw.padEnd, g.length));
    const flipped = kernel.map((row) => [...row].reverse()).reverse();
    return conv2d(g, flipped, { dilation: [report.axes[0].dilation, report.axes[1].dilation] });
  }

  const valuesArb = (rows: number, cols: number): fc.Arbitrary<Grid> => fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

  const caseArb = fc
    .record({
      h: fc.integer({ min: 1, max: 6 }),
      w: fc.integer({ min: 1, max: 6 }),
      kh: fc.integer({ min: 1, max: 4 }),
      kw: fc.integer({ min: 1, max: 4 }),
      stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    })
    .chain((c) =>
      fc.record({
        c: fc.constant(c),
        // Up to 2 beyond d·(k − 1): the form then crops the zero-inserted input.
        padding: fc.tuple(fc.integer({ min: 0, max: c.dilation[0] * (c.kh - 1) + 2 }), fc.integer({ min: 0, max: c.dilation[1] * (c.kw - 1) + 2 })),
        outputPadding: fc.tuple(fc.integer({ min: 0, max: Math.max(c.stride[0], c.dilation[0]) - 1 }), fc.integer({ min: 0, max: Math.max(c.stride[1], c.dilation[1]) - 1 })),
        x: valuesArb(c.h, c.w),
        kernel: valuesArb(c.kh, c.kw),
      }),
    );

  it('zeros between inputs, the reported pads (negative: crops) and a stride-1 conv with the flipped kernel give the scatter\'s values exactly', () => {
    fc.assert(
      fc.property(caseArb, ({ c, padding, outputPadding, x, kernel }) => {
        const r = run(call('ConvTranspose2d', [1, 1, [c.kh, c.kw]], { stride: c.stride, padding, output_padding: outputPadding, dilation: c.dilation }), [1, 1, c.h, c.w]);
        fc.pre(r.ok); // an output shorter than 1: PyTorch refuses it
        if (!r.ok) return;
        const direct = convTranspose2d(x, kernel, { stride: c.stride, padding, dilation: c.dilation, outputPadding });
        assert.deepEqual(concreteShape(r.value.output), [1, 1, direct.length, direct[0].length]);
        assert.deepEqual(zeroInsertedForm(r.value, x, kernel), direct);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('properties: a symbolic output is the concrete one with the sizes plugged in', () => {
  /** Whether a condition of a symbolic answer holds for these sizes. */
  function holds(c: Condition, env: ReadonlyMap<string, number>): boolean {
    const at = (e: Expr): number => evaluate(e, env)!;
    if (c.kind === 'atLeast') return at(c.expr) >= c.min;
    if (c.kind === 'divisible') return at(c.expr) % c.by === 0;
    return at(c.a) === at(c.b);
  }

  /**
   * The layer on its own symbolic input, then on that input with every symbol given a size:
   * where the concrete layer is accepted, the symbolic output evaluates to its output and
   * every condition holds; where only the concrete one is refused, a condition fails.
   */
  function checkAgainstConcrete(layer: LayerCall, sizes: readonly number[]): void {
    const symbolic = analyzeLayer(layer, undefined);
    if (!symbolic.ok) return; // refused whatever the input: nothing symbolic to compare
    const names = [...new Set(symbolic.value.input.flatMap(symbols))];
    const env = new Map(names.map((n, k) => [n, sizes[k % sizes.length]]));
    const input = symbolic.value.input.map((e) => constant(evaluate(e, env)!));
    const concrete = analyzeLayer(layer, input);
    const conditions = symbolic.value.conditions.map((c) => holds(c, env));
    if (concrete.ok) {
      assert.deepEqual(symbolic.value.output.map((e) => evaluate(e, env)), concreteShape(concrete.value.output), `${layer.layerType} at ${JSON.stringify([...env])}`);
      assert.ok(conditions.every(Boolean), `${layer.layerType} at ${JSON.stringify([...env])}: accepted, but a condition fails`);
    } else {
      assert.ok(conditions.includes(false), `${layer.layerType} at ${JSON.stringify([...env])}: refused (${concrete.refusal.message}), but every condition holds`);
    }
  }

  const sizesArb = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 6, maxLength: 6 });
  const perAxis = (nd: number, arb: fc.Arbitrary<number>): fc.Arbitrary<number[]> => fc.array(arb, { minLength: nd, maxLength: nd });

  const torchLayerArb: fc.Arbitrary<LayerCall> = fc.integer({ min: 1, max: 3 }).chain((nd) =>
    fc.oneof(
      fc
        .record({ transposed: fc.boolean(), k: perAxis(nd, fc.integer({ min: 1, max: 5 })), s: perAxis(nd, fc.integer({ min: 1, max: 3 })), d: perAxis(nd, fc.integer({ min: 1, max: 2 })), p: perAxis(nd, fc.integer({ min: 0, max: 3 })), op: perAxis(nd, fc.integer({ min: 0, max: 2 })) })
        .map(({ transposed, k, s, d, p, op }) =>
          call(`${transposed ? 'ConvTranspose' : 'Conv'}${nd}d`, [4, 6, k], { stride: s, padding: p, dilation: d, ...(transposed ? { output_padding: op.map((o, a) => o % Math.max(s[a], d[a])) } : {}) }),
        ),
      fc
        .record({ max: fc.boolean(), k: perAxis(nd, fc.integer({ min: 1, max: 5 })), s: perAxis(nd, fc.integer({ min: 1, max: 3 })), p: fc.integer({ min: 0, max: 2 }), ceil: fc.boolean() })
        .map(({ max, k, s, p, ceil }) => call(`${max ? 'MaxPool' : 'AvgPool'}${nd}d`, [k], { stride: s, padding: Math.min(p, Math.floor(Math.min(...k) / 2)), ceil_mode: ceil })),
      fc
        .oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0.5, 1.5, 2.5, 0.29), perAxis(nd, fc.constantFrom(1, 2, 3, 1.5)))
        .map((scale) => call('Upsample', [], { scale_factor: scale, mode: nd === 1 ? 'linear' : nd === 2 ? 'nearest' : 'trilinear' })),
    ),
  );

  it('PyTorch Conv, ConvTranspose, MaxPool, AvgPool and Upsample in 1-D, 2-D and 3-D', () => {
    fc.assert(fc.property(torchLayerArb, sizesArb, (layer, sizes) => checkAgainstConcrete(layer, sizes)), { seed: SEED, numRuns: RUNS });
  });

  it('Keras Conv2DTranspose and Conv2D with padding \'same\' and \'valid\'', () => {
    const kerasArb = fc
      .record({
        transposed: fc.boolean(),
        k: fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })),
        s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
        padding: fc.constantFrom('same', 'valid'),
        op: fc.option(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })), { nil: undefined }),
      })
      .map(({ transposed, k, s, padding, op }) =>
        kerasCall(transposed ? 'Conv2DTranspose' : 'Conv2D', [8, k], { strides: s, padding, ...(transposed && op ? { output_padding: op.map((o, a) => o % s[a]) } : {}) }),
      );
    fc.assert(fc.property(kerasArb, sizesArb, (layer, sizes) => checkAgainstConcrete(layer, sizes)), { seed: SEED, numRuns: RUNS });
  });
});

describe('properties: the CLI and the solver', () => {
  it('answerShapeQuery on the source text of a layer gives what analyzeLayer gives for the layer', () => {
    fc.assert(
      fc.property(axisArb, axisArb, fc.boolean(), fc.tuple(lengthArb, lengthArb), (ch, cw, transposed, [h, w]) => {
        const axes = transposed ? [{ ...ch, outputPadding: ch.stride - 1 }, cw] : [ch, cw];
        const args = windowArgs(axes, transposed);
        const text = (v: Lit): string => (Array.isArray(v) ? `(${v.join(', ')})` : JSON.stringify(v));
        const source = `import torch.nn as nn\nnn.${transposed ? 'ConvTranspose2d' : 'Conv2d'}(3, 8, ${Object.entries(args).map(([k, v]) => `${k}=${text(v)}`).join(', ')})`;
        const engine = run(call(transposed ? 'ConvTranspose2d' : 'Conv2d', [3, 8], args), [1, 3, h, w]);
        const cli = answerShapeQuery(source, [1, 3, h, w].map(constant));
        if (engine.ok) assert.deepEqual('output' in cli ? cli.output : cli.error, concreteShape(engine.value.output), source);
        else assert.deepEqual('error' in cli ? [cli.rule, cli.error] : cli.output, [engine.refusal.rule, engine.refusal.message], source);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('every configuration the solver returns meets its target exactly, by its own arithmetic and by the engine', () => {
    const targetArb = fc.record({ kind: fc.constantFrom<ConvKind>('conv', 'convTranspose'), input: fc.integer({ min: 1, max: 48 }), size: fc.integer({ min: 1, max: 96 }) });
    fc.assert(
      fc.property(targetArb, ({ kind, input, size }) => {
        for (const c of solve(kind, { kind: 'exact', input, size }, 6)) {
          assert.equal(outputLength(kind, c, input), size, JSON.stringify(c));
          const layer = call(kind === 'conv' ? 'Conv1d' : 'ConvTranspose1d', [1, 1, c.kernel], { stride: c.stride, padding: c.padding, dilation: c.dilation, ...(kind === 'convTranspose' ? { output_padding: c.outputPadding } : {}) });
          assert.deepEqual(outputOf(layer, [1, 1, input]), [1, 1, size], JSON.stringify(c));
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a text the CLI does not parse as Python (no call, or a Caffe `layer {` line) holds no layer the Python front end would find', () => {
    const unit = fc.constantFrom('nn.Conv2d', '(', ')', '1', ', ', '#', '"', "'", '"""', '\n', ' ', 'layer {', '}', 'x = ', 'f"{', '\\', 'Sequential', 'lambda');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        if (!mayHoldPythonLayers(text) && !/^[ \t]*layer[ \t]*\{/m.test(text)) assert.deepEqual(parsePython(text).layers, [], JSON.stringify(text));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
