/**
 * Dataflow graphs (Keras' functional style, ONNX graphs, Caffe nets) as the linear chains the
 * analysis runs: each layer fed the previous one's output.
 */
import type { ChainItem, LayerCall, LayerChain } from './values';

/**
 * A dataflow graph (layer → the layers that consume its output) cut into linear chains from
 * `starts`: the first consumer continues a chain; every other one starts a chain of its own
 * that repeats the path leading to it, so each branch is analysed from its real input (the
 * repeated layers get the same inputs, hence the same answers). Chains of one layer are left out.
 */
export function linearChains(firstLayers: readonly LayerCall[], consumers: ReadonlyMap<LayerCall, readonly LayerCall[]>, kind: LayerChain['kind']): LayerChain[] {
  const chains: LayerChain[] = [];
  const starts: { layer: LayerCall; path: readonly ChainItem[] }[] = firstLayers.map((layer) => ({ layer, path: [] }));
  const seen = new Set<LayerCall>();
  for (let i = 0; i < starts.length; i++) {
    const items: ChainItem[] = [...starts[i].path, { kind: 'layer', layer: starts[i].layer }];
    // A layer is walked once: a graph with a cycle (a name rebound in a loop) still ends.
    for (let cur: LayerCall | undefined = starts[i].layer; cur && !seen.has(cur); ) {
      seen.add(cur);
      const next: readonly LayerCall[] = consumers.get(cur) ?? [];
      const path = [...items];
      for (const other of next.slice(1)) starts.push({ layer: other, path });
      cur = next[0];
      if (cur && !seen.has(cur)) items.push({ kind: 'layer', layer: cur });
    }
    if (items.length < 2) continue;
    const first = items[0].kind === 'layer' ? items[0].layer.span : undefined;
    const last = items[items.length - 1];
    if (first && last.kind === 'layer') chains.push({ kind, span: { from: first.from, to: last.layer.span.to }, items });
  }
  return chains;
}
