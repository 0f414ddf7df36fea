/**
 * The visualization panel as an attack surface. Its page is served under a strict Content
 * Security Policy (read here from the page exactly as the panel serves it, through a fake
 * webview); and the messages crossing between the page and the extension are untrusted
 * input, checked on arrival: whatever arrives, the checks never throw and accept only what
 * the protocol declares. The host acts on an `apply` only within the bounds checked here.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { servedPanelHtml, type PageWebview } from '../../src/extension/panelHtml';
import { KERNEL_CHOICES } from '../../src/core/visual/examples';
import { isHostMessage, isWebviewMessage, PANEL_VIEWS, PANEL_ZOOMS, panelState } from '../../src/core/visual/protocol';

/** VS Code's webview origin, and a webview that addresses our files from it, as `vscode.Webview` does. */
const ORIGIN = 'https://file+.vscode-resource.vscode-cdn.net';
const webview: PageWebview<string> = {
  cspSource: ORIGIN,
  asWebviewUri: (path) => ({ toString: () => `${ORIGIN}${path}` }),
};
const serve = (): string => servedPanelHtml(webview, (file) => `/ext/dist/webview/${file}`);

/** The page's Content-Security-Policy, directive → sources; exactly one policy, in a meta tag. */
function policy(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/gi)];
  assert.equal(metas.length, 1, 'one CSP');
  return new Map(metas[0][1].split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

function nonceOf(html: string): string {
  const script = policy(html).get('script-src') ?? [];
  assert.equal(script.length, 1, script.join(' '));
  const nonce = /^'nonce-([^']+)'$/.exec(script[0])?.[1];
  assert.ok(nonce, script[0]);
  return nonce;
}

describe('the panel page as served', () => {
  it('allows nothing by default and scripts only by nonce', () => {
    const html = serve();
    const csp = policy(html);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${nonceOf(html)}'`]);
  });

  it('closes what default-src does not cover: base-uri and form-action are none', () => {
    const csp = policy(serve());
    assert.deepEqual(csp.get('base-uri'), ["'none'"]);
    assert.deepEqual(csp.get('form-action'), ["'none'"]);
  });

  it('names no source but the webview origin and the nonce: nothing unsafe, remote, wild or inline', () => {
    const html = serve();
    const allowed = ["'none'", `'nonce-${nonceOf(html)}'`, ORIGIN];
    for (const [directive, sources] of policy(html)) {
      for (const source of sources) assert.ok(allowed.includes(source), `${directive} ${source}`);
    }
    assert.doesNotMatch(html, /unsafe-|'strict-dynamic'|\*/);
  });

  it('draws a fresh nonce of at least 128 bits for every page', () => {
    const nonces = Array.from({ length: 200 }, () => nonceOf(serve()));
    assert.equal(new Set(nonces).size, nonces.length);
    for (const n of nonces) {
      assert.match(n, /^[0-9a-f]{32}$/, n); // 32 hex digits: 128 bits
    }
  });

  it('loads our one script, with the page\'s nonce, from the webview origin, and has no inline script or handler', () => {
    const html = serve();
    assert.deepEqual([...html.matchAll(/<script\b[^>]*>([^]*?)<\/script>/gi)].map((m) => [m[0], m[1]]), [[`<script nonce="${nonceOf(html)}" src="${ORIGIN}/ext/dist/webview/panel.js"></script>`, '']]);
    assert.deepEqual([...html.matchAll(/<link\b[^>]*>/gi)].map((m) => m[0]), [`<link rel="stylesheet" href="${ORIGIN}/ext/dist/webview/panel.css">`]);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
    assert.doesNotMatch(html, /javascript:|<style|\sstyle=|<iframe|<object|<embed|<base/i);
  });
});

