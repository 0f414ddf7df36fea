import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { eventually, positionOf, pythonDocument } from './util';

/** The visualization panel's tab, if open (the extension host cannot read a webview's page: e2e does). */
function panelTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('convLens.visualization'));
}

function tabsNow(): string {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${g.viewColumn}:${t.label}${t.input instanceof vscode.TabInputWebview ? `[${t.input.viewType}]` : ''}`)).join(', ');
}

describe('command "Conv Lens: Open Visualization"', function () {
  // A webview page takes seconds to load in code-server on two busy cores.
  this.timeout(90_000);
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Let the closed panel's page be torn down before the next test opens another: a page
    // created in the same moment may never load in code-server (seen on two busy cores).
    await eventually(() => panelTab(), (t) => t === undefined, 'the panel did not close');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  });

  it('opens one panel beside the editor, titled by the layer under the cursor, and keeps the focus in the editor', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(positionOf(doc, 'ConvTranspose2d'), positionOf(doc, 'ConvTranspose2d'));
    await vscode.commands.executeCommand('convLens.openVisualization');
    const tab = await eventually(() => panelTab(), (t) => t !== undefined, 'no panel opened');
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: ConvTranspose2d', 'the panel is not titled by the layer', 30_000);
    assert.notEqual(tab!.group.viewColumn, vscode.ViewColumn.One, 'the panel opens beside the editor');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the focus stays in the editor');
    await vscode.commands.executeCommand('convLens.openVisualization');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).length, 1, 'a second call reuses the panel');
  });

  it('follows the cursor to another layer', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\npool = nn.MaxPool2d(3, 2)\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(positionOf(doc, 'ConvTranspose2d'), positionOf(doc, 'ConvTranspose2d'));
    await vscode.commands.executeCommand('convLens.openVisualization');
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: ConvTranspose2d', `the panel did not show the transposed conv (tabs: ${tabsNow()})`, 30_000);
    editor.selection = new vscode.Selection(positionOf(doc, 'MaxPool2d'), positionOf(doc, 'MaxPool2d'));
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: MaxPool2d', 'the panel did not follow the cursor');
  });

  it('opens from the hover link for the layer the hover was on', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nconv = nn.Conv2d(3, 8, 3)\n');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('convLens.openVisualization', doc.uri.toString(), doc.offsetAt(positionOf(doc, 'Conv2d')));
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: Conv2d', 'the panel did not open on the hovered layer', 30_000);
  });
});
