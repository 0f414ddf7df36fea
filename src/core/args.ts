/**
 * Binding a call's arguments to a constructor signature as Python does, and reading the bound
 * values the way the frameworks read them (an int is repeated per axis, a sequence is taken
 * as is). Framework-neutral: each engine brings its signatures and its own wording for an
 * unknown keyword (Python's TypeError for PyTorch, Keras' ValueError for Keras).
 */
import { constValue, format, type Expr } from './expr';
import { fail } from './outcome';
import type { Argument, LayerCall, Value } from './values';

export interface Param {
  readonly name: string;
  /** Whether the constructor requires it (no default). */
  readonly required: boolean;
}

export interface Signature {
  readonly params: readonly Param[];
  /** True for `Identity(*args, **kwargs)`, which accepts and ignores anything. */
  readonly acceptsAnything?: boolean;
  /** Keyword-only arguments a constructor accepts besides its params (Keras' base-layer kwargs). */
  readonly keywords?: ReadonlySet<string>;
}

export const req = (name: string): Param => ({ name, required: true });
export const opt = (name: string): Param => ({ name, required: false });

export interface BoundArgs {
  readonly layerType: string;
  /** Only the arguments the call gives; defaults are applied by the reader. */
  readonly values: ReadonlyMap<string, Value>;
}

/**
 * Binds positional and keyword arguments as Python would, refusing what Python refuses;
 * `unknownKeyword` words the refusal of a keyword the signature does not have.
 */
export function bindSignature(call: LayerCall, sig: Signature, unknownKeyword: (name: string) => string): BoundArgs {
  const who = `${call.layerType}.__init__()`;
  if (call.hasStarArgs) fail('not-constant', `${call.layerType}(…) is called with *args or **kwargs, so its arguments cannot be known without running the code`);
  const values = new Map<string, Value>();
  if (sig.acceptsAnything) return { layerType: call.layerType, values };
  const positional = call.args.filter((a) => a.name === undefined);
  const keywords = call.args.filter((a): a is Argument & { name: string } => a.name !== undefined);
  if (positional.length > sig.params.length) {
    const required = sig.params.filter((p) => p.required).length;
    const takes = required === sig.params.length ? `${required + 1}` : `from ${required + 1} to ${sig.params.length + 1}`;
    fail('argument', `${who} takes ${takes} positional arguments but ${positional.length + 1} were given`);
  }
  positional.forEach((a, i) => values.set(sig.params[i].name, a.value));
  for (const k of keywords) {
    if (!sig.params.some((p) => p.name === k.name) && !sig.keywords?.has(k.name)) fail('argument', unknownKeyword(k.name));
    if (values.has(k.name)) fail('argument', `${who} got multiple values for argument '${k.name}'`);
    values.set(k.name, k.value);
  }
  const missing = sig.params.filter((p) => p.required && !values.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length > 0) {
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    fail('argument', `${who} missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${list}`);
  }
  return { layerType: call.layerType, values };
}

export function describe(v: Value): string {
  switch (v.kind) {
    case 'int':
      return String(constValue(v.expr) ?? format(v.expr));
    case 'float':
      return Number.isInteger(v.value) ? `${v.value}.0` : String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'str':
      return `'${v.value}'`;
    case 'none':
      return 'None';
    case 'seq': {
      const inner = v.items.map(describe).join(', ');
      return v.brackets === 'list' ? `[${inner}]` : v.items.length === 1 ? `(${inner},)` : `(${inner})`;
    }
    case 'unknown':
      return v.text;
  }
}

function typeName(v: Value): string {
  switch (v.kind) {
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'bool':
      return 'bool';
    case 'str':
      return 'str';
    case 'none':
      return 'NoneType';
    case 'seq':
      return v.brackets;
    case 'unknown':
      return 'unknown';
  }
}

function notConstant(name: string, v: Value): never {
  fail('not-constant', `${name} = ${describe(v)} is not a constant here, so the size cannot be computed without running the code`);
}

/** An integer hyper-parameter (kernel, stride, …): it must be a known constant. */
export function intValue(v: Value, name: string): number {
  if (v.kind === 'bool') return v.value ? 1 : 0;
  if (v.kind === 'int') {
    const k = constValue(v.expr);
    if (k === undefined) notConstant(name, v);
    return k;
  }
  if (v.kind === 'unknown') notConstant(name, v);
  return fail('argument', `${name} must be an int, not ${typeName(v)}`);
}

/** A size that may stay symbolic (channel counts, features). */
export function countValue(v: Value, name: string): Expr {
  if (v.kind === 'int') return v.expr;
  if (v.kind === 'bool') return { terms: [], c: v.value ? 1 : 0 };
  if (v.kind === 'unknown') notConstant(name, v);
  return fail('argument', `${name} must be an int, not ${typeName(v)}`);
}

/**
 * PyTorch's `_ntuple(n)`: a sequence is kept whatever its length (a wrong length is only
 * refused when the layer runs), anything else is repeated n times.
 */
export function intTuple(v: Value, n: number, name: string): number[] {
  if (v.kind === 'seq') return v.items.map((item) => intValue(item, name));
  const k = intValue(v, name);
  return Array.from({ length: n }, () => k);
}

export function boolValue(v: Value | undefined, fallback: boolean, name: string): boolean {
  if (v === undefined || v.kind === 'none') return v === undefined ? fallback : false;
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'int') {
    const k = constValue(v.expr);
    if (k !== undefined) return k !== 0;
  }
  if (v.kind === 'float') return v.value !== 0;
  if (v.kind === 'str') return v.value.length > 0;
  if (v.kind === 'seq') return v.items.length > 0;
  return notConstant(name, v);
}

export function strValue(v: Value | undefined, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'str') return v.value;
  if (v.kind === 'unknown' || (v.kind === 'int' && constValue(v.expr) === undefined)) notConstant(name, v);
  return undefined;
}

/** A float parameter such as a scale factor (ints are floats here, as in Python). */
export function floatValue(v: Value, name: string): number {
  if (v.kind === 'float') return v.value;
  if (v.kind === 'bool') return v.value ? 1 : 0;
  return intValue(v, name);
}
