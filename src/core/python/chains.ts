/**
 * Groups layer calls into chains: `nn.Sequential(...)`, `nn.ModuleList([...])` and plain
 * list literals of layers. An item that is a name (`conv1`, `self.conv1`) stands for the
 * layer or container call it was last bound to. Items that are not layer calls we know are
 * `opaque`; they break shape propagation, which is the honest answer for a custom module.
 *
 * `nn.Sequential(*layers)` follows `layers` to the list literal it was last bound to, as
 * long as nothing could have changed the list in between: any mention of the name between
 * the binding and the use (`layers.append(…)`, `extend(layers)`) makes the spread opaque.
 */
import type { SyntaxNode } from '@lezer/common';
import type { ChainItem, LayerCall, LayerChain, Span } from '../values';
import type { CalleeKind, Container } from './imports';
import { lookup, lookupSelfAttr, type Binding, type Scope } from './scopes';
import { callArgs, childNamed, childNodes, elementsIn, nodeKey, spanOf, unparen, type CallArg, type Element } from './syntax';

/** What the chain builder needs from the rest of the front end. */
export interface ChainContext {
  readonly text: string;
  /** Whether the name `name` is written in code (not strings or comments) within [from, to). */
  mentions(name: string, from: number, to: number): boolean;
  /** The LayerCall built for a call node, when it is a known layer call. */
  layerOf(node: SyntaxNode): LayerCall | undefined;
  /** What a call node constructs. */
  calleeOf(node: SyntaxNode): CalleeKind | undefined;
  /** The scope a call or list node was recorded in. */
  scopeOf(node: SyntaxNode): Scope | undefined;
  /** The span reported for a call (an unclosed call ends at its last argument). */
  callSpan(node: SyntaxNode): Span;
}

/** Following `*layers` through `layers += […]` more than this many times gives up. */
const MAX_RESOLVE_DEPTH = 20;

/** A run of list elements and the scope their expressions belong to. */
interface ElementRun {
  readonly elements: readonly Element[];
  readonly scope: Scope;
}

export class ChainBuilder {
  private readonly memo = new Map<number, LayerChain | null>();
  private readonly building = new Set<number>();
  /** List literals that are a container's own argument (`ModuleList([...])`, `*[...]`). */
  private readonly consumed = new Set<number>();

  constructor(private readonly ctx: ChainContext) {}

  isConsumed(node: SyntaxNode): boolean {
    return this.consumed.has(nodeKey(node));
  }

  /** The chain of a Sequential/ModuleList call. */
  containerChain(call: SyntaxNode, container: Container): LayerChain {
    const key = nodeKey(call);
    const known = this.memo.get(key);
    if (known) return known;
    const span = this.ctx.callSpan(call);
    const kind = container === 'ModuleList' ? 'modulelist' : 'sequential';
    if (this.building.has(key)) return { kind, span, items: [] };
    this.building.add(key);
    try {
      const scope = this.ctx.scopeOf(call);
      const argList = childNamed(call, 'ArgList');
      const args = argList && scope ? callArgs(argList, this.ctx.text) : [];
      // Keras' Sequential takes its layers as one list, like a ModuleList (keyword `layers`).
      const items = !scope ? [] : container === 'Sequential' ? this.sequentialItems(args, scope) : this.listArgumentItems(args, scope, container === 'ModuleList' ? 'modules' : 'layers');
      const chain: LayerChain = { kind, span, items };
      this.memo.set(key, chain);
      return chain;
    } finally {
      this.building.delete(key);
    }
  }

