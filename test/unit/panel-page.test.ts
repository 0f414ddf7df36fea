import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { panelHtml } from '../../src/extension/panelHtml';

const page = panelHtml({ cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'n0nce', script: 'https://res/panel.js', style: 'https://res/panel.css' });

/** The page's Content-Security-Policy, directive → sources. */
function policy(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(content, 'the page declares a CSP');
  return new Map(content.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

describe('the panel page', () => {
  it('serves a strict CSP: nothing by default, our script by nonce, styles and fonts from the webview origin only', () => {
    const csp = policy(page);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'nonce-n0nce'"]);
    assert.deepEqual(csp.get('style-src'), ['https://file+.vscode-resource.vscode-cdn.net']);
    assert.deepEqual(csp.get('font-src'), ['https://file+.vscode-resource.vscode-cdn.net']);
    for (const sources of csp.values()) assert.ok(!sources.some((s) => s.includes('unsafe') || s === '*' || s.startsWith('http:')), [...csp].join('; '));
  });

  it('loads one script, with the nonce, and has no inline script, handler or style', () => {
    assert.deepEqual([...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]), ['<script nonce="n0nce" src="https://res/panel.js">']);
    assert.ok(!/\son\w+=/.test(page), 'no inline event handlers');
    assert.ok(!/<style|\sstyle=/.test(page), 'no inline styles');
  });

  it('has a webview script that never evaluates strings', () => {
    const files = readdirSync('webview', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 5, files.join(', '));
    for (const file of files) {
      const source = readFileSync(`webview/${file}`, 'utf8');
      assert.ok(!/\beval\(|new Function\(|innerHTML|insertAdjacentHTML/.test(source), file);
    }
  });
});
