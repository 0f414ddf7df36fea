/**
 * The extension's activation time in a real VS Code (code-server 1.100 in Debian's Chromium),
 * as the extension host itself measures it (its ActivationTimes: loading the code, calling
 * activate() and waiting for it), read from "Developer: Show Running Extensions" — the figure
 * VS Code shows users. The packaged .vsix is installed into a private code-server; a Python
 * file is opened (the activation event), then the window is reloaded RUNS − 1 times, each a
 * fresh extension host. The built-in extensions' times are reported beside ours for scale.
 * Run: `npm run bench:activation` (after `npm run package`; `--json` for machines,
 * `--runs N`). Not a test: it never fails on speed.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workbench } from '../test/e2e/workbench';
import { copyOfExamples, Home, launchChromium, packageVersion, ROOT } from '../test/harness/codeServer';

const json = process.argv.includes('--json');
// With --json the JSON goes to stdout and the human lines to stderr (bench/run.mjs shows both).
const say = json ? console.error : console.log;
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 5;

interface Row {
  readonly name: string;
  readonly ms: number;
  readonly startup: boolean;
}

/** Every row of the Running Extensions editor: name and activation time. */
async function runningExtensions(wb: Workbench): Promise<Row[]> {
  await wb.runCommand('Developer: Show Running Extensions');
  const rows = wb.page.locator('.runtime-extensions-editor .monaco-list-row');
  await rows.filter({ hasText: 'Conv Lens' }).locator('.activation-time').waitFor({ timeout: 30_000 });
  const result: Row[] = [];
  for (const row of await rows.all()) {
    const name = await row.locator('.name').innerText();
    const time = /(Startup )?Activation: (\d+)ms/.exec(await row.locator('.activation-time').innerText());
    if (time) result.push({ name, ms: Number(time[2]), startup: time[1] !== undefined });
  }
  await wb.runCommand('View: Close All Editors');
  return result;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const vsix = join(ROOT, `conv-lens-${packageVersion()}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first`);
  const home = new Home();
  home.installExtension(vsix);
  const folder = copyOfExamples();
  const server = await home.start(folder);
  const browser = await launchChromium();
  const shots = join(tmpdir(), `conv-lens-bench-activation-${process.pid}`);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const wb = new Workbench(page, shots);
    await wb.load(server.url());
    const samples: Row[][] = [];
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) await wb.reload();
      await wb.openFile('dcgan_generator.py'); // onLanguage:python
      samples.push(await runningExtensions(wb));
    }
    const ours = samples.map((rows) => rows.find((r) => r.name === 'Conv Lens')?.ms ?? NaN);
    const others = new Map<string, number[]>();
    for (const rows of samples) for (const r of rows) if (r.name !== 'Conv Lens') others.set(r.name, [...(others.get(r.name) ?? []), r.ms]);
    const result = {
      runs: RUNS,
      convLens: { samplesMs: ours, medianMs: median(ours), maxMs: Math.max(...ours) },
      others: [...others].map(([name, ms]) => ({ name, medianMs: median(ms) })).sort((a, b) => b.medianMs - a.medianMs),
    };
    if (json) console.log(JSON.stringify(result));
    {
      say(`activation in code-server (extension host's timing, ${RUNS} window loads): Conv Lens median ${result.convLens.medianMs} ms, max ${result.convLens.maxMs} ms (${ours.join(', ')})`);
      say(`  built-in extensions in the same windows (median): ${result.others.map((o) => `${o.name} ${o.medianMs} ms`).join(', ')}`);
    }
  } finally {
    await browser.close();
    await server.stop();
    home.remove();
    rmSync(folder, { recursive: true, force: true });
    rmSync(shots, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
