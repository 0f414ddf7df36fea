import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { eventually, hoverText, unescaped, positionOf, pythonDocument, workspaceFile } from './util';

describe('hover', () => {
  it('answers a transposed conv with its symbolic output shape first', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const text = await hoverText(doc, positionOf(doc, 'ConvTranspose2d'));
    assert.equal(text.split('\n')[0], '**ConvTranspose2d** → `(N, 33, 2·H, 2·W)`');
  });

  it('shows the per-axis formula and the zero-insertion form', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const text = await hoverText(doc, positionOf(doc, '33'));
    assert.ok(text.includes('- H: `(H − 1)·2 − 2·1 + 1·(4 − 1) + 0 + 1 = 2·H`'), text);
    assert.ok(text.includes('as a stride-1 conv: insert 1 zero between inputs (length `2·H − 1`), pad 2 at the start, pad 2 at the end, flipped kernel'), text);
  });

  it('hovers the layers of the DCGAN example file: constants resolved, the input comment propagated', async () => {
    const doc = await workspaceFile('dcgan_generator.py');
    const text = await hoverText(doc, positionOf(doc, 'nn.ConvTranspose2d(ngf * 8, ngf * 4'));
    assert.deepEqual(text.split('\n').slice(0, 3), ['**ConvTranspose2d** → `(N, 256, 8, 8)`', '', 'for input `(N, 512, 4, 4)` (the previous layer\'s output)']);
  });

  it('links "Open visualization" and "Convert to zero-inserted conv" on a transposed conv, our two commands the only trusted ones', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'ConvTranspose2d'));
    const markdown = hovers[0].contents[0] as vscode.MarkdownString;
    assert.ok(markdown.value.includes('[Open visualization](command:convLens.openVisualization?'), markdown.value);
    assert.ok(markdown.value.includes('[Convert to zero-inserted conv](command:convLens.convertToZeroInserted?'), markdown.value);
    assert.deepEqual(markdown.isTrusted, { enabledCommands: ['convLens.convertToZeroInserted', 'convLens.openVisualization'] });
  });

  it('links "Open visualization" only on layers with a sliding window', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nconv = nn.Conv2d(3, 8, 3)\nact = nn.ReLU()\n');
    assert.ok((await hoverText(doc, positionOf(doc, 'Conv2d'))).includes('[Open visualization]'));
    assert.ok(!(await hoverText(doc, positionOf(doc, 'ReLU'))).includes('[Open visualization]'));
  });

  it('gives PyTorch\'s reason when PyTorch would refuse the layer', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nbad = nn.ConvTranspose2d(16, 33, 3, stride=1, output_padding=1)\n');
    const text = await hoverText(doc, positionOf(doc, 'ConvTranspose2d'));
    assert.equal(unescaped(text), '**ConvTranspose2d**: PyTorch refuses this layer\n\noutput padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1');
  });

  it('shows nothing outside a layer call', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nchannels = 16\nup = nn.ConvTranspose2d(channels, 33, 4, 2, 1)\n');
    assert.equal(await hoverText(doc, positionOf(doc, 'channels')), '');
  });

  it('follows an edit: the hover answers the new text', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const edit = new vscode.WorkspaceEdit();
    const stride = positionOf(doc, '2, 1)').translate(0, -1);
    edit.replace(doc.uri, new vscode.Range(stride, stride.translate(0, 1)), '4');
    assert.equal(await vscode.workspace.applyEdit(edit), true);
    assert.equal(doc.lineAt(1).text, 'up = nn.ConvTranspose2d(16, 33, 4, 4, 1)');
    const text = await hoverText(doc, positionOf(doc, 'ConvTranspose2d'));
    assert.equal(text.split('\n')[0], '**ConvTranspose2d** → `(N, 33, 4·H − 2, 4·W − 2)`');
  });

  it('escapes user text: a markdown link in a layer argument stays text', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nx = nn.Conv2d(16, 33, "[x](command:workbench.action.quit)")\n');
    const text = await hoverText(doc, positionOf(doc, 'Conv2d'));
    assert.ok(!text.includes('](command:'), text);
  });

  describe('with convLens.hover.enabled = false', () => {
    const settings = () => vscode.workspace.getConfiguration('convLens');
    afterEach(async () => settings().update('hover.enabled', undefined, vscode.ConfigurationTarget.Global));

    it('shows no hover, and shows it again once re-enabled', async () => {
      const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
      const at = positionOf(doc, 'ConvTranspose2d');
      await settings().update('hover.enabled', false, vscode.ConfigurationTarget.Global);
      await eventually(() => hoverText(doc, at), (t) => t === '', 'the hover is still shown');
      await settings().update('hover.enabled', undefined, vscode.ConfigurationTarget.Global);
      await eventually(() => hoverText(doc, at), (t) => t.startsWith('**ConvTranspose2d**'), 'the hover did not come back');
    });
  });
});
