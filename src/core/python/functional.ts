/**
 * Keras' functional style as chains: `x = layers.Conv2D(…)(inputs)` applies a layer to the
 * tensor another layer produced, so
 *
 *     inputs = keras.Input(shape=(28, 28, 1))
 *     x = layers.Conv2D(32, 3, strides=2)(inputs)
 *     x = layers.Conv2DTranspose(32, 3, strides=2)(x)
 *
 * is the chain Input → Conv2D → Conv2DTranspose. The tensor argument is followed through
 * names (`x`, the binding visible where it is used) and nested applications. A graph is cut
 * into linear chains: where one tensor feeds several layers, the first (in source order)
 * continues the chain and each other starts its own, from an unknown input; a layer taking
 * several tensors (`Concatenate()([a, b])`) is not followed.
 */
import type { SyntaxNode } from '@lezer/common';
import type { LayerCall, LayerChain } from '../values';
import { linearChains } from '../dataflow';
import { lookup, type Scope } from './scopes';
import { callArgs, childNamed, nodeKey, unparen } from './syntax';

/** Following a tensor through more names than this gives up. */
const MAX_DEPTH = 20;

/**
 * Functions that keep their argument's shape (`nn.relu(x)`, `jax.nn.gelu(x)`,
 * `keras.activations.relu(x)`): a tensor is followed through them.
 */
export const SHAPE_KEEPING_FUNCTIONS = new Set(['relu', 'relu6', 'gelu', 'silu', 'swish', 'sigmoid', 'tanh', 'elu', 'selu', 'celu', 'leaky_relu', 'softplus', 'soft_sign', 'hard_tanh', 'log_sigmoid', 'mish', 'dropout', 'bias_add']);

export interface FunctionalContext {
  readonly text: string;
  /** Every layer call, by its node's key. */
  readonly layerByKey: ReadonlyMap<number, LayerCall>;
  /** The layer call nodes, in source order, with the scope each was written in. */
  readonly sites: readonly { readonly node: SyntaxNode; readonly scope: Scope }[];
}

export function functionalChains(ctx: FunctionalContext): LayerChain[] {
  const producerOf = new Map<LayerCall, LayerCall>();
  const consumers = new Map<LayerCall, LayerCall[]>();
  for (const { node, scope } of ctx.sites) {
    const layer = ctx.layerByKey.get(nodeKey(node));
    const applied = node.parent;
    if (!layer || (layer.framework !== 'keras' && layer.framework !== 'flax') || applied?.name !== 'CallExpression' || applied.firstChild?.from !== node.from || applied.firstChild.to !== node.to) continue;
    const argList = childNamed(applied, 'ArgList');
    const args = argList ? callArgs(argList, ctx.text).filter((a) => a.kind === 'positional') : [];
    if (args.length !== 1) continue;
    const producer = tensorSource(ctx, args[0].node, scope, 0);
    if (!producer || producer === layer) continue;
    producerOf.set(layer, producer);
    const list = consumers.get(producer) ?? [];
    list.push(layer);
    consumers.set(producer, list);
  }

  return linearChains([...consumers.keys()].filter((p) => !producerOf.has(p)), consumers, 'functional');
}

/** The layer call whose output a tensor expression is: an application, a `keras.Input(…)`, or a name bound to one. */
function tensorSource(ctx: FunctionalContext, node: SyntaxNode, scope: Scope, depth: number): LayerCall | undefined {
  const n = unparen(node);
  if (n.name === 'CallExpression') {
    const callee = n.firstChild;
    if (callee?.name === 'CallExpression') return ctx.layerByKey.get(nodeKey(callee));
    const layer = ctx.layerByKey.get(nodeKey(n));
    if (layer) return layer.layerType === 'Input' ? layer : undefined;
    // An activation applied as a function: the tensor is its first argument's.
    const name = callee ? ctx.text.slice(callee.lastChild?.name === 'PropertyName' ? callee.lastChild.from : callee.from, callee.to) : '';
    const argList = childNamed(n, 'ArgList');
    const first = argList ? callArgs(argList, ctx.text).find((a) => a.kind === 'positional') : undefined;
    if (SHAPE_KEEPING_FUNCTIONS.has(name) && first && depth < MAX_DEPTH) return tensorSource(ctx, first.node, scope, depth + 1);
    return undefined;
  }
  if (n.name === 'VariableName' && depth < MAX_DEPTH) {
    const b = lookup(scope, ctx.text.slice(n.from, n.to), n.from);
    if (b?.source.kind === 'expr') return tensorSource(ctx, b.source.node, b.scope, depth + 1);
  }
  return undefined;
}
