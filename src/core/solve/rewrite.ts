/**
 * Rewrites a conv or transposed conv call with a solver's configuration: the sliding-window
 * arguments are replaced (written as keywords), every other argument keeps its source text.
 */
import { TORCH_SIGNATURES } from '../torch/catalog';
import type { AxisArithmetic } from '../torch/report';
import type { LayerCall } from '../values';
import { configText, type AxisConfig, type ConvKind } from './solver';

const WINDOW = new Set(['kernel_size', 'stride', 'padding', 'output_padding', 'dilation']);

/** One axis's window as the engine reports it, in the solver's terms (what the call states). */
export function axisConfigOf(a: AxisArithmetic): AxisConfig {
  return { kernel: a.kernel, stride: a.stride, padding: a.padBegin, outputPadding: a.outputPadding ?? 0, dilation: a.dilation };
}

/** The conv kind of a layer the solver can configure, or undefined. */
export function solvableKind(layer: LayerCall): ConvKind | undefined {
  // The solver writes PyTorch arguments (padding, output_padding as numbers).
  if (layer.framework !== 'torch') return undefined;
  if (/^ConvTranspose[123]d$/.test(layer.layerType)) return 'convTranspose';
  if (/^Conv[123]d$/.test(layer.layerType)) return 'conv';
  return undefined;
}

/** The call's argument list (inside the parentheses) with `config` on every spatial axis (or one config per axis). */
export function withConfig(layer: LayerCall, kind: ConvKind, config: AxisConfig | readonly AxisConfig[]): string {
  const params = TORCH_SIGNATURES[layer.layerType].params;
  const named = layer.args.map((a, i) => ({ name: a.name ?? params[i]?.name ?? '', text: a.text, positional: a.name === undefined }));
  const kept = named.filter((a) => !WINDOW.has(a.name));
  // Leading positional arguments stay positional (in_channels, out_channels); the rest become keywords.
  const lead = kept.filter((a, i) => a.positional && kept.slice(0, i).every((b) => b.positional) && (a.name === 'in_channels' || a.name === 'out_channels'));
  const rest = kept.filter((a) => !lead.includes(a));
  return [...lead.map((a) => a.text), configText(kind, config), ...rest.map((a) => `${a.name}=${a.text}`)].join(', ');
}
