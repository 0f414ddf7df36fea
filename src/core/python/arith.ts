/**
 * Python operators on statically known values, with Python's semantics: `//` floors,
 * `/` is true division (int / int is a float), `%` takes the divisor's sign, bools are ints.
 * Integers may be symbolic (`ngf * 2`); expr.ts keeps them in canonical form.
 * Anything that cannot be known without running the code is `unknown`, carrying the
 * source text of the expression that produced it.
 */
import { add, constant, constValue, floorDiv, mod, mul, opaque, sub, type Expr } from '../expr';
import type { Value } from '../values';
import { unknownValue } from './literals';

/** Longest sequence or string we build by repetition (`(1,) * n`), to bound memory. */
const MAX_REPEAT_LENGTH = 10_000;
/** Largest constant exponent expanded into a product of symbols (`c ** 3` → c·c·c). */
const MAX_SYMBOLIC_POWER = 8;

export function intValue(expr: Expr): Value {
  return { kind: 'int', expr };
}

export function intConst(n: number): Value {
  return { kind: 'int', expr: constant(n) };
}

export function floatValue(value: number): Value {
  return Number.isFinite(value) ? { kind: 'float', value } : unknownValue(String(value));
}

/** An int or bool as an integer expression (Python bools are ints). */
export function asIntExpr(v: Value): Expr | undefined {
  if (v.kind === 'int') return v.expr;
  if (v.kind === 'bool') return constant(v.value ? 1 : 0);
  return undefined;
}

/** The number a known int, bool or float stands for. */
export function asNumber(v: Value): number | undefined {
  if (v.kind === 'float') return v.value;
  const e = asIntExpr(v);
  return e === undefined ? undefined : constValue(e);
}

/** Python truthiness, when it is known. */
export function truthiness(v: Value): boolean | undefined {
  switch (v.kind) {
    case 'bool':
      return v.value;
    case 'none':
      return false;
    case 'int': {
      const k = constValue(v.expr);
      return k === undefined ? undefined : k !== 0;
    }
    case 'float':
      return v.value !== 0;
    case 'str':
      return v.value.length > 0;
    case 'seq':
      return v.items.length > 0;
    case 'unknown':
      return undefined;
  }
}

export function unaryOp(op: string, v: Value, text: string): Value {
  if (op === 'not') {
    const t = truthiness(v);
    return t === undefined ? unknownValue(text) : { kind: 'bool', value: !t };
  }
  if (v.kind === 'float') {
    if (op === '-') return floatValue(-v.value);
    if (op === '+') return v;
    return unknownValue(text);
  }
  const e = asIntExpr(v);
  if (e === undefined) return unknownValue(text);
  if (op === '-') return intValue(sub(constant(0), e));
  if (op === '+') return intValue(e);
  // ~x == -x - 1 for every Python int.
  if (op === '~') return intValue(sub(constant(-1), e));
  return unknownValue(text);
}

export function binaryOp(op: string, a: Value, b: Value, text: string): Value {
  const ea = asIntExpr(a);
  const eb = asIntExpr(b);
  if (ea !== undefined && eb !== undefined) return intOp(op, ea, eb, text);
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined && (a.kind === 'float' || b.kind === 'float')) return floatOp(op, na, nb, text);
  if (a.kind === 'seq' || b.kind === 'seq' || a.kind === 'str' || b.kind === 'str') return sequenceOp(op, a, b, text);
  if (op === '==' || op === '!=') {
    if (a.kind === 'none' && b.kind === 'none') return { kind: 'bool', value: op === '==' };
  }
  return unknownValue(text);
}

function intOp(op: string, a: Expr, b: Expr, text: string): Value {
  const ka = constValue(a);
  const kb = constValue(b);
  switch (op) {
    case '+':
      return intValue(add(a, b));
    case '-':
      return intValue(sub(a, b));
    case '*':
      return intValue(mul(a, b));
    case '//':
      if (kb === 0) return unknownValue(text);
      return intValue(kb === undefined ? opaque('//', [a, b]) : floorDiv(a, kb));
    case '%':
      if (kb === 0) return unknownValue(text);
      return intValue(kb === undefined ? opaque('%', [a, b]) : mod(a, kb));
    case '**':
      return power(a, b, text);
    case '/':
      if (ka === undefined || kb === undefined || kb === 0) return unknownValue(text);
      return floatValue(ka / kb);
  }
  if (ka === undefined || kb === undefined) return unknownValue(text);
  switch (op) {
    case '<<':
      return kb < 0 ? unknownValue(text) : intConst(ka * 2 ** kb);
    case '>>':
      return kb < 0 ? unknownValue(text) : intConst(Math.floor(ka / 2 ** kb));
    case '&':
    case '|':
    case '^':
      return bitwise(op, ka, kb, text);
  }
  return compare(op, ka, kb) ?? unknownValue(text);
}

