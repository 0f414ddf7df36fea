/**
 * Protocol Buffers text format, as Caffe's `.prototxt` files write it: `name: value` fields and
 * `name { … }` messages (`name: { … }` too), `#` comments, repeated fields written again.
 * A small reader: what a half-typed file holds is read as far as it goes, and the places it
 * cannot read are reported as syntax errors (nothing throws).
 */
import type { Span } from '../values';

export type PbValue = { readonly kind: 'scalar'; readonly text: string; readonly span: Span } | { readonly kind: 'message'; readonly fields: readonly PbField[]; readonly span: Span };

export interface PbField {
  readonly name: string;
  readonly nameSpan: Span;
  readonly value: PbValue;
}

interface Token {
  readonly text: string;
  readonly from: number;
  readonly to: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[{}:;,]|[^\s{}:;,#"']+/gy;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('#')) continue;
    tokens.push({ text: t, from: m.index, to: m.index + t.length });
  }
  return tokens;
}

/** The fields of a prototxt file, and the spans it could not read. */
export function parsePrototxt(text: string): { readonly fields: PbField[]; readonly errors: Span[] } {
  const tokens = tokenize(text);
  const errors: Span[] = [];
  let i = 0;
  const message = (until: '}' | undefined): PbField[] => {
    const fields: PbField[] = [];
    while (i < tokens.length) {
      const t = tokens[i];
      if (t.text === '}') {
        if (until === '}') return fields;
        errors.push({ from: t.from, to: t.to });
        i++;
        continue;
      }
      if (t.text === ';' || t.text === ',') {
        i++;
        continue;
      }
      if (!/^[A-Za-z_][\w.]*$/.test(t.text)) {
        errors.push({ from: t.from, to: t.to });
        i++;
        continue;
      }
      i++;
      const nameSpan = { from: t.from, to: t.to };
      if (tokens[i]?.text === ':') i++;
      const next = tokens[i];
      if (!next) {
        errors.push(nameSpan);
        break;
      }
      if (next.text === '{') {
        i++;
        const inner = message('}');
        const close = tokens[i];
        if (close?.text === '}') i++;
        else errors.push({ from: next.from, to: next.to });
        fields.push({ name: t.text, nameSpan, value: { kind: 'message', fields: inner, span: { from: t.from, to: close ? close.to : (inner[inner.length - 1]?.value.span.to ?? next.to) } } });
      } else if (next.text === '}' || next.text === ':') {
        errors.push(nameSpan);
      } else {
        i++;
        const unquoted = next.text.replace(/^["']|["']$/g, '');
        fields.push({ name: t.text, nameSpan, value: { kind: 'scalar', text: unquoted, span: { from: next.from, to: next.to } } });
      }
    }
    if (until === '}') errors.push({ from: text.length, to: text.length });
    return fields;
  };
  return { fields: message(undefined), errors };
}

/** The fields named `name`, in order (repeated fields are written again). */
export function fieldsNamed(fields: readonly PbField[], name: string): PbField[] {
  return fields.filter((f) => f.name === name);
}

export function scalar(fields: readonly PbField[], name: string): string | undefined {
  const f = fields.find((x) => x.name === name);
  return f?.value.kind === 'scalar' ? f.value.text : undefined;
}

export function subMessage(fields: readonly PbField[], name: string): readonly PbField[] | undefined {
  const f = fields.find((x) => x.name === name);
  return f?.value.kind === 'message' ? f.value.fields : undefined;
}
