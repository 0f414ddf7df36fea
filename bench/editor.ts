/**
 * What the editor does per keystroke and per hover, timed on the core as the extension runs
 * it (run with tsx: `npm run bench:editor`, `--json` for machines). Not a test: never fails on speed.
 *  - hover: what the hover provider asks of the core once the document's analysis is cached:
 *    the layer under the cursor, then layerHover (insight, receptive field, Markdown, command
 *    links), over every layer of a corpus of model files (p50/p99 per layer, see below);
 *  - whole file: parse + analysis + diagnostics + hint labels of generated model files of 1k,
 *    5k and 20k lines, from scratch (best of 5) and per keystroke while typing (median of
 *    the last 30 of 40 edits: incremental reparse, unchanged definitions and engine answers
 *    carried over), inside a class, at module level, and typing a whole layer line (the
 *    text stays broken until the line's closing comma).
 */
import { DocumentAnalysis } from '../src/core/editor/documentAnalysis';
import { findings } from '../src/core/editor/findings';
import { LayerMemo } from '../src/core/editor/layerMemo';
import { layerHover } from '../src/core/present/layerHover';
import { layerAt, reparsePython } from '../src/core/python/parse';
import { LineIndex } from '../src/core/lines';
import { formatShape } from '../src/core/shape';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const json = process.argv.includes('--json');
// With --json the JSON goes to stdout and the human lines to stderr (bench/run.mjs shows both).
const say = json ? console.error : console.log;
// CONV_LENS_BENCH_QUICK (CI's check that the benchmark runs): the 1k-line file and one hover round.
const quick = process.env.CONV_LENS_BENCH_QUICK !== undefined;

/** A model file of about `lines` lines: DCGAN-style generators with distinct constants. */
function modelFile(lines: number): string {
  const parts = ['import torch', 'import torch.nn as nn', '', 'LATENT = 100', ''];
  for (let g = 0; parts.length < lines; g++) {
    const ngf = 16 * (1 + (g % 4));
    parts.push('', '', `class Generator${g}(nn.Module):`, '    def __init__(self, nz=100, nc=3):', '        super().__init__()', `        ngf = ${ngf}`, '        # input: (N, 100, 1, 1)', '        self.main = nn.Sequential(');
    parts.push('            nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),', '            nn.BatchNorm2d(ngf * 8),', '            nn.ReLU(True),');
    for (const [a, b] of [[8, 4], [4, 2], [2, 1]]) parts.push(`            nn.ConvTranspose2d(ngf * ${a}, ngf * ${b}, 4, 2, 1, bias=False),`, `            nn.BatchNorm2d(ngf * ${b}),`, '            nn.ReLU(True),');
    parts.push('            nn.ConvTranspose2d(ngf, nc, 3, 2, 1, bias=False),', '            nn.Tanh(),', '        )', '', '    def forward(self, z):', '        return self.main(z)');
  }
  return `${parts.join('\n')}\n`;
}

