/**
 * Symbolic integer expressions for tensor sizes.
 *
 * A size is either a known integer or an expression in unknown symbols (`H`, `ngf`).
 * Every expression is kept in one canonical form — a linear combination of atoms plus a
 * constant — so that equal sizes print equally and simple chains stay simple:
 * `(2·H − 1)·2 + 2` is `4·H`, and `⌊(H + 2·1 − 3)/2⌋ + 1` is `⌈H/2⌉`.
 * Atoms are the parts that are not linear: symbols, floor divisions by a constant,
 * products of unknowns and floors of float products (`nn.Upsample(scale_factor=1.5)`).
 *
 * All symbols stand for positive integers. Values are plain JS numbers: every size a
 * framework accepts is far below 2^53.
 */

export type Atom =
  | { readonly kind: 'sym'; readonly name: string; readonly key: string }
  /** ⌊num/den⌋ with den ≥ 2 and 0 ≤ num.c < den (whole multiples are moved out). */
  | { readonly kind: 'floordiv'; readonly num: Expr; readonly den: number; readonly key: string }
  /** A product of two or more non-constant expressions. */
  | { readonly kind: 'product'; readonly factors: readonly Expr[]; readonly key: string }
  /** ⌊e·f⌋ computed on the float64 product, as PyTorch computes interpolation sizes. */
  | { readonly kind: 'floorscale'; readonly e: Expr; readonly factor: number; readonly key: string }
  /** An operation kept as written, e.g. `a // b` where b is unknown. */
  | { readonly kind: 'opaque'; readonly op: '//' | '%' | '**'; readonly args: readonly Expr[]; readonly key: string };

export interface Term {
  readonly coeff: number;
  readonly atom: Atom;
}

export interface Expr {
  /** Terms sorted by atom key, no zero coefficients, at most one term per atom. */
  readonly terms: readonly Term[];
  readonly c: number;
}

const ZERO: Expr = { terms: [], c: 0 };

export function constant(n: number): Expr {
  return n === 0 ? ZERO : { terms: [], c: n };
}

export function sym(name: string): Expr {
  return fromAtom({ kind: 'sym', name, key: `s:${name}` });
}

function fromAtom(atom: Atom, coeff = 1): Expr {
  return { terms: [{ coeff, atom }], c: 0 };
}

export function isConst(e: Expr): boolean {
  return e.terms.length === 0;
}

/** The value of a constant expression, undefined when it depends on a symbol. */
export function constValue(e: Expr): number | undefined {
  return e.terms.length === 0 ? e.c : undefined;
}

export function exprKey(e: Expr): string {
  return `${e.terms.map((t) => `${t.coeff}*${t.atom.key}`).join('+')}+${e.c}`;
}

export function equals(a: Expr, b: Expr): boolean {
  return exprKey(a) === exprKey(b);
}

