/**
 * Huge and hostile inputs: each is answered (exact shapes where there is one), nothing
 * throws, the work stays bounded, and a large file's parse can run in slices and be dropped.
 * Mocha's timeout is the guard against runaway work here, not a speed claim (those are in
 * the benchmarks).
 */
import { strict as assert } from 'node:assert';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { findings } from '../../src/core/editor/findings';
import { LayerMemo } from '../../src/core/editor/layerMemo';
import { LineIndex } from '../../src/core/lines';
import { layerHover } from '../../src/core/present/layerHover';
import { parseCaffe } from '../../src/core/caffe/model';
import { parseConfig } from '../../src/core/config/parse';
import { layerAt, parsePython, reparsePython, reparsePythonInSlices } from '../../src/core/python/parse';
import { formatShape } from '../../src/core/shape';
import type { SourceModel } from '../../src/core/values';

/** What the editor does with a file: analysis, problems, hint labels, and the last layer's hover. */
function editorView(model: SourceModel, text: string) {
  const analysis = new DocumentAnalysis(model, text, {}, new LayerMemo());
  const problems = findings(analysis, { checkerboard: true, unreadInput: true });
  const hints = analysis.insights.map((i) => (i.outcome.ok ? formatShape(i.outcome.value.output) : undefined));
  const last = model.layers[model.layers.length - 1];
  const lines = new LineIndex(text);
  const hover = (last && layerHover(analysis, layerAt(model, last.span.from + 3)!, (offset) => lines.lineOf(offset) + 1)) ?? '';
  return { problems, hints, hover, headline: hover.split('\n')[0] };
}

function python(text: string) {
  return editorView(parsePython(text), text);
}

const fiftyThousandLines = ['import torch.nn as nn', ...Array.from({ length: 50_000 }, (_, i) => (i % 10 === 0 ? `up${i} = nn.ConvTranspose2d(16, 16, 4, 2, 1)  # input: (1, 16, 8, ${8 + (i % 7)})` : `x${i} = ${i}`))].join('\n');

