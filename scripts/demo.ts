/**
 * `npm run demo`: Conv Lens in a real VS Code without installing anything into your own
 * editor. Packages the extension, installs it into a private code-server (VS Code 1.100.3,
 * see scripts/setup-code-server.sh), opens examples/ and serves it on 127.0.0.1 until
 * Ctrl+C. A free port is picked and printed. The demo's home (user data, extensions) is
 * .cache/demo, rebuilt at every start.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCodeServer, Home, packageVersion, ROOT } from '../test/harness/codeServer';

async function main(): Promise<void> {
  execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit' });
  ensureCodeServer();
  const home = new Home(join(ROOT, '.cache/demo'));
  home.installExtension(join(ROOT, `conv-lens-${packageVersion()}.vsix`));
  const server = await home.start(join(ROOT, 'examples'));
  console.log(`\nConv Lens ${packageVersion()} is running in VS Code at ${server.url()}\n` +
    'Open a file in examples/, hover a layer call, or run "Conv Lens: Show Layer Shapes" from the palette (F1).\n' +
    `Server log: ${server.log}. Ctrl+C stops the server.\n`);
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await server.exited();
  if (stopping) return;
  console.error(`code-server stopped on its own; see ${server.log}`);
  process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
