/**
 * Runs the extension-host integration suite (test/integration) inside a real VS Code here:
 * code-server loads this checkout as the extension under development and runs
 * out/test/integration/index.js in its extension host, as `@vscode/test-electron` would in
 * VS Code desktop. The browser URL carries the two paths (code-server takes no such flags);
 * the workbench reports the end through `codeAutomationExit`, and the suite writes each
 * test's result to a file, which is what decides the verdict.
 *
 * Prints one line per test and `integration: N passed, N failed`; exits 1 on any failure
 * or when the suite could not run at all (never a silent pass).
 *
 * `CONV_LENS_UNTRUSTED=1` runs the suite in an untrusted window (Restricted Mode): workspace
 * trust on, and the folder never trusted — a fresh profile trusts nothing, and with no
 * startup prompt nobody grants it. test/integration/workspaces.test.ts checks the window is untrusted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfExamples, ensureCodeServer, Home, launchChromium, ROOT } from './codeServer';

interface Results {
  tests: { title: string; state: 'passed' | 'failed'; error?: string }[];
}

const TIMEOUT_MS = 240_000;
const UNTRUSTED = process.env.CONV_LENS_UNTRUSTED === '1';

async function main(): Promise<number> {
  ensureCodeServer();
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--tests'], { stdio: 'inherit', cwd: ROOT });

  const artifacts = join(ROOT, 'test-results/integration');
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const resultsFile = join(artifacts, 'results.json');
  const home = new Home();
  if (UNTRUSTED) home.writeSettings({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' });
  const workspace = copyOfExamples();
  const server = await home.start(workspace, { CONV_LENS_TEST_RESULTS: resultsFile, ...(UNTRUSTED ? { CONV_LENS_UNTRUSTED: '1' } : {}) }, { untrusted: UNTRUSTED });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const ended = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    const hostLog: string[] = [];
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => hostLog.push(`[${type}] ${args.map(String).join(' ')}`));
    await page.goto(server.url([
      ['extensionDevelopmentPath', server.remoteUri(ROOT)],
      ['extensionTestsPath', server.remoteUri(join(ROOT, 'out/test/integration/index.js'))],
    ]));
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), TIMEOUT_MS).unref());
    const exit = await Promise.race([ended, timeout]);
    await page.screenshot({ path: join(artifacts, 'workbench.png') });

    if (!existsSync(resultsFile)) {
      console.error(hostLog.join('\n'));
      console.error(`integration: the suite did not run (${exit === 'timeout' ? `no result after ${TIMEOUT_MS / 1000} s` : `the workbench exited with ${exit}`}); code-server's log: ${server.log}; screenshot: ${join(artifacts, 'workbench.png')}`);
      console.log('integration: 0 passed, 1 failed');
      return 1;
    }
    const { tests } = JSON.parse(readFileSync(resultsFile, 'utf8')) as Results;
    for (const t of tests) {
      console.log(`  ${t.state === 'passed' ? '✓' : '✗'} ${t.title}`);
      if (t.error) console.log(t.error.replace(/^/gm, '      '));
    }
    const failed = tests.filter((t) => t.state === 'failed').length;
    // The untrusted run is a suite of its own in `npm test`'s table.
    console.log(`${UNTRUSTED ? 'integration-untrusted' : 'integration'}: ${tests.length - failed} passed, ${failed} failed (VS Code 1.100.3 extension host in code-server${UNTRUSTED ? ', untrusted window' : ''})`);
    if (tests.length === 0) {
      console.error('integration: no test ran');
      return 1;
    }
    // The workbench's own verdict must agree with the per-test results.
    if ((failed > 0) !== (exit !== 0)) {
      console.error(`integration: the workbench reported exit ${String(exit)} but ${failed} test(s) failed`);
      return 1;
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await browser.close();
    await server.stop();
    home.remove();
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
