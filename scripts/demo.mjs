// `npm run demo`: Conv Lens in a real VS Code without installing anything on your machine's
// editor. Packages the extension, installs it into a private code-server (VS Code 1.100.3,
// see scripts/setup-code-server.sh), opens examples/ and serves it on 127.0.0.1 until Ctrl+C.
// PORT=… picks the port (default: a free one).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

run('npm', ['run', 'package']);
run('bash', ['scripts/setup-code-server.sh']);

const entry = join(root, '.cache/code-server/node_modules/code-server/out/node/entry.js');
const home = join(root, '.cache/demo');
rmSync(home, { recursive: true, force: true });
const [userData, extensions] = [join(home, 'user-data'), join(home, 'extensions')];
mkdirSync(join(userData, 'User'), { recursive: true });
const config = join(home, 'code-server.yaml');
writeFileSync(config, 'auth: none\n');
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false }, null, 2),
);
// A code-server started from inside a VS Code terminal would hand the folder to that VS Code.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
const base = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
execFileSync(process.execPath, [entry, ...base, '--install-extension', join(root, `conv-lens-${version}.vsix`)], { env, stdio: 'inherit' });

const port = Number(process.env.PORT) || (await new Promise((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = s.address();
    s.close(() => done(free));
  });
}));
const server = spawn(
  process.execPath,
  [entry, ...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', join(root, 'examples')],
  { env, detached: true, stdio: ['ignore', 'ignore', 'inherit'] },
);
for (let i = 0; i < 150; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 200));
}
console.log(`\nConv Lens ${version} is running in VS Code at http://127.0.0.1:${port}/?folder=${encodeURIComponent(join(root, 'examples'))}\nOpen a file in examples/ and hover a layer call. Ctrl+C stops the server.\n`);
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 1));
