// One esbuild script, one build per target. `--production` minifies and drops source maps;
// `--watch` rebuilds on change; `--tests` also builds the extension-host integration suite
// into out/test/integration. Type-checking is separate (`npm run check`).
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  target: 'es2022',
  logLevel: 'warning',
  define: { CONV_LENS_VERSION: JSON.stringify(version) },
  // ES modules first: jsonc-parser's CommonJS entry is UMD, whose require('./impl/…') calls
  // esbuild cannot follow (the bundle then fails to load in the extension host).
  mainFields: ['module', 'main'],
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The extension in VS Code desktop and code-server (Node extension host).
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The same extension for the web extension host (vscode.dev): no Node built-ins allowed.
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] },
  // The visualization panel's script and stylesheet, run inside the webview (a browser page).
  // Codicons' font is emitted beside the stylesheet (the CSP allows fonts from the webview origin).
  { ...common, entryPoints: ['webview/panel.ts', 'webview/panel.css'], outdir: 'dist/webview', platform: 'browser', format: 'iife', loader: { '.ttf': 'file' }, assetNames: '[name]' },
  // The command-line entry.
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
];
if (tests) {
  // Runs inside the extension host: `vscode` comes from the host, mocha from node_modules.
  const dir = 'test/integration';
  const entryPoints = readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => `${dir}/${f}`);
  targets.push({ ...common, minify: false, entryPoints, outdir: 'out/test/integration', platform: 'node', format: 'cjs', external: ['vscode', 'mocha'] });
}

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  // A clean dist: no source map of an earlier development build ships next to a production one.
  rmSync('dist', { recursive: true, force: true });
  if (tests) rmSync('out/test', { recursive: true, force: true });
  await Promise.all(targets.map((t) => esbuild.build(t)));
  const { chmodSync } = await import('node:fs');
  chmodSync('dist/cli.js', 0o755);
}
