/**
 * TensorFlow's `tf.nn.conv*` and JAX's `lax.conv*` calls as layers: functions of tensors,
 * whose kernel is the filter tensor's shape and whose input is a tensor the file makes or
 * another call's result:
 *
 *     x = tf.constant(np.array([[[[1], [2]], [[3], [4]]]]), tf.float32)   # (1, 2, 2, 1)
 *     f = tf.ones([3, 3, 1, 1])
 *     y = tf.nn.conv2d_transpose(x, f, output_shape=(1, 4, 4, 1), strides=2, padding='SAME')
 *
 * Each call gets its filter's shape as its one operand. A made tensor that feeds a call's
 * input becomes a `Tensor` layer (its shape is its output) at the expression that makes it,
 * which starts the chain; calls applied to each other's results (also through activations
 * such as `tf.nn.relu(y)`) chain as Keras' functional style does. User code is never run:
 * shapes are read from literal shapes and nested lists.
 */
import type { SyntaxNode } from '@lezer/common';
import { constant, constValue, type Expr } from '../expr';
import type { Shape } from '../shape';
import { TENSOR } from '../tensorOps';
import type { LayerCall, LayerChain, Span, Value } from '../values';
import { linearChains } from '../dataflow';
import type { Evaluator } from './evaluate';
import { SHAPE_KEEPING_FUNCTIONS } from './functional';
import type { ImportTable } from './imports';
import { lookup, type Scope } from './scopes';
import { callArgs, childNamed, dottedName, nodeKey, unparen, type CallArg } from './syntax';

/** Following a tensor through more names than this gives up. */
const MAX_DEPTH = 20;

export interface TensorContext {
  readonly text: string;
  readonly imports: ImportTable;
  readonly evaluator: Evaluator;
  readonly callSpan: (node: SyntaxNode) => Span;
}

export interface OpSite {
  readonly node: SyntaxNode;
  readonly scope: Scope;
  readonly layer: LayerCall;
}

export interface TensorGraph {
  /** Each call's layer with its filter's shape, by the call node. */
  readonly ops: ReadonlyMap<SyntaxNode, LayerCall>;
  /** The made tensors that feed a call, by the node that makes them. */
  readonly tensors: ReadonlyMap<SyntaxNode, LayerCall>;
  readonly chains: readonly LayerChain[];
}

/** Where each function takes its data and its kernel: positionally first and second, or by these names. */
const INPUT_NAMES = ['input', 'value', 'lhs'];
const FILTER_NAMES = ['filters', 'filter', 'rhs'];

export function tensorGraph(sites: readonly OpSite[], ctx: TensorContext): TensorGraph {
  const shapes = new TensorShapes(ctx);
  const ops = new Map<SyntaxNode, LayerCall>();
  const opByKey = new Map<number, LayerCall>();
  for (const site of sites) {
    const args = argsOf(site.node, ctx.text);
    const filter = argument(args, 1, FILTER_NAMES);
    const shape = filter && shapes.of(filter.node, site.scope, 0);
    const { framework, layerType, args: params, hasStarArgs, span, calleeSpan, text } = site.layer;
    // Fields in LayerCall's order, as a moved copy has them (segments.ts).
    const layer: LayerCall = { framework, layerType, args: params, operands: [shape ? { shape } : {}], hasStarArgs, span, calleeSpan, text };
    ops.set(site.node, layer);
    opByKey.set(nodeKey(site.node), layer);
  }

  const tensors = new Map<SyntaxNode, LayerCall>();
  const tensorByKey = new Map<number, LayerCall>();
  const consumers = new Map<LayerCall, LayerCall[]>();
  const fed = new Set<LayerCall>();
  for (const site of sites) {
    const layer = ops.get(site.node)!;
    const input = argument(argsOf(site.node, ctx.text), 0, INPUT_NAMES);
    const source = input && shapes.source(input.node, site.scope, opByKey, 0);
    let producer: LayerCall | undefined;
    if (source?.kind === 'op') producer = source.layer;
    else if (source?.kind === 'made') {
      const key = nodeKey(source.node);
      producer = tensorByKey.get(key);
      if (!producer) {
        const span = ctx.callSpan(source.node);
        const callee = source.node.firstChild ?? source.node;
        producer = { framework: site.layer.framework, layerType: TENSOR, args: [], operands: [{ shape: source.shape }], hasStarArgs: false, span, calleeSpan: { from: callee.from, to: callee.to }, text: ctx.text.slice(span.from, span.to) };
        tensorByKey.set(key, producer);
        tensors.set(source.node, producer);
      }
    }
    if (!producer || producer === layer) continue;
    fed.add(layer);
    const list = consumers.get(producer) ?? [];
    list.push(layer);
    consumers.set(producer, list);
  }
  const starts = [...consumers.keys()].filter((l) => !fed.has(l)).sort((a, b) => a.span.from - b.span.from);
  return { ops, tensors, chains: linearChains(starts, consumers, 'functional') };
}

