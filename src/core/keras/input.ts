/**
 * Where a Keras model's input shape is written in the code: `keras.Input(shape=(28, 28, 1))`
 * (a batch of None in front), or the first layer's `input_shape=` / `batch_input_shape=` /
 * `input_dim=` (Keras 2's way, still accepted by Sequential).
 */
import { countValue, type BoundArgs } from '../args';
import { sym, type Expr } from '../expr';
import { fail } from '../outcome';
import type { Shape } from '../shape';
import type { Value } from '../values';

/** A shape tuple in which None is a size not known (a symbol: the batch `N`, else `?k`). */
function sizes(v: Value, name: string, batch: boolean): Expr[] {
  if (v.kind !== 'seq') {
    if (v.kind === 'int') return [v.expr];
    return fail('argument', `${name} must be a tuple of integers, not ${v.kind === 'unknown' ? v.text : v.kind}`);
  }
  return v.items.map((item, k) => (item.kind === 'none' ? sym(batch && k === 0 ? 'N' : `S${k}`) : countValue(item, name)));
}

/** The input shape a layer's own keyword arguments give, if any. */
export function inputFromArguments(args: BoundArgs): Shape | undefined {
  const batchShape = args.values.get('batch_input_shape');
  if (batchShape && batchShape.kind !== 'none') return sizes(batchShape, 'batch_input_shape', true);
  const shape = args.values.get('input_shape');
  if (shape && shape.kind !== 'none') return [sym('N'), ...sizes(shape, 'input_shape', false)];
  const dim = args.values.get('input_dim');
  if (dim && dim.kind !== 'none') return [sym('N'), countValue(dim, 'input_dim')];
  return undefined;
}

/** `keras.Input(shape=…, batch_size=…)` or `batch_shape=…`: the tensor it stands for. */
export function inputLayerShape(args: BoundArgs): Shape {
  const batchShape = args.values.get('batch_shape');
  const shape = args.values.get('shape');
  if (batchShape && batchShape.kind !== 'none') {
    if (shape && shape.kind !== 'none') fail('argument', 'You cannot pass both `shape` and `batch_shape` at the same time.');
    return sizes(batchShape, 'batch_shape', true);
  }
  if (!shape || shape.kind === 'none') fail('argument', 'You must pass a `shape` argument.');
  const batch = args.values.get('batch_size');
  return [batch && batch.kind !== 'none' ? countValue(batch, 'batch_size') : sym('N'), ...sizes(shape, 'shape', false)];
}
