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
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  // One panel for the whole story: in code-server a webview created soon after another was
  // closed sometimes never loads its page (seen only in this suite's quick succession; the
  // e2e suite opens and closes panels as a person does, and they load every time).
  it('opens one panel beside the editor on the layer under the cursor, follows the cursor, and takes the hover link\'s layer', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\npool = nn.MaxPool2d(3, 2)\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(positionOf(doc, 'ConvTranspose2d'), positionOf(doc, 'ConvTranspose2d'));
    await vscode.commands.executeCommand('convLens.openVisualization');
    const tab = await eventually(() => panelTab(), (t) => t !== undefined, 'no panel opened');
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: ConvTranspose2d', `the panel is not titled by the layer (tabs: ${tabsNow()})`, 30_000);
    assert.notEqual(tab!.group.viewColumn, vscode.ViewColumn.One, 'the panel opens beside the editor');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the focus stays in the editor');

    editor.selection = new vscode.Selection(positionOf(doc, 'MaxPool2d'), positionOf(doc, 'MaxPool2d'));
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: MaxPool2d', 'the panel did not follow the cursor');

    // The hover link passes the document and the hovered offset.
    await vscode.commands.executeCommand('convLens.openVisualization', doc.uri.toString(), doc.offsetAt(positionOf(doc, 'ConvTranspose2d')));
    await eventually(() => panelTab()?.label, (l) => l === 'Conv Lens: ConvTranspose2d', 'the panel did not take the hovered layer');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).length, 1, 'a second call reuses the panel');
  });
});
