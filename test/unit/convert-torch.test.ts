/**
 * The convert command's contract, judged by real PyTorch (Debian's python3-torch): for
 * hundreds of random transposed convs — 1-D/2-D/3-D, groups, dilation, output_padding
 * (also ≥ stride but < dilation), padding beyond dilation·(kernel − 1) — the rewrite gives
 * ConvTranspose's outputs to 1e-5. PyTorch missing is a failure, never a skip.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { answerConvertQuery, answerShapeQuery } from '../../src/core/query';
import { constant } from '../../src/core/expr';

const SEED = 20261121;
const CASES = 400;

interface Layer {
  nd: 1 | 2 | 3;
  groups: number;
  inPer: number;
  outPer: number;
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: number[];
  outputPadding: number[];
  bias: boolean;
  keywords: boolean;
  unbatched: boolean;
}

const perAxis = (nd: number, arb: fc.Arbitrary<number>): fc.Arbitrary<number[]> => fc.array(arb, { minLength: nd, maxLength: nd });

const layerArb: fc.Arbitrary<Layer> = fc
  .record({
    nd: fc.constantFrom<1 | 2 | 3>(1, 2, 3),
    groups: fc.integer({ min: 1, max: 3 }),
    inPer: fc.integer({ min: 1, max: 3 }),
    outPer: fc.integer({ min: 1, max: 3 }),
    bias: fc.boolean(),
    keywords: fc.boolean(),
    unbatched: fc.boolean(),
  })
  .chain((base) =>
    fc.record({ kernel: perAxis(base.nd, fc.integer({ min: 1, max: 4 })), stride: perAxis(base.nd, fc.integer({ min: 1, max: 3 })), dilation: perAxis(base.nd, fc.integer({ min: 1, max: 3 })) }).chain((w) =>
      fc
        .record({
          // up to 2 beyond dilation·(kernel − 1): the zero-inserted form then crops
          padding: fc.tuple(...w.kernel.map((k, i) => fc.integer({ min: 0, max: w.dilation[i] * (k - 1) + 2 }))),
          // below max(stride, dilation): PyTorch accepts output_padding ≥ stride when it is < dilation
          outputPadding: fc.tuple(...w.stride.map((s, i) => fc.integer({ min: 0, max: Math.max(s, w.dilation[i]) - 1 }))),
        })
        .map((p) => ({ ...base, ...w, padding: p.padding, outputPadding: p.outputPadding })),
    ),
  );

function tupleText(xs: number[]): string {
  return xs.every((x) => x === xs[0]) ? String(xs[0]) : `(${xs.join(', ')})`;
}

function sourceOf(l: Layer): string {
  const cin = l.groups * l.inPer;
  const cout = l.groups * l.outPer;
  const [k, s, p, op, d] = [l.kernel, l.stride, l.padding, l.outputPadding, l.dilation].map(tupleText);
  return l.keywords
    ? `nn.ConvTranspose${l.nd}d(in_channels=${cin}, out_channels=${cout}, kernel_size=${k}, stride=${s}, padding=${p}, output_padding=${op}, dilation=${d}, groups=${l.groups}, bias=${l.bias ? 'True' : 'False'})`
    : `nn.ConvTranspose${l.nd}d(${cin}, ${cout}, ${k}, ${s}, ${p}, ${op}, ${l.groups}, ${l.bias ? 'True' : 'False'}, ${d})`;
}

/** Two input sizes the layer accepts (output ≥ 1 on every axis), by the engine. */
function inputsOf(l: Layer, source: string, rng: () => number): number[][] {
  const inputs: number[][] = [];
  for (let attempt = 0; attempt < 40 && inputs.length < 2; attempt++) {
    const spatial = Array.from({ length: l.nd }, () => 1 + Math.floor(rng() * (l.nd === 3 ? 4 : 7)));
    const shape = [...(l.unbatched ? [] : [2]), l.groups * l.inPer, ...spatial];
    if (!('error' in answerShapeQuery(source, shape.map(constant)))) inputs.push(shape);
  }
  return inputs;
}

describe('convert: the zero-inserted rewrite computes what ConvTranspose computes (real PyTorch)', function () {
  this.timeout(300_000);

  const cases: { id: number; source: string; layer: Layer }[] = [];
  const wire: object[] = [];
  before(() => {
    let state = SEED;
    const rng = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const layer of fc.sample(layerArb, { seed: SEED, numRuns: CASES * 3 })) {
      if (cases.length === CASES) break;
      const source = sourceOf(layer);
      const conversion = answerConvertQuery(source);
      assert.ok(!('error' in conversion) || conversion.rule !== 'not-constant', `${source}: ${JSON.stringify(conversion)}`);
      if ('error' in conversion) continue; // refused by PyTorch's rules (the oracle suite checks those)
      const inputs = inputsOf(layer, source, rng);
      if (inputs.length === 0) continue;
      cases.push({ id: cases.length, source, layer });
      wire.push({ id: wire.length, source, inputs, ...conversion });
    }
  });

  it('the sample covers every dimension, groups, dilation, crops and output_padding ≥ stride', () => {
    const count = (p: (l: Layer) => boolean): number => cases.filter((c) => p(c.layer)).length;
    const some = (l: Layer, p: (i: number) => boolean): boolean => l.kernel.some((_, i) => p(i));
    assert.equal(cases.length, CASES);
    const seen = {
      '1-D': count((l) => l.nd === 1) > 0,
      '2-D': count((l) => l.nd === 2) > 0,
      '3-D': count((l) => l.nd === 3) > 0,
      groups: count((l) => l.groups > 1) > 0,
      dilation: count((l) => l.dilation.some((d) => d > 1)) > 0,
      'padding beyond dilation·(kernel − 1) (a crop)': count((l) => some(l, (i) => l.padding[i] > l.dilation[i] * (l.kernel[i] - 1))) > 0,
      'output_padding ≥ stride (< dilation)': count((l) => some(l, (i) => l.outputPadding[i] >= l.stride[i])) > 0,
      unbatched: count((l) => l.unbatched) > 0,
    };
    assert.deepEqual(Object.entries(seen).filter(([, v]) => !v).map(([k]) => k), []);
  });

  it(`${CASES} random transposed convs: equal outputs (≤ 1e-5) for the replacement and for fromTransposed`, () => {
    const run = spawnSync('/usr/bin/python3', ['test/oracle/convert_check.py'], { input: wire.map((c) => JSON.stringify(c)).join('\n'), encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(run.status, 0, `PyTorch check did not run (Debian's python3-torch is required): ${run.stderr}`);
    const results = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; ok: boolean; why?: string });
    assert.equal(results.length, CASES);
    const failures = results.filter((r) => !r.ok).map((r) => `${cases[r.id].source}: ${r.why}`);
    assert.deepEqual(failures, []);
  });
});
