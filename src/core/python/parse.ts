/**
 * The Python front end: finds PyTorch layer constructor calls in source text with a real
 * parser (@lezer/python, error-tolerant), evaluates their arguments statically and groups
 * them into chains. User code is never run.
 *
 * Stages: parse → one walk (collect.ts: calls, lists, scopes, imports, errors) → layer calls
 * (arguments evaluated lazily, memoised) → chains → roots.
 */
import { TreeFragment, type SyntaxNode, type Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import { spanFrom, type Argument, type ChainItem, type Framework, type LayerCall, type LayerChain, type SourceModel, type Span } from '../values';
import { ChainBuilder } from './chains';
import { functionalChains } from './functional';
import { onnxGraph, type OnnxSite } from './onnxGraph';
import { tensorGraph, type OpSite } from './tensors';
import { collect, type Site, type SourceIndex } from './collect';
import { Evaluator } from './evaluate';
import { carriedSegments, mergeBySpan, passedOn, placeSegment, segmentsOf, topLevel, type Carried, type Change, type Segment, type Segments, type TopLevel } from './segments';
import { configLayerType } from '../mmcv';
import { isInterestingName, type CalleeKind, type Container, type ImportTable } from './imports';
import { unknownValue } from './literals';
import { lookup, type Scope } from './scopes';
import { callArgs, childNamed, dottedName, nodeKey } from './syntax';

/**
 * Every PyTorch layer call in a Python source text, with its arguments evaluated as far as
 * the text allows, grouped into chains. Never throws; parse errors are reported, and the
 * rest of the text is still analysed. Stateless: the same text always gives an equal model.
 */
export function parsePython(text: string): SourceModel {
  return reparsePython(text, undefined).model;
}

/** A parse kept by a caller (one per open document) so the next version reparses less. */
export interface ParsedPython {
  readonly text: string;
  readonly tree: Tree;
  readonly model: SourceModel;
  /** The top-level definitions the next parse may carry over (segments.ts). */
  readonly segments: Segments;
  /**
   * Layers and chains carried over from the previous parse to a new place: each copy → the
   * previous parse's object. A carried definition that did not move keeps its objects.
   */
  readonly moved: ReadonlyMap<LayerCall | LayerChain, LayerCall | LayerChain>;
}

/**
 * Parses `text`, reusing the tree of `previous` — the caller's last parse of the same
 * document — for the unchanged parts. Lezer parses ~1 MB/s, so an editor re-analysing a
 * large file on every keystroke would spend its time reparsing unchanged text; reusing the
 * tree, a one-line edit in a 5,000-line file reparses in a few milliseconds. The model is
 * the fresh parse's model whatever edits led to the text (see below).
 */
export function reparsePython(text: string, previous: ParsedPython | undefined): ParsedPython {
  if (previous && previous.text === text) return previous;
  const change = previous && changeBetween(previous.text, text);
  const tree = previous && change ? parser.parse(text, fragmentsFor(previous, change)) : parser.parse(text);
  return fromTree(text, tree, previous, change);
}

/**
 * reparsePython for large texts in an editor: lezer's parse runs in slices of ~`sliceMs`,
 * awaiting `pause()` between them so the caller's thread stays responsive (a 50,000-line
 * file takes about a second to parse from scratch). `pause` resolves false when the work is
 * no longer wanted (the document changed again, or closed): then the parse stops there and
 * the result is undefined. The model is the one reparsePython gives for the same arguments.
 */
export async function reparsePythonInSlices(text: string, previous: ParsedPython | undefined, pause: () => Promise<boolean>, sliceMs = 10): Promise<ParsedPython | undefined> {
  if (previous && previous.text === text) return previous;
  const change = previous && changeBetween(previous.text, text);
  const parse = parser.startParse(text, previous && change ? fragmentsFor(previous, change) : undefined);
  let sliceStart = Date.now();
  for (;;) {
    const tree = parse.advance();
    if (tree) return fromTree(text, tree, previous, change);
    if (Date.now() - sliceStart >= sliceMs) {
      if (!(await pause())) return undefined;
      sliceStart = Date.now();
    }
  }
}

/**
 * The rest of a reparse once lezer has the tree: unchanged definitions carried over, the new
 * ones analysed. Also for a text with syntax errors: lezer reuses only the previous tree's
 * nodes away from the change (with a margin for its lookahead, and cut where no error
 * node is), and its incremental tree has been the one a fresh parse builds in every case
 * tried: incremental.test.ts checks the models against fresh parses after random edits,
 * broken ones included, and while typing lines. So typing a line, which leaves the text
 * broken for most of its keystrokes, is as cheap as any other edit.
 */
function fromTree(text: string, tree: Tree, previous: ParsedPython | undefined, change: Change | undefined): ParsedPython {
  const top = topLevel(tree, text);
  const carried = previous && change ? carriedSegments(top, previous.segments, change) : new Map<number, Segment>();
  const index = collect(tree, text, new Set([...carried.keys()].map((i) => top.statements[i].from)));
  return { text, tree, ...analyse(tree, text, index, top, carried) };
}

/** The changed range between two texts: what lies between their common prefix and suffix. */
function changeBetween(old: string, text: string): Change {
  const max = Math.min(old.length, text.length);
  // Whole chunks first: comparing two slices is one native call, a character loop is ~170,000
  // calls for a 5,000-line file, on every keystroke.
  const CHUNK = 256;
  let prefix = 0;
  while (prefix + CHUNK <= max && old.slice(prefix, prefix + CHUNK) === text.slice(prefix, prefix + CHUNK)) prefix += CHUNK;
  while (prefix < max && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + CHUNK <= max - prefix && old.slice(old.length - suffix - CHUNK, old.length - suffix) === text.slice(text.length - suffix - CHUNK, text.length - suffix)) suffix += CHUNK;
  while (suffix < max - prefix && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return { from: prefix, toA: old.length - suffix, toB: text.length - suffix };
}

/** The previous tree's fragments outside the changed range, for lezer to reuse. */
function fragmentsFor(previous: ParsedPython, change: Change): readonly TreeFragment[] {
  return TreeFragment.applyChanges(TreeFragment.addTree(previous.tree), [{ fromA: change.from, toA: change.toA, fromB: change.from, toB: change.toB }]);
}

/** The analysis of an already parsed text (for callers that keep the tree, and benchmarks). */
export function analyseTree(tree: Tree, text: string): SourceModel {
  return analyse(tree, text, collect(tree, text), topLevel(tree, text), new Map()).model;
}

/** The model of a walked tree, with the definitions in `carried` taken from an earlier parse. */
function analyse(tree: Tree, text: string, index: SourceIndex, top: TopLevel, carried: ReadonlyMap<number, Segment>): Pick<ParsedPython, 'model' | 'segments' | 'moved'> {
  const evaluator = new Evaluator(text);

  const calleeKinds = new Map<number, CalleeKind>();
  const scopes = new Map<number, Scope>();
  const layerByKey = new Map<number, LayerCall>();
  const layers: LayerCall[] = [];
  const containers: { node: SyntaxNode; container: Container }[] = [];
  const onnxSites: OnnxSite[] = [];

  // Imports are file-wide, so equal callee texts (`nn.Conv2d`) classify equally.
  const byCalleeText = new Map<string, CalleeKind | null>();
  for (const site of index.calls) {
    const kind = classifyCall(site.node, text, index.imports, byCalleeText);
    if (!kind) continue;
    const key = nodeKey(site.node);
    calleeKinds.set(key, kind);
    scopes.set(key, site.scope);
    if (kind.kind === 'layer') {
      const layer = buildLayerCall(site, kind.layerType, kind.framework, text, evaluator);
      layers.push(layer);
      layerByKey.set(key, layer);
    } else if (kind.kind === 'container') {
      containers.push({ node: site.node, container: kind.container });
    } else if (kind.kind === 'configDict') {
      const layer = configLayer(buildLayerCall(site, 'dict', 'torch', text, evaluator));
      if (layer) {
        layers.push(layer);
        layerByKey.set(key, layer);
      }
    } else if (kind.kind === 'onnx') {
      onnxSites.push({ node: site.node, scope: site.scope, what: kind.what });
    }
  }
  // ONNX nodes need the whole file's tensor declarations first; they join the layers in source order.
  const onnx = onnxSites.length > 0 ? onnxGraph(onnxSites, text, evaluator, callSpan) : undefined;
  if (onnx) {
    for (const [node, layer] of [...onnx.nodes, ...onnx.inputs]) {
      layers.push(layer);
      layerByKey.set(nodeKey(node), layer);
    }
    layers.sort((a, b) => a.span.from - b.span.from);
  }
  // tf.nn / lax functions take tensors: their kernels and inputs come from where the file makes them.
  const opSites: OpSite[] = [];
  for (const site of index.calls) {
    const layer = layerByKey.get(nodeKey(site.node));
    if (layer && (layer.framework === 'tf' || layer.framework === 'jax')) opSites.push({ node: site.node, scope: site.scope, layer });
  }
  const tensors = opSites.length > 0 ? tensorGraph(opSites, { text, imports: index.imports, evaluator, callSpan }) : undefined;
  if (tensors) {
    const replaced = new Map(opSites.map((site) => [site.layer, tensors.ops.get(site.node)!]));
    layers.forEach((layer, k) => (layers[k] = replaced.get(layer) ?? layer));
    for (const [node, layer] of [...tensors.ops, ...tensors.tensors]) layerByKey.set(nodeKey(node), layer);
    layers.push(...tensors.tensors.values());
    layers.sort((a, b) => a.span.from - b.span.from);
  }
  for (const site of index.lists) scopes.set(nodeKey(site.node), site.scope);

  const builder = new ChainBuilder({
    text,
    mentions: (name, from, to) => mentions(tree, text, name, from, to),
    layerOf: (node) => layerByKey.get(nodeKey(node)),
    calleeOf: (node) => calleeKinds.get(nodeKey(node)),
    scopeOf: (node) => scopes.get(nodeKey(node)),
    callSpan: (node) => callSpan(node),
  });
  // Containers first: they mark the list literals they consume as their own argument.
  // Keras and Flax layers are applied and added by calls around them; most files have none,
  // and then neither pass below walks anything (they run on every keystroke).
  const appliedSites = index.calls.filter((site) => {
    const framework = layerByKey.get(nodeKey(site.node))?.framework;
    return framework === 'keras' || framework === 'flax';
  });
  const added = kerasAdds(appliedSites, layerByKey, text);
  const freshChains: LayerChain[] = containers.map((c) => {
    const chain = builder.containerChain(c.node, c.container);
    const more = added.get(nodeKey(c.node));
    return more ? { ...chain, items: [...chain.items, ...more.map((layer) => ({ kind: 'layer' as const, layer }))] } : chain;
  });
  for (const site of index.lists) {
    if (builder.isConsumed(site.node)) continue;
    const chain = builder.listChain(site.node);
    if (chain) freshChains.push(chain);
  }
  if (onnx) freshChains.push(...onnx.chains);
  if (tensors) freshChains.push(...tensors.chains);
  if (appliedSites.length > 0) freshChains.push(...functionalChains({ text, layerByKey, sites: appliedSites }));
  freshChains.sort(bySpan);

  const moved: Carried = new Map();
  const placed = new Map<number, Segment>();
  for (const [i, segment] of carried) placed.set(i, placeSegment(segment, top.statements[i].from, moved));
  const inOrder = [...placed.values()]; // by statement index, so in source order
  const allLayers = mergeBySpan(layers, inOrder.map((p) => ({ from: p.from, things: p.layers })));
  const allChains = mergeBySpan(freshChains, inOrder.map((p) => ({ from: p.from, things: p.chains })));

  const { chains, roots } = arrange(allLayers, allChains);
  // A text with syntax errors passes on only what it carried: what it walks itself may be
  // read differently once the code around it is whole again.
  const segments = index.errors.length > 0 ? passedOn(top, placed) : segmentsOf(top, text, { layers, chains: freshChains }, placed, index.importsAt);
  return { model: { layers: allLayers, chains, roots, syntaxErrors: index.errors }, segments, moved };
}

/** The innermost layer call whose span contains offset (the end offset included, for hovers). */
export function layerAt(model: SourceModel, offset: number): LayerCall | undefined {
  let best: LayerCall | undefined;
  for (const layer of model.layers) {
    if (layer.span.from > offset) break; // layers are in source order
    if (offset > layer.span.to) continue;
    if (!best || layer.span.to - layer.span.from < best.span.to - best.span.from) best = layer;
  }
  return best;
}

function classifyCall(call: SyntaxNode, text: string, imports: ImportTable, cache: Map<string, CalleeKind | null>): CalleeKind | undefined {
  const callee = call.firstChild;
  if (!callee || callee.nextSibling?.name !== 'ArgList') return undefined;
  if (callee.name === 'MemberExpression') {
    const last = callee.lastChild;
    if (!last || !isInterestingName(text.slice(last.from, last.to))) return undefined;
  } else if (callee.name !== 'VariableName' || !imports.mayConstruct(text.slice(callee.from, callee.to))) {
    return undefined;
  }
  const calleeText = text.slice(callee.from, callee.to);
  let kind = cache.get(calleeText);
  if (kind === undefined) {
    const parts = dottedName(callee, text);
    kind = (parts && imports.classify(parts)) ?? null;
    cache.set(calleeText, kind);
  }
  return kind ?? undefined;
}

/** A call's span; an unclosed call (`nn.Conv2d(3, 4,` at the end of a file) ends at its last token. */
function callSpan(call: SyntaxNode): Span {
  const argList = call.lastChild;
  if (argList?.name !== 'ArgList') return { from: call.from, to: call.to };
  let last = argList.lastChild;
  while (last && (last.type.isError || last.name === 'Comment')) last = last.prevSibling;
  return { from: call.from, to: last && last.name !== ')' ? last.to : call.to };
}

function buildLayerCall(site: Site, layerType: string, framework: Framework, text: string, evaluator: Evaluator): LayerCall {
  const call = site.node;
  const callee = call.firstChild ?? call;
  const argList = childNamed(call, 'ArgList');
  const args: Argument[] = [];
  const span = callSpan(call);
  let hasStarArgs = false;
  for (const a of argList ? callArgs(argList, text) : []) {
    if (a.kind === 'star' || a.kind === 'doublestar') {
      hasStarArgs = true;
      continue;
    }
    const argText = text.slice(a.span.from, a.span.to);
    const value = a.kind === 'generator' ? unknownValue(argText) : evaluator.value(a.node, site.scope);
    const spanInCall = spanFrom(span.from, a.span);
    args.push(a.name === undefined ? { value, text: argText, spanInCall } : { name: a.name, value, text: argText, spanInCall });
  }
  return {
    framework,
    layerType,
    args,
    hasStarArgs,
    span,
    calleeSpan: { from: callee.from, to: callee.to },
    text: text.slice(span.from, span.to),
  };
}

/**
 * `dict(type='ConvTranspose2d', in_channels=64, …)` as the layer it configures (mmcv and
 * mmdet build layers from such dicts); other dicts are not layers.
 */
function configLayer(call: LayerCall): LayerCall | undefined {
  const typeArg = call.args.find((a) => a.name === 'type');
  if (typeArg?.value.kind !== 'str' || call.args.some((a) => a.name === undefined)) return undefined;
  const built = configLayerType(typeArg.value.value);
  if (!built) return undefined;
  const args = call.args.filter((a) => a !== typeArg);
  // `dict(type='bilinear', scale_factor=2)` is nn.Upsample(mode='bilinear').
  if (built.mode) args.push({ name: 'mode', value: { kind: 'str', value: built.mode }, text: `'${built.mode}'`, spanInCall: typeArg.spanInCall });
  return { ...call, layerType: built.layerType, args };
}

/**
 * Keras' `model = keras.Sequential()` then `model.add(layers.Dense(…))`, … : the layers each
 * `add` appends, by the key of the Sequential call the name is bound to (where the `add` is).
 */
function kerasAdds(sites: readonly Site[], layerByKey: ReadonlyMap<number, LayerCall>, text: string): Map<number, LayerCall[]> {
  const out = new Map<number, LayerCall[]>();
  for (const site of sites) {
    const layer = layerByKey.get(nodeKey(site.node));
    const call = site.node.parent?.parent;
    const callee = call?.firstChild;
    if (layer?.framework !== 'keras' || site.node.parent?.name !== 'ArgList' || call?.name !== 'CallExpression' || callee?.name !== 'MemberExpression') continue;
    const receiver = callee.firstChild;
    if (callee.lastChild?.name !== 'PropertyName' || text.slice(callee.lastChild.from, callee.lastChild.to) !== 'add' || receiver?.name !== 'VariableName') continue;
    const binding = lookup(site.scope, text.slice(receiver.from, receiver.to), receiver.from);
    if (binding?.source.kind !== 'expr') continue;
    const key = nodeKey(binding.source.node);
    const list = out.get(key) ?? [];
    list.push(layer);
    out.set(key, list);
  }
  return out;
}

/** Whether a VariableName `name` starts in [from, to): a scan of that range only. */
function mentions(tree: Tree, text: string, name: string, from: number, to: number): boolean {
  let found = false;
  tree.iterate({
    from,
    to,
    enter: (n) => {
      if (found || n.name === 'String' || n.name === 'FormatString' || n.name === 'Comment') return false;
      if (n.name === 'VariableName' && n.from >= from && n.from < to && n.to - n.from === name.length && text.startsWith(name, n.from)) found = true;
      return !found;
    },
  });
  return found;
}

function bySpan(a: { readonly span: Span }, b: { readonly span: Span }): number {
  return a.span.from - b.span.from || b.span.to - a.span.to;
}

/**
 * chains: every chain that is not an item of another chain (a chain written inside a custom
 * module's call inside a Sequential is kept here, though it is no item).
 * roots: layers and chains that are neither items of a chain nor written inside one.
 */
function arrange(layers: readonly LayerCall[], allChains: readonly LayerChain[]): { chains: LayerChain[]; roots: ChainItem[] } {
  const items = new Set<LayerCall | LayerChain>();
  for (const chain of allChains) {
    for (const item of chain.items) {
      if (item.kind === 'layer') items.add(item.layer);
      else if (item.kind === 'chain') items.add(item.chain);
    }
  }
  const chains = allChains.filter((c) => !items.has(c));

  // Chain spans are nested or disjoint: the outermost ones, in order, cover every chain. A
  // functional chain or an ONNX graph is no syntax around its layers (its span runs over
  // whole statements): it is a root of its own and covers nothing.
  const outer: LayerChain[] = [];
  for (const c of allChains) {
    if (c.kind === 'functional' || c.kind === 'graph') continue;
    const last = outer[outer.length - 1];
    if (!last || c.span.from >= last.span.to || c.span.to > last.span.to) outer.push(c);
  }
  const insideChain = (span: Span): boolean => {
    let lo = 0;
    let hi = outer.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (outer[mid].span.from <= span.from) lo = mid + 1;
      else hi = mid;
    }
    const c = lo > 0 ? outer[lo - 1] : undefined;
    return c !== undefined && span.to <= c.span.to;
  };
  const outerSet = new Set(outer);

  const roots: ChainItem[] = [];
  for (const layer of layers) {
    if (!items.has(layer) && !insideChain(layer.span)) roots.push({ kind: 'layer', layer });
  }
  for (const chain of chains) {
    if (outerSet.has(chain) || chain.kind === 'functional' || chain.kind === 'graph') roots.push({ kind: 'chain', chain });
  }
  roots.sort((a, b) => bySpan(rootSpan(a), rootSpan(b)));
  return { chains, roots };
}

function rootSpan(item: ChainItem): { readonly span: Span } {
  return item.kind === 'layer' ? item.layer : item.kind === 'chain' ? item.chain : item;
}
