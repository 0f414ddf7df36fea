/**
 * The Keras layers Conv Lens understands (`keras.layers`, `tf.keras.layers`), with their
 * constructor signatures as Keras 3 declares them. Keras layers take the base layer's keyword
 * arguments (`name`, `dtype`, `input_shape`, …) besides their own, and refuse any other
 * keyword with "Unrecognized keyword arguments passed to …".
 */
import { bindSignature, describe, opt, req, type BoundArgs, type Param, type Signature } from '../args';
import type { LayerCall } from '../values';

/** What `keras.layers.Layer.__init__` takes through `**kwargs`. */
const BASE_KEYWORDS: ReadonlySet<string> = new Set(['name', 'dtype', 'trainable', 'autocast', 'input_shape', 'batch_input_shape', 'batch_size', 'input_dim', 'activity_regularizer']);

const weights: Param[] = ['activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'].map(opt);

const conv = [req('filters'), req('kernel_size'), opt('strides'), opt('padding'), opt('data_format'), opt('dilation_rate'), opt('groups'), ...weights, opt('lora_rank'), opt('lora_alpha')];
const convTranspose = [req('filters'), req('kernel_size'), opt('strides'), opt('padding'), opt('output_padding'), opt('data_format'), opt('dilation_rate'), ...weights, opt('trainable'), opt('name')];
const pool = [opt('pool_size'), opt('strides'), opt('padding'), opt('data_format'), opt('name')];

/** Layers that keep the shape (normalisation, activation, dropout): any arguments. */
const SHAPE_KEEPING = ['BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'SpatialDropout3D', 'GaussianNoise', 'GaussianDropout', 'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax'];

function dims(make: (n: 1 | 2 | 3) => Signature, prefix: string, suffix = 'D'): Record<string, Signature> {
  return { [`${prefix}1${suffix}`]: make(1), [`${prefix}2${suffix}`]: make(2), [`${prefix}3${suffix}`]: make(3) };
}

const withBase = (params: Param[]): Signature => ({ params, keywords: BASE_KEYWORDS });

export const KERAS_SIGNATURES: Readonly<Record<string, Signature>> = {
  ...dims(() => withBase(conv), 'Conv'),
  ...dims(() => withBase(convTranspose), 'Conv', 'DTranspose'),
  ...dims(() => withBase(pool), 'MaxPooling'),
  ...dims(() => withBase(pool), 'AveragePooling'),
  UpSampling1D: withBase([opt('size')]),
  UpSampling2D: withBase([opt('size'), opt('data_format'), opt('interpolation')]),
  UpSampling3D: withBase([opt('size'), opt('data_format')]),
  ZeroPadding1D: withBase([opt('padding')]),
  ZeroPadding2D: withBase([opt('padding'), opt('data_format')]),
  ZeroPadding3D: withBase([opt('padding'), opt('data_format')]),
  Cropping1D: withBase([opt('cropping')]),
  Cropping2D: withBase([opt('cropping'), opt('data_format')]),
  Cropping3D: withBase([opt('cropping'), opt('data_format')]),
  Dense: withBase([req('units'), ...weights, opt('lora_rank'), opt('lora_alpha')]),
  Flatten: withBase([opt('data_format')]),
  Reshape: withBase([req('target_shape')]),
  Input: { params: [opt('shape'), opt('batch_size'), opt('dtype'), opt('sparse'), opt('batch_shape'), opt('name'), opt('tensor'), opt('optional')] },
  ...Object.fromEntries(SHAPE_KEEPING.map((name) => [name, { params: [], acceptsAnything: true }])),
};

/** Keras' other spellings of the same classes. */
const ALIASES: Readonly<Record<string, string>> = {
  ...Object.fromEntries([1, 2, 3].flatMap((n) => [[`MaxPool${n}D`, `MaxPooling${n}D`], [`AvgPool${n}D`, `AveragePooling${n}D`], [`Convolution${n}D`, `Conv${n}D`], [`Convolution${n}DTranspose`, `Conv${n}DTranspose`]])),
  InputLayer: 'Input',
};

/** The class a Keras name constructs (`MaxPool2D` is `MaxPooling2D`), or undefined. */
export function kerasLayerType(name: string): string | undefined {
  const canonical = ALIASES[name] ?? name;
  return Object.prototype.hasOwnProperty.call(KERAS_SIGNATURES, canonical) ? canonical : undefined;
}

export function isShapeKeeping(layerType: string): boolean {
  return SHAPE_KEEPING.includes(layerType);
}

/** Binds a Keras constructor call's arguments; an unknown keyword is refused as Keras 3 refuses it. */
export function bindKerasArguments(call: LayerCall): BoundArgs {
  return bindSignature(call, KERAS_SIGNATURES[call.layerType], (name) => {
    const value = call.args.find((a) => a.name === name)?.value;
    return `Unrecognized keyword arguments passed to ${call.layerType}: {'${name}': ${value ? describe(value) : 'None'}}`;
  });
}

/** How many spatial axes a `…1D` / `…2D` / `…3D` layer works on (undefined for others). */
export function kerasRank(layerType: string): 1 | 2 | 3 | undefined {
  const m = /([123])D(Transpose)?$/.exec(layerType);
  return m ? (Number(m[1]) as 1 | 2 | 3) : undefined;
}
