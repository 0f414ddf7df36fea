/**
 * Answers of the engine kept across edits of one document: a layer's answer depends only on
 * its type, its evaluated arguments and its input, so after a keystroke only the layers whose
 * key changed are computed again.
 *
 * Most layers of an edited file are carried over by the front end unchanged (the same
 * object, or a copy moved along the text: `moved`), and most inputs are the very shape
 * object an earlier answer produced; those are found by identity, without building a key.
 * Most of those are not even asked for: the analysis reuses whole roots of the last
 * analysis (`lastAnalysis`, rootReuse.ts), and their answers with them.
 */
import { analyzeLayer } from '../analyze';
import { exprKey } from '../expr';
import type { Outcome } from '../outcome';
import { shapeKey, type Shape } from '../shape';
import type { LayerReport } from '../torch/report';
import type { LayerCall, LayerChain, Value } from '../values';
import type { AnalysisTrace } from './rootReuse';

interface Answer {
  readonly key: string;
  readonly input: Shape | undefined;
  readonly outcome: Outcome<LayerReport>;
}

/** Answers by key are pruned once they outnumber the document's layers this many times (plus PRUNE_SLACK). */
const PRUNE_FACTOR = 4;
const PRUNE_SLACK = 1000;

export class LayerMemo {
  /**
   * Answers by key, kept across analyses, not only the last one's: the layers of reused
   * roots are not asked for, yet their answers are wanted when those roots are walked again
   * (new input defaults). Pruned to the last analysis's answers when they grow many.
   */
  private byKey = new Map<string, Outcome<LayerReport>>();
  private previousByLayer = new Map<LayerCall, Answer>();
  private currentByLayer = new Map<LayerCall, Answer>();
  private moved: ReadonlyMap<LayerCall | LayerChain, LayerCall | LayerChain> = new Map();
  /** What the last analysis of the document left for the next one. */
  lastAnalysis: AnalysisTrace | undefined;

  /**
   * Starts a new analysis of a model of `layerCount` layers. `moved`: the front end's carried
   * layers, copy → the object the last analysis saw.
   */
  begin(moved: ReadonlyMap<LayerCall | LayerChain, LayerCall | LayerChain> = new Map(), layerCount = 0): void {
    this.previousByLayer = this.currentByLayer;
    this.currentByLayer = new Map();
    this.moved = moved;
    if (this.byKey.size > PRUNE_FACTOR * layerCount + PRUNE_SLACK) this.byKey = new Map([...this.previousByLayer.values()].map((a) => [a.key, a.outcome]));
  }

  analyze(layer: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
    // The same object when the analysis is redone on the same parse (new input defaults).
    const before = this.previousByLayer.get(layer) ?? this.previousByLayer.get(this.moved.get(layer) as LayerCall);
    if (before && before.input === input) {
      this.currentByLayer.set(layer, before);
      return before.outcome;
    }
    const key = layerKey(layer, input);
    let outcome = this.byKey.get(key);
    if (!outcome) {
      outcome = analyzeLayer(layer, input);
      this.byKey.set(key, outcome);
    }
    this.currentByLayer.set(layer, { key, input, outcome });
    return outcome;
  }
}

/**
 * Everything an engine reads: the framework (Flax's and ONNX's `Conv` differ), the arguments,
 * the operands (a graph node's weight shape, a made tensor's shape) and the input.
 */
function layerKey(layer: LayerCall, input: Shape | undefined): string {
  const args = layer.args.map((a) => `${a.name ?? ''}=${valueKey(a.value)}`).join(',');
  const operands = (layer.operands ?? []).map((o) => `${o.shape ? shapeKey(o.shape) : '?'}:${o.values ? o.values.join(',') : ''}`).join(';');
  return `${layer.framework}:${layer.layerType}${layer.hasStarArgs ? '*' : ''}(${args})[${operands}]@${input ? shapeKey(input) : '-'}`;
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
