/**
 * The visualization panel's speed, in Debian's Chromium (playwright-core), on the built
 * webview bundle (dist/webview): first paint of the sliding-kernel view and the time of one
 * animation step, for the case — ConvTranspose2d with a 4×4 kernel, stride 2, on a
 * 64×64 input (a 128×128 output) — and a small one. Run: `npm run bench:panel` (after a
 * build; `--json` for machines). Not a test: it never fails on speed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLayer } from '../src/core/analyze';
import { constant } from '../src/core/expr';
import { panelView } from '../src/core/visual/panelView';
import type { HostMessage } from '../src/core/visual/protocol';
import type { LayerCall, Value } from '../src/core/values';
import type { Page } from 'playwright-core';
import { launchChromium, ROOT } from '../test/harness/codeServer';

const json = process.argv.includes('--json');
// With --json the JSON goes to stdout and the human lines to stderr (bench/run.mjs shows both).
const say = json ? console.error : console.log;
const int = (x: number): Value => ({ kind: 'int', expr: constant(x) });

function message(input: number, kernel: number, stride: number, padding: number): HostMessage {
  const args = [1, 1, kernel].map((v) => ({ value: int(v), text: String(v), spanInCall: { from: 0, to: 0 } }));
  const layer: LayerCall = {
    framework: 'torch',
    layerType: 'ConvTranspose2d',
    args: [...args, { name: 'stride', value: int(stride), text: String(stride), spanInCall: { from: 0, to: 0 } }, { name: 'padding', value: int(padding), text: String(padding), spanInCall: { from: 0, to: 0 } }],
    hasStarArgs: false,
    span: { from: 0, to: 0 },
    calleeSpan: { from: 0, to: 0 },
    text: `nn.ConvTranspose2d(1, 1, ${kernel}, stride=${stride}, padding=${padding})`,
  };
  const outcome = analyzeLayer(layer, [1, 1, input, input].map(constant));
  const view = panelView({ layer, input: undefined, origin: { kind: 'symbolic' }, outcome, unreached: false });
  return { type: 'view', view, source: { uri: 'file:///bench.py', offset: 1 } };
}

const cases = [
  { name: '64×64 input, 4×4 kernel, stride 2 (128×128 output)', message: message(64, 4, 2, 1) },
  { name: '8×8 input, 3×3 kernel, stride 2 (15×15 output)', message: message(8, 3, 2, 1) },
];

// CONV_LENS_BENCH_QUICK (CI's check that the benchmark runs): one opening per case.
const RUNS = process.env.CONV_LENS_BENCH_QUICK ? 1 : 7;

function summary(times: number[], digits: number): { p50: number; max: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: +sorted[Math.floor(sorted.length / 2)].toFixed(digits), max: +sorted[sorted.length - 1].toFixed(digits) };
}

/** Loads the built panel into `page` and times its first picture: from the message's arrival to the frame after the drawing is in the page. */
async function firstPaint(page: Page, m: HostMessage): Promise<number> {
  await page.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
  // tsx's keepNames wraps functions in page.evaluate callbacks in a helper the page lacks;
  // the webview API is a stub (both as strings: strings are not compiled).
  await page.evaluate('globalThis.__name = (f) => f; globalThis.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });');
  await page.addStyleTag({ content: readFileSync(join(ROOT, 'dist/webview/panel.css'), 'utf8') });
  await page.addScriptTag({ content: readFileSync(join(ROOT, 'dist/webview/panel.js'), 'utf8') });
  return page.evaluate(async (m) => {
    const start = performance.now();
    window.postMessage(m, '*');
    await new Promise<void>((resolve) => {
      const wait = (): void => {
        if (document.querySelector('.figure .diagram')) requestAnimationFrame(() => resolve());
        else setTimeout(wait, 0);
      };
      wait();
    });
    return performance.now() - start;
  }, m);
}

/** One step: the arrow key's handling plus the style and layout it causes (25 steps, after 5 to warm up). */
function stepTimes(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const figure = document.querySelector<HTMLElement>('.figure')!;
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      figure.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      document.body.getBoundingClientRect(); // force style and layout
      times.push(performance.now() - start);
      await new Promise((r) => requestAnimationFrame(r));
    }
    return times.slice(5);
  });
}

interface ViewTime {
  readonly view: string;
  /** Switching to the view: its whole drawing, with style and layout. */
  readonly openMs: number;
  /** One step in it (views with a single picture do nothing). */
  readonly stepMs: number;
}

/** Each view in turn: the time to draw it when its tab is clicked, and one step in it. */
function viewTimes(page: Page): Promise<ViewTime[]> {
  return page.evaluate(async () => {
    const times: ViewTime[] = [];
    for (const tab of document.querySelectorAll<HTMLElement>('.tabs vscode-button')) {
      let start = performance.now();
      tab.click();
      document.body.getBoundingClientRect();
      const openMs = performance.now() - start;
      await new Promise((r) => requestAnimationFrame(r));
      start = performance.now();
      document.querySelector('.figure')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      document.body.getBoundingClientRect();
      times.push({ view: tab.textContent ?? '', openMs: +openMs.toFixed(1), stepMs: +(performance.now() - start).toFixed(1) });
      await new Promise((r) => requestAnimationFrame(r));
    }
    return times;
  });
}

async function main(): Promise<void> {
  const browser = await launchChromium();
  const results: { name: string; firstPaintMs: { p50: number; max: number }; stepMs: { p50: number; max: number }; views: ViewTime[] }[] = [];
  try {
    for (const c of cases) {
      // Each opening in a fresh page (nothing cached), several times: this machine's timing varies.
      const paints: number[] = [];
      const steps: number[] = [];
      let views: ViewTime[] = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
        paints.push(await firstPaint(page, c.message));
        steps.push(...(await stepTimes(page)));
        if (run === 0) views = await viewTimes(page);
        await page.close();
      }
      results.push({ name: c.name, firstPaintMs: summary(paints, 1), stepMs: summary(steps, 2), views });
    }
  } finally {
    await browser.close();
  }

  if (json) console.log(JSON.stringify({ panel: results }));
  {
    for (const r of results) {
      say(`panel, ${r.name}: first paint p50 ${r.firstPaintMs.p50} ms (max ${r.firstPaintMs.max} ms over ${RUNS} openings), animation step p50 ${r.stepMs.p50} ms (max ${r.stepMs.max} ms)`);
      for (const v of r.views) say(`  ${v.view}: drawn in ${v.openMs} ms, a step ${v.stepMs} ms`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