function argsOf(call: SyntaxNode, text: string): CallArg[] {
  const argList = childNamed(call, 'ArgList');
  return argList ? callArgs(argList, text) : [];
}

/** Positional argument `index`, or the keyword with one of `names`. */
function argument(args: readonly CallArg[], index: number, names: readonly string[]): CallArg | undefined {
  return args.filter((a) => a.kind === 'positional')[index] ?? args.find((a) => a.kind === 'keyword' && a.name !== undefined && names.includes(a.name));
}

type Source = { readonly kind: 'op'; readonly layer: LayerCall } | { readonly kind: 'made'; readonly node: SyntaxNode; readonly shape: Shape };

/** Functions that make a tensor from a shape argument: where the shape is (position, keyword). */
const MAKERS: Readonly<Record<string, { readonly at: number; readonly keyword: string; readonly modules: readonly string[] }>> = {
  zeros: { at: 0, keyword: 'shape', modules: ['tensorflow', 'numpy', 'jax.numpy', 'tensorflow.experimental.numpy'] },
  ones: { at: 0, keyword: 'shape', modules: ['tensorflow', 'numpy', 'jax.numpy', 'tensorflow.experimental.numpy'] },
  empty: { at: 0, keyword: 'shape', modules: ['numpy', 'jax.numpy'] },
  full: { at: 0, keyword: 'shape', modules: ['numpy', 'jax.numpy'] },
  fill: { at: 0, keyword: 'dims', modules: ['tensorflow'] },
  normal: { at: 0, keyword: 'shape', modules: ['tensorflow.random'] },
  uniform: { at: 0, keyword: 'shape', modules: ['tensorflow.random'] },
  truncated_normal: { at: 0, keyword: 'shape', modules: ['tensorflow.random'] },
  random_normal: { at: 0, keyword: 'shape', modules: ['tensorflow', 'tensorflow.compat.v1'] },
  random_uniform: { at: 0, keyword: 'shape', modules: ['tensorflow', 'tensorflow.compat.v1'] },
  random: { at: 0, keyword: 'size', modules: ['numpy.random'] },
  random_sample: { at: 0, keyword: 'size', modules: ['numpy.random'] },
  standard_normal: { at: 0, keyword: 'size', modules: ['numpy.random'] },
};

/** jax.random's makers take the key first. */
const JAX_RANDOM = new Set(['normal', 'uniform', 'truncated_normal', 'bernoulli', 'randint']);

/** Functions whose result has their first argument's shape (unless `shape=` says otherwise). */
const PASS_THROUGH = new Set(['constant', 'Variable', 'convert_to_tensor', 'array', 'asarray', 'device_put', 'cast', 'identity', 'stop_gradient', 'bias_add']);

class TensorShapes {
  constructor(private readonly ctx: TensorContext) {}

  /** What a tensor expression is: another call's result, or a tensor made here with its shape. */
  source(node: SyntaxNode, scope: Scope, opByKey: ReadonlyMap<number, LayerCall>, depth: number): Source | undefined {
    const n = unparen(node);
    if (depth > MAX_DEPTH) return undefined;
    if (n.name === 'VariableName') {
      const b = lookup(scope, this.word(n), n.from);
      return b?.source.kind === 'expr' ? this.source(b.source.node, b.scope, opByKey, depth + 1) : undefined;
    }
    if (n.name !== 'CallExpression') {
      const shape = this.of(n, scope, depth);
      return shape ? { kind: 'made', node: n, shape } : undefined;
    }
    const op = opByKey.get(nodeKey(n));
    if (op) return { kind: 'op', layer: op };
    const [name] = this.calleeName(n);
    const first = argument(argsOf(n, this.ctx.text), 0, ['x', 'features', 'input', 'value']);
    // An activation (or bias_add) keeps its input's shape: follow the input.
    if (first && (SHAPE_KEEPING_FUNCTIONS.has(name) || name === 'astype')) {
      const inner = name === 'astype' ? this.receiver(n) : first.node;
      if (inner) return this.source(inner, scope, opByKey, depth + 1);
    }
    const shape = this.of(n, scope, depth);
    return shape ? { kind: 'made', node: n, shape } : undefined;
  }

