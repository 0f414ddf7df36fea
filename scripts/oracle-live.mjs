// A fresh random sample judged by real PyTorch: generate cases with Debian's python3-torch
// under a new seed, then run the same agreement test as the committed fixture. The seed is
// printed so a disagreement can be reproduced. PyTorch missing is a failure, never a skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const count = Number(process.env.ORACLE_LIVE_COUNT ?? 500);
const seed = Number(process.env.ORACLE_LIVE_SEED ?? Date.now() % 1_000_000_007);

try {
  execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
} catch {
  console.error('oracle: PyTorch is missing. Install Debian\'s python3-torch (apt-get install python3-torch) — the live oracle never skips.');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'conv-lens-oracle-'));
const out = join(dir, 'live.jsonl');
console.log(`oracle: generating ${count} fresh cases with real PyTorch (seed ${seed})`);
execFileSync('/usr/bin/python3', ['test/oracle/generate.py', '--count', String(count), '--seed', String(seed), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
const run = spawnSync('npx', ['mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '120000', '--reporter', 'dot', 'test/unit/oracle.test.ts'], { stdio: 'inherit', env: { ...process.env, ORACLE_CASES: out } });
rmSync(dir, { recursive: true, force: true });
if (run.status !== 0) console.error(`oracle: live sample disagrees with PyTorch; reproduce with ORACLE_LIVE_SEED=${seed} npm run test:oracle`);
process.exit(run.status ?? 1);
