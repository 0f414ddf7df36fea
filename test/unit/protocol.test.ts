import { strict as assert } from 'node:assert';
import { isHostMessage, isWebviewMessage, panelState } from '../../src/core/visual/protocol';

describe('the panel protocol', () => {
  it('accepts the webview\'s messages (ready, apply) and nothing else from it', () => {
    assert.equal(isWebviewMessage({ type: 'ready' }), true);
    const axis = { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 };
    assert.equal(isWebviewMessage({ type: 'apply', source: { uri: 'file:///a.py', offset: 4 }, axes: [axis, axis] }), true);
    for (const bad of [{ type: 'apply', source: { uri: 'file:///a.py', offset: 4 }, axes: [] }, { type: 'apply', source: { uri: 'file:///a.py', offset: 4 }, axes: [{ ...axis, kernel: 0 }] }, { type: 'apply', source: { uri: 'file:///a.py', offset: 4 }, axes: [{ ...axis, stride: 1.5 }] }, { type: 'apply', axes: [axis] }]) {
      assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
    }
    for (const bad of [undefined, null, 'ready', [], {}, { type: 'READY' }, { type: 'ready', command: 'workbench.action.quit' }, { type: 'apply', text: 'x' }]) {
      assert.equal(isWebviewMessage(bad), false, JSON.stringify(bad));
    }
  });

  it('accepts views and idle messages from the host, and rejects malformed ones', () => {
    assert.equal(isHostMessage({ type: 'idle', message: 'Put the cursor on a layer call' }), true);
    assert.equal(isHostMessage({ type: 'view', view: { kind: 'message', title: 't', message: 'm' }, source: { uri: 'file:///a.py', offset: 3 } }), true);
    for (const bad of [{ type: 'idle' }, { type: 'view', view: { kind: 'diagram' } }, { type: 'view', view: { kind: 'html' }, source: { uri: 'u', offset: 0 } }, { type: 'view', view: { kind: 'message' }, source: { uri: 'u', offset: -1 } }]) {
      assert.equal(isHostMessage(bad), false, JSON.stringify(bad));
    }
  });

  it('restores a stored state, and falls back to defaults for what is missing or malformed', () => {
    assert.deepEqual(panelState({ source: { uri: 'file:///a.py', offset: 10 }, view: 'matrix', step: 4, depth: 2, numbers: true, kernel: 'bilinear', speed: 150, zoom: 2 }), { source: { uri: 'file:///a.py', offset: 10 }, view: 'matrix', step: 4, depth: 2, numbers: true, kernel: 'bilinear', speed: 150, zoom: 2 });
    assert.deepEqual(panelState(undefined), { view: 'gather', step: 0, depth: 0, numbers: false, kernel: 'ones', speed: 500, zoom: 1 });
    assert.deepEqual(panelState({ source: { uri: 1 }, view: 'eval', step: -2, numbers: 'yes', speed: 1e9, zoom: 1e6 }), { view: 'gather', step: 0, depth: 0, numbers: false, kernel: 'ones', speed: 500, zoom: 1 });
  });
});
