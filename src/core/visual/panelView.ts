/**
 * What the visualization panel shows for one layer, computed here so that the webview only
 * draws: the layer's heading, its shapes, the gather diagram, numbers-mode values for the
 * default example (inputs 1, 2, 3, … row by row; a kernel of ones), and what may be edited.
 */
import type { LayerInsight } from '../editor/documentAnalysis';
import type { Outcome } from '../outcome';
import { format, type Expr } from '../expr';
import { formatShape } from '../shape';
import { channelIndex, type LayerReport } from '../torch/report';
import { FRAMEWORK_NAMES } from '../values';
import { gatherValues } from './connections';
import { analyzeEdited, editableOf, type Editable, type EditableAxis } from './edit';
import { defaultInput, exampleKernel } from './examples';
import { gatherDiagram, MAX_DRAWN_CELLS, tooLargeToDraw, type GatherDiagram } from './gather';
import { translateTransposed, type Translation } from '../translate';

export interface PanelNumbers {
  readonly input: readonly number[];
  readonly kernel: readonly number[];
  readonly output: readonly number[];
}

export type PanelView =
  | {
      readonly kind: 'diagram';
      readonly title: string;
      /** `(1, 64, 16, 16) → (1, 32, 32, 32)`. */
      readonly shapes: string;
      /** The layer's window arguments in words: `kernel 4, stride 2, padding 1`. */
      readonly window: string;
      /** What is drawn of the channels: `one channel pair drawn (512 in → 256 out, groups 1)`. */
      readonly channels: string;
      readonly diagram: GatherDiagram;
      /** Absent for pools (their values are not a weighted sum) and 3-D layers (drawn slice by slice). */
      readonly numbers?: PanelNumbers;
      /** The parameters the panel may edit (convolutions and transposed convolutions). */
      readonly editable?: Editable;
      /** A transposed conv in each framework's terms (the Compare view lists them). */
      readonly translations?: readonly Translation[];
    }
  /** Nothing to draw, and why. */
  | { readonly kind: 'message'; readonly title: string; readonly message: string };

export function panelView(insight: LayerInsight): PanelView {
  const layer = insight.layer;
  const title = layer.text.length > 80 ? `${layer.text.slice(0, 77)}…` : layer.text;
  return viewOf(title, layer.layerType, FRAMEWORK_NAMES[layer.framework], insight.outcome);
}

/** The view of the layer with the panel's edited parameters (not yet applied to the source). */
export function editedPanelView(editable: Editable, axes: readonly EditableAxis[]): PanelView {
  const { layer, outcome } = analyzeEdited(editable, axes);
  const view = viewOf(layer.text, editable.layerType, FRAMEWORK_NAMES.torch, outcome);
  // Still editable from the same starting point, whatever the edit gave.
  return view.kind === 'diagram' ? { ...view, editable: { ...editable, axes } } : view;
}

function viewOf(title: string, layerType: string, framework: string, outcome: Outcome<LayerReport>): PanelView {
  if (!outcome.ok) return { kind: 'message', title, message: `${framework} refuses this ${layerType}: ${outcome.refusal.message}` };
  const report = outcome.value;
  const diagram = gatherDiagram(report);
  if (!diagram && tooLargeToDraw(report)) return { kind: 'message', title, message: `${layerType}'s window is too large to draw: more than ${MAX_DRAWN_CELLS} cells along an axis.` };
  if (!diagram) return { kind: 'message', title, message: `${layerType} has no sliding window to draw. Put the cursor on a convolution, a transposed convolution or a pool.` };
  const shapes = `${formatShape(report.input)} → ${formatShape(report.output)}`;
  const window = windowWords(diagram);
  const channels = channelWords(report, diagram);
  const translations = (translateTransposed(report) ?? []).filter((t) => t.code !== '');
  if (translations.length > 0) return withNumbers({ kind: 'diagram', title, shapes, window, channels, diagram, translations }, report, diagram);
  return withNumbers({ kind: 'diagram', title, shapes, window, channels, diagram }, report, diagram);
}

/** The view with numbers mode's values and the editable parameters, where the layer has them. */
function withNumbers(view: Extract<PanelView, { kind: 'diagram' }>, report: LayerReport, diagram: GatherDiagram): PanelView {
  // Values are drawn for 1-D and 2-D windows; a 3-D layer's slice also sums over depth taps.
  if (diagram.family === 'pool' || diagram.depth) return view;
  const input = defaultInput(diagram.axes.reduce((n, a) => n * a.input, 1));
  const kernel = exampleKernel('ones', diagram.axes.map((a) => a.kernel));
  const editable = editableOf(report, diagram);
  return { ...view, numbers: numbersFor(diagram, input, kernel), ...(editable ? { editable } : {}) };
}

/** Numbers mode's values for an input and a kernel (row-major over the drawn axes). */
function numbersFor(diagram: GatherDiagram, input: readonly number[], kernel: readonly number[]): PanelNumbers {
  return { input, kernel, output: gatherValues(diagram, input, kernel) };
}

/** The channels: a pool works on each channel alone; a conv mixes them within each group. */
function channelWords(report: LayerReport, d: GatherDiagram): string {
  const channel = (shape: readonly Expr[]): string => format(shape[channelIndex(report, shape, d.axes.length + (d.depth ? 1 : 0))]);
  const cin = channel(report.input);
  const cout = channel(report.output);
  if (d.family === 'pool') return `each of the ${cin} channels pooled alone; one drawn`;
  const groups = report.groups ?? 1;
  return `one channel pair drawn, of ${cin} in → ${cout} out${groups > 1 ? ` in ${groups} groups (each output channel reads ${cin}/${groups} input channels)` : ''}`;
}

function windowWords(d: GatherDiagram): string {
  const per = (f: (a: GatherDiagram['axes'][number]) => number): string => {
    const xs = d.axes.map(f);
    return xs.every((x) => x === xs[0]) ? String(xs[0]) : `(${xs.join(', ')})`;
  };
  const parts = [`kernel ${per((a) => a.kernel)}`, `stride ${per((a) => a.stride)}`];
  if (d.axes.some((a) => a.dilation !== 1)) parts.push(`dilation ${per((a) => a.dilation)}`);
  return parts.join(', ');
}
