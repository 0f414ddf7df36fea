/**
 * Upsample (F.interpolate) and PixelShuffle/PixelUnshuffle, as PyTorch 1.13 computes them:
 * interpolation sizes are the floor of the float64 product `size · scale`, so
 * `100 · 0.29 = 28.999999999999996` gives 28.
 */
import { constant, constValue, floorDiv, floorScale, scale, sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';
import { boolValue, describe, floatValue, intValue, strValue, type BoundArgs } from '../args';
import { symbolicInput } from './conv';
import { bracketList, Checks, layerReport, sizeText, type LayerReport } from './report';

const INTERPOLATING = ['linear', 'bilinear', 'bicubic', 'trilinear'];
/** The only input rank each interpolating mode accepts (nearest and area take 3-D to 5-D). */
const MODE_RANK: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

interface UpsampleConfig {
  readonly size: Value | undefined;
  /** After nn.Upsample's own conversion: a float, a tuple of floats, or nothing. */
  readonly scale: number | number[] | undefined;
  readonly mode: string;
  readonly alignCorners: boolean | undefined;
  readonly recompute: boolean;
}

function read(args: BoundArgs, name: string): Value | undefined {
  const v = args.values.get(name);
  return v === undefined || v.kind === 'none' ? undefined : v;
}

function configure(args: BoundArgs): UpsampleConfig {
  const t = args.layerType;
  const mode = t === 'UpsamplingNearest2d' ? 'nearest' : t === 'UpsamplingBilinear2d' ? 'bilinear' : (strValue(read(args, 'mode'), 'mode') ?? 'nearest');
  const alignArg = read(args, 'align_corners');
  const alignCorners = t === 'UpsamplingBilinear2d' ? true : alignArg === undefined ? undefined : boolValue(alignArg, false, 'align_corners');
  const scaleArg = read(args, 'scale_factor');
  let factor: UpsampleConfig['scale'];
  if (scaleArg?.kind === 'seq' && scaleArg.brackets === 'tuple') {
    factor = scaleArg.items.map((v) => floatValue(v, 'scale_factor'));
  } else if (scaleArg?.kind === 'seq') {
    fail('argument', `float() argument must be a string or a real number, not 'list'`);
  } else if (scaleArg !== undefined) {
    // `float(scale_factor) if scale_factor else None`: a zero factor means "not given".
    const f = floatValue(scaleArg, 'scale_factor');
    factor = f === 0 ? undefined : f;
  }
  const recompute = boolValue(read(args, 'recompute_scale_factor'), false, 'recompute_scale_factor');
  return { size: read(args, 'size'), scale: factor, mode, alignCorners, recompute };
}

function defaultRank(cfg: UpsampleConfig): number {
  if (MODE_RANK[cfg.mode] !== undefined) return MODE_RANK[cfg.mode] - 2;
  if (cfg.size?.kind === 'seq') return cfg.size.items.length;
  if (Array.isArray(cfg.scale)) return cfg.scale.length;
  return 2;
}

export function inferUpsample(args: BoundArgs, input: Shape | undefined): LayerReport {
  const checks = new Checks();
  const cfg = configure(args);
  const x = input ?? symbolicInput(sym('C'), defaultRank(cfg));
  if (!INTERPOLATING.includes(cfg.mode) && cfg.alignCorners !== undefined) {
    fail('upsample-args', 'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  }
  const dim = x.length - 2;
  const spatial = x.slice(2);
  let outputs: Expr[];
  if (cfg.size !== undefined && cfg.scale !== undefined) fail('upsample-args', 'only one of size or scale_factor should be defined');
  if (cfg.size !== undefined) {
    const sizes = cfg.size.kind === 'seq' ? cfg.size.items : Array.from({ length: Math.max(dim, 0) }, () => cfg.size!);
    if (cfg.size.kind === 'seq' && sizes.length !== dim) {
      fail('spatial-dims', `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${bracketList(spatial)} and output size of ${describe(cfg.size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
    }
    if (cfg.recompute) fail('upsample-args', 'recompute_scale_factor is not meaningful with an explicit size.');
    outputs = sizes.map((v) => constant(intValue(v, 'size')));
  } else if (cfg.scale !== undefined) {
    const factors = Array.isArray(cfg.scale) ? cfg.scale : Array.from({ length: Math.max(dim, 0) }, () => cfg.scale as number);
    if (Array.isArray(cfg.scale) && factors.length !== dim) {
      fail('spatial-dims', `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${bracketList(spatial)} and scale_factor of shape (${factors.join(', ')}). Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
    }
    outputs = spatial.map((i, a) => floorScale(i, factors[a]));
  } else {
    fail('upsample-args', 'either size or scale_factor should be defined');
  }
  const rank = x.length;
  const modeRank = MODE_RANK[cfg.mode];
  const known = cfg.mode === 'nearest' || cfg.mode === 'area' || cfg.mode === 'nearest-exact' || modeRank !== undefined;
  if (!known || rank < 3 || rank > 5) {
    fail('input-rank', `Input Error: Only 3D, 4D and 5D input Tensors supported (got ${rank}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got ${cfg.mode})`);
  }
  if (modeRank !== undefined && rank !== modeRank) fail('input-rank', `Got ${rank}D input, but ${cfg.mode} mode needs ${modeRank}D input`);
  const axisNames = rank === 3 ? ['W'] : rank === 4 ? ['H', 'W'] : ['D', 'H', 'W'];
  const listed = (xs: readonly Expr[]): string => xs.map((v, a) => `${axisNames[a]}: ${sizeText(v)}`).join(', ');
  const tooSmall = (): never => fail('upsample-zero', `Input and output sizes should be greater than 0, but got input (${listed(spatial)}) output (${listed(outputs)})`);
  [...spatial, ...outputs].forEach((v) => checks.atLeast(v, 1, tooSmall));
  if (x.length === 3 && input !== undefined && input.length === 3) {
    checks.notes.push('F.interpolate reads a 3-D input as (N, C, L): an unbatched (C, H, W) image is resized along W only');
  }
  return layerReport(args.layerType, 'upsample', x, [x[0], x[1], ...outputs], checks);
}

export function inferPixelShuffle(args: BoundArgs, input: Shape | undefined, unshuffle: boolean): LayerReport {
  const checks = new Checks();
  const name = unshuffle ? 'pixel_unshuffle' : 'pixel_shuffle';
  const r = intValue(args.values.get(unshuffle ? 'downscale_factor' : 'upscale_factor')!, unshuffle ? 'downscale_factor' : 'upscale_factor');
  const x = input ?? symbolicInput(unshuffle ? sym('C') : scale(sym('C'), r * r), 2);
  if (x.length < 3) fail('input-rank', `${name} expects input to have at least 3 dimensions, but got input with ${x.length} dimension(s)`);
  if (r <= 0) fail(unshuffle ? 'pixel-unshuffle-size' : 'pixel-shuffle-channels', `${name} expects a positive ${unshuffle ? 'downscale_factor' : 'upscale_factor'}, but got ${r}`);
  const lead = x.slice(0, -3);
  const [c, h, w] = x.slice(-3);
  let output: Expr[];
  if (unshuffle) {
    checks.divisible(h, r, () => fail('pixel-unshuffle-size', `pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${sizeText(h)} is not divisible by ${r}`));
    checks.divisible(w, r, () => fail('pixel-unshuffle-size', `pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${sizeText(w)} is not divisible by ${r}`));
    output = [scale(c, r * r), floorDiv(h, r), floorDiv(w, r)];
  } else {
    checks.divisible(c, r * r, () => fail('pixel-shuffle-channels', `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${constValue(c)} is not divisible by ${r * r}`));
    output = [floorDiv(c, r * r), scale(h, r), scale(w, r)];
  }
  return layerReport(args.layerType, 'pixelShuffle', x, [...lead, ...output], checks);
}
