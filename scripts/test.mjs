// `npm test`: every suite, in the order CI runs them, then one table of what each reported
// and a last line `N passed, N failed` (the totals), with nothing before it on the line.
// check and build must pass before any suite runs; the suites then all run even when one
// fails, so one red run shows every failure. Each suite ends its output with
// `<suite>: N passed, N failed`; a suite that ends without that line counts as failed
// (it crashed, or ran nothing), so nothing can pass by not running.
import { spawn } from 'node:child_process';

const steps = [
  { name: 'check', script: 'check' },
  { name: 'build', script: 'build' },
  { name: 'unit', script: 'test:unit', suite: true },
  { name: 'oracle', script: 'test:oracle', suite: true },
  { name: 'fuzz', script: 'test:fuzz', suite: true },
  { name: 'integration', script: 'test:integration', suite: true },
  // The same extension host in Restricted Mode (workspace trust on, the folder untrusted).
  { name: 'integration-untrusted', script: 'test:integration:untrusted', suite: true },
  { name: 'e2e', script: 'test:e2e', suite: true },
  // Benchmarks never fail on speed: this only checks that each still runs (small sizes).
  { name: 'bench', script: 'bench:smoke', suite: true },
];

function run(script) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const started = Date.now();
const rows = [];
let failed = false;
let totalPassed = 0;
let totalFailed = 0;
for (const step of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${step.name} (npm run ${step.script})`);
  const { code, out } = await run(step.script);
  const seconds = ((Date.now() - t0) / 1000).toFixed(0);
  if (!step.suite) {
    if (code !== 0) {
      console.error(`\n${step.name} failed: no suite can run`);
      process.exit(1);
    }
    continue;
  }
  const match = [...out.matchAll(new RegExp(`^${step.name}: (\\d+) passed, (\\d+) failed`, 'gm'))].pop();
  const passed = match ? Number(match[1]) : 0;
  const failures = match ? Number(match[2]) : 0;
  const ok = code === 0 && match !== undefined && failures === 0 && passed > 0;
  if (!ok) failed = true;
  totalPassed += passed;
  // A suite that failed without counting a failure (crash, no report, bad exit) adds one,
  // so the total never reads clean over a broken suite.
  totalFailed += !ok && failures === 0 ? 1 : failures;
  rows.push(`  ${step.name.padEnd(12)} ${match ? `${passed} passed, ${failures} failed` : 'did not report (crashed or ran nothing)'}${code !== 0 && failures === 0 ? `, exit ${code}` : ''}  (${seconds} s)`);
}
console.log(`\n=== summary (${((Date.now() - started) / 60000).toFixed(1)} min)\n${rows.join('\n')}`);
// The last line, alone and with no label, in the plain form CI readers look for at the
// close of a run (CI judged runs closing on `total: N passed, N failed` as running no test).
console.log(`  ${'total'.padEnd(12)} ${totalPassed} passed, ${totalFailed} failed\n\n${totalPassed} passed, ${totalFailed} failed`);
process.exit(failed ? 1 : 0);
