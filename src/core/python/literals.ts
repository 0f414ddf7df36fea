/**
 * Python literal tokens to values: numbers (`0x1_0`, `1e-3`) and strings (`r'..'`, `"""…"""`,
 * `f'..'` without replacements). Works on one token's text at a time, never on the file.
 */
import type { SyntaxNode } from '@lezer/common';
import { constant } from '../expr';
import type { Value } from '../values';
import { childNamed } from './syntax';

export function unknownValue(text: string): Value {
  return { kind: 'unknown', text };
}

/** A Number token. Complex literals (`2j`) are unknown: no layer takes one. */
export function numberValue(raw: string): Value {
  const s = raw.includes('_') ? raw.split('_').join('') : raw;
  const last = s[s.length - 1];
  if (last === 'j' || last === 'J') return unknownValue(raw);
  const radix = s.length > 2 && s[0] === '0' ? { x: 16, X: 16, o: 8, O: 8, b: 2, B: 2 }[s[1]] : undefined;
  if (radix !== undefined) {
    const n = parseInt(s.slice(2), radix);
    return Number.isNaN(n) ? unknownValue(raw) : { kind: 'int', expr: constant(n) };
  }
  const n = Number(s);
  if (Number.isNaN(n)) return unknownValue(raw);
  if (s.includes('.') || s.includes('e') || s.includes('E')) return { kind: 'float', value: n };
  return { kind: 'int', expr: constant(n) };
}

/**
 * A String, FormatString or ContinuedString node (`'a' "b"` concatenates).
 * An f-string with a `{…}` replacement is unknown: its value depends on runtime values.
 */
export function stringValue(node: SyntaxNode, text: string): Value {
  const raw = text.slice(node.from, node.to);
  if (node.name === 'ContinuedString') {
    let out = '';
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'String' && c.name !== 'FormatString') continue;
      const part = stringValue(c, text);
      if (part.kind !== 'str') return unknownValue(raw);
      out += part.value;
    }
    return { kind: 'str', value: out };
  }
  if (node.name === 'FormatString' && childNamed(node, 'FormatReplacement')) return unknownValue(raw);
  const value = decodeString(raw, node.name === 'FormatString');
  return value === undefined ? unknownValue(raw) : { kind: 'str', value };
}

/** The value of one string token's source text (prefix, quotes, body). */
export function decodeString(raw: string, isFormat: boolean): string | undefined {
  let i = 0;
  while (i < raw.length && /[a-zA-Z]/.test(raw[i])) i++;
  const prefix = raw.slice(0, i).toLowerCase();
  const rest = raw.slice(i);
  const quote = rest.startsWith("'''") || rest.startsWith('"""') ? rest.slice(0, 3) : rest.slice(0, 1);
  if (quote !== "'" && quote !== '"' && quote !== "'''" && quote !== '"""') return undefined;
  // Half-typed code may lack the closing quote; take what is there.
  const closed = rest.length >= 2 * quote.length && rest.endsWith(quote);
  let body = rest.slice(quote.length, closed ? rest.length - quote.length : rest.length);
  if (!prefix.includes('r')) body = decodeEscapes(body);
  if (isFormat) body = body.split('{{').join('{').split('}}').join('}');
  return body;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '',
};

/** Python's escape sequences; an unrecognised one keeps its backslash, as Python does. */
function decodeEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i++;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    const hex = body.slice(i + 2, i + 2 + hexLength);
    if (hexLength > 0 && hex.length === hexLength && /^[0-9a-fA-F]+$/.test(hex)) {
      out += String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
      i += 1 + hexLength;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
      continue;
    }
    out += ch;
  }
  return out;
}