describe('huge and hostile inputs', function () {
  this.timeout(60_000);

  it('a 50,000-line file: all 5,000 layers get their shape, the last one (1, 16, 16, 22)', () => {
    const view = python(fiftyThousandLines);
    assert.equal(view.hints.length, 5000);
    assert.ok(view.hints.every((h) => h !== undefined));
    assert.equal(view.headline, '**ConvTranspose2d** → `(1, 16, 16, 22)`');
  });

  it('a 10,000-character line: an nn.Sequential of 500 layers on one line, traced to its end', () => {
    const line = `net = nn.Sequential(${Array.from({ length: 500 }, () => 'nn.Conv2d(3, 3, 3, padding=1)').join(', ')})  # input: (1, 3, 32, 32)`;
    assert.ok(line.length > 10_000);
    const view = python(`import torch.nn as nn\n${line}\n`);
    assert.equal(view.hints.length, 500);
    assert.equal(view.headline, '**Conv2d** → `(1, 3, 32, 32)`');
  });

  it('a 10,000-character expression and string: answered, unknown where it must be', () => {
    // 5,000 terms nest 5,000 deep, past the evaluator's depth cap: c is unknown, and said so.
    assert.equal(python(`import torch.nn as nn\nc = ${Array(5000).fill('1').join('+')}\nl = nn.Conv2d(c, 3, 3)\n`).headline, '**Conv2d**: cannot compute the shape');
    assert.equal(python(`import torch.nn as nn\ns = "${'x'.repeat(10_000)}"\nl = nn.Conv2d(3, 3, 3)\n`).headline, '**Conv2d** → `(N, 3, H − 2, W − 2)`');
  });

  it('an nn.Sequential of 2,000 layers: each fed the previous output, the last at (1, 3, 64, 64)', () => {
    const body = Array.from({ length: 2000 }, (_, i) => (i % 2 ? '    nn.ReLU(),' : '    nn.Conv2d(3, 3, 3, padding=1),')).join('\n');
    const view = python(`import torch.nn as nn\n# input: (1, 3, 64, 64)\nnet = nn.Sequential(\n${body}\n)\n`);
    assert.equal(view.hints.filter((h) => h === '(1, 3, 64, 64)').length, 2000);
    assert.equal(view.headline, '**ReLU** → `(1, 3, 64, 64)`');
    assert.match(view.hover, /receptive field `2001`, jump `1`/);
  });

  for (const depth of [1000, 5000]) {
    it(`${depth} nested parentheses, lists, unary minus and calls in an argument: no throw, an answer for the layer`, () => {
      for (const argument of ['('.repeat(depth) + '3' + ')'.repeat(depth), '['.repeat(depth) + '3' + ']'.repeat(depth), `${'-'.repeat(depth)}3`, 'f('.repeat(depth) + '3' + ')'.repeat(depth)]) {
        const view = python(`import torch.nn as nn\nl = nn.Conv2d(3, 3, ${argument})\n`);
        assert.match(view.headline, /^\*\*Conv2d\*\*/, argument.slice(0, 20));
      }
    });
  }

  it('nn.Sequential nested 1,000 deep around one conv: the conv is found and answered', () => {
    const view = python(`import torch.nn as nn\nnet = ${'nn.Sequential('.repeat(1000)}nn.Conv2d(3, 3, 3)${')'.repeat(1000)}  # input: (1, 3, 9, 9)\n`);
    assert.deepEqual(view.hints, ['(1, 3, 7, 7)']);
  });

  it('100 nested function definitions: the layer in the innermost is answered', () => {
    const defs = Array.from({ length: 100 }, (_, i) => `${' '.repeat(i)}def f${i}():`).join('\n');
    assert.equal(python(`import torch.nn as nn\n${defs}\n${' '.repeat(100)}l = nn.Conv2d(3, 3, 3)\n`).headline, '**Conv2d** → `(N, 3, H − 2, W − 2)`');
  });

  it('unicode identifiers, aliases and comments: 上采样 = 神经.ConvTranspose2d(通道, 通道 * 2, 4, 2, 1) → (1, 32, 16, 16)', () => {
    const view = python('import torch.nn as 神经\n通道 = 16\n上采样 = 神经.ConvTranspose2d(通道, 通道 * 2, 4, 2, 1)  # input: (1, 16, 8, 8) ✨\n');
    assert.equal(view.headline, '**ConvTranspose2d** → `(1, 32, 16, 16)`');
  });

  it('a chain of 3,000 names each read twice (a1 = a0 * 2 - a0 …) is evaluated in bounded work, not 2³⁰⁰⁰ steps', () => {
    // Before: a value cut short at the depth cap was never kept, so each level evaluated the
    // one below twice again — it never finished.
    const names = Array.from({ length: 3000 }, (_, i) => `a${i + 1} = a${i} * 2 - a${i}`).join('\n');
    const model = parsePython(`import torch.nn as nn\na0 = 3\n${names}\nl = nn.Conv2d(a3000, 3, 3)\nm = nn.Conv2d(a20, 3, 3)\n`);
    assert.equal(model.layers[0].args[0].value.kind, 'unknown');
    assert.deepEqual(model.layers[1].args[0].value, { kind: 'int', expr: { terms: [], c: 3 } });
  });

  it('YAML nested 1,000 deep, JSON with a 10,000-character key and a prototxt of 2,000 layers: answered', () => {
    const yaml = `${Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')}\n${'  '.repeat(1000)}type: Conv2d\n`;
    assert.doesNotThrow(() => editorView(parseConfig(yaml, 'yaml'), yaml));
    const json = `{"${'k'.repeat(10_000)}": {"type": "Conv2d", "in_channels": 3, "out_channels": 8, "kernel_size": 3}}`;
    assert.doesNotThrow(() => editorView(parseConfig(json, 'json'), json));
    const layers = Array.from({ length: 2000 }, (_, i) => `layer { name: "c${i}" type: "Convolution" bottom: "${i ? `c${i - 1}` : 'data'}" top: "c${i}" convolution_param { num_output: 3 kernel_size: 3 pad: 1 } }`).join('\n');
    const prototxt = `input: "data"\ninput_shape { dim: 1 dim: 3 dim: 32 dim: 32 }\n${layers}\n`;
    const view = editorView(parseCaffe(prototxt), prototxt);
    assert.equal(view.hints.length, 2001); // the declared input, then the 2,000 convolutions
    assert.equal(view.hints[2000], '(1, 3, 32, 32)');
  });
});

describe('a large file\'s parse in slices', function () {
  this.timeout(60_000);

  it('gives the same model as the parse at once, pausing between slices', async () => {
    let pauses = 0;
    const sliced = await reparsePythonInSlices(fiftyThousandLines, undefined, () => {
      pauses++;
      return Promise.resolve(true);
    }, 5);
    assert.ok(sliced);
    assert.ok(pauses >= 2, `${pauses} pauses`);
    assert.deepEqual(sliced.model, reparsePython(fiftyThousandLines, undefined).model);
  });

  it('stops at the next slice when the work is no longer wanted (the text changed), and gives nothing', async () => {
    let pauses = 0;
    const sliced = await reparsePythonInSlices(fiftyThousandLines, undefined, () => Promise.resolve(++pauses < 2), 1);
    assert.equal(sliced, undefined);
    assert.equal(pauses, 2);
  });

  it('reuses the previous version\'s tree: an edit reparses from it', async () => {
    const previous = reparsePython(fiftyThousandLines, undefined);
    const edited = fiftyThousandLines.replace('up49990 = nn.ConvTranspose2d(16, 16, 4, 2, 1)', 'up49990 = nn.ConvTranspose2d(16, 16, 4, 1, 1)');
    const sliced = await reparsePythonInSlices(edited, previous, () => Promise.resolve(true));
    assert.ok(sliced);
    assert.deepEqual(sliced.model, reparsePython(edited, undefined).model);
  });
});
