/**
 * Shape propagation through what a front end found: a layer alone, or a chain whose items
 * feed each other (`nn.Sequential`, a list of layers). A refusal stops the chain there, as
 * the real forward pass would; an item we cannot see into (a custom module) breaks it, and
 * the next layer starts again from a symbolic input.
 */
import { refuse, type Outcome, type Refusal } from './outcome';
import { simplifyConditions, type Condition, type Shape } from './shape';
import { inferKerasLayer } from './keras/engine';
import { inferOnnxNode } from './onnx/engine';
import { inferFlaxLayer } from './flax/engine';
import { inferCaffeLayer } from './caffe/engine';
import { inferTfOp } from './tf/ops';
import { inferLaxOp } from './jax/lax';
import { inferTorchLayer } from './torch/engine';
import type { LayerReport } from './torch/report';
import type { ChainItem, LayerCall, LayerChain, SourceModel } from './values';

export type ItemResult =
  | { readonly kind: 'layer'; readonly layer: LayerCall; readonly outcome: Outcome<LayerReport> }
  | { readonly kind: 'chain'; readonly chain: LayerChain; readonly steps: readonly ItemResult[]; readonly outcome: Outcome<Shape> }
  | { readonly kind: 'opaque'; readonly text: string }
  /** A layer after a refusal: the forward pass never reaches it. */
  | { readonly kind: 'unreached'; readonly item: ChainItem };

/** The shape an item produces, or why there is none. */
export function itemOutput(r: ItemResult): Outcome<Shape> {
  switch (r.kind) {
    case 'layer':
      return r.outcome.ok ? { ok: true, value: r.outcome.value.output } : r.outcome;
    case 'chain':
      return r.outcome;
    case 'opaque':
      return refuse('not-constant', `${r.text} is not a layer Conv Lens knows, so its output shape is unknown`);
    case 'unreached':
      return refuse('not-constant', 'not reached: an earlier layer is refused');
  }
}

export function analyzeLayer(layer: LayerCall, input: Shape | undefined): Outcome<LayerReport> {
  if (layer.framework === 'keras') return inferKerasLayer(layer, input);
  if (layer.framework === 'onnx') return inferOnnxNode(layer, input);
  if (layer.framework === 'flax') return inferFlaxLayer(layer, input);
  if (layer.framework === 'caffe') return inferCaffeLayer(layer, input);
  if (layer.framework === 'tf') return inferTfOp(layer, input);
  if (layer.framework === 'jax') return inferLaxOp(layer, input);
  return inferTorchLayer(layer, input);
}

/**
 * Chooses the input an item actually gets, given the one the chain would feed it
 * (`fromPrevious`: it is the previous item's output, not the chain's own input). The
 * editor uses it for shape comments written on a layer's line; by default the fed input wins.
 */
export type InputChoice = (item: ChainItem, fed: Shape | undefined, fromPrevious: boolean) => Shape | undefined;

/** How the editor customises a walk: where inputs come from, and a memo of layer answers. */
export interface AnalysisHooks {
  readonly choose?: InputChoice;
  readonly analyzeLayer?: (layer: LayerCall, input: Shape | undefined) => Outcome<LayerReport>;
}

/** Runs one item on an input (undefined: the item's own symbolic input). */
export function analyzeItem(item: ChainItem, input: Shape | undefined, hooks: AnalysisHooks = {}, fromPrevious = false): ItemResult {
  const actual = hooks.choose ? hooks.choose(item, input, fromPrevious) : input;
  switch (item.kind) {
    case 'layer':
      return { kind: 'layer', layer: item.layer, outcome: (hooks.analyzeLayer ?? analyzeLayer)(item.layer, actual) };
    case 'opaque':
      return { kind: 'opaque', text: item.text };
    case 'chain':
      return analyzeChain(item.chain, actual, hooks);
  }
}

export function analyzeChain(chain: LayerChain, input: Shape | undefined, hooks: AnalysisHooks = {}): ItemResult {
  // A ModuleList is a list of modules, not a pipeline: its items do not feed each other.
  const feeds = chain.kind !== 'modulelist';
  const steps: ItemResult[] = [];
  let current: Shape | undefined = input;
  let fromPrevious = false; // whether `current` is an earlier item's output
  let refusal: Refusal | undefined;
  // After an item we cannot see into, later layers are analysed on their own symbolic
  // inputs, but the chain as a whole no longer has a known output.
  let brokenBy: string | undefined;
  for (const item of chain.items) {
    if (refusal) {
      steps.push({ kind: 'unreached', item });
      continue;
    }
    const result = analyzeItem(item, feeds ? current : input, hooks, feeds && fromPrevious);
    steps.push(result);
    fromPrevious = true;
    if (result.kind === 'opaque') {
      current = undefined;
      brokenBy ??= result.text;
      continue;
    }
    const out = itemOutput(result);
    if (out.ok) current = out.value;
    else if (feeds) refusal = out.refusal;
  }
  const last = steps[steps.length - 1];
  let outcome: Outcome<Shape>;
  if (refusal) outcome = { ok: false, refusal };
  else if (!last) outcome = input ? { ok: true, value: input } : refuse('no-layer', 'the container is empty');
  else if (feeds && brokenBy !== undefined) outcome = refuse('not-constant', `the output is unknown: it passes through ${brokenBy}, which is not a layer Conv Lens knows`);
  else outcome = feeds ? itemOutput(last) : refuse('not-constant', 'an nn.ModuleList has no single output: its modules are used one by one in forward()');
  return { kind: 'chain', chain, steps, outcome };
}

/** Every layer report in an item, in order (for tables and for conditions). */
export function layerResults(r: ItemResult): Extract<ItemResult, { kind: 'layer' }>[] {
  if (r.kind === 'layer') return [r];
  if (r.kind === 'chain') return r.steps.flatMap(layerResults);
  return [];
}

/** What a symbolic input must satisfy for the whole item to run. */
export function itemConditions(r: ItemResult): Condition[] {
  return simplifyConditions(layerResults(r).flatMap((l) => (l.outcome.ok ? l.outcome.value.conditions : [])));
}

/** The item `conv-lens shape` answers for: the last top-level layer or chain of the source. */
export function mainItem(model: SourceModel): ChainItem | undefined {
  return model.roots[model.roots.length - 1];
}

/** Where an item starts in the source. */
export function itemStart(item: ChainItem): number {
  switch (item.kind) {
    case 'layer':
      return item.layer.span.from;
    case 'chain':
      return item.chain.span.from;
    case 'opaque':
      return item.span.from;
  }
}

/** Every layer call inside an item, in order. */
export function itemLayers(item: ChainItem): LayerCall[] {
  switch (item.kind) {
    case 'layer':
      return [item.layer];
    case 'chain':
      return item.chain.items.flatMap(itemLayers);
    case 'opaque':
      return [];
  }
}
