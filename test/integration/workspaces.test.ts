/**
 * Conv Lens in virtual and untrusted workspaces, as its manifest declares
 * (`capabilities.virtualWorkspaces`, `untrustedWorkspaces.supported`): it reads open
 * documents only, never the disk, so a document served by another file system (as on
 * vscode.dev, github.dev or a remote) gets hovers, inlay hints and the conversion; and
 * nothing it does needs workspace trust.
 *
 * The suite usually runs trusted (code-server with --disable-workspace-trust);
 * `CONV_LENS_UNTRUSTED=1 npm run test:integration` runs all of it in Restricted Mode, and
 * the last test here checks that the window really is untrusted then.
 */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, eventually, hoverText, positionOf, pythonDocument } from './util';

const SCHEME = 'convlens-mem';

const SOURCE = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)  # input: (1, 16, 32, 32)\n';

/** A file system in memory: one folder of files, enough to open, edit and save documents. */
class MemoryFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private clock = 1;
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (uri.path === '/') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const file = this.file(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: file.mtime, size: file.data.byteLength };
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    if (uri.path !== '/') throw vscode.FileSystemError.FileNotADirectory(uri);
    return [...this.files.keys()].map((path) => [path.slice(1), vscode.FileType.File]);
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.file(uri).data;
  }

  writeFile(uri: vscode.Uri, data: Uint8Array, options: { readonly create: boolean; readonly overwrite: boolean }): void {
    const exists = this.files.has(uri.path);
    if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    this.files.set(uri.path, { data, mtime: ++this.clock });
    this.changes.fire([{ type: exists ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.file(uri);
    this.files.delete(uri.path);
    this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(from: vscode.Uri, to: vscode.Uri, options: { readonly overwrite: boolean }): void {
    if (this.files.has(to.path) && !options.overwrite) throw vscode.FileSystemError.FileExists(to);
    this.files.set(to.path, this.file(from));
    this.files.delete(from.path);
    this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri: from }, { type: vscode.FileChangeType.Created, uri: to }]);
  }

  /** The text of a file, as last written. */
  text(uri: vscode.Uri): string {
    return new TextDecoder().decode(this.file(uri).data);
  }

  private file(uri: vscode.Uri): { data: Uint8Array; mtime: number } {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file;
  }
}

async function hintsOf(doc: vscode.TextDocument): Promise<string[]> {
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, doc.lineCount, 0));
  return hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
}

/** The destinations of a hover's Markdown links. */
function linkDestinations(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^\s)]*)/g)].map((m) => m[1]);
}

describe('a document of a virtual file system (scheme convlens-mem)', () => {
  const files = new MemoryFileSystem();
  let registration: vscode.Disposable | undefined;
  let count = 0;

  /** A new file of the in-memory file system holding `text`, opened (each test has its own). */
  async function memoryDocument(text: string, name = `model-${++count}.py`): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}` });
    files.writeFile(uri, new TextEncoder().encode(text), { create: true, overwrite: false });
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'python');
    return doc;
  }

  before(() => {
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, files, { isCaseSensitive: true });
  });
  after(() => {
    registration?.dispose();
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('gets the hover', async () => {
    const doc = await memoryDocument(SOURCE);
    const text = await eventually(() => hoverText(doc, positionOf(doc, 'ConvTranspose2d')), (t) => t !== '', 'no hover on the virtual document');
    assert.deepEqual(text.split('\n').slice(0, 3), ['**ConvTranspose2d** → `(1, 33, 64, 64)`', '', 'for input `(1, 16, 32, 32)` (from the comment on line 2)']);
  });

  it('gets the inlay hints', async () => {
    const doc = await memoryDocument(SOURCE);
    assert.deepEqual(await eventually(() => hintsOf(doc), (h) => h.length > 0, 'no inlay hint on the virtual document'), ['→ (1, 33, 64, 64)']);
  });

  it('is converted in place: one undo restores it, and saving writes the conversion to its file system', async () => {
    const doc = await memoryDocument(SOURCE);
    const editor = await vscode.window.showTextDocument(doc);
    const at = positionOf(doc, 'ConvTranspose2d');
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('convLens.convertToZeroInserted');
    const converted = doc.getText();
    assert.ok(converted.includes('up = ZeroInsertedConvTranspose2d(\n'), converted);
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), SOURCE);
    await vscode.commands.executeCommand('redo');
    assert.equal(doc.getText(), converted);
    assert.equal(await doc.save(), true);
    assert.equal(files.text(doc.uri), converted);
  });

  it('links from its hover to our own commands only, whatever the file is called, and the link converts it', async () => {
    const doc = await memoryDocument(SOURCE, 'a) [x](command:workbench.action.terminal.new) <img src=x> (b.py');
    const hovers = await eventually(async () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'ConvTranspose2d')), (h) => h.length > 0, 'no hover');
    const markdown = hovers[0].contents[0] as vscode.MarkdownString;
    assert.deepEqual(markdown.isTrusted, { enabledCommands: ['convLens.convertToZeroInserted', 'convLens.openVisualization'] });
    assert.notEqual(markdown.supportHtml, true);
    const destinations = linkDestinations(markdown.value);
    assert.deepEqual(destinations.map((d) => /^command:(convLens\.\w+)\?/.exec(d)?.[1] ?? d), ['convLens.openVisualization', 'convLens.convertToZeroInserted'], markdown.value);
    // What a click does: the command, given the link's JSON arguments.
    const args = JSON.parse(decodeURIComponent(destinations[1].slice(destinations[1].indexOf('?') + 1))) as [string, number];
    assert.deepEqual(args, [doc.uri.toString(), doc.offsetAt(positionOf(doc, 'ConvTranspose2d'))]);
    await vscode.commands.executeCommand('convLens.convertToZeroInserted', ...args);
    assert.ok(doc.getText().includes('up = ZeroInsertedConvTranspose2d(\n'), doc.getText());
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('workspace trust', () => {
  const untrusted = process.env.CONV_LENS_UNTRUSTED === '1';

  it(`is not needed: the extension runs and answers in this ${untrusted ? 'untrusted (Restricted Mode)' : 'trusted'} window`, async () => {
    assert.equal(vscode.workspace.isTrusted, !untrusted, untrusted ? 'CONV_LENS_UNTRUSTED=1, but the window is trusted' : 'the window is untrusted');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const manifest = extension.packageJSON as { capabilities: unknown };
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
    const doc = await pythonDocument(SOURCE);
    await vscode.window.showTextDocument(doc);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal((await hoverText(doc, positionOf(doc, 'ConvTranspose2d'))).split('\n')[0], '**ConvTranspose2d** → `(1, 33, 64, 64)`');
    assert.deepEqual(await hintsOf(doc), ['→ (1, 33, 64, 64)']);
  });
});
