/**
 * Input shapes written in comments, the way people already annotate models:
 * `# input: (1, 16, 32, 32)`, `# (N, 16, 32, 32)`, `# in: 1x16x32x32`, `# x: [B, 16, H, W]`.
 * Letters are symbols. A comment that names an output (`# out: …`, `# -> (…)`) is not an input.
 */
import { parseShapeSpec } from '../query';
import { LineIndex } from '../lines';
import type { Shape } from '../shape';

const OUTPUT_LABELS = /^(out|output|outputs|y|returns?|result)$/i;

/** The shape a comment's text (from `#` on) states as an input, or undefined. */
export function parseShapeComment(comment: string): Shape | undefined {
  const m = /^#\s*(?:([A-Za-z_]\w*)\s*:\s*)?(.*?)\s*$/.exec(comment);
  if (!m) return undefined;
  if (m[1] !== undefined && OUTPUT_LABELS.test(m[1])) return undefined;
  // A bracketed shape may be followed by words (`# input: (1, 16, 8, 8) after the stem`).
  const body = /^([([][^()[\]]*[)\]])(?:[\s,;.:–—-].*)?$/.exec(m[2])?.[1] ?? m[2];
  // A shape has brackets around dimensions joined by commas, or dimensions joined by commas
  // or x: not a sentence (`# (see below)` is not a shape).
  if (!/^[([][^()[\]]*,[^()[\]]*[)\]]$/.test(body) && !/^\w+(\s*[,x×]\s*\w+)+$/.test(body)) return undefined;
  const shape = parseShapeSpec(body);
  return shape && shape.length >= 2 ? shape : undefined;
}

/** Line-oriented access to a source's comments (a `#` outside string literals on the line). */
export class CommentIndex extends LineIndex {
  /**
   * The input shape stated for code starting at `offset`: a shape comment at the end of its
   * line, or on a comment-only line directly above. Returns the 0-based line it was found on.
   */
  inputShapeFor(offset: number): { readonly shape: Shape; readonly line: number } | undefined {
    const line = this.lineOf(offset);
    const own = commentOf(this.lines[line]);
    const ownShape = own === undefined ? undefined : parseShapeComment(own);
    if (ownShape) return { shape: ownShape, line };
    if (line === 0) return undefined;
    const above = this.lines[line - 1];
    if (!/^\s*#/.test(above)) return undefined;
    const aboveShape = parseShapeComment(above.trim());
    return aboveShape ? { shape: aboveShape, line: line - 1 } : undefined;
  }
}

/** The comment of a line (from its `#`), skipping `#` inside string literals. */
function commentOf(line: string): string | undefined {
  // Most lines of a model have no `#` at all: one native search instead of a character loop.
  if (!line.includes('#')) return undefined;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(i);
  }
  return undefined;
}
