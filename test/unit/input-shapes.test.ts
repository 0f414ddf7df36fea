import { strict as assert } from 'node:assert';
import { DocumentAnalysis, type InputDefaults } from '../../src/core/editor/documentAnalysis';
import { parseShapeComment } from '../../src/core/editor/shapeComments';
import { parseShapeSpec } from '../../src/core/query';
import { formatShape } from '../../src/core/shape';
import { parsePython } from '../../src/core/python/parse';

function shapeText(comment: string): string | undefined {
  const s = parseShapeComment(comment);
  return s && formatShape(s);
}

function analyse(text: string, defaults: InputDefaults = {}): { type: string; input: string; output: string; origin: string }[] {
  const analysis = new DocumentAnalysis(parsePython(text), text, defaults);
  return analysis.insights.map((i) => ({
    type: i.layer.layerType,
    input: i.input ? formatShape(i.input) : 'own',
    output: i.outcome.ok ? formatShape(i.outcome.value.output) : `refused: ${i.outcome.refusal.rule}`,
    origin: i.origin.kind === 'comment' ? `comment on line ${i.origin.line + 1}` : i.origin.kind,
  }));
}

describe('input shapes written in comments', () => {
  it('reads the four spellings of the issue, letters as symbols', () => {
    assert.equal(shapeText('# input: (1, 16, 32, 32)'), '(1, 16, 32, 32)');
    assert.equal(shapeText('# (N, 16, 32, 32)'), '(N, 16, 32, 32)');
    assert.equal(shapeText('# in: 1x16x32x32'), '(1, 16, 32, 32)');
    assert.equal(shapeText('# x: [B, 16, H, W]'), '(B, 16, H, W)');
  });

  it('reads a bracketed shape followed by words or a symbol', () => {
    assert.equal(shapeText('# input: (1, 16, 8, 8) after the stem'), '(1, 16, 8, 8)');
    assert.equal(shapeText('# (N, 3, 64, 64) ✨'), '(N, 3, 64, 64)');
    assert.equal(shapeText('# x: [B, 16, H, W], from the encoder'), '(B, 16, H, W)');
  });

  it('ignores output annotations and prose', () => {
    assert.equal(shapeText('# (see below) the decoder'), undefined);
    assert.equal(shapeText('# -> (N, 512, 4, 4)'), undefined);
    assert.equal(shapeText('# out: (N, 512, 4, 4)'), undefined);
    assert.equal(shapeText('# size of the latent vector'), undefined);
    assert.equal(shapeText('# kernel 2, stride 2: every output pixel gets exactly one tap'), undefined);
  });
});

