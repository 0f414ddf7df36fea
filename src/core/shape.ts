/**
 * Tensor shapes whose sizes may be symbolic, and the conditions a symbolic input must
 * meet for a layer to accept it (`H ≥ 3`, `H divisible by 2`).
 */
import { constValue, equals, exprKey, format, leastSatisfying, symbols, type Expr } from './expr';

export type Shape = readonly Expr[];

export type Condition =
  | { readonly kind: 'atLeast'; readonly expr: Expr; readonly min: number }
  | { readonly kind: 'divisible'; readonly expr: Expr; readonly by: number }
  | { readonly kind: 'equal'; readonly a: Expr; readonly b: Expr };

const AXIS_NAMES: Readonly<Record<number, readonly string[]>> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

/** The names of `rank` spatial axes as people write them: L; H, W; D, H, W. */
export function axisNames(rank: number): readonly string[] {
  return AXIS_NAMES[rank] ?? Array.from({ length: rank }, (_, k) => `axis ${k}`);
}

/**
 * Shapes are immutable and the engine's answers are kept across keystrokes, so the inlay
 * hints of a file ask for the same shape objects' text again and again: each is written once.
 */
const formatted = new WeakMap<Shape, string>();

export function formatShape(shape: Shape): string {
  let text = formatted.get(shape);
  if (text === undefined) {
    text = `(${shape.map(format).join(', ')})`;
    formatted.set(shape, text);
  }
  return text;
}

/** A text equal for equal shapes (their sizes' canonical keys), for memo keys. */
export function shapeKey(shape: Shape): string {
  return shape.map(exprKey).join(',');
}

export function concreteShape(shape: Shape): number[] | undefined {
  const out: number[] = [];
  for (const d of shape) {
    const v = constValue(d);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/**
 * A condition in its simplest readable form. A lower bound on a size that depends on one
 * symbol becomes a bound on the symbol itself: `⌈H/2⌉ − 1 ≥ 3` reads `H ≥ 7`.
 */
export function formatCondition(c: Condition): string {
  switch (c.kind) {
    case 'atLeast': {
      const names = symbols(c.expr);
      if (names.length === 1) {
        const least = leastSatisfying(c.expr, names[0], c.min);
        if (least !== undefined) return `${names[0]} ≥ ${least}`;
      }
      return `${format(c.expr)} ≥ ${c.min}`;
    }
    case 'divisible':
      return `${format(c.expr)} divisible by ${c.by}`;
    case 'equal':
      return `${format(c.a)} = ${format(c.b)}`;
  }
}

/** Drops duplicates and bounds implied by a stronger bound on the same symbol. */
export function simplifyConditions(conditions: readonly Condition[]): Condition[] {
  const out: Condition[] = [];
  const strongest = new Map<string, { index: number; least: number }>();
  for (const c of conditions) {
    if (c.kind === 'atLeast') {
      const names = symbols(c.expr);
      const least = names.length === 1 ? leastSatisfying(c.expr, names[0], c.min) : undefined;
      if (least !== undefined) {
        if (least <= 1) continue; // holds for every positive size
        const prev = strongest.get(names[0]);
        if (prev && prev.least >= least) continue;
        const cond: Condition = c;
        if (prev) out[prev.index] = cond;
        else out.push(cond);
        strongest.set(names[0], { index: prev ? prev.index : out.length - 1, least });
        continue;
      }
    }
    if (c.kind === 'equal' && equals(c.a, c.b)) continue;
    const text = formatCondition(c);
    if (!out.some((o) => formatCondition(o) === text)) out.push(c);
  }
  return out;
}
