/**
 * Small helpers over @lezer/python syntax nodes.
 *
 * The grammar flattens comma lists and argument lists into plain child sequences
 * (`f(a, k=2, *x)` is `( VariableName , VariableName AssignOp Number , * VariableName )`),
 * so the helpers here regroup children into the elements Python sees.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Span } from '../values';

/** The children that carry meaning: comments and error-recovery nodes are left out. */
export function childNodes(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'Comment' && !c.type.isError) out.push(c);
  }
  return out;
}

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/** The children between a node's brackets: `[a, b]` gives `a , b`. */
export function innerNodes(node: SyntaxNode): SyntaxNode[] {
  const kids = childNodes(node);
  let start = 0;
  let end = kids.length;
  if (start < end && OPENERS.has(kids[start].name)) start++;
  if (start < end && CLOSERS.has(kids[end - 1].name)) end--;
  return kids.slice(start, end);
}

/** One element of a tuple, list or argument list; `star` marks `*x` (unpacking). */
export interface Element {
  readonly node: SyntaxNode;
  readonly star: boolean;
  /** From the star (if any) to the end of the expression. */
  readonly span: Span;
}

/** The elements of a comma group list, e.g. the inside of `(a, *b, c)`. */
export function elementsOf(nodes: readonly SyntaxNode[]): Element[] {
  const out: Element[] = [];
  let first: SyntaxNode | undefined;
  let second: SyntaxNode | undefined;
  let last: SyntaxNode | undefined;
  for (let i = 0; i <= nodes.length; i++) {
    const n = nodes[i] as SyntaxNode | undefined;
    if (!n || n.name === ',') {
      pushElement(out, first, second, last);
      first = second = last = undefined;
    } else {
      if (!first) first = n;
      else if (!second) second = n;
      last = n;
    }
  }
  return out;
}

/** The elements between a bracketed node's brackets: `[a, *b]`, `(a, b)`, in one pass. */
export function elementsIn(node: SyntaxNode): Element[] {
  const out: Element[] = [];
  let first: SyntaxNode | undefined;
  let second: SyntaxNode | undefined;
  let last: SyntaxNode | undefined;
  for (let c = node.firstChild; ; c = c.nextSibling) {
    if (c && (c.name === 'Comment' || c.type.isError || OPENERS.has(c.name) || CLOSERS.has(c.name))) continue;
    if (!c || c.name === ',') {
      pushElement(out, first, second, last);
      first = second = last = undefined;
      if (!c) break;
    } else {
      if (!first) first = c;
      else if (!second) second = c;
      last = c;
    }
  }
  return out;
}

function pushElement(out: Element[], first: SyntaxNode | undefined, second: SyntaxNode | undefined, last: SyntaxNode | undefined): void {
  if (!first || !last) return;
  const star = first.name === '*';
  const node = star ? second : first;
  if (node) out.push({ node, star, span: { from: first.from, to: last.to } });
}

/** Whether a flat child sequence has a top-level comma (`a, b` is a tuple, `a` is not). */
export function hasComma(nodes: readonly SyntaxNode[]): boolean {
  return nodes.some((n) => n.name === ',');
}

/** A parsed call argument. Star arguments (`*x`, `**x`) carry no name. */
export interface CallArg {
  readonly kind: 'positional' | 'keyword' | 'star' | 'doublestar' | 'generator';
  readonly name?: string;
  /** The value expression (for a generator, its first node). */
  readonly node: SyntaxNode;
  /** The value expression's span: for `k=v` just `v`, for `*x` the whole `*x`. */
  readonly span: Span;
}

