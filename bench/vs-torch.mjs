// Answering a shape question with Conv Lens vs. what a user would do instead: a Python
// process that imports torch (Debian's python3-torch), builds the layer and runs it on a
// zero tensor of the input's shape. Side by side in one run, on the same questions, each
// answer checked equal to torch's:
//  - one question at a time (what a user types in a terminal): `conv-lens shape --json`
//    vs. `python3 -c "import torch …"`, a fresh process each, interleaved; medians;
//  - many questions (what a script does): `conv-lens batch` answering N questions vs. one
//    Python process building and running N layers (the import counted once, like ours);
//  - torch on the meta device (no data, shapes only — the fastest thing torch offers) in
//    the same Python process, for completeness.
// Reports each time and the ratio. Not a test: never fails on speed.
// Run: `npm run bench:torch` (after a build; `--json` for machines; RUNS=…, BATCH=…).
import { execFileSync, spawnSync } from 'node:child_process';

const json = process.argv.includes('--json');
// With --json the JSON goes to stdout and the human lines to stderr (bench/run.mjs shows both).
const say = json ? console.error : console.log;
const RUNS = Number(process.env.RUNS ?? 7);
const BATCH = Number(process.env.BATCH ?? 250);
const PYTHON = '/usr/bin/python3';

const QUESTIONS = [
  { name: 'ConvTranspose2d, DCGAN step', source: 'nn.ConvTranspose2d(512, 256, 4, 2, 1, bias=False)', input: [16, 512, 4, 4] },
  { name: 'ConvTranspose2d, output_padding', source: 'nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)', input: [1, 16, 32, 32] },
  { name: 'Conv2d, strided and dilated', source: 'nn.Conv2d(64, 128, 3, stride=2, padding=2, dilation=2)', input: [8, 64, 57, 57] },
  { name: 'MaxPool2d, ceil_mode', source: 'nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True)', input: [1, 64, 112, 112] },
  { name: 'ConvTranspose3d', source: 'nn.ConvTranspose3d(32, 16, (3, 4, 4), stride=(1, 2, 2), padding=1)', input: [2, 32, 8, 16, 16] },
];