export function add(...es: Expr[]): Expr {
  // Known sizes are the common case: no map, no sort.
  if (es.every((e) => e.terms.length === 0)) return constant(es.reduce((sum, e) => sum + e.c, 0));
  const byKey = new Map<string, Term>();
  let c = 0;
  for (const e of es) {
    c += e.c;
    for (const t of e.terms) {
      const prev = byKey.get(t.atom.key);
      byKey.set(t.atom.key, { atom: t.atom, coeff: (prev?.coeff ?? 0) + t.coeff });
    }
  }
  const terms = [...byKey.values()].filter((t) => t.coeff !== 0).sort((x, y) => compareKeys(x.atom.key, y.atom.key));
  return { terms, c };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function scale(e: Expr, k: number): Expr {
  if (k === 0) return ZERO;
  return { terms: e.terms.map((t) => ({ atom: t.atom, coeff: t.coeff * k })), c: e.c * k };
}

export function sub(a: Expr, b: Expr): Expr {
  return add(a, scale(b, -1));
}

export function addConst(e: Expr, n: number): Expr {
  return n === 0 ? e : { terms: e.terms, c: e.c + n };
}

export function mul(a: Expr, b: Expr): Expr {
  const ka = constValue(a);
  if (ka !== undefined) return scale(b, ka);
  const kb = constValue(b);
  if (kb !== undefined) return scale(a, kb);
  const factors = [a, b].flatMap((f) => {
    const only = singleAtom(f);
    return only?.kind === 'product' ? only.factors : [f];
  });
  factors.sort((x, y) => compareKeys(exprKey(x), exprKey(y)));
  return fromAtom({ kind: 'product', factors, key: `p(${factors.map(exprKey).join(',')})` });
}

/** The atom when e is exactly `1·atom + 0`. */
function singleAtom(e: Expr): Atom | undefined {
  return e.c === 0 && e.terms.length === 1 && e.terms[0].coeff === 1 ? e.terms[0].atom : undefined;
}

function floorDivInt(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's `a // d` for a constant integer d ≠ 0. */
export function floorDiv(e: Expr, d: number): Expr {
  if (d === 0) throw new RangeError('integer division by zero');
  if (d < 0) return floorDiv(scale(e, -1), -d);
  if (d === 1) return e;
  const q = floorDivInt(e.c, d);
  const r = e.c - q * d;
  if (e.terms.every((t) => t.coeff % d === 0)) {
    // ⌊(d·Y + r)/d⌋ = Y because 0 ≤ r < d.
    return addConst({ terms: e.terms.map((t) => ({ atom: t.atom, coeff: t.coeff / d })), c: 0 }, q);
  }
  const num: Expr = { terms: e.terms, c: r };
  return addConst(fromAtom({ kind: 'floordiv', num, den: d, key: `f(${exprKey(num)}/${d})` }), q);
}

/** ⌈e/d⌉ for a constant d > 0. */
export function ceilDiv(e: Expr, d: number): Expr {
  return floorDiv(addConst(e, d - 1), d);
}

/** Python's `a % d` for a constant d ≠ 0: a − d·⌊a/d⌋. */
export function mod(e: Expr, d: number): Expr {
  return sub(e, scale(floorDiv(e, d), d));
}

/** ⌊e·f⌋ on the float64 product (f > 0). */
export function floorScale(e: Expr, f: number): Expr {
  const k = constValue(e);
  if (k !== undefined) return constant(Math.floor(k * f));
  if (Number.isInteger(f)) return scale(e, f);
  return fromAtom({ kind: 'floorscale', e, factor: f, key: `m(${exprKey(e)}*${f})` });
}

export function opaque(op: '//' | '%' | '**', args: Expr[]): Expr {
  return fromAtom({ kind: 'opaque', op, args, key: `o${op}(${args.map(exprKey).join(',')})` });
}

/** Every symbol name in e, sorted. */
export function symbols(e: Expr): string[] {
  const names = new Set<string>();
  const visit = (x: Expr): void => {
    for (const t of x.terms) visitAtom(t.atom);
  };
  const visitAtom = (a: Atom): void => {
    switch (a.kind) {
      case 'sym':
        names.add(a.name);
        break;
      case 'floordiv':
        visit(a.num);
        break;
      case 'product':
        a.factors.forEach(visit);
        break;
      case 'floorscale':
        visit(a.e);
        break;
      case 'opaque':
        a.args.forEach(visit);
        break;
    }
  };
  visit(e);
  return [...names].sort();
}

/** The value of e with every symbol bound, or undefined when a symbol is unbound. */
export function evaluate(e: Expr, env: ReadonlyMap<string, number>): number | undefined {
  let total = e.c;
  for (const t of e.terms) {
    const v = evaluateAtom(t.atom, env);
    if (v === undefined) return undefined;
    total += t.coeff * v;
  }
  return total;
}

function evaluateAtom(a: Atom, env: ReadonlyMap<string, number>): number | undefined {
  switch (a.kind) {
    case 'sym':
      return env.get(a.name);
    case 'floordiv': {
      const n = evaluate(a.num, env);
      return n === undefined ? undefined : floorDivInt(n, a.den);
    }
    case 'product': {
      let p = 1;
      for (const f of a.factors) {
        const v = evaluate(f, env);
        if (v === undefined) return undefined;
        p *= v;
      }
      return p;
    }
    case 'floorscale': {
      const v = evaluate(a.e, env);
      return v === undefined ? undefined : Math.floor(v * a.factor);
    }
    case 'opaque': {
      const vs = a.args.map((x) => evaluate(x, env));
      if (vs.some((v) => v === undefined)) return undefined;
      const [x, y] = vs as number[];
      if (a.op === '**') return x ** y;
      if (y === 0) return undefined;
      return a.op === '//' ? floorDivInt(x, y) : x - y * floorDivInt(x, y);
    }
  }
}

/** Replaces symbols by expressions (used to plug a known input into a symbolic answer). */
export function substitute(e: Expr, bind: (name: string) => Expr | undefined): Expr {
  const parts: Expr[] = [constant(e.c)];
  for (const t of e.terms) parts.push(scale(substituteAtom(t.atom, bind), t.coeff));
  return add(...parts);
}

function substituteAtom(a: Atom, bind: (name: string) => Expr | undefined): Expr {
  switch (a.kind) {
    case 'sym':
      return bind(a.name) ?? fromAtom(a);
    case 'floordiv':
      return floorDiv(substitute(a.num, bind), a.den);
    case 'product':
      return a.factors.map((f) => substitute(f, bind)).reduce((x, y) => mul(x, y));
    case 'floorscale':
      return floorScale(substitute(a.e, bind), a.factor);
    case 'opaque': {
      const [x, y] = a.args.map((f) => substitute(f, bind));
      const ky = constValue(y);
      if (a.op === '//' && ky !== undefined && ky !== 0) return floorDiv(x, ky);
      if (a.op === '%' && ky !== undefined && ky !== 0) return mod(x, ky);
      const kx = constValue(x);
      if (a.op === '**' && kx !== undefined && ky !== undefined) return constant(kx ** ky);
      return opaque(a.op, [x, y]);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Printing. `·` for products, `−` for minus, ⌊ ⌋ ⌈ ⌉ for floors and ceilings.

/** Prints e in its simplest equal form: `2·H − 1`, `⌈H/2⌉`, `ngf·8`. */
export function format(e: Expr): string {
  if (e.terms.length === 0) return formatNumber(e.c);
  let out = '';
  e.terms.forEach((t, i) => {
    const negative = t.coeff < 0;
    const body = formatTerm(Math.abs(t.coeff), t.atom);
    out += i === 0 ? (negative ? `−${body}` : body) : negative ? ` − ${body}` : ` + ${body}`;
  });
  if (e.c > 0) out += ` + ${formatNumber(e.c)}`;
  if (e.c < 0) out += ` − ${formatNumber(-e.c)}`;
  return out;
}

function formatNumber(n: number): string {
  return n < 0 ? `−${-n}` : String(n);
}

function formatTerm(coeff: number, a: Atom): string {
  const body = formatAtom(a);
  if (coeff === 1) return body;
  // Sizes read as `2·H`; programmer-named counts read as the code writes them, `ngf·8`.
  if (a.kind === 'sym' && a.name.length > 1) return `${body}·${coeff}`;
  return `${coeff}·${a.kind === 'product' ? `(${body})` : body}`;
}

/** Wraps a sum in parentheses when it stands as a factor or a numerator. */
function grouped(e: Expr): string {
  const s = format(e);
  return e.terms.length + (e.c !== 0 ? 1 : 0) > 1 || (e.terms.length === 1 && e.terms[0].coeff < 0) ? `(${s})` : s;
}

function formatAtom(a: Atom): string {
  switch (a.kind) {
    case 'sym':
      return a.name;
    case 'floordiv': {
      if (a.num.c === a.den - 1) {
        const inner = addConst(a.num, -(a.den - 1));
        return `⌈${grouped(inner)}/${a.den}⌉`;
      }
      return `⌊${grouped(a.num)}/${a.den}⌋`;
    }
    case 'product':
      return a.factors.map(grouped).join('·');
    case 'floorscale':
      return `⌊${a.factor}·${grouped(a.e)}⌋`;
    case 'opaque':
      return `${grouped(a.args[0])} ${a.op} ${grouped(a.args[1])}`;
  }
}

/**
 * The least value of `name` (≥ 1) for which e ≥ min, for an e that does not decrease as
 * `name` grows (every size rule here is monotone). undefined when no value up to 2^40 works.
 */
export function leastSatisfying(e: Expr, name: string, min: number): number | undefined {
  const at = (v: number): number | undefined => evaluate(e, new Map([[name, v]]));
  const holds = (v: number): boolean => (at(v) ?? -Infinity) >= min;
  if (holds(1)) return 1;
  let hi = 2;
  const limit = 2 ** 40;
  while (!holds(hi)) {
    if (hi >= limit) return undefined;
    hi *= 2;
  }
  let lo = hi / 2; // fails
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (holds(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
