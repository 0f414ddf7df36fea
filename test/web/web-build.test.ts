/**
 * The `browser` entry of package.json works as a web extension (vscode.dev, github.dev):
 *
 * - its bundle holds no Node built-in: esbuild, building it as scripts/build.mjs does, reads
 *   and imports none, and the built dist/web/extension.js requires nothing but `vscode`;
 * - the core runs in a plain browser Worker in Chromium (no Node shims: the worker's global
 *   has no `process` or `require`) and answers hovers for Python, YAML and prototxt exactly
 *   as in Node.
 *
 * Needs Chromium (/usr/bin/chromium, which CI installs) and the built bundle (`npm test`
 * builds first; alone, `npm run build`): either missing fails the test, it never skips.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../harness/codeServer';
import { hoverAt, type HoverQuery } from './hoverAt';

/** scripts/build.mjs's browser target, as it writes it (checked below, so the two cannot drift apart). */
const BROWSER_TARGET_SOURCE = "{ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] }";
const BROWSER_TARGET: esbuild.BuildOptions = {
  // `common` in scripts/build.mjs (the version is a placeholder: it changes no import)
  bundle: true,
  target: 'es2022',
  define: { CONV_LENS_VERSION: '"0.0.0"' },
  mainFields: ['module', 'main'],
  entryPoints: ['src/extension/extension.ts'],
  outfile: 'dist/web/extension.js',
  platform: 'browser',
  format: 'cjs',
  external: ['vscode'],
};

const BUILTINS = new Set(builtinModules);
const isBuiltin = (name: string): boolean => name.startsWith('node:') || BUILTINS.has(name) || BUILTINS.has(name.split('/')[0]);

