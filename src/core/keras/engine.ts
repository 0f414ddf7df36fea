/**
 * The Keras shape engine: one layer call and an input shape (or none: then a symbolic
 * channels-last one) in, a report or Keras' refusal out. Never throws.
 */
import { RefusalSignal, fail, ok, refuse, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import type { LayerReport } from '../torch/report';
import type { LayerCall } from '../values';
import { bindKerasArguments, isShapeKeeping, kerasRank } from './catalog';
import { inferKerasConv } from './conv';
import { inferKerasDense, inferKerasFlatten, inferKerasInput, inferKerasPadOrCrop, inferKerasPool, inferKerasReshape, inferKerasShapeKeeping, inferKerasUpSampling } from './layers';
import type { BoundArgs } from '../args';

type Infer = (args: BoundArgs, input: Shape | undefined) => LayerReport;

function ruleFor(t: string): Infer | undefined {
  const rank = kerasRank(t);
  if (rank) {
    if (/^Conv[123]D$/.test(t)) return (a, x) => inferKerasConv(a, rank, false, x);
    if (/^Conv[123]DTranspose$/.test(t)) return (a, x) => inferKerasConv(a, rank, true, x);
    if (/^(Max|Average)Pooling[123]D$/.test(t)) return (a, x) => inferKerasPool(a, rank, x);
    if (/^UpSampling[123]D$/.test(t)) return (a, x) => inferKerasUpSampling(a, rank, x);
    if (/^ZeroPadding[123]D$/.test(t)) return (a, x) => inferKerasPadOrCrop(a, rank, false, x);
    if (/^Cropping[123]D$/.test(t)) return (a, x) => inferKerasPadOrCrop(a, rank, true, x);
  }
  if (t === 'Dense') return inferKerasDense;
  if (t === 'Flatten') return inferKerasFlatten;
  if (t === 'Reshape') return inferKerasReshape;
  if (t === 'Input') return (a) => inferKerasInput(a);
  if (isShapeKeeping(t)) return inferKerasShapeKeeping;
  return undefined;
}

export function inferKerasLayer(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    const rule = ruleFor(call.layerType);
    if (!rule) fail('no-layer', `${call.layerType} is not a Keras layer Conv Lens knows`);
    return ok(rule(bindKerasArguments(call), input));
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
