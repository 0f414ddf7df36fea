/** A selection's trace as Markdown: one row per layer with its output, the final shape first. */
import type { TraceStep } from '../editor/selectionTrace';
import { formatShape } from '../shape';
import { FRAMEWORK_NAMES } from '../values';
import { code, escapeMarkdown } from './markdown';

/** `lineOf` gives a layer's 1-based line. */
export function traceMarkdown(steps: readonly TraceStep[], lineOf: (offset: number) => number): string {
  const last = steps[steps.length - 1];
  const head = last.outcome.ok
    ? `**${steps.length} layers** → ${code(formatShape(last.outcome.value.output))}`
    : `**${steps.length} layers**: ${FRAMEWORK_NAMES[last.layer.framework]} refuses ${escapeMarkdown(last.layer.layerType)} on line ${lineOf(last.layer.span.from)}`;
  const first = steps[0].outcome;
  const rows = steps.map((s) => `| ${lineOf(s.layer.span.from)} | ${escapeMarkdown(s.layer.layerType)} | ${s.outcome.ok ? code(formatShape(s.outcome.value.output)) : `refused: ${escapeMarkdown(s.outcome.refusal.message)}`} |`);
  return [head, '', first.ok ? `for input ${code(formatShape(first.value.input))}` : '', '', '| line | layer | output |', '|---:|---|---|', ...rows].join('\n');
}
