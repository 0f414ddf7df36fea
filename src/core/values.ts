/**
 * What a front end (Python, later YAML/JSON/prototxt) hands the engine: argument values
 * evaluated as far as the source allows, and the layer calls with their positions.
 * Nothing here knows a framework's rules; binding arguments to a signature is the engine's job.
 */
import type { Expr } from './expr';
import type { Shape } from './shape';

/** A half-open range of UTF-16 offsets into the source text. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** `span` counted from `start` (an argument's place in its call: Argument.spanInCall). */
export function spanFrom(start: number, span: Span): Span {
  return { from: span.from - start, to: span.to - start };
}

/** Where an argument's text is in the file. */
export function argumentSpan(layer: LayerCall, arg: Argument): Span {
  return { from: layer.span.from + arg.spanInCall.from, to: layer.span.from + arg.spanInCall.to };
}

/** An argument value, evaluated without running user code. */
export type Value =
  /** A Python int, or an integer expression in unknown names (`ngf * 8`). */
  | { readonly kind: 'int'; readonly expr: Expr }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'none' }
  | { readonly kind: 'seq'; readonly brackets: 'tuple' | 'list'; readonly items: readonly Value[] }
  /** Anything the evaluator cannot know statically: a call result, an attribute, a float op on an unknown… */
  | { readonly kind: 'unknown'; readonly text: string };

export interface Argument {
  /** undefined for a positional argument. */
  readonly name?: string;
  readonly value: Value;
  /** The argument's source text (for `name=value`, just the value). */
  readonly text: string;
  /**
   * Where that text is, counted from the start of the call (`argumentSpan` gives offsets
   * in the file): a call moved along the text keeps its arguments as they are.
   */
  readonly spanInCall: Span;
}

/**
 * Whose layer a call constructs: PyTorch's `torch.nn`, Keras' `keras.layers` (also
 * `tf.keras.layers`), TensorFlow's `tf.nn` functions, ONNX nodes, Flax modules, JAX's `lax`
 * functions, Caffe layers.
 */
export type Framework = 'torch' | 'keras' | 'tf' | 'onnx' | 'flax' | 'jax' | 'caffe';

/** A framework as people name it, for messages ("Keras refuses this Conv2D: …"). */
export const FRAMEWORK_NAMES: Readonly<Record<Framework, string>> = { torch: 'PyTorch', keras: 'Keras', tf: 'TensorFlow', onnx: 'ONNX', flax: 'Flax', jax: 'JAX', caffe: 'Caffe' };

/** A graph node's input other than the data: what the file says about it. */
export interface Operand {
  readonly shape?: Shape;
  readonly values?: readonly number[];
}

/** One constructor call of a known layer, e.g. `nn.ConvTranspose2d(64, 32, 4, 2, 1)`. */
export interface LayerCall {
  readonly framework: Framework;
  /** The canonical class name, `ConvTranspose2d`, whatever alias the source used. */
  readonly layerType: string;
  /** Positional then keyword arguments, in source order. */
  readonly args: readonly Argument[];
  /**
   * For a graph node (ONNX): its inputs after the first (the weight `W`, MaxUnpool's
   * `output_shape`, …) as far as the file declares them: their shape, and the values of a
   * constant integer tensor.
   */
  readonly operands?: readonly Operand[];
  /** True when the call has `*args` or `**kwargs`: arguments cannot be bound. */
  readonly hasStarArgs: boolean;
  /** The whole call expression. */
  readonly span: Span;
  /** The callee (`nn.ConvTranspose2d`), for hovers. */
  readonly calleeSpan: Span;
  readonly text: string;
}

/**
 * An ordered container whose items feed each other: `nn.Sequential(...)`, a list passed to
 * `nn.ModuleList([...])`, a plain list of layers. Items that are not layer calls we know
 * (a custom module, a name) are `opaque`: they break shape propagation.
 */
export interface LayerChain {
  /**
   * `functional`: Keras layers applied to each other's tensors (`x = layers.Conv2D(…)(x)`);
   * `graph`: ONNX nodes linked by their tensor names.
   */
  readonly kind: 'sequential' | 'modulelist' | 'list' | 'functional' | 'graph';
  readonly span: Span;
  readonly items: readonly ChainItem[];
}

export type ChainItem =
  | { readonly kind: 'layer'; readonly layer: LayerCall }
  | { readonly kind: 'chain'; readonly chain: LayerChain }
  | { readonly kind: 'opaque'; readonly text: string; readonly span: Span };

/** Everything a front end found in one source text. */
export interface SourceModel {
  /** Every known layer call, in source order, nested ones included. */
  readonly layers: readonly LayerCall[];
  /** Every chain, in source order; a chain inside a chain appears as an item, not here. */
  readonly chains: readonly LayerChain[];
  /**
   * The top-level items in source order: layers and chains that are not inside a chain.
   * The last one is what `conv-lens shape` reports.
   */
  readonly roots: readonly ChainItem[];
  /** Parse errors, which never stop the analysis of the rest. */
  readonly syntaxErrors: readonly Span[];
}