function analyseAll(text: string, previous?: ReturnType<typeof reparsePython>, memo = new LayerMemo()) {
  const parsed = reparsePython(text, previous);
  const analysis = new DocumentAnalysis(parsed.model, text, {}, memo, parsed.moved);
  const problems = findings(analysis, { checkerboard: true, unreadInput: true });
  const hints = analysis.insights.filter((i) => i.outcome.ok).map((i) => (i.outcome.ok ? formatShape(i.outcome.value.output) : ''));
  return { parsed, analysis, problems, hints, memo };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Hover over every layer of the Python examples (PyTorch, Keras, tf.nn, lax, Flax, ONNX) and
// a 1k-line model file, warm analysis. Every round analyses each file afresh, so each hover
// in every round is a layer's first hover on its analysis.
//
// This VM loses its CPU to the hypervisor for a scheduler tick (4 ms) now and then (steal
// time), whatever runs: a few dozen of the ~2,400 hovers are each 4 ms longer than the rest,
// and nothing in them is ours (no GC runs then; the same layer is fast in the other rounds).
// So the figure judged is per layer: its best of the measured rounds, p99 over the layers;
// the plain p99 over every sample is reported beside it.
const examples = readdirSync('examples').filter((f) => f.endsWith('.py')).map((f) => readFileSync(join('examples', f), 'utf8'));
const corpus = examples.concat(modelFile(1000));
const hoverTimes: number[] = [];
const bestPerLayer: number[] = [];
const rounds = quick ? 2 : 5;
for (let round = 0; round < rounds; round++) {
  let k = 0;
  for (const text of corpus) {
    const { parsed, analysis } = analyseAll(text);
    const lines = new LineIndex(text);
    const lineOf = (offset: number): number => lines.lineOf(offset) + 1;
    // The analysis's own garbage is collected before the hovers, as it is long before a user's hover.
    global.gc?.();
    for (const layer of parsed.model.layers) {
      const t = process.hrtime.bigint();
      const offset = layer.span.from + 3;
      const found = layerAt(parsed.model, offset)!;
      layerHover(analysis, found, lineOf, { uri: 'file:///bench/model.py', offset });
      const took = ms(t);
      if (round > 0) {
        // round 0 warms the JIT
        hoverTimes.push(took);
        bestPerLayer[k] = Math.min(bestPerLayer[k] ?? Infinity, took);
      }
      k++;
    }
  }
}
hoverTimes.sort((a, b) => a - b);
bestPerLayer.sort((a, b) => a - b);
const hover = {
  layers: bestPerLayer.length,
  rounds: rounds - 1,
  p50: +percentile(bestPerLayer, 50).toFixed(4),
  p99: +percentile(bestPerLayer, 99).toFixed(4),
  max: +bestPerLayer[bestPerLayer.length - 1].toFixed(4),
  everySample: { samples: hoverTimes.length, p50: +percentile(hoverTimes, 50).toFixed(4), p99: +percentile(hoverTimes, 99).toFixed(4) },
};

const files = (quick ? [1000] : [1000, 5000, 20000]).map((lines) => {
  const text = modelFile(lines);
  analyseAll(text); // warm-up
  const full: number[] = [];
  let heap = 0;
  for (let i = 0; i < 5; i++) {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const t = process.hrtime.bigint();
    analyseAll(text);
    full.push(ms(t));
    heap = Math.max(heap, process.memoryUsage().heapUsed - before);
  }
  // Typing in the middle of the file: one stride toggles between 2 and 3, forty keystrokes,
  // each reparsed from the previous version's tree and analysed with the kept engine answers.
  // Then the same at module level, in a constant no definition reads: every definition is
  // carried over (moduleContext.ts).
  const typing = (at: number): number => {
    const times: number[] = [];
    let state = analyseAll(text);
    for (let i = 0; i < 40; i++) {
      const edited = `${text.slice(0, at)}${i % 2 === 0 ? 3 : 2}${text.slice(at + 1)}`;
      const t = process.hrtime.bigint();
      state = analyseAll(edited, state.parsed, state.memo);
      if (i >= 10) times.push(ms(t)); // the first keystrokes warm the incremental path
    }
    times.sort((a, b) => a - b);
    return +percentile(times, 50).toFixed(1);
  };
  const afterEditMs = typing(text.indexOf('4, 2, 1, bias', text.length >> 1) + 3);
  const moduleEditMs = typing(text.indexOf('LATENT = 100') + 9);
  // Typing a new layer line into a Sequential in the middle of the file, keystroke by
  // keystroke: until its closing comma the text does not parse (most keystrokes). The line
  // is typed twice; the second time is measured (median over its keystrokes).
  const typingLine = (at: number): number => {
    const line = '            nn.Conv2d(nc, nc, 3, padding=1),\n';
    let times: number[] = [];
    let state = analyseAll(text);
    for (let pass = 0; pass < 2; pass++) {
      times = [];
      for (let k = 1; k <= line.length; k++) {
        const edited = text.slice(0, at) + line.slice(0, k) + text.slice(at);
        const t = process.hrtime.bigint();
        state = analyseAll(edited, state.parsed, state.memo);
        times.push(ms(t));
      }
      state = analyseAll(text, state.parsed, state.memo);
    }
    times.sort((a, b) => a - b);
    return +percentile(times, 50).toFixed(1);
  };
  const typingLineMs = typingLine(text.indexOf('            nn.Tanh(),', text.length >> 1));
  const layers = analyseAll(text).analysis.insights.length;
  const lineCount = text.split('\n').length;
  const fullMs = Math.min(...full);
  // Per 1,000 lines, to show the growth is linear: equal figures across sizes.
  return { lines: lineCount, layers, fullMs: +fullMs.toFixed(1), fullMsPer1kLines: +((fullMs * 1000) / lineCount).toFixed(1), afterEditMs, moduleEditMs, typingLineMs, heapMB: +(heap / 2 ** 20).toFixed(1) };
});

if (json) console.log(JSON.stringify({ hover, files }));
{
  say(`hover (layer under the cursor → layerHover, warm): ${hover.layers} layers, each its best of ${hover.rounds} rounds: p50 ${hover.p50} ms, p99 ${hover.p99} ms, max ${hover.max} ms; every sample (${hover.everySample.samples}): p50 ${hover.everySample.p50} ms, p99 ${hover.everySample.p99} ms`);
  for (const f of files) say(`whole file ${f.lines} lines, ${f.layers} layers: from scratch ${f.fullMs} ms (${f.fullMsPer1kLines} ms per 1k lines), per keystroke (median) ${f.afterEditMs} ms in a class, ${f.moduleEditMs} ms at module level, ${f.typingLineMs} ms typing a layer line (broken until its comma), heap +${f.heapMB} MB`);
}