/** Sizes the protocol bounds (window parameters up to 10,000; at most 3 drawn axes). */
const int = (v: unknown, min: number, max: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const plain = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const source = (x: unknown): boolean => plain(x) && typeof x.uri === 'string' && int(x.offset, 0, Infinity);
const axis = (x: unknown): boolean => plain(x) && int(x.kernel, 1, 10_000) && int(x.stride, 1, 10_000) && int(x.padding, 0, 10_000) && int(x.outputPadding, 0, 10_000) && int(x.dilation, 1, 10_000);
/** Every item of an array, holes included. */
const items = (xs: readonly unknown[]): unknown[] => Array.from({ length: xs.length }, (_, i) => xs[i]);

/**
 * The webview's messages as the protocol declares them (src/core/visual/protocol.ts): `ready`
 * alone; `pick` of a layer index below 10,000; `apply` of a source and 1 to 3 axes. Keys a
 * message type does not declare are not read (structural, as TypeScript reads the types);
 * `ready` declares none, so it must have none.
 */
function declaredWebviewMessage(x: unknown): boolean {
  if (!plain(x)) return false;
  if (x.type === 'ready') return Object.keys(x).length === 1;
  if (x.type === 'pick') return int(x.index, 0, 9_999);
  return x.type === 'apply' && source(x.source) && Array.isArray(x.axes) && x.axes.length >= 1 && x.axes.length <= 3 && items(x.axes).every(axis);
}

/** The host's messages as declared: `idle` with its text; `view` of a diagram or message at a source, with an optional chain. */
function declaredHostMessage(x: unknown): boolean {
  if (!plain(x)) return false;
  if (x.type === 'idle') return typeof x.message === 'string';
  const chain = x.chain === undefined || (plain(x.chain) && Array.isArray(x.chain.layers) && items(x.chain.layers).every((l) => typeof l === 'string') && typeof x.chain.index === 'number');
  return x.type === 'view' && plain(x.view) && (x.view.kind === 'diagram' || x.view.kind === 'message') && source(x.source) && chain;
}

/** Any value at all, the odd ones included: null-prototype objects, boxed values, sparse arrays, typed arrays, maps. */
const anything = fc.anything({ withNullPrototype: true, withBoxedValues: true, withSparseArray: true, withTypedArray: true, withMap: true, withSet: true, withBigInt: true, withDate: true, withObjectString: true });

/** Values no offset may take: negative, not whole, not finite, not numbers. */
const notAnOffset = fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, 1.5, -1e-300, '3', '', null, undefined, true, {}, [], [3], 3n);
/** Values no window size or layer index may take: those, and whole numbers past the bounds. */
const badNumber = fc.oneof(notAnOffset, fc.constantFrom(10_001, 1e300));

const validAxis = fc.record({ kernel: fc.integer({ min: 1, max: 10_000 }), stride: fc.integer({ min: 1, max: 10_000 }), padding: fc.integer({ min: 0, max: 10_000 }), outputPadding: fc.integer({ min: 0, max: 10_000 }), dilation: fc.integer({ min: 1, max: 10_000 }) });
const validSource = fc.record({ uri: fc.string(), offset: fc.nat() });
const validWebviewMessage = fc.oneof(
  fc.constant({ type: 'ready' }),
  fc.record({ type: fc.constant('pick'), index: fc.integer({ min: 0, max: 9_999 }) }),
  fc.record({ type: fc.constant('apply'), source: validSource, axes: fc.array(validAxis, { minLength: 1, maxLength: 3 }) }),
);

/** One thing wrong with an otherwise valid webview message. */
const nearMissWebviewMessage = fc.oneof(
  // a size out of bounds or of the wrong type
  fc.tuple(validSource, fc.array(validAxis, { minLength: 1, maxLength: 3 }), fc.nat(), fc.constantFrom('kernel', 'stride', 'padding', 'outputPadding', 'dilation'), badNumber).map(([s, axes, k, field, bad]) => {
    const i = k % axes.length;
    return { type: 'apply', source: s, axes: axes.map((a, j) => (j === i ? { ...a, [field]: bad } : a)) };
  }),
  fc.record({ type: fc.constant('apply'), source: validSource, axes: fc.constantFrom<unknown>([], Array.from({ length: 4 }, () => ({ kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 })), new Array(1_000_000).fill({ kernel: 3, stride: 1, padding: 0, outputPadding: 0, dilation: 1 }), [, { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 }], [null], { 0: { kernel: 3, stride: 1, padding: 0, outputPadding: 0, dilation: 1 }, length: 1 }, 'axes') }),
  fc.record({ type: fc.constant('apply'), source: fc.oneof(fc.record({ uri: fc.string(), offset: notAnOffset }), fc.record({ uri: fc.constantFrom<unknown>(1, null, ['file:///a.py'], {}), offset: fc.nat() }), fc.constantFrom<unknown>(undefined, null, 'file:///a.py', [])), axes: fc.array(validAxis, { minLength: 1, maxLength: 3 }) }),
  fc.record({ type: fc.constant('pick'), index: fc.oneof(badNumber, fc.constant(10_000)) }),
  // extra keys on `ready`, prototype-polluting ones included (as JSON parses them: own keys)
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'command', 'type ').map((key) => JSON.parse(`{"type": "ready", ${JSON.stringify(key)}: {"polluted": true}}`) as unknown),
  // the type almost right, or missing
  fc.tuple(fc.constantFrom<unknown>('READY', 'ready ', 'apply\u0000', 'Pick', '', undefined, null, 1, ['ready'], new String('ready')), validAxis).map(([type, a]) => ({ type, index: 0, source: { uri: 'file:///a.py', offset: 0 }, axes: [a] })),
);

