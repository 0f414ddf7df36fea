/**
 * A real VS Code on a machine where VS Code desktop cannot be downloaded: code-server
 * 4.100.3 (VS Code 1.100.3, installed by scripts/setup-code-server.sh) on 127.0.0.1, seen
 * through Debian's Chromium driven by playwright-core. Shared by the integration suite, the
 * end-to-end suite and `npm run demo`. See ../shared/e2e-recipe.md for why each flag is here.
 *
 * Every server leads its own process group and is stopped through it, so its extension host
 * and watchers go too; every run gets fresh, private user-data and extensions folders.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = resolve(__dirname, '../..');
const ENTRY = join(ROOT, '.cache/code-server/node_modules/code-server/out/node/entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Installs code-server and Chromium when missing (idempotent); throws with the reason otherwise. */
export function ensureCodeServer(): void {
  execFileSync('bash', [join(ROOT, 'scripts/setup-code-server.sh')], { stdio: 'inherit' });
  for (const needed of [ENTRY, CHROMIUM]) {
    if (!existsSync(needed)) throw new Error(`missing ${needed}: run scripts/setup-code-server.sh as root`);
  }
}

/** The settings every run starts from: nothing may differ between two runs or pop up. */
export const DETERMINISTIC_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.editor.enablePreview': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'editor.hover.delay': 200,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'files.autoSave': 'off',
  'workbench.editor.untitled.hint': 'hidden',
};

/** A private home for one run: user data, extensions, the server's config and log. */
export class Home {
  readonly dir: string;
  readonly userData: string;
  readonly extensions: string;
  readonly config: string;
  readonly log: string;

  constructor(dir?: string) {
    // A given folder (the demo's) is emptied first; a new temporary one already is empty.
    if (dir) rmSync(dir, { recursive: true, force: true });
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'conv-lens-vscode-'));
    this.userData = join(this.dir, 'user-data');
    this.extensions = join(this.dir, 'extensions');
    this.config = join(this.dir, 'code-server.yaml');
    this.log = join(this.dir, 'code-server.log');
    mkdirSync(join(this.userData, 'User'), { recursive: true });
    mkdirSync(this.extensions, { recursive: true });
    // Always given with --config: without it code-server writes ~/.config/code-server/config.yaml.
    writeFileSync(this.config, 'auth: none\n');
    this.writeSettings({});
  }

  writeSettings(extra: Readonly<Record<string, unknown>>): void {
    writeFileSync(join(this.userData, 'User', 'settings.json'), JSON.stringify({ ...DETERMINISTIC_SETTINGS, ...extra }, null, 2));
  }

  private baseArgs(): string[] {
    return ['--config', this.config, '--user-data-dir', this.userData, '--extensions-dir', this.extensions];
  }

  installExtension(vsix: string): void {
    execFileSync(process.execPath, [ENTRY, ...this.baseArgs(), '--install-extension', vsix], { env: serverEnv({}), stdio: 'pipe' });
  }

  /**
   * Starts code-server on a free port of 127.0.0.1 with `folder` open; resolves when healthy.
   * Workspace trust is off (every folder trusted) unless `untrusted`: then the trust settings
   * written decide (see runIntegration.ts).
   */
  async start(folder: string, env: Readonly<Record<string, string>> = {}, { untrusted = false } = {}): Promise<CodeServer> {
    const port = await freePort();
    const out = openSync(this.log, 'a'); // stdout and stderr share one descriptor
    const child = spawn(
      process.execPath,
      [ENTRY, ...this.baseArgs(), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
        ...(untrusted ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened', folder],
      { env: serverEnv(env), detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    const server = new CodeServer(child, port, folder, this.log);
    await server.waitHealthy();
    return server;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class CodeServer {
  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly folder: string,
    readonly log: string,
  ) {}

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The workbench URL with the folder open and an optional startup payload. */
  url(payload: readonly (readonly [string, string])[] = []): string {
    const query = `folder=${encodeURIComponent(this.folder)}`;
    return `${this.origin}/?${query}${payload.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  }

  /** A path of this machine as the workbench addresses it. */
  remoteUri(path: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${path}`;
  }

  async waitHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      try {
        if ((await fetch(`${this.origin}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const tail = existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').slice(-20).join('\n') : '';
    await this.stop();
    throw new Error(`code-server did not become healthy on port ${this.port}; its log (${this.log}) ends:\n${tail}`);
  }

  /** Resolves when the server process ends (by itself, or by stop()). */
  exited(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
  }

  /** Stops the whole process group (server, extension host, watchers): TERM, then KILL. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const signal = (s: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pid, s);
        return true;
      } catch {
        return false; // the group is gone
      }
    };
    if (!signal('SIGTERM')) return;
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!signal(0)) return;
    }
    signal('SIGKILL');
  }
}

/** Debian's Chromium, headless, with nothing that would reach for the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A copy of examples/ in a fresh temporary folder: tests may edit and save it freely. */
export function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conv-lens-examples-'));
  cpSync(join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (address && typeof address === 'object' ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * code-server's environment: ours minus VS Code's own variables (with VSCODE_IPC_HOOK_CLI
 * set, code-server hands the folder to the VS Code it runs in instead of starting).
 */
function serverEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_')) env[k] = v;
  return { ...env, ...extra };
}

/** The version in package.json, for the .vsix name. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
