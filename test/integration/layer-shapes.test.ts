import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { eventually, pythonDocument, workspaceFile } from './util';

/** The open report on `source` (the report's URI carries its source's URI as its query). */
function reportOn(source: vscode.TextDocument): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'conv-lens-shapes' && d.uri.query === source.uri.toString());
}

describe('command "Conv Lens: Show Layer Shapes"', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('opens every layer of the active file with its output shape, beside it', async () => {
    const source = await workspaceFile('dcgan_generator.py');
    await vscode.window.showTextDocument(source);
    await vscode.commands.executeCommand('convLens.showLayerShapes');
    const report = await eventually(() => reportOn(source), (d) => d !== undefined, 'no report document opened');
    const lines = report!.getText().split('\n');
    assert.equal(lines[0], 'Conv Lens: layer output shapes in dcgan_generator.py');
    assert.equal(lines[3], 'line 14  nn.Sequential (14 items)  → (N, 3, 16·H + 48, 16·W + 48)');
    assert.equal(lines[4], 'line 15    ConvTranspose2d  (N, 100, H, W) → (N, 512, H + 3, W + 3)');
    assert.equal(vscode.window.visibleTextEditors.length, 2, 'the report opens beside the source');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), source.uri.toString(), 'focus stays in the source');
  });

  it('follows the source as it is edited', async () => {
    const source = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const editor = await vscode.window.showTextDocument(source);
    await vscode.commands.executeCommand('convLens.showLayerShapes');
    const report = await eventually(() => reportOn(source), (d) => d !== undefined, 'no report document opened');
    assert.equal(report!.lineAt(3).text, 'line 2  ConvTranspose2d  (N, 16, H, W) → (N, 33, 2·H, 2·W)');
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), 'down = nn.Conv2d(33, 8, 3, stride=2)\n'));
    await eventually(() => report!.getText(), (t) => t.includes('line 3  Conv2d           (N, 33, H, W) → (N, 8, ⌈H/2⌉ − 1, ⌈W/2⌉ − 1)'), 'the report did not follow the edit');
  });

  it('asks for a Python file when none is active, and opens nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('convLens.showLayerShapes');
    assert.equal(vscode.window.visibleTextEditors.length, 0);
  });
});
