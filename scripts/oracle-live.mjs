// Fresh random samples judged by the real frameworks: cases generated with Debian's
// python3-torch and python3-onnx under a new seed, then the same agreement tests as the
// committed fixtures. The seed is printed so a disagreement can be reproduced. A missing
// framework is a failure, never a skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.env.ORACLE_LIVE_COUNT ?? 500);
const seed = Number(process.env.ORACLE_LIVE_SEED ?? Date.now() % 1_000_000_007);

for (const [module, pkg] of [['torch', 'python3-torch'], ['onnx', 'python3-onnx']]) {
  try {
    execFileSync('/usr/bin/python3', ['-c', `import ${module}`], { stdio: 'ignore' });
  } catch {
    console.error(`oracle: ${module} is missing. Install Debian's ${pkg} (apt-get install ${pkg}) — the live oracle never skips.`);
    process.exit(1);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'conv-lens-oracle-'));
const out = join(dir, 'live.jsonl');
console.log(`oracle: generating ${count} fresh cases with real PyTorch (seed ${seed})`);
execFileSync('/usr/bin/python3', ['test/oracle/generate.py', '--count', String(count), '--seed', String(seed), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
const onnxOut = join(dir, 'onnx.jsonl');
console.log(`oracle: generating ${count} fresh ONNX nodes with onnx's shape inference (seed ${seed})`);
execFileSync('/usr/bin/python3', ['test/oracle/onnx_cases.py', '--count', String(count), '--seed', String(seed), '--out', onnxOut], { stdio: ['ignore', 'inherit', 'inherit'] });
// Each run prints `<name>: N passed, M failed` for its cases; the summary line adds them up.
const counts = { passed: 0, failed: 0 };
const mocha = (file, env, name) => {
  const run = spawnSync('npx', ['mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '120000', '--reporter', 'dot', file], { encoding: 'utf8', env: { ...process.env, ...env } });
  process.stdout.write(run.stdout.replace(/^oracle: /gm, 'torch-oracle: '));
  process.stderr.write(run.stderr);
  const m = [...run.stdout.matchAll(new RegExp(`^${name}: (\\d+) passed, (\\d+) failed`, 'gm'))].pop();
  counts.passed += m ? Number(m[1]) : 0;
  // A run that failed outside the cases (too few of them, a crash) counts as one failure.
  counts.failed += m ? Number(m[2]) + (run.status !== 0 && Number(m[2]) === 0 ? 1 : 0) : 1;
  return run;
};
const torchRun = mocha('test/unit/oracle.test.ts', { ORACLE_CASES: out }, 'oracle');
const onnxRun = mocha('test/unit/onnx-oracle.test.ts', { ONNX_CASES: onnxOut }, 'onnx-oracle');
console.log(`\noracle: ${counts.passed} passed, ${counts.failed} failed`);
rmSync(dir, { recursive: true, force: true });
if (torchRun.status !== 0 || onnxRun.status !== 0) console.error(`oracle: a live sample disagrees with ${torchRun.status !== 0 ? 'PyTorch' : 'onnx'}; reproduce with ORACLE_LIVE_SEED=${seed} npm run test:oracle`);
process.exit(torchRun.status !== 0 ? (torchRun.status ?? 1) : (onnxRun.status ?? 1));
