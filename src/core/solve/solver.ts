/**
 * The reverse solver: which (kernel, stride, padding, output_padding, dilation) give the
 * output size you want. Answers are found by search over small values and checked with the
 * same per-axis arithmetic PyTorch uses, then ordered simplest first: no dilation, no
 * output_padding, no uneven overlap (kernel divisible by stride), then smaller kernels.
 */

export type ConvKind = 'conv' | 'convTranspose';

export interface AxisConfig {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly outputPadding: number;
  readonly dilation: number;
}

export type Target =
  /** Output exactly `size` for an input of `input`. */
  | { readonly kind: 'exact'; readonly input: number; readonly size: number }
  /** Output `factor`·L for every input length L (a transposed conv's upsampling). */
  | { readonly kind: 'scale'; readonly factor: number };

const KERNELS = [1, 2, 3, 4, 5, 6, 7];
const STRIDES = [1, 2, 3, 4];
const DILATIONS = [1, 2, 3];

/** PyTorch's output length of one axis, or undefined when PyTorch refuses it. */
export function outputLength(kind: ConvKind, c: AxisConfig, input: number): number | undefined {
  const span = c.dilation * (c.kernel - 1);
  if (kind === 'conv') {
    if (c.outputPadding !== 0) return undefined;
    const out = Math.floor((input + 2 * c.padding - span - 1) / c.stride) + 1;
    return out > 0 ? out : undefined;
  }
  // output_padding must be smaller than stride or dilation, as PyTorch requires.
  if (c.outputPadding >= Math.max(c.stride, c.dilation)) return undefined;
  const out = (input - 1) * c.stride - 2 * c.padding + span + c.outputPadding + 1;
  return out > 0 ? out : undefined;
}

/** Every configuration (within the searched ranges) that meets the target, simplest first. */
export function solve(kind: ConvKind, target: Target, limit = 8): AxisConfig[] {
  const found: AxisConfig[] = [];
  for (const dilation of DILATIONS) {
    for (const kernel of KERNELS) {
      for (const stride of target.kind === 'scale' ? [target.factor] : STRIDES) {
        const span = dilation * (kernel - 1);
        for (let padding = 0; padding <= span; padding++) {
          const paddings = kind === 'convTranspose' ? Math.max(stride, dilation) : 1;
          for (let outputPadding = 0; outputPadding < paddings; outputPadding++) {
            const c = { kernel, stride, padding, outputPadding, dilation };
            if (meets(kind, c, target)) found.push(c);
          }
        }
      }
    }
  }
  return found.sort((a, b) => simplicity(kind, a) - simplicity(kind, b)).slice(0, limit);
}

/**
 * The transposed conv that restores a conv's input length: same kernel, stride, padding and
 * dilation, and the output_padding that puts back the rows the conv's floor dropped. For an
 * unknown length, the output_padding for each remainder of L modulo the stride.
 */
export function invertConv(c: AxisConfig, input: number): AxisConfig | undefined {
  const out = outputLength('conv', c, input);
  if (out === undefined) return undefined;
  const restored: AxisConfig = { ...c, outputPadding: (input + 2 * c.padding - c.dilation * (c.kernel - 1) - 1) % c.stride };
  return outputLength('convTranspose', restored, out) === input ? restored : undefined;
}

function meets(kind: ConvKind, c: AxisConfig, target: Target): boolean {
  if (target.kind === 'exact') return outputLength(kind, c, target.input) === target.size;
  // Affine in L with slope = stride for a transposed conv: check the intercept on two lengths.
  return kind === 'convTranspose' && [1, 2, 7].every((l) => outputLength(kind, c, l) === target.factor * l);
}

function simplicity(kind: ConvKind, c: AxisConfig): number {
  const uneven = kind === 'convTranspose' && c.kernel % c.stride !== 0 ? 1 : 0;
  return (c.dilation - 1) * 1000 + c.outputPadding * 100 + uneven * 50 + c.kernel * 5 + c.stride + c.padding;
}

/**
 * `kernel_size=4, stride=2, padding=1` — only what differs from PyTorch's defaults. Given
 * one config per axis, a value that differs between axes is written as a tuple: `(3, 5)`.
 */
export function configText(kind: ConvKind, config: AxisConfig | readonly AxisConfig[]): string {
  const axes: readonly AxisConfig[] = Array.isArray(config) ? config : [config as AxisConfig];
  const value = (f: (c: AxisConfig) => number): string => (axes.every((c) => f(c) === f(axes[0])) ? String(f(axes[0])) : `(${axes.map(f).join(', ')})`);
  const differs = (f: (c: AxisConfig) => number, byDefault: number): boolean => axes.some((c) => f(c) !== byDefault);
  const parts = [`kernel_size=${value((c) => c.kernel)}`];
  if (differs((c) => c.stride, 1)) parts.push(`stride=${value((c) => c.stride)}`);
  if (differs((c) => c.padding, 0)) parts.push(`padding=${value((c) => c.padding)}`);
  if (kind === 'convTranspose' && differs((c) => c.outputPadding, 0)) parts.push(`output_padding=${value((c) => c.outputPadding)}`);
  if (differs((c) => c.dilation, 1)) parts.push(`dilation=${value((c) => c.dilation)}`);
  return parts.join(', ');
}
