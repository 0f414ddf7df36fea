/**
 * The .vsix a user installs: `npm run package` builds in production mode and packages
 * offline; the package holds what runs and nothing else, and stays small.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
const vsix = join(root, `conv-lens-${version}.vsix`);

/** The file names in a zip archive, read from its central directory. */
function zipEntries(file: string): string[] {
  const zip = readFileSync(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, 'not a zip archive');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extra + comment;
  }
  return names.sort();
}

describe('the manifest', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; browser: string; capabilities: unknown };

  it('runs fully in untrusted workspaces and in virtual ones (it only reads open documents, never the file system)', () => {
    assert.deepEqual(manifest.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  });

  it('has an entry for each extension host: Node (main) and the web (browser)', () => {
    assert.deepEqual([manifest.main, manifest.browser], ['./dist/extension.js', './dist/web/extension.js']);
  });
});

describe('the .vsix package', function () {
  this.timeout(120000);
  before(() => {
    execFileSync('npm', ['run', 'package'], { cwd: root, stdio: 'pipe' });
  });

  it('holds the bundles (host, web host, CLI, panel), the icon, the prototxt language settings, the manifest, README, CHANGELOG and LICENSE, and nothing else', () => {
    assert.deepEqual(zipEntries(vsix), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/changelog.md',
      'extension/dist/cli.js',
      'extension/dist/extension.js',
      'extension/dist/web/extension.js',
      'extension/dist/webview/codicon.ttf',
      'extension/dist/webview/panel.css',
      'extension/dist/webview/panel.js',
      'extension/media/icon.png',
      'extension/media/prototxt-language.json',
      'extension/package.json',
      'extension/readme.md',
    ]);
  });

  it('stays under 1 MB', () => {
    assert.ok(statSync(vsix).size < 1024 * 1024, `${statSync(vsix).size} bytes`);
  });
});
