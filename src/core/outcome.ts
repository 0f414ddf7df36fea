/**
 * Results as values. A layer PyTorch refuses is not an exception here: it is a `Refusal`
 * carrying the rule PyTorch applies and a message that states it the way PyTorch does.
 */

/** Which rule refused the layer; tests compare these with what real PyTorch raised. */
export type RefusalRule =
  | 'kernel-too-large'
  | 'output-too-small'
  | 'output-padding'
  | 'groups-divide-in'
  | 'groups-divide-out'
  | 'groups-positive'
  | 'same-strided'
  | 'padding-string'
  | 'channel-mismatch'
  | 'linear-mismatch'
  | 'layernorm-shape'
  | 'input-rank'
  | 'pool-padding'
  | 'negative-padding'
  | 'non-positive-stride'
  | 'dilation'
  | 'kernel-size'
  | 'padding-mode'
  | 'upsample-args'
  | 'upsample-zero'
  | 'spatial-dims'
  | 'pixel-shuffle-channels'
  | 'pixel-unshuffle-size'
  | 'pad-size'
  | 'argument'
  | 'group-norm-groups'
  | 'unflatten'
  | 'adaptive'
  | 'other'
  /** Not a PyTorch refusal: a value the analysis needs is not a constant in the source. */
  | 'not-constant'
  /** Not a PyTorch refusal: the source has no layer we understand. */
  | 'no-layer';

export interface Refusal {
  readonly rule: RefusalRule;
  /** The reason, stated as PyTorch states it (with `ValueError:`-style prefixes left out). */
  readonly message: string;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly refusal: Refusal };

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

export function refuse<T = never>(rule: RefusalRule, message: string): Outcome<T> {
  return { ok: false, refusal: { rule, message } };
}

/**
 * Thrown only inside the engine to unwind to the layer boundary; never escapes the core.
 * Deliberately not an Error: a refusal is an answer, not a fault, and capturing a stack
 * trace for each one cost a twentieth of the batch throughput.
 */
export class RefusalSignal {
  constructor(readonly refusal: Refusal) {}
}

export function fail(rule: RefusalRule, message: string): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- see RefusalSignal
  throw new RefusalSignal({ rule, message });
}
