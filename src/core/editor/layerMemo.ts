/**
 * Answers of the engine kept across edits of one document: a layer's answer depends only on
 * its type, its evaluated arguments and its input, so after a keystroke only the layers whose
 * key changed are computed again. Entries not used by the latest analysis are dropped.
 */
import { analyzeLayer } from '../analyze';
import { exprKey } from '../expr';
import type { Outcome } from '../outcome';
import type { Shape } from '../shape';
import type { LayerReport } from '../torch/report';
import type { LayerCall, Value } from '../values';

export class LayerMemo {
  private previous = new Map<string, Outcome<LayerReport>>();
  private current = new Map<string, Outcome<LayerReport>>();

  /** Starts a new analysis: what the last one used stays available, the rest is dropped. */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  analyze(layer: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
    const key = layerKey(layer, input);
    const hit = this.current.get(key) ?? this.previous.get(key);
    const outcome = hit ?? analyzeLayer(layer, input);
    this.current.set(key, outcome);
    return outcome;
  }
}

function layerKey(layer: LayerCall, input: Shape | undefined): string {
  const args = layer.args.map((a) => `${a.name ?? ''}=${valueKey(a.value)}`).join(',');
  return `${layer.layerType}${layer.hasStarArgs ? '*' : ''}(${args})@${input ? input.map(exprKey).join(',') : '-'}`;
}

function valueKey(v: Value): string {
  switch (v.kind) {
    case 'int':
      return `i${exprKey(v.expr)}`;
    case 'float':
      return `f${v.value}`;
    case 'bool':
      return v.value ? 'T' : 'F';
    case 'str':
      return `s${JSON.stringify(v.value)}`;
    case 'none':
      return 'N';
    case 'seq':
      return `${v.brackets === 'list' ? '[' : '('}${v.items.map(valueKey).join(',')})`;
    case 'unknown':
      return `u${JSON.stringify(v.text)}`;
  }
}
