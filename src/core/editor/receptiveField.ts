/**
 * Receptive field and jump through a chain, per spatial axis, in pixels of the chain's input:
 * the receptive field is how many input pixels one output pixel can depend on, the jump how
 * far apart (in input pixels) two neighbouring outputs are. A conv or pool widens the field by
 * (effective kernel − 1)·jump and multiplies the jump by its stride; a transposed conv divides
 * the jump by its stride, and each output reads ⌈effective kernel / stride⌉ real inputs.
 */
import type { LayerReport } from '../torch/report';

export type ReceptiveField =
  | { readonly ok: true; readonly field: readonly number[]; readonly jump: readonly number[] }
  /** A layer on the way that the arithmetic does not follow (resampling, reshaping…). */
  | { readonly ok: false; readonly blockedBy: string };

/** Families that keep every pixel where it is: the field passes through unchanged. */
const PASS_THROUGH = new Set(['norm', 'elementwise', 'input']);

export function receptiveField(reports: readonly LayerReport[]): ReceptiveField | undefined {
  let field: number[] | undefined;
  let jump: number[] | undefined;
  for (const r of reports) {
    if (PASS_THROUGH.has(r.family)) continue;
    if ((r.family !== 'conv' && r.family !== 'convTranspose' && r.family !== 'pool') || r.axes.length === 0) return { ok: false, blockedBy: r.layerType };
    field ??= r.axes.map(() => 1);
    jump ??= r.axes.map(() => 1);
    if (field.length !== r.axes.length) return { ok: false, blockedBy: r.layerType };
    r.axes.forEach((a, k) => {
      if (r.family === 'convTranspose') {
        field![k] += (Math.ceil(a.effectiveKernel / a.stride) - 1) * jump![k];
        jump![k] /= a.stride;
      } else {
        field![k] += (a.effectiveKernel - 1) * jump![k];
        jump![k] *= a.stride;
      }
    });
  }
  return field && jump ? { ok: true, field, jump } : undefined;
}
