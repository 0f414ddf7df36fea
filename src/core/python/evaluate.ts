/**
 * Static evaluation of Python expressions to `Value`s, without running anything.
 *
 * Names resolve through the binding tables collect.ts built; a binding's value is computed
 * on first use, in its own scope at its own position, and memoised. Names with no binding
 * and function parameters become integer symbols (`ngf`): most unresolved names in layer
 * calls are channel counts, and the engine says so itself when a kernel size is symbolic.
 *
 * Never throws: whatever is not understood is `unknown`. Depth is capped, so deep nesting
 * or a binding cycle ends in `unknown` rather than a stack overflow.
 */
import type { SyntaxNode } from '@lezer/common';
import { constValue, sym } from '../expr';
import type { Value } from '../values';
import { asIntExpr, asNumber, binaryOp, booleanOp, floatValue, intConst, intValue, truthiness, unaryOp } from './arith';
import { numberValue, stringValue, unknownValue } from './literals';
import { lookup, lookupSelfAttr, type Binding, type BindingSource, type Scope } from './scopes';
import { callArgs, childNodes, containsNode, dottedName, elementsIn, innerNodes, type Element } from './syntax';

/** Deeper than this, an expression is `unknown` (real code nests a handful of levels). */
const MAX_DEPTH = 100;
/**
 * Nodes one outermost evaluation may visit before the rest is `unknown`: bounds the work
 * whatever the file does (real layer arguments take tens).
 */
const MAX_STEPS = 20_000;

/** A few module constants people write in size arithmetic. */
const KNOWN_CONSTANTS: Readonly<Record<string, Value>> = {
  'math.pi': { kind: 'float', value: Math.PI },
  'math.e': { kind: 'float', value: Math.E },
};

export class Evaluator {
  private depth = 0;
  private readonly cache = new Map<Binding, Value>();
  /** Bindings being evaluated: meeting one again is a cycle. */
  private readonly active = new Set<Binding>();
  /**
   * Set when an evaluation gave up at the depth cap or on a cycle: its result depends on
   * where the evaluation started, so it is not memoised.
   */
  private cutShort = false;
  /**
   * Values of cut-short bindings, kept until the outermost evaluation ends: not memoised for
   * good (they depend on where evaluation started), but not evaluated again within one
   * evaluation either — `a40 = a39 * 2 - a39` would otherwise evaluate a0 2⁴⁰ times.
   */
  private readonly transient = new Map<Binding, Value>();
  /** Nodes visited by the current outermost evaluation (see MAX_STEPS). */
  private steps = 0;
  /** Public calls in progress: the outermost one clears `transient` and `steps` when it ends. */
  private calls = 0;

  constructor(private readonly text: string) {}

  /** The value of an expression node in a scope. Never throws. */
  value(node: SyntaxNode, scope: Scope): Value {
    this.calls++;
    try {
      return this.eval(node, scope);
    } catch {
      return unknownValue(this.word(node));
    } finally {
      this.endCall();
    }
  }

  /** The value a binding gives its name (memoised). */
  bindingValue(b: Binding): Value {
    this.calls++;
    try {
      return this.evaluateBinding(b);
    } finally {
      this.endCall();
    }
  }

  private endCall(): void {
    if (--this.calls > 0) return;
    this.transient.clear();
    this.steps = 0;
  }

  private evaluateBinding(b: Binding): Value {
    const cached = this.cache.get(b) ?? this.transient.get(b);
    if (cached) return cached;
    if (this.active.has(b)) {
      this.cutShort = true;
      return unknownValue(b.name);
    }
    const outerCutShort = this.cutShort;
    this.cutShort = false;
    this.active.add(b);
    let v: Value;
    try {
      v = this.loopCarried(b) ? this.loopCarriedValue(b) : this.sourceValue(b.source, b.scope, b.name);
    } finally {
      this.active.delete(b);
    }
    if (!this.cutShort) this.cache.set(b, v);
    else this.transient.set(b, v);
    this.cutShort ||= outerCutShort;
    return v;
  }

  /**
   * Whether a binding in a loop builds on its own previous value (`ch *= 2`, `ch = ch * 2`):
   * then it has no single value, and evaluating one pass would give a wrong number.
   */
  private loopCarried(b: Binding): boolean {
    if (!b.inLoop) return false;
    if (b.source.kind === 'update') return true;
    if (b.source.kind !== 'expr') return false;
    // `ch = ch * 2`, or `self.ch = self.ch * 2` for an attribute (its symbol is `self.ch`).
    const type = b.symbol === b.name ? 'VariableName' : 'MemberExpression';
    return containsNode(b.source.node, type, b.symbol, this.text);
  }

  /** A loop-carried int is an unknown int named like the variable; anything else is unknown. */
  private loopCarriedValue(b: Binding): Value {
    const once = this.sourceValue(b.source, b.scope, b.name);
    return once.kind === 'int' || once.kind === 'bool' ? intValue(sym(b.symbol)) : unknownValue(b.symbol);
  }

  private word(n: { readonly from: number; readonly to: number }): string {
    return this.text.slice(n.from, n.to);
  }

