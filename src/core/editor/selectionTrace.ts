/**
 * The trace of a selection: the layer calls that lie wholly inside it, in order, each fed the
 * previous one's output (the first gets the input the document analysis gives it). Stops at
 * the first refusal, as the forward pass would.
 */
import { analyzeLayer } from '../analyze';
import type { Outcome } from '../outcome';
import type { Shape } from '../shape';
import type { LayerReport } from '../torch/report';
import type { LayerCall } from '../values';
import type { DocumentAnalysis } from './documentAnalysis';

export interface TraceStep {
  readonly layer: LayerCall;
  readonly outcome: Outcome<LayerReport>;
}

export function selectionTrace(analysis: DocumentAnalysis, from: number, to: number): TraceStep[] {
  const inside = analysis.model.layers.filter((l) => l.span.from >= from && l.span.to <= to);
  const steps: TraceStep[] = [];
  let input: Shape | undefined = inside.length > 0 ? analysis.insightOf(inside[0])?.input : undefined;
  for (const layer of inside) {
    const outcome = analyzeLayer(layer, input);
    steps.push({ layer, outcome });
    if (!outcome.ok) break;
    input = outcome.value.output;
  }
  return steps;
}