/** The arguments of an ArgList node, in source order (one pass over its children). */
export function callArgs(argList: SyntaxNode, text: string): CallArg[] {
  const out: CallArg[] = [];
  // The current comma group: its first three nodes (`k = v`, `* x`) and its last.
  let first: SyntaxNode | null = null;
  let second: SyntaxNode | null = null;
  let third: SyntaxNode | null = null;
  let last: SyntaxNode | null = null;
  let count = 0;
  for (let c = argList.firstChild; ; c = c.nextSibling) {
    const name = c?.name;
    if (c && (name === '(' || name === ')' || name === 'Comment' || c.type.isError)) continue;
    if (!c || name === ',') {
      if (first && last) out.push(callArg(first, second, third, last, count, text));
      if (!c) break;
      first = second = third = last = null;
      count = 0;
      continue;
    }
    if (count === 0) first = c;
    else if (count === 1) second = c;
    else if (count === 2) third = c;
    last = c;
    count++;
  }
  return out;
}

function callArg(first: SyntaxNode, second: SyntaxNode | null, third: SyntaxNode | null, last: SyntaxNode, count: number, text: string): CallArg {
  if ((first.name === '*' || first.name === '**') && second) {
    return { kind: first.name === '*' ? 'star' : 'doublestar', node: second, span: { from: first.from, to: last.to } };
  }
  if (count >= 3 && third && second?.name === 'AssignOp' && first.name === 'VariableName') {
    const span = { from: third.from, to: last.to };
    // `f(n := 3)` is a positional argument that also binds n.
    if (second.to - second.from !== 1) return { kind: 'positional', node: third, span };
    return { kind: 'keyword', name: text.slice(first.from, first.to), node: third, span };
  }
  return { kind: count > 1 ? 'generator' : 'positional', node: first, span: { from: first.from, to: last.to } };
}

/** `a.b.c` as ['a', 'b', 'c']; undefined for anything that is not a plain dotted name. */
export function dottedName(node: SyntaxNode, text: string): string[] | undefined {
  const parts: string[] = [];
  let cur: SyntaxNode | null = node;
  // Walk down the left spine: MemberExpression(MemberExpression(a . b) . c).
  for (let i = 0; i < 1000 && cur && cur.name === 'MemberExpression'; i++) {
    const obj: SyntaxNode | null = cur.firstChild;
    const dot = obj?.nextSibling;
    const prop = dot?.nextSibling;
    if (!obj || dot?.name !== '.' || prop?.name !== 'PropertyName' || prop.nextSibling) return undefined;
    parts.push(text.slice(prop.from, prop.to));
    cur = obj;
  }
  if (!cur || cur.name !== 'VariableName') return undefined;
  parts.push(text.slice(cur.from, cur.to));
  return parts.reverse();
}

/** Unwraps `((x))` to `x`; a parenthesised walrus or yield stays as is. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let cur = node;
  for (let i = 0; i < 100 && cur.name === 'ParenthesizedExpression'; i++) {
    const inner = innerNodes(cur);
    if (inner.length !== 1) break;
    cur = inner[0];
  }
  return cur;
}

export function spanOf(node: { readonly from: number; readonly to: number }): Span {
  return { from: node.from, to: node.to };
}

/** The first direct child with this node name (SyntaxNode.getChild allocates a cursor; this does not). */
export function childNamed(node: SyntaxNode, name: string): SyntaxNode | null {
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) return c;
  return null;
}

/**
 * A number identifying a node by its span, for memo tables (SyntaxNode objects are not
 * reused between accesses). Two different calls or lists never share a span.
 * Unique for texts under 2^26 characters.
 */
export function nodeKey(node: { readonly from: number; readonly to: number }): number {
  return node.to * 0x4000000 + node.from;
}

/** Whether a node of type `type` with exactly this source text occurs inside node (a walk of that subtree only). */
export function containsNode(node: SyntaxNode, type: string, source: string, text: string): boolean {
  const cursor = node.cursor();
  const end = node.to;
  do {
    if (cursor.name === type && cursor.to - cursor.from === source.length && text.startsWith(source, cursor.from)) return true;
  } while (cursor.next() && cursor.from < end);
  return false;
}
