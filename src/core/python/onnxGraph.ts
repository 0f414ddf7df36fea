/**
 * ONNX graphs written in Python with `onnx.helper`:
 *
 *     X = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 16, 8, 8])
 *     W = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 8, 4, 4])
 *     up = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2], pads=[1, 1, 1, 1])
 *
 * Each `make_node` of an op Conv Lens knows is a layer call (its attributes are the keyword
 * arguments); what `make_tensor_value_info` and `make_tensor` declare gives the shapes of a
 * node's other inputs (W) and the values of constant ones. Nodes are linked through their
 * tensor names: a node whose first input another node outputs is fed by it, and a graph
 * input declared with its shape starts the chain (as a `GraphInput` item).
 */
import type { SyntaxNode } from '@lezer/common';
import { constant, sym, type Expr } from '../expr';
import { isOnnxOp } from '../onnx/engine';
import type { Shape } from '../shape';
import { spanFrom, type LayerCall, type LayerChain, type Operand, type Span, type Value } from '../values';
import type { Evaluator } from './evaluate';
import { linearChains } from '../dataflow';
import type { Scope } from './scopes';
import { callArgs, childNamed } from './syntax';

export type OnnxCallee = 'node' | 'valueInfo' | 'tensor';

export interface OnnxSite {
  readonly node: SyntaxNode;
  readonly scope: Scope;
  readonly what: OnnxCallee;
}

/** make_node's own parameters: everything else it is given is an attribute of the node. */
const MAKE_NODE_PARAMS = ['op_type', 'inputs', 'outputs', 'name', 'doc_string', 'domain'];

interface Call {
  readonly positional: readonly Value[];
  readonly keywords: ReadonlyMap<string, { readonly value: Value; readonly text: string; readonly span: Span }>;
}

function read(site: OnnxSite, text: string, evaluator: Evaluator): Call {
  const argList = childNamed(site.node, 'ArgList');
  const positional: Value[] = [];
  const keywords = new Map<string, { value: Value; text: string; span: Span }>();
  for (const a of argList ? callArgs(argList, text) : []) {
    if (a.kind === 'positional') positional.push(evaluator.value(a.node, site.scope));
    else if (a.kind === 'keyword' && a.name) keywords.set(a.name, { value: evaluator.value(a.node, site.scope), text: text.slice(a.span.from, a.span.to), span: a.span });
  }
  return { positional, keywords };
}

/** Argument `index`, or the keyword `name`. */
function arg(call: Call, index: number, name: string): Value | undefined {
  return call.positional[index] ?? call.keywords.get(name)?.value;
}

function str(v: Value | undefined): string | undefined {
  return v?.kind === 'str' ? v.value : undefined;
}

function strings(v: Value | undefined): string[] {
  return v?.kind === 'seq' ? v.items.map((x) => (x.kind === 'str' ? x.value : '')) : [];
}

/**
 * A shape list: ints, and names or None for sizes not fixed (symbols). A name is kept when it
 * is an identifier, as in shape comments; any other string (`"batch size"`, or text meant to
 * read as Markdown in a hover) stands for an unnamed size.
 */
function shapeOf(v: Value | undefined): Shape | undefined {
  if (v?.kind !== 'seq') return undefined;
  return v.items.map((x, k): Expr => (x.kind === 'int' ? x.expr : x.kind === 'str' && /^[A-Za-z_][A-Za-z_0-9]*$/.test(x.value) ? sym(x.value) : sym(k === 0 ? 'N' : `S${k}`)));
}

function ints(v: Value | undefined): number[] | undefined {
  if (v?.kind !== 'seq') return undefined;
  const out: number[] = [];
  for (const x of v.items) {
    if (x.kind !== 'int' || x.expr.terms.length > 0) return undefined;
    out.push(x.expr.c);
  }
  return out;
}

