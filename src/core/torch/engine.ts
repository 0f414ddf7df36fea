/**
 * The PyTorch shape engine: one layer call and an input shape (or none: then a symbolic
 * one) in, a report or PyTorch's refusal out. Never throws.
 */
import { fail, RefusalSignal, refuse, ok, type Outcome } from '../outcome';
import type { Shape } from '../shape';
import type { LayerCall } from '../values';
import type { BoundArgs } from '../args';
import { bindArguments, isElementwise, spatialRank } from './catalog';
import { inferConv } from './conv';
import { inferBatchOrInstanceNorm, inferElementwise, inferFlatten, inferGroupNorm, inferLayerNorm, inferLinear, inferPad, inferUnflatten } from './features';
import { inferAdaptivePool, inferMaxUnpool, inferPool } from './pool';
import type { LayerReport } from './report';
import { inferPixelShuffle, inferUpsample } from './resample';

type Infer = (args: BoundArgs, input: Shape | undefined) => LayerReport;

/** Only called on names that end in 1d, 2d or 3d. */
function nd(layerType: string): 1 | 2 | 3 {
  return spatialRank(layerType)!;
}

/** The rule for a layer type, chosen by the family its name belongs to. */
function ruleFor(t: string): Infer | undefined {
  const m = /^(Lazy)?Conv(Transpose)?[123]d$/.exec(t);
  if (m) return (a, x) => inferConv(a, { nd: nd(t), transposed: m[2] !== undefined, lazy: m[1] !== undefined }, x);
  if (/^MaxPool[123]d$/.test(t)) return (a, x) => inferPool(a, nd(t), 'max', x);
  if (/^AvgPool[123]d$/.test(t)) return (a, x) => inferPool(a, nd(t), 'avg', x);
  if (/^AdaptiveMaxPool[123]d$/.test(t)) return (a, x) => inferAdaptivePool(a, nd(t), 'max', x);
  if (/^AdaptiveAvgPool[123]d$/.test(t)) return (a, x) => inferAdaptivePool(a, nd(t), 'avg', x);
  if (/^MaxUnpool[123]d$/.test(t)) return (a, x) => inferMaxUnpool(a, nd(t), x);
  if (t === 'Upsample' || t === 'UpsamplingNearest2d' || t === 'UpsamplingBilinear2d') return inferUpsample;
  if (t === 'PixelShuffle') return (a, x) => inferPixelShuffle(a, x, false);
  if (t === 'PixelUnshuffle') return (a, x) => inferPixelShuffle(a, x, true);
  if (t === 'Flatten') return inferFlatten;
  if (t === 'Unflatten') return inferUnflatten;
  if (t === 'Linear') return (a, x) => inferLinear(a, x, false);
  if (t === 'LazyLinear') return (a, x) => inferLinear(a, x, true);
  if (/^(Batch|Instance)Norm[123]d$/.test(t)) return inferBatchOrInstanceNorm;
  if (t === 'GroupNorm') return inferGroupNorm;
  if (t === 'LayerNorm') return inferLayerNorm;
  if (/^(ZeroPad|ConstantPad|ReflectionPad|ReplicationPad)[123]d$/.test(t)) return inferPad;
  if (isElementwise(t) || t === 'Identity') return inferElementwise;
  return undefined;
}

export function inferTorchLayer(call: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  try {
    const rule = ruleFor(call.layerType);
    if (!rule) fail('no-layer', `${call.layerType} is not a layer Conv Lens knows`);
    return ok(rule(bindArguments(call), input));
  } catch (e) {
    if (e instanceof RefusalSignal) return { ok: false, refusal: e.refusal };
    // An engine bug must not take the editor down: report it as a value.
    return refuse('other', `internal error while analysing ${call.layerType}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
