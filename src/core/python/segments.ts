/**
 * What the front end carries over from one parse of a document to the next.
 *
 * Typing changes one statement at a time, and in a model file nearly every top-level
 * statement is a class or function definition. What the front end finds inside such a
 * definition depends only on its own text and on the module around it: the imports, the
 * definitions' names, and the module-level statements whose bindings it may read
 * (moduleContext.ts). So when those are unchanged, an unchanged definition has the same
 * layers and chains as in the previous parse, moved by however much the text before it
 * grew or shrank, and its body need not be walked, evaluated or chained again — also
 * when the edit is at module level, in a statement the definition does not read.
 *
 * A definition is only carried when that is exactly what a fresh parse would give: it holds
 * no import (imports anywhere change how later calls are read) and no chain links it to
 * anything outside it; a text with syntax errors carries nothing (see parse.ts).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { ChainItem, LayerCall, LayerChain, Span } from '../values';
import { definitionOf } from './collect';
import { ModuleContext, wordsOf, type ContextStatement } from './moduleContext';

/** A top-level statement; `name` is set for a class or function definition. */
export type Statement = ContextStatement;

/** The top-level statements of a parse, and the module context they define. */
export interface TopLevel {
  readonly statements: readonly Statement[];
  /** What the definitions' contents may depend on outside themselves (worked out on first use). */
  context(): ModuleContext;
}

/** A top-level definition's findings, kept for the next parse. */
export interface Segment {
  readonly text: string;
  readonly from: number;
  readonly name: string;
  /** Every word of its text (moduleContext.ts). */
  readonly words: ReadonlySet<string>;
  /** The module statements its contents may depend on, as ModuleContext.dependencies gives them. */
  readonly dependencies: readonly string[];
  readonly layers: readonly LayerCall[];
  /** Every chain written inside, nested ones included, in source order. */
  readonly chains: readonly LayerChain[];
}

/** The segments of a parse by their start offset; `anchors` is the module context they hold in. */
export interface Segments {
  readonly anchors: string;
  readonly byFrom: ReadonlyMap<number, Segment>;
}

export const NO_SEGMENTS: Segments = { anchors: '', byFrom: new Map() };

export function topLevel(tree: Tree, text: string): TopLevel {
  const statements: Statement[] = [];
  for (let node: SyntaxNode | null = tree.topNode.firstChild; node; node = node.nextSibling) {
    if (node.name === 'Comment') continue;
    const definition = definitionOf(node);
    const nameNode = definition && definition.getChild('VariableName');
    const name = nameNode ? text.slice(nameNode.from, nameNode.to) : undefined;
    statements.push({ node, from: node.from, to: node.to, definition: name === undefined ? undefined : `${definition!.name} ${name}`, name });
  }
  let context: ModuleContext | undefined;
  return { statements, context: () => (context ??= new ModuleContext(text, statements)) };
}

/** What changed between two texts: [from, toA) of the old became [from, toB) of the new. */
export interface Change {
  readonly from: number;
  readonly toA: number;
  readonly toB: number;
}

/**
 * The definitions of the new parse that carry over from `previous`: wholly before or after
 * the change (so the same text as a definition of the previous parse, at the same or the
 * shifted offset), with the same anchors and the same dependencies. By statement index.
 */
