/**
 * The hover for one layer call, as Markdown. The first two lines answer the question (the
 * output shape and the input it is for, or why there is no answer); the arithmetic follows
 * below a rule: per-axis formulas with the numbers plugged in, padding on each side, the
 * zero-insertion form of a transposed conv, unread input, uneven overlap, receptive field,
 * parameters and multiply-adds. User text is always escaped; links are the caller's.
 */
import { checkerboard } from '../editor/checkerboard';
import type { InputOrigin, LayerInsight } from '../editor/documentAnalysis';
import type { ReceptiveField } from '../editor/receptiveField';
import { constValue, format, type Expr } from '../expr';
import { axisNames, formatCondition, formatShape, simplifyConditions } from '../shape';
import type { LayerReport } from '../torch/report';
import { translateTransposed } from '../translate';
import { FRAMEWORK_NAMES } from '../values';
import { axisFormula } from './formulas';
import { code, escapeMarkdown } from './markdown';

export interface HoverExtras {
  /** Receptive field through the chain up to this layer. */
  readonly receptiveField?: ReceptiveField;
  /** Where the chain starts (its line, 1-based), for the receptive field's unit. */
  readonly chainLine?: number;
  /** Markdown command links to append (already built by the extension layer). */
  readonly links?: readonly string[];
}

export function layerHoverMarkdown(insight: Pick<LayerInsight, 'layer' | 'outcome' | 'origin' | 'unreached'>, extras: HoverExtras = {}): string {
  const { layer, outcome } = insight;
  const title = `**${escapeMarkdown(layer.layerType)}**`;
  const links = extras.links && extras.links.length > 0 ? ['', '---', '', extras.links.join(' · ')] : [];
  if (!outcome.ok) {
    const { rule, message } = outcome.refusal;
    const verdict = rule === 'not-constant' || rule === 'no-layer' ? 'cannot compute the shape' : `${FRAMEWORK_NAMES[layer.framework]} refuses this layer`;
    return [`${title}: ${verdict}`, '', escapeMarkdown(message), ...links].join('\n');
  }
  const r = outcome.value;
  const lines = [`${title} → ${code(formatShape(r.output))}`, '', `for input ${code(formatShape(r.input))}${originText(insight.origin, insight.unreached)}`];
  const conditions = simplifyConditions(r.conditions).map(formatCondition);
  if (conditions.length > 0) lines.push('', `valid when ${conditions.map(code).join(', ')}`);
  const details = [...axisDetails(r), ...overlapDetails(r), ...fieldDetails(extras), `- parameters: ${code(count(r.parameters))}`, ...multiplyAddDetails(r), ...translationDetails(r)];
  for (const n of r.notes) details.push(`- ${escapeMarkdown(n)}`);
  lines.push('', '---', '', ...details, ...links);
  return lines.join('\n');
}

function originText(origin: InputOrigin, unreached: boolean): string {
  if (unreached) return ' (its own input: an earlier layer of the chain is refused)';
  switch (origin.kind) {
    case 'comment':
      return ` (from the comment on line ${origin.line + 1})`;
    case 'previous':
      return ' (the previous layer\'s output)';
    case 'file':
      return ' (this file\'s input shape)';
    case 'setting':
      return ' (`convLens.defaultInputShape`)';
    case 'symbolic':
      return '';
  }
}

function axisDetails(r: LayerReport): string[] {
  const names = axisNames(r.axes.length);
  const side = (n: number): string => (n >= 0 ? `pad ${n}` : `crop ${-n}`);
  return r.axes.flatMap((a, k) => {
    const out = [`- ${names[k]}: ${code(axisFormula(r, a))}`];
    if (a.zeroInsertion) {
      const z = a.zeroInsertion;
      out.push(`  - as a stride-1 conv: insert ${z.zerosBetween} zero${z.zerosBetween === 1 ? '' : 's'} between inputs (length ${code(format(z.insertedLength))}), ${side(z.padBegin)} at the start, ${side(z.padEnd)} at the end, flipped kernel`);
    } else if (a.padBegin !== 0 || a.padEnd !== 0) {
      out.push(`  - padding: ${a.padBegin} at the start, ${a.padEnd} at the end`);
    }
    const unread = a.unread === undefined ? undefined : constValue(a.unread);
    if (unread !== undefined && unread > 0) out.push(`  - the last ${unread} input ${unread === 1 ? 'element is' : 'elements are'} never read (the stride does not fit the input exactly)`);
    return out;
  });
}

function overlapDetails(r: LayerReport): string[] {
  const c = checkerboard(r);
  if (!c) return [];
  const names = axisNames(r.axes.length);
  const a = r.axes[c.axes[0]];
  const out = [`- ⚠ uneven overlap (checkerboard) along ${c.axes.map((k) => names[k]).join(', ')}: kernel ${a.effectiveKernel} is not divisible by stride ${a.stride}, so outputs get ${c.minTaps} or ${c.maxTaps} taps in turn`];
  if (c.alternative) out.push(`  - same output size without it: ${code(c.alternative)}`);
  return out;
}

function fieldDetails(extras: HoverExtras): string[] {
  const rf = extras.receptiveField;
  if (!rf) return [];
  const where = extras.chainLine === undefined ? 'the chain\'s input' : `the input of the chain on line ${extras.chainLine}`;
  if (!rf.ok) return [`- receptive field: not followed through ${escapeMarkdown(rf.blockedBy)}`];
  const dims = (xs: readonly number[]): string => (xs.every((x) => x === xs[0]) ? fraction(xs[0]) : xs.map(fraction).join('×'));
  return [`- receptive field ${code(dims(rf.field))}, jump ${code(dims(rf.jump))} (in pixels of ${where})`];
}

function multiplyAddDetails(r: LayerReport): string[] {
  const m = r.multiplyAdds;
  if (!m) return [];
  if (!m.zeroInserted) return [`- multiply-adds: ${code(count(m.computed))}`];
  return [`- multiply-adds: ${code(count(m.computed))} as computed (each input times the kernel), ${code(count(m.zeroInserted))} as the naive zero-inserted conv`];
}

/**
 * The same transposed conv in the other frameworks (the same window of the full output).
 * Worked out once per engine answer: answers are kept across keystrokes, hovers come often.
 */
function translationDetails(r: LayerReport): readonly string[] {
  const known = translationsByReport.get(r);
  if (known) return known;
  const own = r.framework ?? 'torch';
  const others = (translateTransposed(r) ?? []).filter((t) => t.target !== own && t.code !== '');
  const lines = others.length === 0 ? [] : ['- the same layer in', ...others.map((t) => `  - ${t.name}: ${code(t.code.replace(/,?\n/g, '; '))}${t.exact ? '' : ' (no single layer keeps this window)'}`)];
  translationsByReport.set(r, lines);
  return lines;
}
const translationsByReport = new WeakMap<LayerReport, readonly string[]>();

/** An exact count with thousands separators, or its formula when symbolic. */
function count(e: Expr): string {
  const n = constValue(e);
  // Long numbers inside a formula get separators too: `33,554,432·N`.
  return n === undefined ? format(e).replace(/\d{5,}/g, (digits) => Number(digits).toLocaleString('en-US')) : n.toLocaleString('en-US');
}

function fraction(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const inverse = 1 / x;
  return Number.isInteger(inverse) ? `1/${inverse}` : x.toFixed(3);
}
