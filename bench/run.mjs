// `npm run bench`: every benchmark in one run, on a production build, then the headline
// figures beside their goals. `--json`: one JSON object with every figure on stdout (the
// benchmarks' own lines go to stderr). `--quick`: small sizes, for CI's check that every
// benchmark still runs; it closes on `bench: N passed, N failed` (one per benchmark that ran
// and reported). Benchmarks are not tests: speed never fails a run, only a crash or a wrong
// answer does.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const quickEnv = quick ? { CONV_LENS_BENCH_QUICK: '1' } : {};
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

/** The benchmarks, in the order they run; `env` sizes them. */
const BENCHMARKS = [
  { name: 'editor', command: ['node', '--expose-gc', '--import', 'tsx', 'bench/editor.ts'], env: quickEnv },
  { name: 'batch', command: ['node', 'bench/batch-throughput.mjs'], env: quick ? { LINES: '2000' } : {} },
  { name: 'vsTorch', command: ['node', 'bench/vs-torch.mjs'], env: quick ? { RUNS: '1', BATCH: '10' } : {} },
  { name: 'fuzz', command: ['node', '--import', 'tsx', 'bench/fuzz.ts', ...(quick ? ['--count', '5000'] : [])], env: {} },
  { name: 'panel', command: ['node', '--import', 'tsx', 'bench/panel.ts'], env: quickEnv },
  { name: 'activation', command: ['node', '--import', 'tsx', 'bench/activation.ts', ...(quick ? ['--runs', '1'] : [])], env: {} },
];

function run(command, env = {}, capture = false) {
  return new Promise((resolve) => {
    const [file, ...args] = command;
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Bytes of each shipped bundle, and the .vsix's size and file count (from its zip directory). */
function sizes() {
  const kb = (path) => Math.round(statSync(path).size / 1024);
  const vsix = `conv-lens-${version}.vsix`;
  const zip = readFileSync(vsix);
  // The end-of-central-directory record (the last 22 bytes, no comment) holds the entry count.
  const files = zip.readUInt16LE(zip.length - 22 + 10);
  return {
    hostKB: kb('dist/extension.js'),
    webKB: kb('dist/web/extension.js'),
    cliKB: kb('dist/cli.js'),
    webviewKB: kb('dist/webview/panel.js'),
    webviewAssetsKB: readdirSync('dist/webview').filter((f) => f !== 'panel.js').reduce((n, f) => n + kb(`dist/webview/${f}`), 0),
    vsixKB: kb(vsix),
    vsixFiles: files,
  };
}

const log = json ? console.error : console.log;
const started = new Date();
// The .vsix: a production build, packaged (the activation benchmark installs it).
if ((await run(['npm', 'run', '--silent', 'package'], {}, json)).code !== 0) {
  console.error('bench: the production build or packaging failed');
  process.exit(1);
}
const results = { date: started.toISOString().slice(0, 10), quick, sizes: sizes() };
const failed = [];
for (const b of BENCHMARKS) {
  log(`\n=== ${b.name}: ${b.command.join(' ')}`);
  const t = Date.now();
  const { code, out } = await run([...b.command, '--json'], b.env, true);
  const last = out.trim().split('\n').pop() ?? '';
  let figures;
  try {
    figures = JSON.parse(last);
  } catch {
    figures = undefined;
  }
  if (code !== 0 || figures === undefined) failed.push(b.name);
  results[b.name] = figures ?? { failed: `exit ${code}, no JSON` };
  log(`(${((Date.now() - t) / 1000).toFixed(0)} s${code !== 0 ? `, exit ${code}` : ''})`);
}

if (json) console.log(JSON.stringify(results));
else {
  const r = results;
  const rows = [];
  const row = (measure, figure, goal = '') => rows.push(`| ${measure} | ${figure} | ${goal} |`);
  if (r.editor?.hover) {
    const h = r.editor.hover;
    row('hover (layer under the cursor → Markdown)', `p50 ${h.p50} ms, p99 ${h.p99} ms, max ${h.max} ms (${h.layers} layers, each its best of ${h.rounds} rounds); every sample: p99 ${h.everySample.p99} ms`, 'p99 < 1 ms');
  }
  for (const f of r.editor?.files ?? []) row(`whole file, ${f.lines} lines (${f.layers} layers)`, `from scratch ${f.fullMs} ms (${f.fullMsPer1kLines} ms per 1k lines), per keystroke ${f.afterEditMs} ms in a class / ${f.moduleEditMs} ms at module level / ${f.typingLineMs} ms typing a layer line, heap +${f.heapMB} MB`, f.lines > 4000 && f.lines < 6000 ? '< 30 ms' : '');
  for (const c of Array.isArray(r.batch) ? r.batch : []) row(`conv-lens batch, ${c.corpus}`, `${c.layersPerSecond} layers/s (${c.layers} layers in ${c.seconds} s)`, '≥ 20,000 layers/s');
  for (const s of r.vsTorch?.single ?? []) row(`one question, ${s.question}`, `conv-lens ${s.cliMs} ms (${s.cliWithoutExtraCertsMs} ms without NODE_EXTRA_CA_CERTS), torch ${s.torchMs} ms: ${s.ratio}× (${s.ratioWithoutExtraCerts}×)`, '≥ 30×');
  if (r.vsTorch?.floor) row('process start alone', `node ${r.vsTorch.floor.nodeMs} ms (${r.vsTorch.floor.nodeWithoutExtraCertsMs} ms without NODE_EXTRA_CA_CERTS), python3 ${r.vsTorch.floor.pythonMs} ms, python3 + import torch ${r.vsTorch.floor.pythonImportTorchMs} ms`);
  if (r.vsTorch?.batch) row(`${r.vsTorch.batch.questions} questions, one process each`, `conv-lens ${r.vsTorch.batch.cliMs} ms, torch ${r.vsTorch.batch.torchMs} ms: ${r.vsTorch.batch.ratio}×`, '≥ 30×');
  if (r.fuzz?.count !== undefined) row('fuzz', `${r.fuzz.count} inputs (${r.fuzz.inputsPerSecond}/s): ${r.fuzz.escaped} escaped, ${r.fuzz.over5ms} over 5 ms (${r.fuzz.over5msRaw} on their first timing), per input p50 ${r.fuzz.perInputMs.p50} ms, p99 ${r.fuzz.perInputMs.p99} ms`, '0 escapes, each ≤ 5 ms');
  for (const p of r.panel?.panel ?? []) row(`panel, ${p.name}`, `first paint ${p.firstPaintMs.p50} ms, a step ${p.stepMs.p50} ms (max ${p.stepMs.max})`, p.name.startsWith('64') ? 'step < 8 ms' : '');
  if (r.activation?.convLens) row('activation in code-server', `median ${r.activation.convLens.medianMs} ms (max ${r.activation.convLens.maxMs})`);
  const s = r.sizes;
  row('bundles', `host ${s.hostKB} KB, web ${s.webKB} KB, CLI ${s.cliKB} KB, webview ${s.webviewKB} KB (+ ${s.webviewAssetsKB} KB css and font), .vsix ${s.vsixKB} KB (${s.vsixFiles} files)`);
  console.log(`\n=== figures (${results.date}${quick ? ', quick sizes' : ''}; \`npm run bench\`)\n| measure | result | goal |\n|---|---|---|\n${rows.join('\n')}`);
}
if (failed.length > 0) console.error(`\nbench: ${failed.join(', ')} did not run to the end`);
if (quick) console.log(`\nbench: ${BENCHMARKS.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
