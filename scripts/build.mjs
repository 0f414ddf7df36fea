// One esbuild script, one build per target. `--production` minifies and drops source maps;
// `--watch` rebuilds on change. Type-checking is separate (`npm run check`).
import * as esbuild from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  target: 'es2022',
  logLevel: 'warning',
  define: { CONV_LENS_VERSION: JSON.stringify(version) },
};

/** @type {import('esbuild').BuildOptions[]} */
const targets = [
  // The extension in VS Code desktop and code-server (Node extension host).
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode'] },
  // The same extension for the web extension host (vscode.dev): no Node built-ins allowed.
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/web/extension.js', platform: 'browser', format: 'cjs', external: ['vscode'] },
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

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching…');
} else {
  // A clean dist: no source map of an earlier development build ships next to a production one.
  rmSync('dist', { recursive: true, force: true });
  await Promise.all(targets.map((t) => esbuild.build(t)));
  const { chmodSync } = await import('node:fs');
  chmodSync('dist/cli.js', 0o755);
}
