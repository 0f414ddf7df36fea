/**
 * The fuzzer as a suite (`npm run test:fuzz`): 100,000 generated and mutated sources —
 * Python of every framework, YAML and JSON configs, Caffe prototxt — through the editor's and
 * the CLI's whole path, on two worker threads. No exception may escape the core, and no
 * answer may take more than 5 ms (timed again, at the machine's best speed, before it counts:
 * see run.ts).
 *
 * CONV_LENS_FUZZ_SEED and CONV_LENS_FUZZ_COUNT override the seed and the count. The seed is
 * printed; input k of a run is `fuzzInput(seed, k)` (corpus.ts), whatever the count.
 */
import { strict as assert } from 'node:assert';
import { INPUT_KINDS } from './corpus';
import { LIMIT_MS, runFuzzParallel, type FuzzReport, type KindCounts } from './run';

const SEED = Number(process.env.CONV_LENS_FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.CONV_LENS_FUZZ_COUNT ?? 100_000);
/** Two worker threads: 100,000 inputs in about 100 s on two slow cores (150 s on one). */
const WORKERS = 2;

/** An input as a failure shows it: escaped (NUL, RTL marks and all), cut after 600 characters. */
function shown(text: string): string {
  const escaped = JSON.stringify(text);
  return escaped.length > 600 ? `${escaped.slice(0, 600)}… (${text.length} characters)` : escaped;
}

/** Per kind: inputs generated and mutated, layer calls answered and refused, inputs with no layer, timings. */
function table(report: FuzzReport): string {
  const columns = ['generated', 'mutated', 'answered', 'refused', 'no layer', 'raw max', '>5ms raw', 'settled', '>5ms'];
  const row = (name: string, c: KindCounts): string =>
    [name.padEnd(9), ...[c.generated, c.mutated, c.answered, c.refused, c.noLayer, `${c.slowestRawMs.toFixed(1)} ms`, c.over5msRaw, `${c.slowestMs.toFixed(2)} ms`, c.over5ms].map((v) => String(v).padStart(10))].join('');
  return [['kind'.padEnd(9), ...columns.map((h) => h.padStart(10))].join(''), ...INPUT_KINDS.map((k) => row(k, report.byKind[k])), row('total', report.total)].join('\n');
}

describe('fuzzing the front ends and engines', function () {
  this.timeout(30 * 60_000);
  let report: FuzzReport;

  before(async function () {
    assert.ok(Number.isSafeInteger(SEED), `CONV_LENS_FUZZ_SEED must be an integer, got ${process.env.CONV_LENS_FUZZ_SEED}`);
    assert.ok(Number.isSafeInteger(COUNT) && COUNT > 0, `CONV_LENS_FUZZ_COUNT must be a positive integer, got ${process.env.CONV_LENS_FUZZ_COUNT}`);
    console.log(`  fuzz: ${COUNT} inputs, seed ${SEED} (CONV_LENS_FUZZ_SEED=${SEED} replays it), ${WORKERS} workers`);
    const started = Date.now();
    report = await runFuzzParallel({ count: COUNT, seed: SEED }, WORKERS);
    console.log(`${table(report).replace(/^/gm, '  ')}\n  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  });

  it('lets no exception escape the core', () => {
    const first = report.escapes[0];
    assert.equal(
      report.total.escaped,
      0,
      first && `${report.total.escaped} inputs threw; the first, ${first.kind} input #${first.index} of seed ${SEED}:\n${shown(first.input)}\n${first.error}`,
    );
  });

  it(`answers every input within ${LIMIT_MS} ms (the fastest of three re-timings decides)`, () => {
    const first = report.slow[0];
    assert.equal(
      report.total.over5ms,
      0,
      first && `${report.total.over5ms} inputs took over ${LIMIT_MS} ms; the first, ${first.kind} input #${first.index} of seed ${SEED}, ${first.answer} in ${first.ms.toFixed(2)} ms at best:\n${shown(first.input)}`,
    );
  });

  it('reaches the engines: every kind gives layers with answers and refusals', () => {
    // A corpus that no longer parses would pass the two checks above by testing nothing.
    for (const kind of INPUT_KINDS) {
      const c = report.byKind[kind];
      assert.ok(c.answered > 0 && c.refused > 0 && c.noLayer < c.total / 2, `${kind}: ${c.answered} layers answered, ${c.refused} refused, ${c.noLayer} of ${c.total} inputs without a layer`);
    }
  });
});
