/**
 * Layers written as configuration, in YAML and JSON files:
 *
 *   - a mapping with `type: ConvTranspose2d` (mmcv/mmdet style, also mmcv's registry names
 *     `deconv`, `Conv`, `bilinear`…): the PyTorch layer with the other keys as keyword
 *     arguments;
 *   - Keras' model JSON: `{"class_name": "Conv2DTranspose", "config": {…}}`, and
 *     `{"class_name": "Sequential", "config": {"layers": [...]}}` as a chain from its
 *     InputLayer's `batch_shape` (`batch_input_shape` in Keras 2).
 *
 * A list holding layers is a chain (each fed the previous output). Parsed with `yaml` (which
 * keeps each node's position) and `jsonc-parser`; nothing is evaluated.
 */
import { getNodeValue, parseTree, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { constant } from '../expr';
import { KERAS_SIGNATURES, kerasLayerType } from '../keras/catalog';
import { configLayerType } from '../mmcv';
import { spanFrom, type Argument, type ChainItem, type LayerCall, type LayerChain, type SourceModel, type Span, type Value } from '../values';

export type ConfigFormat = 'yaml' | 'json';

/** A config tree in one shape, whatever the format: what the layer finder walks. */
type Tree =
  | { readonly kind: 'map'; readonly span: Span; readonly entries: readonly { readonly key: string; readonly keySpan: Span; readonly value: Tree }[] }
  | { readonly kind: 'list'; readonly span: Span; readonly items: readonly Tree[] }
  | { readonly kind: 'scalar'; readonly span: Span; readonly value: string | number | boolean | null };

export function parseConfig(text: string, format: ConfigFormat): SourceModel {
  const errors: Span[] = [];
  const tree = format === 'yaml' ? fromYaml(text, errors) : fromJson(text, errors);
  const layers: LayerCall[] = [];
  const chains: LayerChain[] = [];
  if (tree) walk(tree, text, layers, chains);
  layers.sort((a, b) => a.span.from - b.span.from);
  const roots = rootsOf(chains, layers);
  return { layers, chains: roots.flatMap((r) => (r.kind === 'chain' ? [r.chain] : [])), roots, syntaxErrors: errors };
}

/** The top-level items: chains not inside another chain, and layers in no chain, in order. */
function rootsOf(chains: readonly LayerChain[], layers: readonly LayerCall[]): ChainItem[] {
  const inChain = new Set<LayerCall | LayerChain>();
  for (const c of chains) {
    for (const i of c.items) {
      if (i.kind === 'layer') inChain.add(i.layer);
      else if (i.kind === 'chain') inChain.add(i.chain);
    }
  }
  const roots: ChainItem[] = [];
  for (const c of chains) if (!inChain.has(c)) roots.push({ kind: 'chain', chain: c });
  for (const l of layers) if (!inChain.has(l)) roots.push({ kind: 'layer', layer: l });
  return roots.sort((a, b) => start(a) - start(b));
}

function start(item: ChainItem): number {
  return item.kind === 'layer' ? item.layer.span.from : item.kind === 'chain' ? item.chain.span.from : item.span.from;
}

/** Finds the layers and chains under a node; returns the item the node itself is, if any. */
function walk(node: Tree, text: string, layers: LayerCall[], chains: LayerChain[]): ChainItem | undefined {
  if (node.kind === 'scalar') return undefined;
  if (node.kind === 'list') {
    const items = node.items.map((i) => walk(i, text, layers, chains));
    const known = items.filter((i): i is ChainItem => i !== undefined);
    if (known.length === 0) return undefined;
    // A list holding layers is a pipeline; its other entries are opaque.
    const chain: LayerChain = { kind: 'list', span: node.span, items: node.items.map((n, k) => items[k] ?? { kind: 'opaque', text: text.slice(n.span.from, n.span.to).split('\n')[0], span: n.span }) };
    chains.push(chain);
    return { kind: 'chain', chain };
  }
  const layer = torchLayer(node, text) ?? kerasLayer(node, text, layers, chains);
  if (layer && 'kind' in layer) return layer;
  if (layer) {
    layers.push(layer);
    return { kind: 'layer', layer };
  }
  for (const e of node.entries) walk(e.value, text, layers, chains);
  return undefined;
}

function entry(map: Extract<Tree, { kind: 'map' }>, key: string): Tree | undefined {
  return map.entries.find((e) => e.key === key)?.value;
}

/** `{type: ConvTranspose2d, in_channels: 64, …}`. */
function torchLayer(map: Extract<Tree, { kind: 'map' }>, text: string): LayerCall | undefined {
  const type = entry(map, 'type');
  if (type?.kind !== 'scalar' || typeof type.value !== 'string') return undefined;
  const built = configLayerType(type.value);
  if (!built) return undefined;
  const layerType = built.layerType;
  const args: Argument[] = map.entries.filter((e) => e.key !== 'type').map((e) => ({ name: e.key, value: valueOf(e.value, text), text: text.slice(e.value.span.from, e.value.span.to), spanInCall: spanFrom(map.span.from, e.value.span) }));
  if (built.mode) args.push({ name: 'mode', value: { kind: 'str', value: built.mode }, text: `'${built.mode}'`, spanInCall: spanFrom(map.span.from, type.span) });
  const typeEntry = map.entries.find((e) => e.key === 'type')!;
  return { framework: 'torch', layerType, args, hasStarArgs: false, span: map.span, calleeSpan: { from: typeEntry.keySpan.from, to: type.span.to }, text: text.slice(map.span.from, map.span.to) };
}

/** Keras' `{"class_name": …, "config": {…}}`: a layer, or a Sequential as a chain. */
function kerasLayer(map: Extract<Tree, { kind: 'map' }>, text: string, layers: LayerCall[], chains: LayerChain[]): LayerCall | ChainItem | undefined {
  const className = entry(map, 'class_name');
  const config = entry(map, 'config');
  if (className?.kind !== 'scalar' || typeof className.value !== 'string' || config?.kind !== 'map') return undefined;
  if (className.value === 'Sequential' || className.value === 'Functional') {
    const list = entry(config, 'layers');
    if (list?.kind !== 'list') return undefined;
    const items = list.items.map((i) => walk(i, text, layers, chains) ?? { kind: 'opaque' as const, text: text.slice(i.span.from, i.span.to).split('\n')[0], span: i.span });
    // A functional model's layers are listed with their inbound nodes; in a plain list they are read in order.
    const chain: LayerChain = { kind: 'sequential', span: map.span, items };
    chains.push(chain);
    return { kind: 'chain', chain };
  }
  const layerType = kerasLayerType(className.value);
  if (!layerType) return undefined;
  const signature = KERAS_SIGNATURES[layerType];
  // from_config passes every key; the ones the shape does not depend on are left out.
  const accepted = new Set([...signature.params.map((p) => p.name), ...(signature.keywords ?? [])]);
  const args: Argument[] = [];
  for (const e of config.entries) {
    // Keras 2 wrote an InputLayer's shape as batch_input_shape, Keras 3 as batch_shape.
    const name = layerType === 'Input' && e.key === 'batch_input_shape' ? 'batch_shape' : e.key;
    if (!accepted.has(name) && !signature.acceptsAnything) continue;
    if (layerType === 'Input' && (name === 'name' || name === 'dtype' || name === 'sparse' || name === 'ragged')) continue;
    args.push({ name, value: valueOf(e.value, text), text: text.slice(e.value.span.from, e.value.span.to), spanInCall: spanFrom(map.span.from, e.value.span) });
  }
  return { framework: 'keras', layerType, args, hasStarArgs: false, span: map.span, calleeSpan: className.span, text: text.slice(map.span.from, map.span.to) };
}

function valueOf(node: Tree, text: string): Value {
  if (node.kind === 'list') return { kind: 'seq', brackets: 'list', items: node.items.map((i) => valueOf(i, text)) };
  if (node.kind === 'map') return { kind: 'unknown', text: text.slice(node.span.from, node.span.to) };
  const v = node.value;
  if (v === null) return { kind: 'none' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', expr: constant(v) } : { kind: 'float', value: v };
  return { kind: 'str', value: v };
}

function fromYaml(text: string, errors: Span[]): Tree | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
  for (const e of doc.errors) errors.push({ from: e.pos[0], to: e.pos[1] });
  const convert = (node: unknown): Tree | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    const n = node as YamlNode;
    const span = n.range ? { from: n.range[0], to: n.range[1] } : { from: 0, to: 0 };
    if (isMap(n)) {
      const entries = n.items.flatMap((pair) => {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = convert(pair.value);
        const keySpan = isScalar(pair.key) && pair.key.range ? { from: pair.key.range[0], to: pair.key.range[1] } : span;
        return key !== undefined && value ? [{ key, keySpan, value }] : [];
      });
      // A block mapping's range runs on to the next line: it ends where its last value does
      // (where an inlay hint goes), and starts at its first key.
      const to = entries.length > 0 ? Math.max(...entries.map((e) => e.value.span.to)) : span.to;
      return { kind: 'map', span: { from: Math.min(span.from, ...entries.map((e) => e.keySpan.from)), to }, entries };
    }
    if (isSeq(n)) {
      const items = n.items.map(convert).filter((t): t is Tree => t !== undefined);
      return { kind: 'list', span: { from: span.from, to: items.length > 0 ? items[items.length - 1].span.to : span.to }, items };
    }
    if (isScalar(n)) {
      const v = n.value;
      // Dates, binary and other tagged scalars are no layer argument: read them as their source text.
      return { kind: 'scalar', span, value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null ? v : n.source ?? null };
    }
    return undefined;
  };
  return convert(doc.contents);
}

function fromJson(text: string, errors: Span[]): Tree | undefined {
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  for (const e of parseErrors) errors.push({ from: e.offset, to: e.offset + e.length });
  const convert = (n: JsonNode): Tree | undefined => {
    const span = { from: n.offset, to: n.offset + n.length };
    if (n.type === 'object') {
      const entries = (n.children ?? []).flatMap((prop) => {
        const [k, v] = prop.children ?? [];
        const value = v ? convert(v) : undefined;
        return k && value ? [{ key: String(k.value), keySpan: { from: k.offset, to: k.offset + k.length }, value }] : [];
      });
      return { kind: 'map', span, entries };
    }
    if (n.type === 'array') return { kind: 'list', span, items: (n.children ?? []).map(convert).filter((t): t is Tree => t !== undefined) };
    const v = getNodeValue(n) as unknown;
    return { kind: 'scalar', span, value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null };
  };
  return root ? convert(root) : undefined;
}
