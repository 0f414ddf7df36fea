import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, pythonDocument } from './util';

describe('activation', () => {
  it('activates when a Python document opens (lazily: onLanguage:python)', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await vscode.window.showTextDocument(await pythonDocument('import torch.nn as nn\n'));
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('contributes its commands under the "Conv Lens" category', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('convLens.showLayerShapes'));
    assert.ok(commands.includes('convLens.convertToZeroInserted'));
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string; category: string }[] } };
    assert.deepEqual(manifest.contributes.commands.map((c) => [c.command, c.category]), [['convLens.setInputShape', 'Conv Lens'], ['convLens.showLayerShapes', 'Conv Lens'], ['convLens.convertToZeroInserted', 'Conv Lens'], ['convLens.openVisualization', 'Conv Lens']]);
  });
});