describe('where a layer\'s input shape comes from', () => {
  it('a comment on the layer\'s line', () => {
    assert.deepEqual(analyse('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, 2, 1, 1)  # input: (1, 16, 32, 32)\n'), [
      { type: 'ConvTranspose2d', input: '(1, 16, 32, 32)', output: '(1, 33, 64, 64)', origin: 'comment on line 2' },
    ]);
  });

  it('a comment on the line directly above', () => {
    assert.deepEqual(analyse('import torch.nn as nn\n# x: [B, 16, H, W]\nc = nn.Conv2d(16, 8, 3, padding=1)\n')[0], { type: 'Conv2d', input: '(B, 16, H, W)', output: '(B, 8, H, W)', origin: 'comment on line 2' });
  });

  it('above an nn.Sequential: its first layer gets it, and each next layer the previous output', () => {
    const text = 'import torch.nn as nn\n# input: (1, 100, 1, 1)\nnet = nn.Sequential(\n    nn.ConvTranspose2d(100, 64, 4, 1, 0),\n    nn.ReLU(),\n    nn.ConvTranspose2d(64, 3, 4, 2, 1),\n)\n';
    assert.deepEqual(analyse(text), [
      { type: 'ConvTranspose2d', input: '(1, 100, 1, 1)', output: '(1, 64, 4, 4)', origin: 'comment on line 2' },
      { type: 'ReLU', input: '(1, 64, 4, 4)', output: '(1, 64, 4, 4)', origin: 'previous' },
      { type: 'ConvTranspose2d', input: '(1, 64, 4, 4)', output: '(1, 3, 8, 8)', origin: 'previous' },
    ]);
  });

  it('a comment on a layer inside a chain wins over propagation', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.Conv2d(8, 8, 3),  # (1, 8, 10, 10)\n)\n';
    assert.deepEqual(analyse(text)[1], { type: 'Conv2d', input: '(1, 8, 10, 10)', output: '(1, 8, 8, 8)', origin: 'comment on line 4' });
  });

  it('the per-file shape, then the setting, for top-level items without a comment', () => {
    const text = 'import torch.nn as nn\nc = nn.Conv2d(3, 8, 3)\n';
    const file = parseShapeSpec('1,3,10,10');
    const setting = parseShapeSpec('1,3,20,20');
    assert.equal(analyse(text, { file, setting })[0].output, '(1, 8, 8, 8)');
    assert.equal(analyse(text, { file, setting })[0].origin, 'file');
    assert.equal(analyse(text, { setting })[0].output, '(1, 8, 18, 18)');
    assert.equal(analyse(text, { setting })[0].origin, 'setting');
  });

  it('otherwise the layer\'s own symbolic input', () => {
    assert.deepEqual(analyse('import torch.nn as nn\nnn.ConvTranspose2d(16, 33, 4, 2, 1)\n')[0], { type: 'ConvTranspose2d', input: '(N, 16, H, W)', output: '(N, 33, 2·H, 2·W)', origin: 'symbolic' });
  });

  it('a channel count that disagrees with in_channels is refused with PyTorch\'s reason', () => {
    const [insight] = new DocumentAnalysis(parsePython('import torch.nn as nn\nnn.Conv2d(16, 8, 3)  # input: (1, 3, 32, 32)\n'), 'import torch.nn as nn\nnn.Conv2d(16, 8, 3)  # input: (1, 3, 32, 32)\n', {}).insights;
    assert.ok(!insight.outcome.ok);
    assert.equal(insight.outcome.refusal.message, 'Given groups=1, weight of size [8, 16, 3, 3], expected input[1, 3, 32, 32] to have 16 channels, but got 3 channels instead');
  });

  it('layers after a refused one are analysed on their own symbolic input, marked unreached', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(9, 4, 3))  # (1, 3, 8, 8)\n';
    const analysis = new DocumentAnalysis(parsePython(text), text, {});
    assert.deepEqual(analysis.insights.map((i) => [i.outcome.ok, i.unreached]), [[true, false], [false, false]]);
    const after = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(9, 4, 3), nn.Conv2d(4, 2, 1))  # (1, 3, 8, 8)\n';
    assert.deepEqual(new DocumentAnalysis(parsePython(after), after, {}).insights.map((i) => i.unreached), [false, false, true]);
  });
});

describe('a comment on a line with several layers', () => {
  it('belongs to the outermost item starting there: the chain, which feeds its layers in turn', () => {
    assert.deepEqual(analyse('import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(8, 4, 3))  # (1, 3, 8, 8)\n').map((r) => r.output), ['(1, 8, 6, 6)', '(1, 4, 4, 4)']);
  });
});

describe('the trace of a selection', () => {
  it('feeds each selected layer the previous output and ends with the final shape', async () => {
    const { selectionTrace } = await import('../../src/core/editor/selectionTrace');
    const { traceMarkdown } = await import('../../src/core/present/traceText');
    const text = 'import torch.nn as nn\nc1 = nn.Conv2d(3, 8, 3, padding=1)  # (1, 3, 32, 32)\nc2 = nn.MaxPool2d(2)\nc3 = nn.ConvTranspose2d(8, 4, 4, 2, 1)\n';
    const analysis = new DocumentAnalysis(parsePython(text), text, {});
    const steps = selectionTrace(analysis, text.indexOf('c1'), text.length);
    assert.equal(traceMarkdown(steps, (o) => text.slice(0, o).split('\n').length), [
      '**3 layers** → `(1, 4, 32, 32)`',
      '',
      'for input `(1, 3, 32, 32)`',
      '',
      '| line | layer | output |',
      '|---:|---|---|',
      '| 2 | Conv2d | `(1, 8, 32, 32)` |',
      '| 3 | MaxPool2d | `(1, 8, 16, 16)` |',
      '| 4 | ConvTranspose2d | `(1, 4, 32, 32)` |',
    ].join('\n'));
  });
});
