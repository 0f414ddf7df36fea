/**
 * The extension-host test entry (`extensionTestsPath`): VS Code calls `run()` inside its
 * extension host once the extension under development is loaded. Used where the suite runs
 * inside code-server (test/harness/runIntegration.ts); `@vscode/test-cli` (.vscode-test.mjs)
 * loads the same *.test.js files with its own runner.
 *
 * The result also goes to the JSON file named by CONV_LENS_TEST_RESULTS: code-server's
 * extension host exits 0 whatever happens, so its exit code cannot carry the verdict.
 */
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface TestRecord {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly error?: string;
}

export function run(): Promise<void> {
  // CONV_LENS_TEST_GREP runs only the matching tests (while working on one).
  const grep = process.env.CONV_LENS_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  const records: TestRecord[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.CONV_LENS_TEST_RESULTS;
      if (file) writeFileSync(file, JSON.stringify({ tests: records }, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`));
      else resolve();
    });
    runner.on('pass', (t) => records.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => records.push({ title: t.fullTitle(), state: 'failed', error: err.stack ?? err.message }));
  });
}