describe('the web extension bundle (package.json "browser")', () => {
  it('is built by scripts/build.mjs with the options this test builds it with', () => {
    const script = readFileSync('scripts/build.mjs', 'utf8');
    assert.ok(script.includes(BROWSER_TARGET_SOURCE), 'the browser target in scripts/build.mjs changed: update BROWSER_TARGET here');
    const common = /\nconst common = \{\n([^]*?)\n\};\n/.exec(script)?.[1] ?? '';
    for (const option of ['bundle: true,', "target: 'es2022',", "mainFields: ['module', 'main'],"]) assert.ok(common.includes(option), `${option} not in scripts/build.mjs's common options`);
    assert.doesNotMatch(common, /\b(?:platform|external|alias|inject|banner|footer|conditions|packages):/, 'scripts/build.mjs\'s common options gained one that changes what is bundled: add it to BROWSER_TARGET here');
  });

  it('reads and imports no Node built-in (esbuild\'s metafile)', async () => {
    const { metafile } = await esbuild.build({ ...BROWSER_TARGET, metafile: true, write: false, logLevel: 'silent' });
    const inputs = Object.keys(metafile.inputs);
    assert.ok(inputs.includes('src/core/python/parse.ts') && inputs.length > 100, inputs.join(', '));
    assert.deepEqual(inputs.filter((i) => i.includes('(disabled)') || isBuiltin(i)), [], 'a module replaced by an empty one, or a built-in');
    const imports = Object.values(metafile.inputs).flatMap((i) => i.imports);
    assert.deepEqual(imports.filter((i) => isBuiltin(i.path) || (i.original !== undefined && isBuiltin(i.original))).map((i) => i.original ?? i.path), []);
    assert.deepEqual([...new Set(imports.filter((i) => i.external).map((i) => i.path))], ['vscode']);
  });

  it('requires nothing but vscode once built (dist/web/extension.js)', () => {
    const path = 'dist/web/extension.js';
    assert.ok(existsSync(path), `${path} is missing: run \`npm run build\` first (npm test builds before the unit suite)`);
    const text = readFileSync(path, 'utf8');
    const required = [...text.matchAll(/\brequire\s*\(\s*(["'`])([^"'`]*)\1\s*\)/g)].map((m) => m[2]);
    assert.deepEqual([...new Set(required)], ['vscode']);
    assert.deepEqual([...text.matchAll(/\bimport\s*\(\s*["'`]([^"'`]*)/g)].map((m) => m[1]), [], 'no dynamic import');
  });
});

describe('the core in a browser Worker (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let page: Page;

  /** Posts `message` to the worker and resolves with its answer. */
  const ask = (message: HoverQuery | { probe: true }): Promise<unknown> =>
    page.evaluate(`new Promise((resolve, reject) => {
      const worker = window.convLensWorker;
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error('the worker failed: ' + e.message));
      worker.postMessage(${JSON.stringify(message)});
    })`);

  /** The worker's hover for `needle` (just inside it) in an example file, checked against the same hover in Node. */
  async function hoverIn(text: string, language: HoverQuery['language'], needle: string, uri?: string): Promise<string[]> {
    const query: HoverQuery = { text, language, offset: text.indexOf(needle) + 1, ...(uri ? { uri } : {}) };
    assert.ok(query.offset > 0, needle);
    const answer = (await ask(query)) as { markdown?: string | null; error?: string };
    assert.equal(answer.error, undefined, answer.error);
    assert.equal(answer.markdown, hoverAt(query), 'the worker answers as Node does');
    return (answer.markdown ?? '').split('\n');
  }

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `Chromium is missing (${CHROMIUM}): install Debian's chromium package (CI does); this test never skips`);
    const worker = await esbuild.build({ entryPoints: ['test/web/worker.ts'], bundle: true, platform: 'browser', format: 'iife', target: 'es2022', mainFields: ['module', 'main'], write: false, logLevel: 'silent' });
    browser = await launchChromium();
    page = await browser.newPage();
    // A page of its own origin, served from memory: no network.
    await page.route('https://conv-lens.test/', (route) => route.fulfill({ contentType: 'text/html', body: '<!DOCTYPE html><title>worker</title>' }));
    await page.goto('https://conv-lens.test/');
    await page.evaluate(`window.convLensWorker = new Worker(URL.createObjectURL(new Blob([${JSON.stringify(worker.outputFiles[0].text)}], { type: 'text/javascript' })))`);
  });

  after(async () => {
    await browser?.close();
  });

  it('runs without Node: no process, require, module, Buffer or global in the worker, and no page either', async () => {
    assert.deepEqual(await ask({ probe: true }), {
      process: 'undefined', require: 'undefined', module: 'undefined', Buffer: 'undefined', global: 'undefined', setImmediate: 'undefined',
      document: 'undefined', window: 'undefined', WorkerGlobalScope: 'function', importScripts: 'function',
    });
  });

  it('answers a PyTorch hover: ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1) on (1, 16, 32, 32)', async () => {
    const text = 'nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)  # input: (1, 16, 32, 32)\n';
    const lines = await hoverIn(text, 'python', 'ConvTranspose2d', 'vscode-vfs://github/user/repo/model.py');
    assert.deepEqual(lines.slice(0, 7), [
      '**ConvTranspose2d** → `(1, 33, 64, 64)`',
      '',
      'for input `(1, 16, 32, 32)` (from the comment on line 1)',
      '',
      '---',
      '',
      '- H: `(32 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 64`',
    ]);
    assert.equal(lines[lines.length - 1], '[Open visualization](command:convLens.openVisualization?%5B%22vscode-vfs%3A%2F%2Fgithub%2Fuser%2Frepo%2Fmodel.py%22%2C4%5D "Draw this layer\'s sliding kernel in a panel beside the editor") · [Convert to zero-inserted conv](command:convLens.convertToZeroInserted?%5B%22vscode-vfs%3A%2F%2Fgithub%2Fuser%2Frepo%2Fmodel.py%22%2C4%5D "Rewrite this call as zero insertion + padding + a stride-1 conv")');
  });

  it('answers a YAML hover (examples/decoder_config.yaml, the yaml package in the browser)', async () => {
    const lines = await hoverIn(readFileSync('examples/decoder_config.yaml', 'utf8'), 'yaml', 'type: ConvTranspose2d');
    assert.deepEqual(lines.slice(0, 3), ['**ConvTranspose2d** → `(1, 64, 32, 32)`', '', "for input `(1, 128, 16, 16)` (the previous layer's output)"]);
  });

  it('answers a Caffe prototxt hover (examples/fcn32s_head.prototxt)', async () => {
    const lines = await hoverIn(readFileSync('examples/fcn32s_head.prototxt', 'utf8'), 'prototxt', '"Deconvolution"');
    assert.deepEqual(lines.slice(0, 3), ['**Deconvolution** → `(1, 21, 544, 544)`', '', "for input `(1, 21, 16, 16)` (the previous layer's output)"]);
  });
});