  /** The chain of a list literal, when it holds at least one known layer call directly. */
  listChain(list: SyntaxNode): LayerChain | undefined {
    const key = nodeKey(list);
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.building.has(key)) return undefined;
    const scope = this.ctx.scopeOf(list);
    const elements = elementsIn(list);
    // ONNX nodes in a list are linked by tensor names, not by their order: not a chain here.
    const direct = elements.some((e) => !e.star && unparen(e.node).name === 'CallExpression' && this.ctx.layerOf(unparen(e.node)) && this.ctx.layerOf(unparen(e.node))?.framework !== 'onnx');
    if (!scope || !direct) {
      this.memo.set(key, null);
      return undefined;
    }
    this.building.add(key);
    try {
      const chain: LayerChain = { kind: 'list', span: spanOf(list), items: this.itemsOf(elements, scope, true) };
      this.memo.set(key, chain);
      return chain;
    } finally {
      this.building.delete(key);
    }
  }

  private sequentialItems(args: readonly CallArg[], scope: Scope): ChainItem[] {
    const positional = args.filter((a) => a.kind !== 'keyword' && a.kind !== 'doublestar');
    // Sequential(OrderedDict(...)) names its modules; it takes exactly that one argument.
    if (positional.length === 1 && positional[0].kind === 'positional') {
      const fromDict = this.orderedDictItems(positional[0].node, scope);
      if (fromDict) return fromDict;
    }
    const items: ChainItem[] = [];
    for (const a of positional) {
      if (a.kind === 'star') items.push(...this.spread(a.node, a.span, scope));
      else if (a.kind === 'positional') items.push(this.item(a.node, scope));
      else items.push(this.opaque(a.span));
    }
    return items;
  }

  private listArgumentItems(args: readonly CallArg[], scope: Scope, keyword: string): ChainItem[] {
    const arg = args.find((a) => a.kind === 'positional' || (a.kind === 'keyword' && a.name === keyword)) ?? args[0];
    if (!arg) return [];
    if (arg.kind !== 'positional' && arg.kind !== 'keyword') return [this.opaque(arg.span)];
    const n = unparen(arg.node);
    if (n.name === 'ArrayExpression' || n.name === 'TupleExpression') {
      this.consumed.add(nodeKey(n));
      return this.itemsOf(elementsIn(n), scope, true);
    }
    if (n.name === 'VariableName') {
      const runs = this.resolveList(this.word(n), scope, n.from, 0);
      if (runs) return runs.flatMap((r) => this.itemsOf(r.elements, r.scope, false));
    }
    return [this.opaque(arg.span)];
  }

  /**
   * `OrderedDict([('conv', nn.Conv2d(…)), …])`, `OrderedDict(conv=nn.Conv2d(…))`, or a name
   * bound to one of those: the modules in order. undefined when node is no OrderedDict.
   */
  private orderedDictItems(node: SyntaxNode, scope: Scope, depth = 0): ChainItem[] | undefined {
    const n = unparen(node);
    if (n.name === 'VariableName' && depth < MAX_RESOLVE_DEPTH) {
      const b = lookup(scope, this.word(n), n.from);
      if (!b || b.pos > n.from || b.source.kind !== 'expr' || this.mentionedBetween(b.name, b.pos, n.from)) return undefined;
      return this.orderedDictItems(b.source.node, b.scope, depth + 1);
    }
    if (n.name !== 'CallExpression' || this.ctx.calleeOf(n)?.kind !== 'ordereddict') return undefined;
    const argList = childNamed(n, 'ArgList');
    const args = argList ? callArgs(argList, this.ctx.text) : [];
    if (args.every((a) => a.kind === 'keyword')) return args.map((a) => this.item(a.node, scope));
    if (args.length !== 1 || args[0].kind !== 'positional') return [this.opaque(spanOf(n))];
    const pairs = unparen(args[0].node);
    if (pairs.name !== 'ArrayExpression' && pairs.name !== 'TupleExpression') return [this.opaque(spanOf(n))];
    return elementsIn(pairs).map((e) => {
      const pair = unparen(e.node);
      const kv = pair.name === 'TupleExpression' ? elementsIn(pair) : [];
      return kv.length === 2 && !e.star && !kv[1].star ? this.item(kv[1].node, scope) : this.opaque(e.span);
    });
  }

  /** Items for list elements; `*x` elements are followed to what x holds. */
  private itemsOf(elements: readonly Element[], scope: Scope, literal: boolean): ChainItem[] {
    const items: ChainItem[] = [];
    for (const e of elements) {
      if (e.star) items.push(...this.spread(e.node, e.span, scope, literal));
      else items.push(this.item(e.node, scope));
    }
    return items;
  }

  /** `*[a, b]` or `*layers` where layers is a list we can follow; otherwise one opaque item. */
  private spread(node: SyntaxNode, span: Span, scope: Scope, consume = true): ChainItem[] {
    const n = unparen(node);
    if (n.name === 'ArrayExpression' || n.name === 'TupleExpression') {
      if (consume) this.consumed.add(nodeKey(n));
      return this.itemsOf(elementsIn(n), scope, consume);
    }
    if (n.name === 'VariableName') {
      const runs = this.resolveList(this.word(n), scope, n.from, 0);
      if (runs) return runs.flatMap((r) => this.itemsOf(r.elements, r.scope, false));
    }
    return [this.opaque(span)];
  }

  private item(node: SyntaxNode, scope: Scope, depth = 0): ChainItem {
    const n = unparen(node);
    if (n.name === 'CallExpression') {
      const layer = this.ctx.layerOf(n);
      if (layer) return { kind: 'layer', layer };
      const callee = this.ctx.calleeOf(n);
      if (callee?.kind === 'container') return { kind: 'chain', chain: this.containerChain(n, callee.container) };
    } else if (n.name === 'ArrayExpression') {
      const chain = this.listChain(n);
      if (chain) return { kind: 'chain', chain };
    } else if (depth < MAX_RESOLVE_DEPTH) {
      // `conv1 = nn.Conv2d(…)` … `nn.Sequential(conv1, …)`: the name holds that module.
      const b = this.moduleBinding(n, scope);
      if (b?.source.kind === 'expr' && unparen(b.source.node).name !== 'ArrayExpression') {
        const resolved = this.item(b.source.node, b.scope, depth + 1);
        if (resolved.kind !== 'opaque') return resolved;
      }
    }
    return this.opaque(spanOf(node));
  }

  /** The binding a module reference (`conv1`, `self.conv1`) reads. */
  private moduleBinding(n: SyntaxNode, scope: Scope): Binding | undefined {
    if (n.name === 'VariableName') return lookup(scope, this.word(n), n.from);
    if (n.name !== 'MemberExpression') return undefined;
    const obj = n.firstChild;
    const prop = n.lastChild;
    if (obj?.name !== 'VariableName' || prop?.name !== 'PropertyName' || obj.nextSibling?.name !== '.') return undefined;
    return lookupSelfAttr(scope, this.word(obj), this.word(prop), n.from).binding;
  }

  private opaque(span: Span): ChainItem {
    return { kind: 'opaque', text: this.ctx.text.slice(span.from, span.to), span };
  }

  /**
   * The list literal(s) `name` holds at `pos`: `layers = [...]`, `layers = a + [...]`,
   * `layers += [...]` (outside a loop). undefined when it cannot be followed.
   */
  private resolveList(name: string, scope: Scope, pos: number, depth: number): ElementRun[] | undefined {
    if (depth > MAX_RESOLVE_DEPTH) return undefined;
    const b = lookup(scope, name, pos);
    // A binding after the use (seen from a nested function) may be followed by anything.
    if (!b || b.pos > pos || this.mentionedBetween(name, b.pos, pos)) return undefined;
    const src = b.source;
    if (src.kind === 'expr') return this.listRuns(src.node, b.scope, b.inLoop, depth + 1);
    if (src.kind === 'update' && src.op === '+' && !b.inLoop && src.target.name === 'VariableName') {
      const before = this.resolveList(name, b.scope, src.target.from, depth + 1);
      const added = this.listRuns(src.value, b.scope, false, depth + 1);
      return before && added ? [...before, ...added] : undefined;
    }
    return undefined;
  }

  private listRuns(node: SyntaxNode, scope: Scope, inLoop: boolean, depth: number): ElementRun[] | undefined {
    const n = unparen(node);
    if (n.name === 'ArrayExpression' || n.name === 'TupleExpression') return [{ elements: elementsIn(n), scope }];
    if (n.name === 'VariableName') return this.resolveList(this.word(n), scope, n.from, depth + 1);
    if (n.name === 'BinaryExpression' && !inLoop) {
      // `layers = layers + [...]` in a loop runs an unknown number of times.
      const kids = childNodes(n);
      if (kids.length !== 3 || this.word(kids[1]) !== '+') return undefined;
      const left = this.listRuns(kids[0], scope, inLoop, depth + 1);
      const right = left && this.listRuns(kids[2], scope, inLoop, depth + 1);
      return left && right ? [...left, ...right] : undefined;
    }
    return undefined;
  }

  /** Whether `name` is written anywhere in [from, to) (a possible mutation of a list). */
  private mentionedBetween(name: string, from: number, to: number): boolean {
    return from < to && this.ctx.mentions(name, from, to);
  }

  private word(n: SyntaxNode): string {
    return this.ctx.text.slice(n.from, n.to);
  }
}
