/**
 * Where the convert command puts things in a Python file: the helpers go once, after the
 * module's imports; the replacement's continuation lines follow the call's indentation.
 */
import { HELPER_MARKER, HELPERS } from './zeroInserted';

export interface Insertion {
  readonly offset: number;
  readonly text: string;
}

/**
 * The helper definitions to insert into `text`, or undefined when the file already has
 * them (a second conversion reuses them). They go after the last top-level import — a
 * parenthesised multi-line import counts to its closing line — or at the very top.
 */
export function helperInsertion(text: string): Insertion | undefined {
  if (text.includes(HELPER_MARKER)) return undefined;
  let after = 0; // offset just past the last top-level import statement
  let open = 0;
  let offset = 0;
  let inImport = false;
  for (const line of text.split('\n')) {
    const next = offset + line.length + 1;
    if (inImport || /^(import|from)\s/.test(line)) {
      inImport = true;
      open += count(line, '(') - count(line, ')');
      if (open <= 0 && !line.trimEnd().endsWith('\\')) {
        inImport = false;
        open = 0;
        after = Math.min(next, text.length);
      }
    }
    offset = next;
  }
  const atEnd = after === text.length && !text.endsWith('\n') && text.length > 0;
  const body = HELPERS.trimEnd();
  if (after === 0) return { offset: 0, text: `${body}\n\n\n` };
  return { offset: after, text: `${atEnd ? '\n' : ''}\n\n${body}\n\n` };
}

/** The leading whitespace of the line that contains `offset`. */
export function indentationAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

function count(s: string, c: string): number {
  let n = 0;
  for (const ch of s) if (ch === c) n++;
  return n;
}