function power(a: Expr, b: Expr, text: string): Value {
  const ka = constValue(a);
  const kb = constValue(b);
  if (kb === undefined) return intValue(opaque('**', [a, b]));
  if (kb < 0) {
    // 2 ** -1 is 0.5 in Python: a float.
    return ka === undefined || ka === 0 ? unknownValue(text) : floatValue(ka ** kb);
  }
  if (ka !== undefined) return intConst(ka ** kb);
  if (kb > MAX_SYMBOLIC_POWER) return intValue(opaque('**', [a, b]));
  let out = constant(1);
  for (let i = 0; i < kb; i++) out = mul(out, a);
  return intValue(out);
}

function bitwise(op: '&' | '|' | '^', a: number, b: number, text: string): Value {
  // JavaScript's bit operators work on 32 bits; Python's ints are unbounded.
  const fits = (n: number): boolean => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;
  if (!fits(a) || !fits(b)) return unknownValue(text);
  return intConst(op === '&' ? a & b : op === '|' ? a | b : a ^ b);
}

function compare(op: string, a: number | string, b: number | string): Value | undefined {
  switch (op) {
    case '<':
      return { kind: 'bool', value: a < b };
    case '>':
      return { kind: 'bool', value: a > b };
    case '<=':
      return { kind: 'bool', value: a <= b };
    case '>=':
      return { kind: 'bool', value: a >= b };
    case '==':
      return { kind: 'bool', value: a === b };
    case '!=':
      return { kind: 'bool', value: a !== b };
  }
  return undefined;
}

function floatOp(op: string, a: number, b: number, text: string): Value {
  switch (op) {
    case '+':
      return floatValue(a + b);
    case '-':
      return floatValue(a - b);
    case '*':
      return floatValue(a * b);
    case '/':
      return b === 0 ? unknownValue(text) : floatValue(a / b);
    case '//':
      return b === 0 ? unknownValue(text) : floatValue(Math.floor(a / b));
    case '%':
      return b === 0 ? unknownValue(text) : floatValue(a - b * Math.floor(a / b));
    case '**': {
      const r = a ** b;
      return Number.isNaN(r) ? unknownValue(text) : floatValue(r);
    }
  }
  return compare(op, a, b) ?? unknownValue(text);
}

function sequenceOp(op: string, a: Value, b: Value, text: string): Value {
  if (op === '+') {
    if (a.kind === 'seq' && b.kind === 'seq' && a.brackets === b.brackets) {
      return { kind: 'seq', brackets: a.brackets, items: [...a.items, ...b.items] };
    }
    if (a.kind === 'str' && b.kind === 'str') return { kind: 'str', value: a.value + b.value };
    return unknownValue(text);
  }
  if (op === '*') {
    const [s, n] = a.kind === 'seq' || a.kind === 'str' ? [a, b] : [b, a];
    const times = asIntExpr(n);
    const k = times === undefined ? undefined : constValue(times);
    if (k === undefined) return unknownValue(text);
    const count = Math.max(0, k);
    if (s.kind === 'seq') {
      if (s.items.length * count > MAX_REPEAT_LENGTH) return unknownValue(text);
      const items: Value[] = [];
      for (let i = 0; i < count; i++) items.push(...s.items);
      return { kind: 'seq', brackets: s.brackets, items };
    }
    if (s.kind === 'str') {
      if (s.value.length * count > MAX_REPEAT_LENGTH) return unknownValue(text);
      return { kind: 'str', value: s.value.repeat(count) };
    }
    return unknownValue(text);
  }
  if ((op === '==' || op === '!=') && a.kind === 'str' && b.kind === 'str') return compare(op, a.value, b.value) ?? unknownValue(text);
  return unknownValue(text);
}

/** `a and b`, `a or b`: Python returns one of the operands, chosen by truthiness. */
export function booleanOp(op: 'and' | 'or', a: Value, b: () => Value, text: string): Value {
  const t = truthiness(a);
  if (t === undefined) return unknownValue(text);
  if (op === 'and') return t ? b() : a;
  return t ? a : b();
}
