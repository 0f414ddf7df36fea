/**
 * The `torch.nn` classes Conv Lens understands, with their constructor signatures exactly
 * as PyTorch 1.13 declares them (positional order matters: ConvTranspose puts `groups` and
 * `bias` before `dilation`).
 */

import { bindSignature, opt, req, type BoundArgs, type Param, type Signature } from '../args';
import type { LayerCall } from '../values';

const factory = [opt('device'), opt('dtype')];

const conv = [req('in_channels'), req('out_channels'), req('kernel_size'), opt('stride'), opt('padding'), opt('dilation'), opt('groups'), opt('bias'), opt('padding_mode'), ...factory];
const convT = [req('in_channels'), req('out_channels'), req('kernel_size'), opt('stride'), opt('padding'), opt('output_padding'), opt('groups'), opt('bias'), opt('dilation'), opt('padding_mode'), ...factory];
const maxPool = [req('kernel_size'), opt('stride'), opt('padding'), opt('dilation'), opt('return_indices'), opt('ceil_mode')];
const avgPool1d = [req('kernel_size'), opt('stride'), opt('padding'), opt('ceil_mode'), opt('count_include_pad')];
const avgPool = [...avgPool1d, opt('divisor_override')];
const batchNorm = [req('num_features'), opt('eps'), opt('momentum'), opt('affine'), opt('track_running_stats'), ...factory];
const instanceNorm = [req('num_features'), opt('eps'), opt('momentum'), opt('affine'), opt('track_running_stats'), ...factory];

/** Shape-preserving layers (elementwise, or normalising without checking channels). */
const elementwise: Record<string, Param[]> = {
  ReLU: [opt('inplace')],
  ReLU6: [opt('inplace')],
  LeakyReLU: [opt('negative_slope'), opt('inplace')],
  PReLU: [opt('num_parameters'), opt('init'), ...factory],
  ELU: [opt('alpha'), opt('inplace')],
  CELU: [opt('alpha'), opt('inplace')],
  SELU: [opt('inplace')],
  GELU: [opt('approximate')],
  SiLU: [opt('inplace')],
  Mish: [opt('inplace')],
  Sigmoid: [],
  Tanh: [],
  Hardtanh: [opt('min_val'), opt('max_val'), opt('inplace'), opt('max_value'), opt('min_value')],
  Hardswish: [opt('inplace')],
  Hardsigmoid: [opt('inplace')],
  Softplus: [opt('beta'), opt('threshold')],
  Softsign: [],
  Tanhshrink: [],
  LogSigmoid: [],
  Softmax: [opt('dim')],
  LogSoftmax: [opt('dim')],
  Softmax2d: [],
  Dropout: [opt('p'), opt('inplace')],
  Dropout1d: [opt('p'), opt('inplace')],
  Dropout2d: [opt('p'), opt('inplace')],
  Dropout3d: [opt('p'), opt('inplace')],
  AlphaDropout: [opt('p'), opt('inplace')],
};

function dims<T>(make: (n: 1 | 2 | 3) => T, prefix: string, suffix = ''): Record<string, T> {
  return { [`${prefix}1d${suffix}`]: make(1), [`${prefix}2d${suffix}`]: make(2), [`${prefix}3d${suffix}`]: make(3) };
}

export const TORCH_SIGNATURES: Readonly<Record<string, Signature>> = {
  ...dims(() => ({ params: conv }), 'Conv'),
  ...dims(() => ({ params: convT }), 'ConvTranspose'),
  ...dims(() => ({ params: conv.slice(1) }), 'LazyConv'),
  ...dims(() => ({ params: convT.slice(1) }), 'LazyConvTranspose'),
  ...dims(() => ({ params: maxPool }), 'MaxPool'),
  AvgPool1d: { params: avgPool1d },
  AvgPool2d: { params: avgPool },
  AvgPool3d: { params: avgPool },
  ...dims(() => ({ params: [req('output_size')] }), 'AdaptiveAvgPool'),
  ...dims(() => ({ params: [req('output_size'), opt('return_indices')] }), 'AdaptiveMaxPool'),
  ...dims(() => ({ params: [req('kernel_size'), opt('stride'), opt('padding')] }), 'MaxUnpool'),
  Upsample: { params: [opt('size'), opt('scale_factor'), opt('mode'), opt('align_corners'), opt('recompute_scale_factor')] },
  UpsamplingNearest2d: { params: [opt('size'), opt('scale_factor')] },
  UpsamplingBilinear2d: { params: [opt('size'), opt('scale_factor')] },
  PixelShuffle: { params: [req('upscale_factor')] },
  PixelUnshuffle: { params: [req('downscale_factor')] },
  Flatten: { params: [opt('start_dim'), opt('end_dim')] },
  Unflatten: { params: [req('dim'), req('unflattened_size')] },
  Linear: { params: [req('in_features'), req('out_features'), opt('bias'), ...factory] },
  LazyLinear: { params: [req('out_features'), opt('bias'), ...factory] },
  Identity: { params: [], acceptsAnything: true },
  ...dims(() => ({ params: batchNorm }), 'BatchNorm'),
  ...dims(() => ({ params: instanceNorm }), 'InstanceNorm'),
  GroupNorm: { params: [req('num_groups'), req('num_channels'), opt('eps'), opt('affine'), ...factory] },
  LayerNorm: { params: [req('normalized_shape'), opt('eps'), opt('elementwise_affine'), ...factory] },
  // ZeroPad1d/3d arrived after 1.13; only ZeroPad2d is in the oracle's PyTorch.
  ZeroPad2d: { params: [req('padding')] },
  ...dims(() => ({ params: [req('padding'), req('value')] }), 'ConstantPad'),
  ...dims(() => ({ params: [req('padding')] }), 'ReflectionPad'),
  ...dims(() => ({ params: [req('padding')] }), 'ReplicationPad'),
  ...Object.fromEntries(Object.entries(elementwise).map(([name, params]) => [name, { params }])),
};

/** Container classes: their items feed each other (Sequential) or are listed (ModuleList). */
export const TORCH_CONTAINERS = ['Sequential', 'ModuleList'] as const;

export function isTorchLayerType(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(TORCH_SIGNATURES, name);
}

export function isElementwise(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(elementwise, name);
}

/** How many spatial axes a `…1d` / `…2d` / `…3d` layer type works on (undefined for others). */
export function spatialRank(layerType: string): 1 | 2 | 3 | undefined {
  const m = /([123])d$/.exec(layerType);
  return m ? (Number(m[1]) as 1 | 2 | 3) : undefined;
}

/** Binds a torch.nn constructor call's arguments (an unknown keyword is Python's TypeError). */
export function bindArguments(call: LayerCall): BoundArgs {
  return bindSignature(call, TORCH_SIGNATURES[call.layerType], (name) => `${call.layerType}.__init__() got an unexpected keyword argument '${name}'`);
}
