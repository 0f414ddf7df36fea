/**
 * The text changes the extension's rewriting commands make, as plain data: the convert
 * command (the call replaced, the helpers inserted once) and the solver's and the panel's
 * "Apply to source" (a call's window arguments replaced). Worked out here, in the core, so
 * that property tests can check on thousands of files what VS Code then applies as one
 * WorkspaceEdit: only the target's text changes, nothing overlaps, the result parses.
 */
import { helperInsertion, indentationAt } from '../convert/placement';
import { convertTransposedCall } from '../convert/zeroInserted';
import type { Outcome } from '../outcome';
import { withConfig } from '../solve/rewrite';
import type { AxisConfig, ConvKind } from '../solve/solver';
import type { LayerCall } from '../values';

/** Replace text[from, to) by `text`; from === to inserts. */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * The convert command's edits for the transposed conv `layer` of `text`: the call's span
 * replaced, and the helpers inserted after the imports unless the file has them. Sorted and
 * not overlapping (VS Code refuses overlapping edits): helpers due exactly where the call
 * starts (a file that is just the call) join the replacement.
 */
export function conversionEdits(text: string, layer: LayerCall): Outcome<TextEdit[]> {
  const conversion = convertTransposedCall(layer, { arguments: 'source', indent: indentationAt(text, layer.span.from) });
  if (!conversion.ok) return conversion;
  const helpers = helperInsertion(text);
  const call = { from: layer.span.from, to: layer.span.to, text: conversion.value.replacement };
  if (!helpers) return { ok: true, value: [call] };
  if (helpers.offset === layer.span.from) return { ok: true, value: [{ ...call, text: helpers.text + call.text }] };
  const insertion = { from: helpers.offset, to: helpers.offset, text: helpers.text };
  return { ok: true, value: helpers.offset < layer.span.from ? [insertion, call] : [call, insertion] };
}

/** "Apply to source": the call's argument list (inside its parentheses) with `config`; the rest of the call keeps its text. */
export function argumentsEdit(text: string, layer: LayerCall, kind: ConvKind, config: AxisConfig | readonly AxisConfig[]): TextEdit {
  const open = text.indexOf('(', layer.calleeSpan.to) + 1;
  return { from: open, to: layer.span.to - 1, text: withConfig(layer, kind, config) };
}

/** `text` with sorted, non-overlapping `edits` applied (what the editor shows afterwards). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    if (e.from < at || e.to < e.from) throw new RangeError(`edits overlap or are unsorted at ${e.from}`);
    out += text.slice(at, e.from) + e.text;
    at = e.to;
  }
  return out + text.slice(at);
}