export interface OnnxModel {
  /** The node layer calls, by the key of their call node (in source order when iterated over the sites). */
  readonly nodes: ReadonlyMap<SyntaxNode, LayerCall>;
  /** The graph inputs that start a chain, by their declaring call. */
  readonly inputs: ReadonlyMap<SyntaxNode, LayerCall>;
  readonly chains: readonly LayerChain[];
}

export function onnxGraph(sites: readonly OnnxSite[], text: string, evaluator: Evaluator, callSpan: (node: SyntaxNode) => Span): OnnxModel {
  // What the file declares about tensors, by name.
  const declared = new Map<string, { operand: Operand; site: OnnxSite }>();
  for (const site of sites) {
    if (site.what === 'node') continue;
    const call = read(site, text, evaluator);
    const name = str(arg(call, 0, 'name'));
    if (name === undefined) continue;
    const operand: Operand =
      site.what === 'valueInfo'
        ? { ...(shapeOf(arg(call, 2, 'shape')) ? { shape: shapeOf(arg(call, 2, 'shape')) } : {}) }
        : { ...(ints(arg(call, 2, 'dims')) ? { shape: ints(arg(call, 2, 'dims'))!.map(constant) } : {}), ...(ints(arg(call, 3, 'vals')) ? { values: ints(arg(call, 3, 'vals')) } : {}) };
    declared.set(name, { operand, site });
  }

  const nodes = new Map<SyntaxNode, LayerCall>();
  const byOutput = new Map<string, LayerCall>();
  const firstInput = new Map<LayerCall, string>();
  for (const site of sites) {
    if (site.what !== 'node') continue;
    const call = read(site, text, evaluator);
    const op = str(arg(call, 0, 'op_type'));
    if (op === undefined || !isOnnxOp(op)) continue;
    const inputs = strings(arg(call, 1, 'inputs'));
    const span = callSpan(site.node);
    const callee = site.node.firstChild ?? site.node;
    const layer: LayerCall = {
      framework: 'onnx',
      layerType: op,
      args: [...call.keywords].filter(([name]) => !MAKE_NODE_PARAMS.includes(name)).map(([name, a]) => ({ name, value: a.value, text: a.text, spanInCall: spanFrom(span.from, a.span) })),
      operands: inputs.slice(1).map((name) => declared.get(name)?.operand ?? {}),
      hasStarArgs: false,
      span,
      calleeSpan: { from: callee.from, to: callee.to },
      text: text.slice(span.from, span.to),
    };
    nodes.set(site.node, layer);
    if (inputs[0]) firstInput.set(layer, inputs[0]);
    for (const out of strings(arg(call, 2, 'outputs'))) byOutput.set(out, layer);
  }

  // The dataflow: each node's producer, or the graph input it reads.
  const consumers = new Map<LayerCall, LayerCall[]>();
  const inputs = new Map<SyntaxNode, LayerCall>();
  const inputLayers = new Map<string, LayerCall>();
  for (const [layer, name] of firstInput) {
    let producer = byOutput.get(name);
    const declaration = declared.get(name);
    if (!producer && declaration?.operand.shape && declaration.site.what === 'valueInfo') {
      producer = inputLayers.get(name);
      if (!producer) {
        const span = callSpan(declaration.site.node);
        const callee = declaration.site.node.firstChild ?? declaration.site.node;
        producer = { framework: 'onnx', layerType: 'GraphInput', args: [], operands: [declaration.operand], hasStarArgs: false, span, calleeSpan: { from: callee.from, to: callee.to }, text: text.slice(span.from, span.to) };
        inputLayers.set(name, producer);
        inputs.set(declaration.site.node, producer);
      }
    }
    if (!producer || producer === layer) continue;
    const list = consumers.get(producer) ?? [];
    list.push(layer);
    consumers.set(producer, list);
  }
  const fed = new Set([...consumers.values()].flat());
  const starts = [...consumers.keys()].filter((l) => !fed.has(l)).sort((a, b) => a.span.from - b.span.from);
  return { nodes, inputs, chains: linearChains(starts, consumers, 'graph') };
}