  private eval(node: SyntaxNode, scope: Scope): Value {
    if (this.depth >= MAX_DEPTH || ++this.steps > MAX_STEPS) {
      this.cutShort = true;
      return unknownValue(this.word(node));
    }
    this.depth++;
    try {
      return this.evalNode(node, scope);
    } finally {
      this.depth--;
    }
  }

  private evalNode(node: SyntaxNode, scope: Scope): Value {
    switch (node.name) {
      case 'Number':
        return numberValue(this.word(node));
      case 'String':
      case 'FormatString':
      case 'ContinuedString':
        return stringValue(node, this.text);
      case 'Boolean':
        return { kind: 'bool', value: this.word(node) === 'True' };
      case 'None':
        return { kind: 'none' };
      case 'ParenthesizedExpression': {
        const inner = innerNodes(node);
        return inner.length === 1 ? this.eval(inner[0], scope) : unknownValue(this.word(node));
      }
      case 'NamedExpression': {
        const kids = childNodes(node);
        return kids.length === 3 ? this.eval(kids[2], scope) : unknownValue(this.word(node));
      }
      case 'TupleExpression':
        return this.sequence(elementsIn(node), 'tuple', scope, this.word(node));
      case 'ArrayExpression':
        return this.sequence(elementsIn(node), 'list', scope, this.word(node));
      case 'UnaryExpression': {
        const kids = childNodes(node);
        if (kids.length !== 2) return unknownValue(this.word(node));
        return unaryOp(this.word(kids[0]), this.eval(kids[1], scope), this.word(node));
      }
      case 'BinaryExpression':
        return this.binary(node, scope);
      case 'ConditionalExpression':
        return this.conditional(node, scope);
      case 'VariableName':
        return this.name(node, scope);
      case 'MemberExpression':
        return this.member(node, scope);
      case 'CallExpression':
        return this.call(node, scope);
    }
    return unknownValue(this.word(node));
  }

  private sourceValue(source: BindingSource, scope: Scope, name: string): Value {
    switch (source.kind) {
      case 'expr':
        return this.eval(source.node, scope);
      case 'tuple': {
        const elements = source.nodes.map((node, i) => ({ node, star: source.stars[i], span: { from: node.from, to: node.to } }));
        return this.sequence(elements, 'tuple', scope, source.text);
      }
      case 'item': {
        const whole = this.sourceValue(source.of, scope, name);
        if (whole.kind === 'seq' && source.index < whole.items.length) return whole.items[source.index];
        return unknownValue(source.text);
      }
      case 'update':
        return binaryOp(source.op, this.eval(source.target, scope), this.eval(source.value, scope), source.text);
      case 'param':
        return intValue(sym(source.name));
      case 'opaque':
        return unknownValue(source.text);
    }
  }

  private sequence(elements: readonly Element[], brackets: 'tuple' | 'list', scope: Scope, text: string): Value {
    const items: Value[] = [];
    for (const e of elements) {
      const v = this.eval(e.node, scope);
      if (!e.star) items.push(v);
      else if (v.kind === 'seq') items.push(...v.items);
      else return unknownValue(text);
    }
    return { kind: 'seq', brackets, items };
  }

  private binary(node: SyntaxNode, scope: Scope): Value {
    const text = this.word(node);
    const kids = childNodes(node);
    // `a not in b` and `a is not b` have two operator nodes; neither is worth knowing.
    if (kids.length !== 3) return unknownValue(text);
    const [left, opNode, right] = kids;
    const op = this.word(opNode);
    if (op === 'and' || op === 'or') return booleanOp(op, this.eval(left, scope), () => this.eval(right, scope), text);
    if (opNode.name !== 'ArithOp' && opNode.name !== 'BitOp' && opNode.name !== 'CompareOp') return unknownValue(text);
    return binaryOp(op, this.eval(left, scope), this.eval(right, scope), text);
  }

  private conditional(node: SyntaxNode, scope: Scope): Value {
    const kids = childNodes(node);
    if (kids.length !== 5 || kids[1].name !== 'if' || kids[3].name !== 'else') return unknownValue(this.word(node));
    const cond = truthiness(this.eval(kids[2], scope));
    if (cond === undefined) return unknownValue(this.word(node));
    return this.eval(cond ? kids[0] : kids[4], scope);
  }

  private name(node: SyntaxNode, scope: Scope): Value {
    const name = this.word(node);
    const b = lookup(scope, name, node.from);
    return b ? this.bindingValue(b) : intValue(sym(name));
  }

  private member(node: SyntaxNode, scope: Scope): Value {
    const text = this.word(node);
    const kids = childNodes(node);
    if (kids.length === 3 && kids[1].name === '.' && kids[2].name === 'PropertyName') {
      const [obj, , prop] = kids;
      if (obj.name === 'VariableName') {
        const self = this.word(obj);
        const attr = this.word(prop);
        const { binding, isSelf } = lookupSelfAttr(scope, self, attr, node.from);
        if (isSelf) return binding ? this.bindingValue(binding) : intValue(sym(`${self}.${attr}`));
      }
      const dotted = dottedName(node, this.text);
      if (!dotted) return unknownValue(text);
      const name = dotted.join('.');
      return KNOWN_CONSTANTS[name] ?? intValue(sym(name));
    }
    if (kids.length >= 3 && kids[1].name === '[') return this.subscript(kids, scope, text);
    return unknownValue(text);
  }

