import { strict as assert } from 'node:assert';
import { fileShapeReport } from '../../src/core/present/fileReport';
import { parsePython } from '../../src/core/python/parse';

function report(text: string): string[] {
  return fileShapeReport(parsePython(text), text, 'model.py').split('\n');
}

describe('the "Show Layer Shapes" report', () => {
  it('names the file and the rules in its first two lines', () => {
    assert.deepEqual(report('import torch.nn as nn\n').slice(0, 2), [
      'Conv Lens: layer output shapes in model.py',
      'PyTorch 1.13 rules; input sizes are symbolic.',
    ]);
  });

  it('says so when the file has no layer calls', () => {
    assert.equal(report('x = 1\n')[3], 'No layer calls found (PyTorch torch.nn, Keras layers).');
  });

  it('gives a lone layer its line, type and symbolic input → output', () => {
    assert.equal(report('import torch.nn as nn\n\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n')[3], 'line 3  ConvTranspose2d  (N, 16, H, W) → (N, 33, 2·H, 2·W)');
  });

  it('indents a chain\'s layers under it, each fed the previous output, with aligned columns', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 8, 3, padding=1),\n    nn.MaxPool2d(2),\n)\n';
    assert.deepEqual(report(text).slice(3, 6), [
      'line 2  nn.Sequential (2 items)  → (N, 8, ⌊H/2⌋, ⌊W/2⌋); valid when H ≥ 2, W ≥ 2',
      'line 3    Conv2d     (N, 3, H, W) → (N, 8, H, W)',
      'line 4    MaxPool2d  (N, 8, H, W) → (N, 8, ⌊H/2⌋, ⌊W/2⌋)',
    ]);
  });

  it('gives PyTorch\'s reason for a refused layer and marks the layers after it as not reached', () => {
    const text = 'import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ConvTranspose2d(9, 4, 2, 2), nn.ReLU())\n';
    assert.deepEqual(report(text).slice(3, 7), [
      'line 2  nn.Sequential (3 items)  refused: see below; valid when H ≥ 3, W ≥ 3',
      'line 2    Conv2d           (N, 3, H, W) → (N, 8, H − 2, W − 2)',
      'line 2    ConvTranspose2d  refused: Given transposed=1, weight of size [9, 4, 2, 2], expected input[N, 8, H − 2, W − 2] to have 9 channels, but got 8 channels instead',
      'line 2    ReLU             not reached: an earlier layer is refused',
    ]);
  });

  it('names the lines with syntax errors, since layers there may be missing', () => {
    const lines = report('import torch.nn as nn\nc = nn.Conv2d(3, 8, 3)\ny = nn.Conv2d(3,\n');
    assert.equal(lines[lines.length - 2], 'Syntax error on line 4: layers there may be missing.');
  });
});
