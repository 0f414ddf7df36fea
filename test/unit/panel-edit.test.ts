import { strict as assert } from 'node:assert';
import { withConfig } from '../../src/core/solve/rewrite';
import { configText } from '../../src/core/solve/solver';
import { editableOf } from '../../src/core/visual/edit';
import { gatherDiagram } from '../../src/core/visual/gather';
import { editedPanelView, panelView, type PanelView } from '../../src/core/visual/panelView';
import { parsePython } from '../../src/core/python/parse';
import { call, run } from './helpers';

function editableFor(layerType: string, args: (number | number[])[], kw: Record<string, number>, input: number[]) {
  const r = run(call(layerType, args, kw), input);
  assert.ok(r.ok);
  return editableOf(r.value, gatherDiagram(r.value)!)!;
}

function diagramView(v: PanelView): Extract<PanelView, { kind: 'diagram' }> {
  assert.equal(v.kind, 'diagram', v.kind === 'message' ? v.message : '');
  return v;
}

describe('editing the panel\'s parameters', () => {
  it('starts from the layer\'s own window and drawn input', () => {
    const e = editableFor('ConvTranspose2d', [16, 8, 4], { stride: 2, padding: 1 }, [1, 16, 8, 8]);
    assert.deepEqual(e.axes, [
      { input: 8, kernel: 4, stride: 2, padding: 1, outputPadding: 0, dilation: 1 },
      { input: 8, kernel: 4, stride: 2, padding: 1, outputPadding: 0, dilation: 1 },
    ]);
  });

  it('redraws an edit through the engine: kernel 3 and output_padding 1 on an 8×8 input give 16×16', () => {
    const e = editableFor('ConvTranspose2d', [16, 8, 4], { stride: 2, padding: 1 }, [1, 16, 8, 8]);
    const axes = e.axes.map((a) => ({ ...a, kernel: 3, outputPadding: 1 }));
    const v = diagramView(editedPanelView(e, axes));
    assert.equal(v.title, 'ConvTranspose2d(…, kernel_size=3, stride=2, padding=1, output_padding=1)');
    assert.equal(v.shapes, '(1, 1, 8, 8) → (1, 1, 16, 16)');
    assert.deepEqual(v.diagram.axes.map((a) => a.output), [16, 16]);
  });

  it('refuses an impossible edit with PyTorch\'s reason', () => {
    const e = editableFor('ConvTranspose1d', [4, 4, 3], { stride: 2 }, [1, 4, 6]);
    const v = editedPanelView(e, [{ ...e.axes[0], outputPadding: 2 }]);
    assert.equal(v.kind, 'message');
    assert.match(v.kind === 'message' ? v.message : '', /^PyTorch refuses this ConvTranspose1d: output padding must be smaller than either stride or dilation/);
  });

  it('writes per-axis values as tuples and equal ones as one number', () => {
    const h = { kernel: 3, stride: 2, padding: 1, outputPadding: 1, dilation: 1 };
    assert.equal(configText('convTranspose', [h, { ...h, kernel: 5, padding: 2 }]), 'kernel_size=(3, 5), stride=2, padding=(1, 2), output_padding=1');
    const layer = parsePython('import torch.nn as nn\nup = nn.ConvTranspose2d(16, 8, 4, stride=2, padding=1, bias=False)\n').layers[0];
    assert.equal(withConfig(layer, 'convTranspose', [h, h]), '16, 8, kernel_size=3, stride=2, padding=1, output_padding=1, bias=False');
  });

  it('offers no edit for padding="same" (uneven padding has no single number)', () => {
    const r = run(call('Conv2d', [4, 4, 4], { padding: 'same' }), [1, 4, 9, 9]);
    assert.ok(r.ok);
    assert.equal(editableOf(r.value, gatherDiagram(r.value)!), undefined);
  });
});

describe('what the panel says of channels', () => {
  const view = (layerType: string, args: (number | number[])[], kw: Record<string, number>, input: number[]) => {
    const layer = call(layerType, args, kw);
    return diagramView(panelView({ layer, input: undefined, origin: { kind: 'symbolic' }, outcome: run(layer, input), unreached: false }));
  };

  it('states the channel counts and groups of a conv, one pair drawn', () => {
    assert.equal(view('ConvTranspose2d', [16, 8, 4], { stride: 2, groups: 4 }, [1, 16, 5, 5]).channels, 'one channel pair drawn, of 16 in → 8 out in 4 groups (each output channel reads 16/4 input channels)');
    assert.equal(view('Conv1d', [3, 6, 3], {}, [1, 3, 9]).channels, 'one channel pair drawn, of 3 in → 6 out');
  });

  it('says a pool works on each channel alone', () => {
    assert.equal(view('MaxPool2d', [2], {}, [1, 5, 8, 8]).channels, 'each of the 5 channels pooled alone; one drawn');
  });
});
