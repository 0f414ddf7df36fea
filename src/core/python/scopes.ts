/**
 * Name bindings, per scope, recorded in one pass over the tree (see collect.ts) and looked
 * up lazily by the evaluator. A binding only says where its value comes from; nothing is
 * evaluated until an argument needs it.
 *
 * Lookup follows Python's LEGB rule by text position: the last binding before the
 * reference in the current scope, then enclosing function scopes, then the module.
 * Class bodies are visible only from the class body itself; methods reach class state
 * through `self.attr`, recorded per class.
 */
import type { SyntaxNode } from '@lezer/common';

export type ScopeKind = 'module' | 'class' | 'function' | 'comprehension';

/** Where a bound value comes from. */
export type BindingSource =
  /** `x = expr`, `x: int = expr`, `(x := expr)`, and pairwise `a, b = 1, 2`. */
  | { readonly kind: 'expr'; readonly node: SyntaxNode }
  /** `x = 1, 2`: an unparenthesised tuple. */
  | { readonly kind: 'tuple'; readonly nodes: readonly SyntaxNode[]; readonly stars: readonly boolean[]; readonly text: string }
  /** `a, b = pair`: item `index` of another source. */
  | { readonly kind: 'item'; readonly of: BindingSource; readonly index: number; readonly text: string }
  /** `x += expr`: the target's previous value combined with expr. */
  | { readonly kind: 'update'; readonly target: SyntaxNode; readonly op: string; readonly value: SyntaxNode; readonly text: string }
  /** A function parameter: an unknown integer named like the parameter. */
  | { readonly kind: 'param'; readonly name: string }
  /** `for x in …`, `with … as x`, `import x`, `def x`: nothing known statically. */
  | { readonly kind: 'opaque'; readonly text: string };

export interface Binding {
  readonly name: string;
  /** The symbol standing for its value when that value is not one number: `ch`, `self.ch`. */
  readonly symbol: string;
  /** The offset from which the binding is visible: the end of its statement. */
  readonly pos: number;
  /** The scope its expression is evaluated in. */
  readonly scope: Scope;
  readonly source: BindingSource;
  /** Bound inside a `for`/`while` body of the same scope (it may run many times). */
  readonly inLoop: boolean;
}

export class Scope {
  readonly bindings = new Map<string, Binding[]>();
  /** For a class: the `self.attr = …` assignments of its methods, by attribute name. */
  readonly selfAttrs: Map<string, Binding[]> | undefined;
  /** For a method (a function directly in a class body): its class and `self` name. */
  classScope: Scope | undefined;
  selfName: string | undefined;
  /** How many `for`/`while` bodies of this scope the walk is inside. */
  loopDepth = 0;

  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
  ) {
    this.selfAttrs = kind === 'class' ? new Map() : undefined;
  }

  bind(name: string, pos: number, source: BindingSource): void {
    addBinding(this.bindings, { name, symbol: name, pos, scope: this, source, inLoop: this.loopDepth > 0 });
  }
}

/** Adds a binding, keeping the list sorted by position (the walk is almost always in order). */
export function addBinding(table: Map<string, Binding[]>, b: Binding): void {
  const list = table.get(b.name);
  if (!list) {
    table.set(b.name, [b]);
    return;
  }
  let i = list.length;
  while (i > 0 && list[i - 1].pos > b.pos) i--;
  list.splice(i, 0, b);
}

/** The last binding visible at `pos` (binary search over a sorted list). */
export function lastBefore(list: readonly Binding[] | undefined, pos: number): Binding | undefined {
  if (!list || list.length === 0) return undefined;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].pos <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

/**
 * The binding `name` refers to at `pos` in `scope`. In an enclosing scope, a binding that
 * comes textually after the reference still counts when none comes before: a function body
 * runs when called, after the module (or outer function) has bound its names.
 */
export function lookup(scope: Scope, name: string, pos: number): Binding | undefined {
  let first = true;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.kind === 'class' && !first) continue;
    const list = s.bindings.get(name);
    const b = lastBefore(list, pos) ?? (first || !list ? undefined : list[list.length - 1]);
    if (b) return b;
    first = false;
  }
  return undefined;
}

/** The method whose `self` a reference in `scope` can see (through nested functions too). */
export function enclosingMethod(scope: Scope): Scope | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (s.classScope) return s;
    if (s.kind === 'class' || s.kind === 'module') return undefined;
  }
  return undefined;
}

/**
 * The binding of `self.attr` at `pos`, when `self` is the `self` of the method enclosing
 * `scope`: the last `self.attr = …` of that class written before pos.
 * undefined when `self` is not a method's self, or no such assignment comes before.
 */
export function lookupSelfAttr(scope: Scope, self: string, attr: string, pos: number): { binding?: Binding; isSelf: boolean } {
  const method = enclosingMethod(scope);
  if (!method?.classScope?.selfAttrs || self !== method.selfName) return { isSelf: false };
  return { binding: lastBefore(method.classScope.selfAttrs.get(attr), pos), isSelf: true };
}
