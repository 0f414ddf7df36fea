/**
 * The panel's editable parameters. The edited layer is run through the engine itself (a
 * one-channel layer of the same type on the edited input size), so an edited diagram is as
 * exact as the source's, and an impossible edit gets PyTorch's own reason.
 */
import { analyzeLayer } from '../analyze';
import { constant } from '../expr';
import { axisConfigOf } from '../solve/rewrite';
import { configText, type AxisConfig, type ConvKind } from '../solve/solver';
import type { LayerReport } from '../torch/report';
import type { Argument, LayerCall, Value } from '../values';
import type { GatherDiagram } from './gather';

export interface EditableAxis extends AxisConfig {
  /** The input length drawn (editing it changes the drawing, not the source). */
  readonly input: number;
}

export interface Editable {
  readonly kind: ConvKind;
  /** The source's layer type (`ConvTranspose3d`); the drawn axes are its last ones. */
  readonly layerType: string;
  readonly axes: readonly EditableAxis[];
}

/** What the panel lets the user edit for a layer: convolutions and transposed convolutions with symmetric padding. */
export function editableOf(report: LayerReport, diagram: GatherDiagram): Editable | undefined {
  // The edited layer is rebuilt as a PyTorch call: other frameworks' layers are drawn, not edited.
  if (report.framework !== undefined || (report.family !== 'conv' && report.family !== 'convTranspose')) return undefined;
  const drawn = report.axes.slice(-diagram.axes.length);
  // padding="same" pads unevenly: no single `padding` number states it.
  if (report.family === 'conv' && drawn.some((a) => a.padBegin !== a.padEnd)) return undefined;
  return {
    kind: report.family,
    layerType: report.layerType,
    axes: drawn.map((a, k) => ({ input: diagram.axes[k].input, ...axisConfigOf(a) })),
  };
}

/** The engine's answer for the edited parameters, on one channel: a layer call built from the numbers. */
function editedLayer(editable: Editable, axes: readonly EditableAxis[]): { layer: LayerCall; input: ReturnType<typeof constant>[] } {
  const n = axes.length;
  const layerType = `${editable.kind === 'convTranspose' ? 'ConvTranspose' : 'Conv'}${n}d`;
  const int = (x: number): Value => ({ kind: 'int', expr: constant(x) });
  const tuple = (f: (a: EditableAxis) => number): Value => ({ kind: 'seq', brackets: 'tuple', items: axes.map((a) => int(f(a))) });
  const arg = (value: Value, name?: string): Argument => ({ ...(name ? { name } : {}), value, text: '', spanInCall: { from: 0, to: 0 } });
  const args = [arg(int(1)), arg(int(1)), arg(tuple((a) => a.kernel)), arg(tuple((a) => a.stride), 'stride'), arg(tuple((a) => a.padding), 'padding'), arg(tuple((a) => a.dilation), 'dilation')];
  if (editable.kind === 'convTranspose') args.push(arg(tuple((a) => a.outputPadding), 'output_padding'));
  const text = `${editable.layerType}(…, ${configText(editable.kind, axes)})`;
  const layer: LayerCall = { framework: 'torch', layerType, args, hasStarArgs: false, span: { from: 0, to: 0 }, calleeSpan: { from: 0, to: 0 }, text };
  return { layer, input: [constant(1), constant(1), ...axes.map((a) => constant(a.input))] };
}

export function analyzeEdited(editable: Editable, axes: readonly EditableAxis[]) {
  const { layer, input } = editedLayer(editable, axes);
  return { layer, input, outcome: analyzeLayer(layer, input) };
}
