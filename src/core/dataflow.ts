/**
 * Dataflow graphs (Keras' functional style, ONNX graphs, Caffe nets) as the linear chains the
 * analysis runs: each layer fed the previous one's output.
 */
import type { ChainItem, LayerCall, LayerChain } from './values';

/**
 * A dataflow graph (layer → the layers that consume its output) cut into linear chains from
 * `starts`: the first consumer continues a chain, every other one that feeds something starts
 * its own (from an unknown input). Chains of one layer are left out.
 */
export function linearChains(firstLayers: readonly LayerCall[], consumers: ReadonlyMap<LayerCall, readonly LayerCall[]>, kind: LayerChain['kind']): LayerChain[] {
  const chains: LayerChain[] = [];
  const starts = [...firstLayers];
  for (let i = 0; i < starts.length; i++) {
    const items: ChainItem[] = [{ kind: 'layer', layer: starts[i] }];
    for (let cur: LayerCall | undefined = starts[i]; cur; ) {
      const next: readonly LayerCall[] = consumers.get(cur) ?? [];
      // Branches start chains of their own (they are analysed from an unknown input).
      for (const other of next.slice(1)) if (consumers.has(other)) starts.push(other);
      cur = next[0];
      if (cur) items.push({ kind: 'layer', layer: cur });
    }
    if (items.length < 2) continue;
    const first = items[0].kind === 'layer' ? items[0].layer.span : undefined;
    const last = items[items.length - 1];
    if (first && last.kind === 'layer') chains.push({ kind, span: { from: first.from, to: last.layer.span.to }, items });
  }
  return chains;
}
