import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { eventually, positionOf, pythonDocument } from './util';


async function hintsOf(doc: vscode.TextDocument): Promise<string[]> {
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
  return hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
}

function diagnosticsOf(doc: vscode.TextDocument): string[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'Conv Lens').map((d) => `${d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning'} ${d.code as string}: ${d.message}`);
}

describe('inlay hints', () => {
  const settings = () => vscode.workspace.getConfiguration('convLens');
  afterEach(async () => settings().update('inlayHints.enabled', undefined, vscode.ConfigurationTarget.Global));

  it('show each layer\'s output shape after the call, fed along the chain', async () => {
    const doc = await pythonDocument('import torch.nn as nn\n# input: (1, 100, 1, 1)\nnet = nn.Sequential(\n    nn.ConvTranspose2d(100, 64, 4, 1, 0),\n    nn.ReLU(),\n)\n');
    assert.deepEqual(await hintsOf(doc), ['→ (1, 64, 4, 4)', '→ (1, 64, 4, 4)']);
  });

  it('follow the text as it is edited', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)  # (1, 16, 8, 8)\n');
    assert.deepEqual(await hintsOf(doc), ['→ (1, 33, 16, 16)']);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, doc.lineAt(1).range, 'up = nn.ConvTranspose2d(16, 33, 4, 2, 1)  # (1, 16, 32, 32)');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepEqual(await hintsOf(doc), ['→ (1, 33, 64, 64)']);
  });

  it('can be turned off with convLens.inlayHints.enabled', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    await settings().update('inlayHints.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(await hintsOf(doc), []);
  });
});

describe('diagnostics and quick fixes', () => {
  it('flag a channel mismatch along a chain with PyTorch\'s reason, and fix it with "Set in_channels to 8"', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(16, 4, 3))\n');
    const [problem] = await eventually(() => diagnosticsOf(doc), (d) => d.length > 0, 'no diagnostic appeared');
    assert.equal(problem, 'error channel-mismatch: PyTorch refuses this Conv2d: Given groups=1, weight of size [4, 16, 3, 3], expected input[N, 8, H − 2, W − 2] to have 16 channels, but got 8 channels instead');
    const at = positionOf(doc, 'Conv2d(16');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Set in_channels to 8');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(1).text, 'net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Conv2d(8, 4, 3))');
    await eventually(() => diagnosticsOf(doc), (d) => d.length === 0, 'the diagnostic stayed after the fix');
  });

  it('warn about uneven overlap, and stop when the setting turns it off', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)\n');
    const [warning] = await eventually(() => diagnosticsOf(doc), (d) => d.length > 0, 'no warning appeared');
    assert.ok(warning.startsWith('warning checkerboard: Uneven overlap (checkerboard artifacts): kernel 3 is not divisible by stride 2'), warning);
    const settings = vscode.workspace.getConfiguration('convLens');
    await settings.update('diagnostics.checkerboard', false, vscode.ConfigurationTarget.Global);
    try {
      await eventually(() => diagnosticsOf(doc), (d) => d.length === 0, 'the warning stayed');
    } finally {
      await settings.update('diagnostics.checkerboard', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('convLens.defaultInputShape', () => {
  const settings = () => vscode.workspace.getConfiguration('convLens');
  afterEach(async () => settings().update('defaultInputShape', undefined, vscode.ConfigurationTarget.Global));

  it('gives top-level layers without a shape comment a concrete input', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 4, 2, 1)\n');
    await settings().update('defaultInputShape', '1, 16, 32, 32', vscode.ConfigurationTarget.Global);
    assert.deepEqual(await hintsOf(doc), ['→ (1, 33, 64, 64)']);
  });
});

describe('reverse solver code actions', () => {
  const rewrites = async (doc: vscode.TextDocument, needle: string): Promise<vscode.CodeAction[]> => {
    const at = positionOf(doc, needle);
    return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(at, at), vscode.CodeActionKind.RefactorRewrite.value);
  };

  it('"Make the output 2× the input" rewrites a transposed conv\'s window arguments, keeping the rest', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nup = nn.ConvTranspose2d(64, 32, 3, stride=1, bias=False)  # (1, 64, 16, 16)\n');
    const action = (await rewrites(doc, 'ConvTranspose2d')).find((a) => a.title === 'Make the output 2× the input: kernel_size=4, stride=2, padding=1');
    assert.ok(action?.edit);
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.equal(doc.lineAt(1).text, 'up = nn.ConvTranspose2d(64, 32, kernel_size=4, stride=2, padding=1, bias=False)  # (1, 64, 16, 16)');
    assert.deepEqual(await hintsOf(doc), ['→ (1, 32, 32, 32)']);
  });

  it('"Insert the transposed conv that inverts this Conv2d" restores the input size, output_padding included', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 16, 3, stride=2, padding=1),  # (1, 3, 32, 32)\n)\n');
    const action = (await rewrites(doc, 'Conv2d')).find((a) => a.title.startsWith('Insert the transposed conv'));
    assert.equal(action?.title, 'Insert the transposed conv that inverts this Conv2d (back to 32)');
    assert.ok(await vscode.workspace.applyEdit(action.edit!));
    assert.equal(doc.lineAt(3).text, '    nn.ConvTranspose2d(16, 3, kernel_size=3, stride=2, padding=1, output_padding=1),  # restores 32 from this Conv2d\'s output');
    assert.deepEqual(await hintsOf(doc), ['→ (1, 16, 16, 16)', '→ (1, 3, 32, 32)']);
  });
});

describe('hovering inside a selection of several layers', () => {
  it('shows their trace, each fed the previous output, and the final shape first', async () => {
    const doc = await pythonDocument('import torch.nn as nn\nc1 = nn.Conv2d(3, 8, 3, padding=1)  # (1, 3, 32, 32)\nc2 = nn.MaxPool2d(2)\nc3 = nn.ConvTranspose2d(8, 4, 4, 2, 1)\n');
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 3, 40);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'MaxPool2d'));
    const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
    assert.equal(text.split('\n')[0], '**3 layers** → `(1, 4, 32, 32)`');
    assert.ok(text.includes('| 3 | MaxPool2d | `(1, 8, 16, 16)` |'), text);
  });
});
