import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import fc from 'fast-check';
import { applyEdits, conversionEdits } from '../../src/core/editor/textEdits';
import { parsePython } from '../../src/core/python/parse';
import { solvableKind } from '../../src/core/solve/rewrite';
import { pythonFile } from '../generators/pythonFiles';
import { positionOf, pythonDocument } from './util';

const SOURCE = [
  'import torch',
  'import torch.nn as nn',
  '',
  'ngf = 64',
  'net = nn.Sequential(',
  '    nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),  # -> 2x',
  '    nn.ReLU(True),',
  '    nn.ConvTranspose2d(ngf * 4, 3, 4, 2, 1),',
  ')',
  '',
].join('\n');

async function convertAt(doc: vscode.TextDocument, needle: string, skip = 0): Promise<void> {
  const editor = await vscode.window.showTextDocument(doc);
  const at = positionOf(doc, needle, skip);
  editor.selection = new vscode.Selection(at, at);
  await vscode.commands.executeCommand('convLens.convertToZeroInserted');
}

describe('command "Conv Lens: Convert Transposed Conv to Zero-Inserted Conv"', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('rewrites the call under the cursor, keeping its arguments, indentation, comma and comment', async () => {
    const doc = await pythonDocument(SOURCE);
    await convertAt(doc, 'ConvTranspose2d');
    const lines = doc.getText().split('\n');
    const at = lines.indexOf('    ZeroInsertedConvTranspose2d(');
    assert.notEqual(at, -1, doc.getText());
    assert.deepEqual(lines.slice(at, at + 5), [
      '    ZeroInsertedConvTranspose2d(',
      '        # 1. insert 1 zero between neighbouring inputs (H → 2·H − 1, W → 2·W − 1)',
      '        # 2. pad 2 at the start, pad 2 at the end (d·(k − 1) − p; the end adds output_padding)',
      '        # 3. a stride-1 4×4 convolution with the kernel flipped and in/out channels swapped',
      '        ngf * 8, ngf * 4, 4, 2, 1, bias=False),  # -> 2x',
    ]);
    assert.deepEqual(lines.slice(at + 5), ['    nn.ReLU(True),', '    nn.ConvTranspose2d(ngf * 4, 3, 4, 2, 1),', ')', '']);
  });

  it('inserts the helpers once, after the imports, and reuses them for the next conversion', async () => {
    const doc = await pythonDocument(SOURCE);
    await convertAt(doc, 'ConvTranspose2d');
    await convertAt(doc, 'nn.ConvTranspose2d(ngf * 4, 3');
    const text = doc.getText();
    assert.equal(text.split('class ZeroInsertedConvTranspose(torch.nn.Module):').length, 2, 'one helper block');
    assert.ok(text.startsWith('import torch\nimport torch.nn as nn\n\n\nimport torch\n\n\nclass ZeroInsertedConvTranspose(torch.nn.Module):'), text.slice(0, 200));
    assert.equal(text.split('ZeroInsertedConvTranspose2d(\n').length, 3, 'both calls converted');
  });

  it('is undone by one undo, restoring the file exactly', async () => {
    const doc = await pythonDocument(SOURCE);
    await convertAt(doc, 'ConvTranspose2d');
    assert.notEqual(doc.getText(), SOURCE);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), SOURCE);
  });

  it('changes nothing when the cursor is not on a transposed conv', async () => {
    const doc = await pythonDocument(SOURCE);
    const version = doc.version;
    await convertAt(doc, 'ReLU');
    assert.equal(doc.getText(), SOURCE);
    assert.equal(doc.version, version);
  });

  it('is offered as a refactor code action on a transposed conv, and not on other layers', async () => {
    const doc = await pythonDocument(SOURCE);
    const actionsAt = async (needle: string) => {
      const at = positionOf(doc, needle);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
      return actions.filter((a) => a.title.endsWith('(Conv Lens)')).map((a) => a.title);
    };
    assert.deepEqual(await actionsAt('ConvTranspose2d'), ['Convert to zero-inserted conv (Conv Lens)']);
    assert.deepEqual(await actionsAt('ReLU'), []);
  });

  it('on generated files, applies exactly the core\'s edits (nothing else in the file changes), and one undo restores the file', async function () {
    this.timeout(120_000);
    // The unit properties (test/unit/edit-safety.test.ts) check those edits on hundreds of
    // files; this replays a sample through the real editor, where undo lives.
    const files = fc.sample(pythonFile, { seed: 20261122, numRuns: 40 }).filter((t) => parsePython(t).layers.some((l) => solvableKind(l) === 'convTranspose')).slice(0, 12);
    assert.ok(files.length >= 8, `only ${files.length} sampled files have a transposed conv`);
    for (const original of files) {
      const target = parsePython(original).layers.filter((l) => solvableKind(l) === 'convTranspose').pop()!;
      const expected = conversionEdits(original, target);
      assert.ok(expected.ok);
      const doc = await pythonDocument(original);
      const editor = await vscode.window.showTextDocument(doc);
      const at = doc.positionAt(target.calleeSpan.to - 2);
      editor.selection = new vscode.Selection(at, at);
      await vscode.commands.executeCommand('convLens.convertToZeroInserted');
      assert.equal(doc.getText(), applyEdits(original, expected.value), `converted:\n${original}`);
      await vscode.commands.executeCommand('undo');
      assert.equal(doc.getText(), original, 'one undo restores the file');
    }
  });
});