export function carriedSegments(top: TopLevel, previous: Segments, change: Change): Map<number, Segment> {
  const carried = new Map<number, Segment>();
  if (previous.byFrom.size === 0 || top.context().anchors !== previous.anchors) return carried;
  const delta = change.toB - change.toA;
  top.statements.forEach((statement, index) => {
    if (statement.name === undefined) return;
    const from = statement.to <= change.from ? statement.from : statement.from >= change.toB ? statement.from - delta : undefined;
    const segment = from === undefined ? undefined : previous.byFrom.get(from);
    if (!segment || statement.to - statement.from !== segment.text.length) return;
    if (sameStrings(top.context().dependencies(segment.words), segment.dependencies)) carried.set(index, segment);
  });
  return carried;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** For every layer and chain copied to a new place: the copy → the object it was copied from. */
export type Carried = Map<LayerCall | LayerChain, LayerCall | LayerChain>;

/**
 * The segment as it sits at `from` now: the same objects when it has not moved, otherwise
 * copies with every span moved (arguments are placed relative to their call: shared).
 * `moved` records each copy's original (new → old).
 */
export function placeSegment(segment: Segment, from: number, moved: Carried): Segment {
  const delta = from - segment.from;
  if (delta === 0) return segment;
  const layers = new Map<LayerCall, LayerCall>();
  const chains = new Map<LayerChain, LayerChain>();
  const shift = (span: Span): Span => ({ from: span.from + delta, to: span.to + delta });
  const shiftLayer = (layer: LayerCall): LayerCall => {
    // Arguments are placed relative to their call: they move with it as they are. Written
    // out, not spread (thousands of copies a keystroke; a spread is several times slower
    // here); `satisfies` makes a new LayerCall field a compile error until it is copied too.
    const copy = {
      framework: layer.framework,
      layerType: layer.layerType,
      args: layer.args,
      operands: layer.operands,
      hasStarArgs: layer.hasStarArgs,
      span: shift(layer.span),
      calleeSpan: shift(layer.calleeSpan),
      text: layer.text,
    } satisfies Record<keyof LayerCall, unknown>;
    layers.set(layer, copy);
    moved.set(copy, layer);
    return copy;
  };
  const shiftChain = (chain: LayerChain): LayerChain => {
    const known = chains.get(chain);
    if (known) return known;
    const copy: LayerChain = { kind: chain.kind, span: shift(chain.span), items: chain.items.map(shiftItem) };
    chains.set(chain, copy);
    moved.set(copy, chain);
    return copy;
  };
  const shiftItem = (item: ChainItem): ChainItem => {
    switch (item.kind) {
      case 'layer':
        return { kind: 'layer', layer: layers.get(item.layer) ?? shiftLayer(item.layer) };
      case 'chain':
        return { kind: 'chain', chain: shiftChain(item.chain) };
      case 'opaque':
        return { kind: 'opaque', text: item.text, span: shift(item.span) };
    }
  };
  const shiftedLayers = segment.layers.map((l) => layers.get(l) ?? shiftLayer(l));
  return { ...segment, from, layers: shiftedLayers, chains: segment.chains.map(shiftChain) };
}

/**
 * The segments the next parse may carry over: every definition of this one, carried or
 * freshly analysed, except those that hold an import and those a chain links to anything
 * outside them (in either direction).
 */
export function segmentsOf(top: TopLevel, text: string, fresh: { readonly layers: readonly LayerCall[]; readonly chains: readonly LayerChain[] }, placed: ReadonlyMap<number, Segment>, importsAt: readonly number[]): Segments {
  const statementAt = (offset: number): number => {
    let lo = 0;
    let hi = top.statements.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (top.statements[mid].from <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const pinned = new Set<number>(importsAt.map(statementAt));
  const link = (chain: LayerChain, item: ChainItem): void => {
    const span = item.kind === 'layer' ? item.layer.span : item.kind === 'chain' ? item.chain.span : item.span;
    const [a, b] = [statementAt(chain.span.from), statementAt(span.from)];
    if (a !== b) pinned.add(a).add(b);
    if (item.kind === 'chain') for (const inner of item.chain.items) link(item.chain, inner);
  };
  for (const chain of fresh.chains) for (const item of chain.items) link(chain, item);

  const byFrom = new Map<number, Segment>();
  top.statements.forEach((statement, index) => {
    const name = statement.name;
    if (name === undefined || pinned.has(index)) return;
    let segment = placed.get(index);
    if (!segment) {
      const source = text.slice(statement.from, statement.to);
      const words = wordsOf(source);
      const dependencies = top.context().dependencies(words);
      segment = { text: source, from: statement.from, name, words, dependencies, layers: within(fresh.layers, statement), chains: within(fresh.chains, statement) };
    }
    byFrom.set(statement.from, segment);
  });
  return byFrom.size === 0 ? NO_SEGMENTS : { anchors: top.context().anchors, byFrom };
}

/**
 * The segments a parse with syntax errors passes on: only the definitions it carried (from
 * an error-free parse, through any number of broken ones), at their places now. Typing a
 * line leaves the text broken for several keystrokes; this keeps them all cheap.
 */
export function passedOn(top: TopLevel, placed: ReadonlyMap<number, Segment>): Segments {
  if (placed.size === 0) return NO_SEGMENTS;
  return { anchors: top.context().anchors, byFrom: new Map([...placed.values()].map((segment) => [segment.from, segment])) };
}

/** The things of a list in source order that start in [range.from, range.to). */
function within<T extends { readonly span: Span }>(sorted: readonly T[], range: { readonly from: number; readonly to: number }): T[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].span.from < range.from) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < sorted.length && sorted[end].span.from < range.to) end++;
  return sorted.slice(lo, end);
}

/**
 * Fresh things (in source order) and the carried segments' things (segments in source
 * order, none of them overlapping a fresh thing) as one list in source order.
 */
export function mergeBySpan<T extends { readonly span: Span }>(fresh: readonly T[], segments: readonly { readonly from: number; readonly things: readonly T[] }[]): T[] {
  const out: T[] = [];
  let next = 0;
  for (const segment of segments) {
    while (next < fresh.length && fresh[next].span.from < segment.from) out.push(fresh[next++]);
    for (const thing of segment.things) out.push(thing);
  }
  while (next < fresh.length) out.push(fresh[next++]);
  return out;
}
