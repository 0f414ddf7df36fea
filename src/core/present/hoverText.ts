/**
 * The hover for one layer call, as Markdown. The first line answers the question (the output
 * shape, or why there is none); the arithmetic follows below a rule.
 */
import { analyzeLayer } from '../analyze';
import { format } from '../expr';
import { formatCondition, formatShape, simplifyConditions, type Shape } from '../shape';
import type { LayerCall } from '../values';
import { directFormula, transposedFormula } from './formulas';
import { code, escapeMarkdown } from './markdown';

const AXIS_NAMES: Record<number, string[]> = { 1: ['L'], 2: ['H', 'W'], 3: ['D', 'H', 'W'] };

export function layerHoverMarkdown(layer: LayerCall, input: Shape | undefined): string {
  const outcome = analyzeLayer(layer, input);
  const title = `**${escapeMarkdown(layer.layerType)}**`;
  if (!outcome.ok) {
    const { rule, message } = outcome.refusal;
    const verdict = rule === 'not-constant' || rule === 'no-layer' ? 'cannot compute the shape' : 'PyTorch refuses this layer';
    return `${title}: ${verdict}\n\n${escapeMarkdown(message)}`;
  }
  const r = outcome.value;
  const lines = [`${title} → ${code(formatShape(r.output))}`, '', `for input ${code(formatShape(r.input))}`];
  const conditions = simplifyConditions(r.conditions).map(formatCondition);
  if (conditions.length > 0) lines.push('', `valid when ${conditions.map(code).join(', ')}`);
  const details: string[] = [];
  const names = AXIS_NAMES[r.axes.length] ?? [];
  r.axes.forEach((a, k) => {
    const formula = r.family === 'convTranspose' ? transposedFormula(a) : directFormula(a);
    details.push(`- ${names[k] ?? `axis ${k}`}: ${code(formula)}`);
    if (a.zeroInsertion) {
      const z = a.zeroInsertion;
      const side = (n: number): string => (n >= 0 ? `pad ${n}` : `crop ${-n}`);
      details.push(`  - as a stride-1 conv: insert ${z.zerosBetween} zero${z.zerosBetween === 1 ? '' : 's'} between inputs (length ${code(format(z.insertedLength))}), ${side(z.padBegin)} at the start, ${side(z.padEnd)} at the end, flipped kernel`);
    }
  });
  details.push(`- parameters: ${code(format(r.parameters))}`);
  for (const n of r.notes) details.push(`- ${escapeMarkdown(n)}`);
  lines.push('', '---', '', ...details);
  return lines.join('\n');
}