const nearMissHostMessage = fc.oneof(
  fc.record({ type: fc.constant('idle'), message: notAnOffset.filter((v) => typeof v !== 'string') }),
  fc.record({ type: fc.constant('view'), view: fc.constantFrom<unknown>({ kind: 'html' }, { kind: 'DIAGRAM' }, null, 'diagram', [{ kind: 'diagram' }]), source: validSource }),
  fc.record({ type: fc.constant('view'), view: fc.constant({ kind: 'message', title: 't', message: 'm' }), source: fc.record({ uri: fc.string(), offset: notAnOffset }) }),
  fc.record({ type: fc.constant('view'), view: fc.constant({ kind: 'diagram' }), source: validSource, chain: fc.constantFrom<unknown>(null, 'chain', { layers: ['a', 1], index: 0 }, { layers: [, 'b'], index: 0 }, { layers: 'ab', index: 0 }, { layers: ['a'], index: '0' }) }),
);

/** Whether Object.prototype has gained any key (a pollution). */
const polluted = (): string[] => Object.getOwnPropertyNames(Object.prototype).filter((k) => !PRISTINE.includes(k));
const PRISTINE = Object.getOwnPropertyNames(Object.prototype);

describe('messages between the panel and the extension', () => {
  afterEach(() => assert.deepEqual(polluted(), [], 'Object.prototype polluted'));

  it('checks any value without throwing, and accepts one only as the protocol declares it', () => {
    fc.assert(
      fc.property(anything, (x) => {
        assert.equal(isWebviewMessage(x), declaredWebviewMessage(x));
        assert.equal(isHostMessage(x), declaredHostMessage(x));
      }),
      { numRuns: 2_000, seed: 21 },
    );
  });

  it('accepts every message of the webview\'s protocol', () => {
    fc.assert(
      fc.property(validWebviewMessage, (m) => assert.equal(isWebviewMessage(m), true, JSON.stringify(m))),
      { numRuns: 500, seed: 22 },
    );
  });

  it('refuses a webview message with one thing wrong: a size out of range or of another type, no or too many axes, a sparse or huge array, a bad source or index, an extra key on ready, a near type', () => {
    fc.assert(
      fc.property(nearMissWebviewMessage, (m) => {
        assert.equal(declaredWebviewMessage(m), false, 'the generator makes a valid message');
        assert.equal(isWebviewMessage(m), false);
      }),
      { numRuns: 1_000, seed: 23 },
    );
  });

  it('refuses a host message with one thing wrong', () => {
    fc.assert(
      fc.property(nearMissHostMessage, (m) => {
        assert.equal(declaredHostMessage(m), false, 'the generator makes a valid message');
        assert.equal(isHostMessage(m), false);
      }),
      { numRuns: 500, seed: 24 },
    );
  });

  it('reads a message\'s own keys only: `__proto__` and `constructor` keys neither validate a message nor pollute', () => {
    const parsed = (json: string): unknown => JSON.parse(json);
    assert.equal(isWebviewMessage(parsed('{"__proto__": {"type": "ready"}}')), false);
    assert.equal(isWebviewMessage(parsed('{"type": "apply", "source": {"__proto__": {"uri": "file:///a.py", "offset": 1}}, "axes": [{"kernel": 3, "stride": 1, "padding": 0, "outputPadding": 0, "dilation": 1}]}')), false);
    assert.equal(isWebviewMessage(parsed('{"type": "pick", "index": {"__proto__": 1}}')), false);
    assert.equal(isWebviewMessage(parsed('{"type": "pick", "constructor": {"prototype": {"polluted": true}}, "index": 2}')), true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('restores any stored state to its declared keys, each with a declared value', () => {
    fc.assert(
      fc.property(fc.oneof(anything, fc.record({ source: fc.oneof(validSource, anything), view: fc.oneof(fc.constantFrom(...PANEL_VIEWS), anything), step: fc.oneof(fc.nat(), badNumber), zoom: fc.oneof(fc.constantFrom(...PANEL_ZOOMS), badNumber), speed: fc.oneof(fc.integer({ min: 0, max: 6000 }), badNumber) }, { requiredKeys: [] })), (x) => {
        const s = panelState(x);
        assert.equal(Object.getPrototypeOf(s), Object.prototype);
        for (const key of Object.keys(s)) assert.ok(['source', 'layer', 'view', 'step', 'depth', 'numbers', 'kernel', 'speed', 'zoom'].includes(key), key);
        assert.ok(s.source === undefined || source(s.source));
        assert.ok(s.layer === undefined || typeof s.layer === 'string');
        assert.ok(PANEL_VIEWS.includes(s.view) && int(s.step, 0, Infinity) && int(s.depth, 0, Infinity) && typeof s.numbers === 'boolean');
        assert.ok(KERNEL_CHOICES.some((k) => k.id === s.kernel) && Number.isFinite(s.speed) && s.speed >= 50 && s.speed <= 5000 && PANEL_ZOOMS.includes(s.zoom), JSON.stringify(s));
        assert.deepEqual(panelState(s), s);
      }),
      { numRuns: 1_000, seed: 25 },
    );
    assert.deepEqual(Object.keys(panelState(JSON.parse('{"__proto__": {"view": "matrix"}, "constructor": {"prototype": {"polluted": true}}}'))), ['view', 'step', 'depth', 'numbers', 'kernel', 'speed', 'zoom']);
  });
});

describe('"apply" from the panel', () => {
  const a = { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 };
  const apply = (axes: unknown[], offset: unknown = 4): boolean => isWebviewMessage({ type: 'apply', source: { uri: 'file:///a.py', offset }, axes });

  it('is acted on only after the check: the host\'s handler checks first, and so does the page\'s', () => {
    assert.match(readFileSync('src/extension/panel.ts', 'utf8'), /onDidReceiveMessage\(\(message: unknown\) => \{\s*(?:\/\/[^\n]*\n\s*)*if \(!isWebviewMessage\(message\)\) \{/);
    assert.match(readFileSync('webview/panel.ts', 'utf8'), /addEventListener\('message', \(event: MessageEvent<unknown>\) => \{\s*(?:\/\/[^\n]*\n\s*)*if \(isHostMessage\(event\.data\)\) receive\(event\.data\);\s*else /);
  });

  it('takes window sizes from 1 (0 for padding and output padding) up to 10,000, and nothing outside', () => {
    for (const field of ['kernel', 'stride', 'dilation'] as const) {
      assert.deepEqual([0, 1, 10_000, 10_001].map((v) => apply([{ ...a, [field]: v }])), [false, true, true, false], field);
    }
    for (const field of ['padding', 'outputPadding'] as const) {
      assert.deepEqual([-1, 0, 10_000, 10_001].map((v) => apply([{ ...a, [field]: v }])), [false, true, true, false], field);
    }
  });

  it('takes 1 to 3 axes, and a source offset that is a whole number from 0', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map((n) => apply(Array.from({ length: n }, () => a))), [false, true, true, true, false]);
    assert.deepEqual([-1, 0, 1.5, 2 ** 53].map((offset) => apply([a], offset)), [false, true, false, true]);
  });

  it('picks a layer of the selection by an index from 0 to 9,999', () => {
    assert.deepEqual([-1, 0, 9_999, 10_000, 0.5].map((index) => isWebviewMessage({ type: 'pick', index })), [false, true, true, false, false]);
  });
});