const ms = (t) => Number(process.hrtime.bigint() - t) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function python(code) {
  const r = spawnSync(PYTHON, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed (is python3-torch installed?):\n${r.stderr}`);
  return r.stdout.trim();
}

function torchOneShot(q) {
  return `import torch\nimport torch.nn as nn\nprint(list(${q.source}(torch.zeros(${q.input.join(', ')})).shape))`;
}

// Node reads and parses every certificate of NODE_EXTRA_CA_CERTS when it starts, TLS or not:
// ~60–100 ms on the project's VMs, which set it for their package mirror. A user's terminal
// usually has no such variable, so the CLI is also timed without it.
const { NODE_EXTRA_CA_CERTS: _extraCerts, ...envWithoutExtraCerts } = process.env;

function cliOneShot(q, env = process.env) {
  const out = execFileSync(process.execPath, ['dist/cli.js', 'shape', '--json', '--input', q.input.join(','), q.source], { encoding: 'utf8', env });
  return JSON.stringify(JSON.parse(out).output);
}

// One question at a time, interleaved so that both see the same machine.
const single = QUESTIONS.map((q) => {
  const cli = [];
  const cliPlain = [];
  const torch = [];
  let agree = true;
  for (let i = 0; i < RUNS; i++) {
    let t = process.hrtime.bigint();
    const ours = cliOneShot(q);
    cli.push(ms(t));
    t = process.hrtime.bigint();
    agree &&= cliOneShot(q, envWithoutExtraCerts) === ours;
    cliPlain.push(ms(t));
    t = process.hrtime.bigint();
    const theirs = python(torchOneShot(q)).replaceAll(' ', '');
    torch.push(ms(t));
    agree &&= ours === theirs;
  }
  return {
    question: q.name,
    cliMs: +median(cli).toFixed(1),
    torchMs: +median(torch).toFixed(1),
    ratio: +(median(torch) / median(cli)).toFixed(1),
    cliWithoutExtraCertsMs: +median(cliPlain).toFixed(1),
    ratioWithoutExtraCerts: +(median(torch) / median(cliPlain)).toFixed(1),
    agree,
  };
});

// The floor under both: starting the bare interpreter (Node's own start bounds the CLI's figure).
const startup = (cmd, args, env = process.env) => median(Array.from({ length: RUNS }, () => {
  const t = process.hrtime.bigint();
  execFileSync(cmd, args, { env });
  return ms(t);
}));
const floor = { nodeMs: +startup(process.execPath, ['-e', '0']).toFixed(1), nodeWithoutExtraCertsMs: +startup(process.execPath, ['-e', '0'], envWithoutExtraCerts).toFixed(1), pythonMs: +startup(PYTHON, ['-c', 'pass']).toFixed(1), pythonImportTorchMs: +startup(PYTHON, ['-c', 'import torch']).toFixed(1) };

// Many questions: BATCH answers (the questions cycled) in one process each.
const requests = Array.from({ length: BATCH }, (_, i) => QUESTIONS[i % QUESTIONS.length]);
let t = process.hrtime.bigint();
const batchOut = execFileSync(process.execPath, ['dist/cli.js', 'batch'], { input: requests.map((q, id) => JSON.stringify({ id, source: q.source, input: q.input })).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
const cliBatchMs = ms(t);
const ourShapes = batchOut.trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => a.id - b.id).map((a) => JSON.stringify(a.output));
const pyQuestions = requests.map((q) => `(lambda: ${q.source}, (${q.input.join(', ')},))`).join(',\n');
t = process.hrtime.bigint();
const pyOut = JSON.parse(python(`import json, time, torch
import torch.nn as nn
questions = [${pyQuestions}]
t = time.perf_counter()
shapes = [list(make()(torch.zeros(shape)).shape) for make, shape in questions]
data = time.perf_counter() - t
t = time.perf_counter()
meta = [list(make().to('meta')(torch.zeros(shape, device='meta')).shape) for make, shape in questions]
print(json.dumps({'shapes': shapes, 'dataS': data, 'metaS': time.perf_counter() - t, 'same': shapes == meta}))`));
const torchBatchMs = ms(t) - pyOut.metaS * 1000; // the process, without the meta pass run after
const batch = {
  questions: BATCH,
  cliMs: +cliBatchMs.toFixed(0),
  torchMs: +torchBatchMs.toFixed(0),
  ratio: +(torchBatchMs / cliBatchMs).toFixed(1),
  torchLoopOnlyMs: +(pyOut.dataS * 1000).toFixed(0),
  torchMetaLoopOnlyMs: +(pyOut.metaS * 1000).toFixed(0),
  agree: pyOut.same && ourShapes.every((s, i) => s === JSON.stringify(pyOut.shapes[i])),
};
const torchVersion = python('import torch; print(torch.__version__)');

const result = { torch: torchVersion, runs: RUNS, single, floor, batch };
if (json) console.log(JSON.stringify(result));
{
  say(`shape questions, conv-lens vs. python3 + torch ${torchVersion} (median of ${RUNS} fresh processes each):`);
  for (const s of single) say(`  ${s.question}: conv-lens ${s.cliMs} ms (${s.cliWithoutExtraCertsMs} ms without NODE_EXTRA_CA_CERTS), torch ${s.torchMs} ms → ${s.ratio}× (${s.ratioWithoutExtraCerts}×) ${s.agree ? '(same answer)' : '(ANSWERS DIFFER)'}`);
  say(`  for scale: node -e 0 ${floor.nodeMs} ms (${floor.nodeWithoutExtraCertsMs} ms without NODE_EXTRA_CA_CERTS), python3 -c pass ${floor.pythonMs} ms, python3 -c "import torch" ${floor.pythonImportTorchMs} ms`);
  say(`  ${BATCH} questions in one process each: conv-lens batch ${batch.cliMs} ms, torch ${batch.torchMs} ms → ${batch.ratio}× ${batch.agree ? '(same answers)' : '(ANSWERS DIFFER)'}; torch's loop alone ${batch.torchLoopOnlyMs} ms (on the meta device ${batch.torchMetaLoopOnlyMs} ms)`);
}
if (!single.every((s) => s.agree) || !batch.agree) process.exitCode = 1;
