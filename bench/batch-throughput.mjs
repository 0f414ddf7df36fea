// Throughput of `conv-lens batch`, piped through dist/cli.js as a user would, on two corpora:
//  - "snippets": the PyTorch oracle fixture's 5,000 distinct sources (one layer or a short
//    chain each, in every style the parser meets; ~2 layers a line), cycled to LINES lines;
//  - "models": whole DCGAN generators (an nn.Sequential of 14 layers, constants bound first),
//    each line a different configuration.
// Reports layers/s (a Sequential of 14 layers counts 14) and lines/s. Not a test: never fails on speed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const total = Number(process.env.LINES ?? 50000);
const json = process.argv.includes('--json');
// With --json the JSON goes to stdout and the human lines to stderr (bench/run.mjs shows both).
const say = json ? console.error : console.log;

function snippets() {
  const cases = readFileSync('test/oracle/torch-cases.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return Array.from({ length: total }, (_, i) => ({ id: i, source: cases[i % cases.length].source, input: cases[i % cases.length].input }));
}

function models() {
  let seed = 1;
  const pick = (xs) => xs[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % xs.length];
  return Array.from({ length: total }, (_, i) => {
    const [nz, ngf, nc] = [pick([64, 100, 128]), pick([16, 32, 64]), pick([1, 3])];
    const block = (cin, cout, s, p) => `    nn.ConvTranspose2d(${cin}, ${cout}, 4, ${s}, ${p}, bias=False),\n    nn.BatchNorm2d(${cout}),\n    nn.ReLU(True),\n`;
    const source = `nz, ngf, nc = ${nz}, ${ngf}, ${nc}\nnn.Sequential(\n${block('nz', 'ngf * 8', 1, 0)}${block('ngf * 8', 'ngf * 4', 2, 1)}${block('ngf * 4', 'ngf * 2', 2, 1)}${block('ngf * 2', 'ngf', 2, 1)}    nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),\n    nn.Tanh(),\n)`;
    return { id: i, source, input: [pick([2, 8, 16]), nz, 1, 1] };
  });
}

function run(name, requests) {
  const payload = `${requests.map((r) => JSON.stringify(r)).join('\n')}\n`;
  return new Promise((resolve) => {
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
      resolve({ corpus: name, lines: answers.length, layers, seconds: +seconds.toFixed(2), layersPerSecond: Math.round(layers / seconds), linesPerSecond: Math.round(answers.length / seconds), ok: code === 0 && answers.length === requests.length });
    });
  });
}

const results = [await run('snippets', snippets()), await run('models', models())];
if (json) console.log(JSON.stringify(results));
for (const r of results) say(`conv-lens batch [${r.corpus}]: ${r.lines} lines, ${r.layers} layers in ${r.seconds} s → ${r.layersPerSecond} layers/s (${r.linesPerSecond} lines/s)`);
if (results.some((r) => !r.ok)) process.exitCode = 1;