  /** The shape of a tensor the file makes, when the text shows it. */
  of(node: SyntaxNode, scope: Scope, depth: number): Shape | undefined {
    const n = unparen(node);
    if (depth > MAX_DEPTH) return undefined;
    if (n.name === 'VariableName') {
      const b = lookup(scope, this.word(n), n.from);
      return b?.source.kind === 'expr' ? this.of(b.source.node, b.scope, depth + 1) : undefined;
    }
    if (n.name === 'ArrayExpression' || n.name === 'TupleExpression') return nestedShape(this.ctx.evaluator.value(n, scope));
    if (n.name !== 'CallExpression') return undefined;
    const [name, module] = this.calleeName(n);
    const args = argsOf(n, this.ctx.text);
    const value = (a: CallArg | undefined): Value | undefined => (a ? this.ctx.evaluator.value(a.node, scope) : undefined);
    const keyword = (k: string): CallArg | undefined => args.find((a) => a.kind === 'keyword' && a.name === k);
    const positional = args.filter((a) => a.kind === 'positional');
    // Methods: `.astype(…)` keeps the shape, `.reshape(…)` gives one.
    if (module === undefined) {
      const receiver = this.receiver(n);
      if (name === 'astype' && receiver) return this.of(receiver, scope, depth + 1);
      if (name === 'reshape') return shapeValue(positional.length === 1 ? value(positional[0]) : { kind: 'seq', brackets: 'tuple', items: positional.map((a) => value(a)!) });
      // A generator's method (`rng.normal(size=(…))`).
      if (['normal', 'uniform', 'standard_normal', 'random'].includes(name) && keyword('size')) return shapeValue(value(keyword('size')));
      return undefined;
    }
    if (module === 'numpy.random' && (name === 'randn' || name === 'rand')) return shapeValue({ kind: 'seq', brackets: 'tuple', items: positional.map((a) => value(a)!) });
    if (module === 'numpy.random' && (name === 'normal' || name === 'uniform')) return shapeValue(value(keyword('size') ?? positional[2]));
    if (module === 'jax.random' && JAX_RANDOM.has(name)) return shapeValue(value(keyword('shape') ?? positional[1]));
    const maker = MAKERS[name];
    if (maker && maker.modules.includes(module)) return shapeValue(value(keyword(maker.keyword) ?? positional[maker.at]));
    if (PASS_THROUGH.has(name) && /^(tensorflow|numpy|jax)(\.|$)/.test(module)) {
      const shape = keyword('shape');
      if (shape) return shapeValue(value(shape));
      const first = positional[0] ?? keyword('value') ?? keyword('initial_value') ?? keyword('object') ?? keyword('x');
      return first ? this.of(first.node, scope, depth + 1) : undefined;
    }
    return undefined;
  }

  /** A call's function name, and the module it comes from (undefined for a method on a value). */
  private calleeName(call: SyntaxNode): [string, string | undefined] {
    const callee = call.firstChild;
    if (!callee) return ['', undefined];
    const parts = dottedName(callee, this.ctx.text);
    if (!parts) {
      const prop = callee.lastChild;
      return [prop?.name === 'PropertyName' ? this.word(prop) : '', undefined];
    }
    const qualified = this.ctx.imports.qualify(parts);
    const dot = qualified.lastIndexOf('.');
    const name = qualified.slice(dot + 1);
    if (dot < 0) return [name, ''];
    const module = qualified.slice(0, dot);
    // `x.astype(…)`, `x.reshape(…)`: a method of a value, not a module's function.
    return [name, /^(tensorflow|numpy|jax)(\.|$)/.test(module) ? module : undefined];
  }

  private receiver(call: SyntaxNode): SyntaxNode | undefined {
    const callee = call.firstChild;
    return callee?.name === 'MemberExpression' ? (callee.firstChild ?? undefined) : undefined;
  }

  private word(n: SyntaxNode): string {
    return this.ctx.text.slice(n.from, n.to);
  }
}

/** A shape argument: a sequence of sizes, or one size (a 1-D shape). */
function shapeValue(v: Value | undefined): Shape | undefined {
  if (v === undefined) return undefined;
  if (v.kind === 'int') return [v.expr];
  if (v.kind !== 'seq') return undefined;
  const sizes: Expr[] = [];
  for (const x of v.items) {
    if (x.kind !== 'int') return undefined;
    sizes.push(x.expr);
  }
  return sizes;
}

/** The shape of a nested list literal of numbers (`[[1, 2], [3, 4]]` is (2, 2)); ragged lists have none. */
function nestedShape(v: Value): Shape | undefined {
  if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool') return [];
  if (v.kind !== 'seq') return undefined;
  if (v.items.length === 0) return [constant(0)];
  const inner = nestedShape(v.items[0]);
  if (!inner) return undefined;
  for (const item of v.items.slice(1)) {
    const s = nestedShape(item);
    if (!s || s.length !== inner.length || s.some((e, k) => constValue(e) !== constValue(inner[k]))) return undefined;
  }
  return [constant(v.items.length), ...inner];
}
