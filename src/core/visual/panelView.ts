/**
 * What the visualization panel shows for one layer, computed here so that the webview only
 * draws: the layer's heading, its shapes, the gather diagram, and numbers-mode values for
 * the default example (inputs 1, 2, 3, … row by row; a kernel of ones).
 */
import type { LayerInsight } from '../editor/documentAnalysis';
import { formatShape } from '../shape';
import { gatherValues } from './connections';
import { gatherDiagram, type GatherDiagram } from './gather';

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
      readonly diagram: GatherDiagram;
      /** Absent for pools: their values are not a weighted sum. */
      readonly numbers?: PanelNumbers;
    }
  /** Nothing to draw, and why. */
  | { readonly kind: 'message'; readonly title: string; readonly message: string };

export function panelView(insight: LayerInsight): PanelView {
  const layer = insight.layer;
  const title = layer.text.length > 80 ? `${layer.text.slice(0, 77)}…` : layer.text;
  if (!insight.outcome.ok) return { kind: 'message', title, message: `PyTorch refuses this ${layer.layerType}: ${insight.outcome.refusal.message}` };
  const report = insight.outcome.value;
  const diagram = gatherDiagram(report);
  if (!diagram) return { kind: 'message', title, message: `${layer.layerType} has no sliding window to draw. Put the cursor on a convolution, a transposed convolution or a pool.` };
  const shapes = `${formatShape(report.input)} → ${formatShape(report.output)}`;
  const window = windowWords(diagram);
  if (diagram.family === 'pool') return { kind: 'diagram', title, shapes, window, diagram };
  const inputCount = diagram.axes.reduce((n, a) => n * a.input, 1);
  const kernelCount = diagram.axes.reduce((n, a) => n * a.kernel, 1);
  const input = Array.from({ length: inputCount }, (_, i) => i + 1);
  const kernel = new Array<number>(kernelCount).fill(1);
  return { kind: 'diagram', title, shapes, window, diagram, numbers: { input, kernel, output: gatherValues(diagram, input, kernel) } };
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
