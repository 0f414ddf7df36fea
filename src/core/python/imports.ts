/**
 * What a callee refers to: `nn.Conv2d`, `tnn.Conv2d`, `CT` and `torch.nn.Conv2d` may all be
 * `torch.nn.Conv2d`, depending on the file's imports.
 *
 * Imports are recorded file-wide (wherever they are written): models import at the top,
 * and an import inside a function almost always names the same thing as one outside.
 */
import type { SyntaxNode } from '@lezer/common';
import { kerasLayerType } from '../keras/catalog';
import { isTorchLayerType, TORCH_CONTAINERS } from '../torch/catalog';
import { isTfOp } from '../tf/ops';
import { isLaxOp } from '../jax/lax';
import type { Framework } from '../values';
import type { OnnxCallee } from './onnxGraph';
import { childNodes } from './syntax';

export type TorchContainer = (typeof TORCH_CONTAINERS)[number];

/** `nn.Sequential`, `nn.ModuleList`, or Keras' `Sequential([...])`, which takes a list. */
export type Container = TorchContainer | 'KerasSequential';

/** What a call constructs, as far as Conv Lens cares. */
export type CalleeKind =
  | { readonly kind: 'layer'; readonly layerType: string; readonly framework: Framework }
  | { readonly kind: 'container'; readonly container: Container }
  | { readonly kind: 'ordereddict' }
  /** `dict(type='ConvTranspose2d', …)`: a layer written as a config (mmcv, mmdet). */
  | { readonly kind: 'configDict' }
  /** `onnx.helper.make_node` / `make_tensor_value_info` / `make_tensor`. */
  | { readonly kind: 'onnx'; readonly what: OnnxCallee };

export class ImportTable {
  /** Local name → the qualified name it stands for (`nn` → `torch.nn`). */
  private readonly aliases = new Map<string, string>();
  /** Modules imported with `from m import *`. */
  private readonly starModules = new Set<string>();

  /**
   * Records an ImportStatement and returns the local names it binds, with their positions
   * (so the caller can bind them in the current scope).
   */
  add(stmt: SyntaxNode, text: string): { name: string; node: SyntaxNode }[] {
    const kids = childNodes(stmt);
    const word = (n: SyntaxNode): string => text.slice(n.from, n.to);
    const bound: { name: string; node: SyntaxNode }[] = [];
    let i = 0;
    let fromModule: string | undefined;
    if (kids[0]?.name === 'from') {
      // from (.)* dotted import …
      let mod = '';
      for (i = 1; i < kids.length && kids[i].name !== 'import'; i++) mod += word(kids[i]);
      fromModule = mod;
      i++; // past `import`
    } else {
      i = 1; // past `import`
    }
    // The rest is: dotted (as Name)? (, dotted (as Name)?)* — or `*`, maybe in parentheses.
    let dotted: SyntaxNode[] = [];
    const finish = (alias: SyntaxNode | undefined): void => {
      if (dotted.length === 0) return;
      const path = dotted.map(word).join('.');
      if (fromModule !== undefined) {
        const local = alias ?? dotted[dotted.length - 1];
        this.aliases.set(word(local), `${fromModule}.${path}`);
        bound.push({ name: word(local), node: local });
      } else if (alias) {
        this.aliases.set(word(alias), path);
        bound.push({ name: word(alias), node: alias });
      } else {
        // `import torch.nn` binds `torch`, through which torch.nn is reached.
        const head = dotted[0];
        this.aliases.set(word(head), word(head));
        bound.push({ name: word(head), node: head });
      }
      dotted = [];
    };
    for (; i < kids.length; i++) {
      const k = kids[i];
      if (k.name === 'VariableName') dotted.push(k);
      else if (k.name === 'as') {
        const alias = kids[i + 1]?.name === 'VariableName' ? kids[i + 1] : undefined;
        finish(alias);
        if (alias) i++;
      } else if (k.name === ',' || k.name === ')') finish(undefined);
      else if (k.name === '*' && fromModule !== undefined) this.starModules.add(fromModule);
    }
    finish(undefined);
    return bound;
  }

  /**
   * The qualified name a dotted reference stands for. Names no import binds are kept as
   * written, except `nn`, which snippets use without importing it.
   */
  qualify(parts: readonly string[]): string {
    const [head, ...rest] = parts;
    const alias = this.aliases.get(head);
    if (alias !== undefined) return [alias, ...rest].join('.');
    if (rest.length === 0 && [...this.starModules].some(isTorchNnModule) && (isTorchLayerType(head) || isContainer(head))) {
      return `torch.nn.${head}`;
    }
    if (rest.length === 0 && [...this.starModules].some(isKerasLayersModule) && kerasLayerType(head)) return `keras.layers.${head}`;
    if (rest.length === 0 && this.starModules.has('onnx.helper') && Object.prototype.hasOwnProperty.call(ONNX_HELPERS, head)) return `onnx.helper.${head}`;
    // Names snippets use without importing them.
    if (head === 'nn') return ['torch.nn', ...rest].join('.');
    if (head === 'layers') return ['keras.layers', ...rest].join('.');
    if (head === 'tf') return ['tensorflow', ...rest].join('.');
    return parts.join('.');
  }