  /** `seq[i]` for a constant index; slices are unknown. */
  private subscript(kids: readonly SyntaxNode[], scope: Scope, text: string): Value {
    const index = kids.slice(2).filter((k) => k.name !== ']');
    if (index.length !== 1) return unknownValue(text);
    const i = asIntExpr(this.eval(index[0], scope));
    const k = i === undefined ? undefined : constValue(i);
    if (k === undefined) return unknownValue(text);
    const obj = this.eval(kids[0], scope);
    const items: readonly Value[] | undefined =
      obj.kind === 'seq' ? obj.items : obj.kind === 'str' ? [...obj.value].map((c) => ({ kind: 'str', value: c })) : undefined;
    if (!items) return unknownValue(text);
    const at = k < 0 ? items.length + k : k;
    return at >= 0 && at < items.length ? items[at] : unknownValue(text);
  }

  private call(node: SyntaxNode, scope: Scope): Value {
    const text = this.word(node);
    const kids = childNodes(node);
    const argList = kids[kids.length - 1];
    const dotted = kids.length === 2 && argList.name === 'ArgList' ? dottedName(kids[0], this.text) : undefined;
    if (!dotted) return unknownValue(text);
    const name = dotted.join('.');
    // A builtin only when the file does not rebind the name (`def max(…)`, `from numpy import max`).
    const isBuiltin = dotted.length === 1 && !lookup(scope, name, node.from);
    if (!isBuiltin && name !== 'math.floor' && name !== 'math.ceil') return unknownValue(text);
    const args = callArgs(argList, this.text);
    if (args.some((a) => a.kind !== 'positional')) return unknownValue(text);
    const values = args.map((a) => this.eval(a.node, scope));
    return builtinCall(name, values, text);
  }
}

function builtinCall(name: string, args: readonly Value[], text: string): Value {
  const [x] = args;
  const unknown = unknownValue(text);
  if (name === 'tuple' || name === 'list') {
    if (args.length === 0) return { kind: 'seq', brackets: name, items: [] };
    return args.length === 1 && x.kind === 'seq' ? { kind: 'seq', brackets: name, items: x.items } : unknown;
  }
  if (name === 'max' || name === 'min') return extreme(name, args.length === 1 && x.kind === 'seq' ? x.items : args, text);
  if (args.length !== 1 && !(name === 'round' && args.length === 2)) return unknown;
  switch (name) {
    case 'int': {
      if (x.kind === 'int') return x;
      if (x.kind === 'bool') return intConst(x.value ? 1 : 0);
      if (x.kind === 'float') return intConst(Math.trunc(x.value));
      if (x.kind === 'str' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(x.value)) return intConst(parseInt(x.value.split('_').join(''), 10));
      return unknown;
    }
    case 'float': {
      const n = asNumber(x);
      if (n !== undefined) return floatValue(n);
      if (x.kind === 'str' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(x.value)) return floatValue(Number(x.value));
      return unknown;
    }
    case 'round': {
      if (args.length === 2) {
        // round(int, n) is the int itself; float rounding to digits is left unknown
        // (Python rounds the exact binary value; a wrong last digit is worse than none).
        const e = asIntExpr(x);
        const digits = asIntExpr(args[1]);
        const n = digits === undefined ? undefined : constValue(digits);
        return e !== undefined && n !== undefined && n >= 0 ? intValue(e) : unknown;
      }
      if (x.kind === 'float') return intConst(roundHalfEven(x.value));
      const e = asIntExpr(x);
      return e ? intValue(e) : unknown;
    }
    case 'abs': {
      if (x.kind === 'float') return floatValue(Math.abs(x.value));
      const e = asIntExpr(x);
      const k = e === undefined ? undefined : constValue(e);
      return k === undefined ? unknown : intConst(Math.abs(k));
    }
    case 'len':
      if (x.kind === 'seq') return intConst(x.items.length);
      if (x.kind === 'str') return intConst([...x.value].length);
      return unknown;
    case 'math.floor':
    case 'math.ceil': {
      if (x.kind === 'float') return intConst(name === 'math.floor' ? Math.floor(x.value) : Math.ceil(x.value));
      const e = asIntExpr(x);
      return e ? intValue(e) : unknown;
    }
  }
  return unknown;
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : r;
}

/** max()/min() of known numbers; Python returns the first extreme item itself. */
function extreme(name: 'max' | 'min', items: readonly Value[], text: string): Value {
  let best: Value | undefined;
  let bestN = 0;
  for (const v of items) {
    const n = asNumber(v);
    if (n === undefined) return unknownValue(text);
    if (best === undefined || (name === 'max' ? n > bestN : n < bestN)) {
      best = v;
      bestN = n;
    }
  }
  return best ?? unknownValue(text);
}
