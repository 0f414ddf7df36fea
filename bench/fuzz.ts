/**
 * The fuzzer as a benchmark (`npm run bench:fuzz`): a million generated and mutated sources
 * through the editor's and the CLI's whole path (test/fuzz/run.ts), on one worker thread per
 * core. Prints the counts per kind, inputs per second, the slowest answer and the per-input
 * time's percentiles. `--count N` runs N inputs, `--seed S` another corpus, `--workers W`
 * that many threads, `--json` one JSON object on stdout (the human lines go to stderr).
 * Not a test: it never fails, and says how many inputs escaped or were slow.
 */
import { availableParallelism } from 'node:os';
import { INPUT_KINDS } from '../test/fuzz/corpus';
import { runFuzzParallel } from '../test/fuzz/run';

const json = process.argv.includes('--json');
const say = json ? console.error : console.log;

function option(name: string, byDefault: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return byDefault;
  const value = Number(process.argv[at + 1]);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} takes a positive integer, got ${process.argv[at + 1]}`);
  return value;
}

const count = option('--count', 1_000_000);
const seed = option('--seed', 20261122);
const workers = option('--workers', availableParallelism());

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  say(`fuzz: ${count} inputs, seed ${seed}, ${workers} worker${workers === 1 ? '' : 's'}`);
  const started = process.hrtime.bigint();
  const report = await runFuzzParallel({ count, seed, keepTimes: true }, workers);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const times = Float64Array.from(report.timesMs ?? []).sort();
  const perInput = { p50: +percentile(times, 50).toFixed(3), p99: +percentile(times, 99).toFixed(3), p999: +percentile(times, 99.9).toFixed(3) };
  const summary = {
    count: report.count,
    seed,
    workers,
    seconds: +seconds.toFixed(1),
    inputsPerSecond: Math.round(report.count / seconds),
    escaped: report.total.escaped,
    over5msRaw: report.total.over5msRaw,
    over5ms: report.total.over5ms,
    slowestRawMs: +report.total.slowestRawMs.toFixed(2),
    slowestMs: +report.total.slowestMs.toFixed(2),
    perInputMs: perInput,
    byKind: report.byKind,
  };

  if (json) console.log(JSON.stringify(summary));
  say(`${summary.inputsPerSecond} inputs/s (${summary.seconds} s), per input (its answers, first timing) p50 ${perInput.p50} ms, p99 ${perInput.p99} ms, p99.9 ${perInput.p999} ms`);
  say(`slowest answer ${summary.slowestRawMs} ms on its first timing, ${summary.slowestMs} ms as settled; ${summary.over5msRaw} inputs over 5 ms at first, ${summary.over5ms} on every re-timing; ${summary.escaped} escaped`);
  for (const kind of INPUT_KINDS) {
    const c = report.byKind[kind];
    say(`  ${kind.padEnd(9)} ${c.generated} generated, ${c.mutated} mutated: ${c.answered} layers answered, ${c.refused} refused, ${c.noLayer} inputs without a layer; slowest ${c.slowestRawMs.toFixed(2)} ms`);
  }
  for (const e of report.escapes.slice(0, 3)) say(`escaped: ${e.kind} input #${e.index}: ${JSON.stringify(e.input.slice(0, 200))}\n${e.error}`);
  for (const s of report.slow.slice(0, 3)) say(`slow: ${s.kind} input #${s.index}, ${s.answer} ${s.ms.toFixed(2)} ms: ${JSON.stringify(s.input.slice(0, 200))}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
