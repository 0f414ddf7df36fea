import { strict as assert } from 'node:assert';
import { convertTransposedCall, HELPER_MARKER, HELPERS } from '../../src/core/convert/zeroInserted';
import { parsePython } from '../../src/core/python/parse';
import { answerConvertQuery } from '../../src/core/query';
import { helperInsertion, indentationAt } from '../../src/core/convert/placement';

function convertIn(text: string, indent = '') {
  const layer = parsePython(text).layers.find((l) => l.layerType.includes('ConvTranspose'));
  assert.ok(layer);
  return convertTransposedCall(layer, { arguments: 'source', indent });
}

describe('convert: a transposed conv as a zero-inserted conv', () => {
  it('replaces the call with the helper class, its steps in this layer\'s numbers, and the same arguments', () => {
    const out = convertIn('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    assert.ok(out.ok);
    assert.equal(out.value.replacement, [
      'ZeroInsertedConvTranspose2d(',
      '    # 1. insert 1 zero between neighbouring inputs (H → 2·H − 1, W → 2·W − 1)',
      '    # 2. pad 2 at the start, pad 2 at the end (d·(k − 1) − p; the end adds output_padding)',
      '    # 3. a stride-1 4×4 convolution with the kernel flipped and in/out channels swapped',
      '    16, 33, 4, 2, 1)',
    ].join('\n'));
    assert.equal(out.value.fromTransposed, 'ZeroInsertedConvTranspose2d.from_transposed');
  });

  it('keeps the source text of arguments in the editor (ngf * 8 stays ngf * 8) and indents under the call\'s line', () => {
    const out = convertIn('import torch.nn as nn\nngf = 64\nx = nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False)\n', '        ');
    assert.ok(out.ok);
    assert.equal(out.value.replacement.split('\n').pop(), '            ngf * 8, ngf * 4, 4, 2, 1, bias=False)');
  });

  it('says "crop" where padding exceeds dilation·(kernel − 1), and gives per-axis numbers when axes differ', () => {
    const out = convertIn('import torch.nn as nn\nnn.ConvTranspose2d(1, 1, (3, 2), stride=(1, 3), padding=(3, 0))\n');
    assert.ok(out.ok);
    assert.equal(out.value.replacement.split('\n')[1], '    # 1. insert zeros between neighbouring inputs, H: none (stride 1); W: 2 (H → H, W → 3·W − 2)');
    assert.equal(out.value.replacement.split('\n')[2], '    # 2. H: crop 1 at the start, crop 1 at the end; W: pad 1 at the start, pad 1 at the end (d·(k − 1) − p; the end adds output_padding)');
  });

  it('writes constants as literals for the CLI, so the replacement stands alone', () => {
    const out = answerConvertQuery('ngf = 64\nnn.ConvTranspose1d(ngf, ngf // 2, kernel_size=(4,), stride=2)');
    assert.ok(!('error' in out));
    assert.equal(out.replacement.split('\n').pop(), '    64, 32, kernel_size=(4,), stride=2)');
  });

  it('refuses what PyTorch refuses, with PyTorch\'s reason', () => {
    const out = answerConvertQuery('nn.ConvTranspose2d(16, 33, 3, stride=1, output_padding=1)');
    assert.ok('error' in out);
    assert.equal(out.rule, 'output-padding');
  });

  it('refuses a Lazy transposed conv (its in_channels are unknown until the first call), saying what to write instead', () => {
    const out = answerConvertQuery('nn.LazyConvTranspose2d(33, 4, 2, 1)');
    assert.deepEqual(out, { error: 'LazyConvTranspose2d infers in_channels at its first call; write nn.ConvTranspose2d with in_channels to convert it', rule: 'no-layer' });
  });

  it('says when the source has no transposed conv', () => {
    assert.deepEqual(answerConvertQuery('nn.Conv2d(1, 2, 3)'), { error: 'no transposed convolution (nn.ConvTranspose1d/2d/3d) found in the source', rule: 'no-layer' });
  });

  it('ships helpers that define the marker class once, and one subclass per dimension', () => {
    assert.equal(HELPERS.split(HELPER_MARKER).length, 2);
    assert.deepEqual(HELPERS.match(/^class \w+/gm), ['class ZeroInsertedConvTranspose', 'class ZeroInsertedConvTranspose1d', 'class ZeroInsertedConvTranspose2d', 'class ZeroInsertedConvTranspose3d']);
  });
});

describe('convert: where the helpers go', () => {
  it('after the last top-level import, separated by blank lines', () => {
    const text = 'import torch\nimport torch.nn as nn\n\nx = 1\n';
    const at = helperInsertion(text);
    assert.ok(at);
    assert.equal(at.offset, 'import torch\nimport torch.nn as nn\n'.length);
    assert.ok(at.text.startsWith('\n\nimport torch\n\n\nclass ZeroInsertedConvTranspose(torch.nn.Module):'));
    assert.ok(at.text.endsWith('    transposed_type, conv_type = torch.nn.ConvTranspose3d, torch.nn.Conv3d\n\n'));
  });

  it('after the closing line of a parenthesised import', () => {
    const text = 'from torch.nn import (\n    Conv2d,\n    ConvTranspose2d,\n)\nx = 1\n';
    assert.equal(helperInsertion(text)?.offset, text.indexOf('x = 1'));
  });

  it('at the top of a file without imports', () => {
    assert.equal(helperInsertion('x = 1\n')?.offset, 0);
  });

  it('nowhere when the file already has them: a second conversion reuses them', () => {
    assert.equal(helperInsertion(`import torch\n${HELPERS}`), undefined);
  });

  it('reads the indentation of the line a call starts on', () => {
    assert.equal(indentationAt('class A:\n        x = f(1)\n', 'class A:\n        x'.length), '        ');
  });
});