  /** Whether a bare callee name may construct something we classify (`Conv2d`, or an alias `CT`). */
  mayConstruct(name: string): boolean {
    return isInterestingName(name) || this.aliases.has(name);
  }

  classify(parts: readonly string[]): CalleeKind | undefined {
    return classifyQualified(this.qualify(parts));
  }
}

/** `torch.nn`, `torch.nn.modules`, `torch.nn.modules.conv`, … */
function isTorchNnModule(module: string): boolean {
  return module === 'torch.nn' || module.startsWith('torch.nn.modules');
}

/**
 * Whether a callee ending in this name can be anything we classify: a cheap test that
 * spares resolving the many calls (`super().__init__()`, `x.view(…)`) that are not.
 */
export function isInterestingName(name: string): boolean {
  return isTorchLayerType(name) || isContainer(name) || name === 'OrderedDict' || kerasLayerType(name) !== undefined || Object.prototype.hasOwnProperty.call(ONNX_HELPERS, name) || name === 'ConvTranspose' || name === 'Conv' || name === 'dict' || isTfOp(name) || isLaxOp(name);
}

/** `keras.layers`, `tensorflow.keras.layers` and their submodules. */
function isKerasLayersModule(module: string): boolean {
  return /^(keras|tensorflow\.keras|tensorflow\.python\.keras)\.layers(\.|$)/.test(module);
}

/** Where Keras' `Sequential` and `Input` live: `keras`, `keras.models`, `tensorflow.keras`, … */
function isKerasModelsModule(module: string): boolean {
  return /^(keras|tensorflow\.keras)(\.models)?$/.test(module);
}

function isContainer(name: string): name is TorchContainer {
  return (TORCH_CONTAINERS as readonly string[]).includes(name);
}

const ORDERED_DICT_NAMES = new Set(['OrderedDict', 'collections.OrderedDict', 'typing.OrderedDict']);

const ONNX_HELPERS: Readonly<Record<string, OnnxCallee>> = { make_node: 'node', make_tensor_value_info: 'valueInfo', make_tensor: 'tensor' };

export function classifyQualified(qualified: string): CalleeKind | undefined {
  if (ORDERED_DICT_NAMES.has(qualified)) return { kind: 'ordereddict' };
  if (qualified === 'dict' || qualified === 'builtins.dict') return { kind: 'configDict' };
  const helper = /^onnx\.helper\.(\w+)$/.exec(qualified);
  if (helper && Object.prototype.hasOwnProperty.call(ONNX_HELPERS, helper[1])) return { kind: 'onnx', what: ONNX_HELPERS[helper[1]] };
  const dot = qualified.lastIndexOf('.');
  if (dot < 0) return undefined;
  const module = qualified.slice(0, dot);
  const name = qualified.slice(dot + 1);
  if (isTorchNnModule(module)) {
    if (isTorchLayerType(name)) return { kind: 'layer', layerType: name, framework: 'torch' };
    if (isContainer(name)) return { kind: 'container', container: name };
    return undefined;
  }
  // Functions of tensors: TensorFlow's `tf.nn.conv2d_transpose`, JAX's `lax.conv_transpose`.
  if (isTfOp(name) && /^tensorflow(\.compat\.v[12])?\.nn$/.test(module)) return { kind: 'layer', layerType: name, framework: 'tf' };
  if (isLaxOp(name) && module === 'jax.lax') return { kind: 'layer', layerType: name, framework: 'jax' };
  if (isKerasModelsModule(module) && name === 'Sequential') return { kind: 'container', container: 'KerasSequential' };
  // Flax: linen (`flax.linen.Conv`) and nnx (`flax.nnx.Conv`, which also takes in_features).
  if ((name === 'Conv' || name === 'ConvTranspose') && /^flax\.(linen|nnx)$/.test(module)) return { kind: 'layer', layerType: module === 'flax.nnx' ? `nnx.${name}` : name, framework: 'flax' };
  const keras = kerasLayerType(name);
  if (keras && (isKerasLayersModule(module) || (keras === 'Input' && isKerasModelsModule(module)))) return { kind: 'layer', layerType: keras, framework: 'keras' };
  return undefined;
}
