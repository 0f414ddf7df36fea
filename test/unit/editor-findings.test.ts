import { strict as assert } from 'node:assert';
import { DocumentAnalysis } from '../../src/core/editor/documentAnalysis';
import { findings } from '../../src/core/editor/findings';
import { layerHoverMarkdown } from '../../src/core/present/hoverText';
import { parsePython } from '../../src/core/python/parse';

const ALL = { checkerboard: true, unreadInput: true };

function analyse(text: string): DocumentAnalysis {
  return new DocumentAnalysis(parsePython(text), text, {});
}

function hover(text: string, index = 0): string[] {
  const analysis = analyse(text);
  const insight = analysis.insights[index];
  const rf = analysis.receptiveFieldOf(insight);
  return layerHoverMarkdown(insight, rf ? { receptiveField: rf } : {}).split('\n');
}

describe('diagnostics: what the editor flags', () => {
  it('an error with PyTorch\'s reason for a refused layer, on its callee', () => {
    const text = 'import torch.nn as nn\nnn.ConvTranspose2d(16, 33, 3, stride=1, output_padding=1)\n';
    const [f] = findings(analyse(text), ALL);
    assert.equal(f.severity, 'error');
    assert.equal(f.code, 'output-padding');
    assert.equal(text.slice(f.span.from, f.span.to), 'nn.ConvTranspose2d');
    assert.ok(f.message.startsWith('PyTorch refuses this ConvTranspose2d: output padding must be smaller than either stride or dilation'));
  });

  it('a channel mismatch along a chain, with the fix "Set in_channels to 8"', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(16, 4, 3))\n';
    const [f] = findings(analyse(text), ALL);
    assert.equal(f.code, 'channel-mismatch');
    assert.deepEqual(f.fixes.map((x) => [x.title, text.slice(x.edit.span.from, x.edit.span.to), x.edit.text]), [['Set in_channels to 8', '16', '8']]);
  });

  it('the fix also rewrites a keyword in_channels', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(in_channels=16, out_channels=4, kernel_size=3))\n';
    const [f] = findings(analyse(text), ALL);
    assert.equal(text.slice(f.fixes[0].edit.span.from, f.fixes[0].edit.span.to), '16');
  });

  it('a checkerboard warning when the kernel is not divisible by the stride, with resize-then-conv', () => {
    const [f] = findings(analyse('import torch.nn as nn\nnn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)\n'), ALL);
    assert.equal(f.code, 'checkerboard');
    assert.equal(f.message, 'Uneven overlap (checkerboard artifacts): kernel 3 is not divisible by stride 2 along H, W, so outputs get 1 or 2 taps in turn. Resize-then-conv gives the same size without it: nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(16, 33, 3, padding=1)');
  });

  it('no checkerboard warning for kernel 4, stride 2', () => {
    assert.deepEqual(findings(analyse('import torch.nn as nn\nnn.ConvTranspose2d(16, 33, 4, 2, 1)\n'), ALL), []);
  });

  it('an unread-input warning when a strided conv drops the last rows, for a known input', () => {
    const [f] = findings(analyse('import torch.nn as nn\nnn.Conv2d(3, 8, 3, stride=2)  # (1, 3, 32, 32)\n'), ALL);
    assert.equal(f.code, 'unread-input');
    assert.equal(f.message, 'The last input elements are never read (1 along H, 1 along W): the windows do not fit the input exactly, so Conv2d drops them.');
  });

  it('no unread-input warning when only end padding goes unread', () => {
    // 6 inputs, padding 1, kernel 3, stride 2: windows cover −1…5, every input; the right pad is left over.
    assert.deepEqual(findings(analyse('import torch.nn as nn\nnn.Conv1d(4, 8, 3, stride=2, padding=1)  # (1, 4, 6)\n'), ALL), []);
  });

  it('counts only input elements as unread, not the end padding the remainder covers', () => {
    // 7 inputs, padding 1, kernel 2, stride 3: padded 9, windows at 0, 3, 6 cover 0…7: input 6 (padded 7) is read, the pad at 8 is not.
    assert.deepEqual(findings(analyse('import torch.nn as nn\nnn.Conv1d(4, 8, 2, stride=3, padding=1)  # (1, 4, 7)\n'), ALL), []);
    // 11 inputs, padding 1: padded 13, windows at 0, 3, 6, 9 cover 0…10; padded cells 11 (input 10) and 12 (the pad) are left: one input.
    const [f] = findings(analyse('import torch.nn as nn\nnn.Conv1d(4, 8, 2, stride=3, padding=1)  # (1, 4, 11)\n'), ALL);
    assert.equal(f?.message, 'The last input elements are never read (1 along L): the windows do not fit the input exactly, so Conv1d drops them.');
  });

  it('each warning can be turned off', () => {
    const text = 'import torch.nn as nn\nnn.ConvTranspose2d(16, 33, 3, stride=2)\nnn.Conv2d(3, 8, 3, stride=2)  # (1, 3, 32, 32)\n';
    assert.deepEqual(findings(analyse(text), { checkerboard: false, unreadInput: false }), []);
  });
});

describe('the hover', () => {
  it('answers on its first lines: the concrete output, and the input and where it comes from', () => {
    const lines = hover('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, 2, 1, 1)  # input: (1, 16, 32, 32)\n');
    assert.deepEqual(lines.slice(0, 3), ['**ConvTranspose2d** → `(1, 33, 64, 64)`', '', 'for input `(1, 16, 32, 32)` (from the comment on line 2)']);
  });

  it('plugs the numbers into each axis\' formula', () => {
    const lines = hover('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, 2, 1, 1)  # input: (1, 16, 32, 32)\n');
    assert.ok(lines.includes('- H: `(32 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 64`'), lines.join('\n'));
  });

  it('counts a transposed conv\'s multiply-adds both ways, labelled', () => {
    const lines = hover('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, 2, 1, 1, bias=False)  # input: (1, 16, 32, 32)\n');
    // 16·33·9 = 4,752 weights; 32·32 inputs as computed, 64·64 outputs as the naive zero-inserted conv
    assert.ok(lines.includes('- multiply-adds: `4,866,048` as computed (each input times the kernel), `19,464,192` as the naive zero-inserted conv'), lines.join('\n'));
  });

  it('gives the receptive field and jump through the chain so far', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3, stride=2), nn.Conv2d(8, 8, 3))\n';
    assert.ok(hover(text, 3).includes('- receptive field `9`, jump `2` (in pixels of the chain\'s input)'), hover(text, 3).join('\n'));
  });

  it('shows padding on each side of a direct conv', () => {
    assert.ok(hover('import torch.nn as nn\nnn.Conv2d(3, 8, 3, padding=1)\n').includes('  - padding: 1 at the start, 1 at the end'));
  });
});
