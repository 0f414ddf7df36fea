// Throughput of `conv-lens batch`: the oracle fixture's cases (real-style layer sources in
// every style the parser meets), repeated to LINES lines, piped through dist/cli.js batch.
// Reports layers/s (a Sequential of 4 layers counts 4) and lines/s. Not a test: it never fails on speed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const total = Number(process.env.LINES ?? 100000);
const json = process.argv.includes('--json');
const cases = readFileSync('test/oracle/torch-cases.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const lines = [];
for (let i = 0; i < total; i++) {
  const c = cases[i % cases.length];
  lines.push(JSON.stringify({ id: i, source: c.source, input: c.input }));
}
const payload = `${lines.join('\n')}\n`;

const started = process.hrtime.bigint();
const child = spawn(process.execPath, ['dist/cli.js', 'batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
let out = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (d) => (out += d));
child.stdin.end(payload);
child.on('close', (code) => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const answers = out.trim().split('\n').map((l) => JSON.parse(l));
  const layers = answers.reduce((n, a) => n + Math.max(1, a.layers?.length ?? 1), 0);
  const result = { lines: answers.length, layers, seconds: +seconds.toFixed(3), layersPerSecond: Math.round(layers / seconds), linesPerSecond: Math.round(answers.length / seconds), exitCode: code };
  if (json) console.log(JSON.stringify(result));
  else console.log(`conv-lens batch: ${result.lines} lines, ${layers} layers in ${result.seconds} s → ${result.layersPerSecond} layers/s (${result.linesPerSecond} lines/s)`);
  if (answers.length !== total) process.exitCode = 1;
});
