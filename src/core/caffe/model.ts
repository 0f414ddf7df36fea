/**
 * A Caffe `.prototxt` network as a `SourceModel`: each `layer { type: … }` is a layer call
 * whose arguments are the fields of its `convolution_param`, `pooling_param` or
 * `inner_product_param`; layers are linked through their blob names (`bottom` → the layer
 * that last wrote that blob as its `top`, in-place layers included); the net's input
 * (`input` with `input_dim` ×4 or `input_shape { dim … }`, or an `Input` layer) starts the chain.
 */
import { constant, type Expr } from '../expr';
import { linearChains } from '../dataflow';
import { spanFrom, type Argument, type LayerCall, type SourceModel, type Span, type Value } from '../values';
import { isCaffeLayerType } from './engine';
import { fieldsNamed, parsePrototxt, scalar, subMessage, type PbField } from './prototxt';

const PARAMS = ['convolution_param', 'pooling_param', 'inner_product_param'];

function valueOf(texts: readonly string[]): Value {
  const one = (t: string): Value => (/^-?\d+$/.test(t) ? { kind: 'int', expr: constant(Number(t)) } : /^(true|false)$/.test(t) ? { kind: 'bool', value: t === 'true' } : { kind: 'str', value: t });
  return texts.length === 1 ? one(texts[0]) : { kind: 'seq', brackets: 'list', items: texts.map(one) };
}

/** A message's fields as keyword arguments (a repeated field is one list argument). */
function argumentsOf(fields: readonly PbField[], text: string, layerFrom: number): Argument[] {
  const names = [...new Set(fields.filter((f) => f.value.kind === 'scalar').map((f) => f.name))];
  return names.map((name) => {
    const all = fieldsNamed(fields, name).filter((f) => f.value.kind === 'scalar');
    const span: Span = { from: all[0].value.span.from, to: all[all.length - 1].value.span.to };
    return { name, value: valueOf(all.map((f) => (f.value.kind === 'scalar' ? f.value.text : ''))), text: text.slice(span.from, span.to), spanInCall: spanFrom(layerFrom, span) };
  });
}

function dims(fields: readonly PbField[]): Expr[] {
  return fieldsNamed(fields, 'dim').flatMap((f) => (f.value.kind === 'scalar' && /^\d+$/.test(f.value.text) ? [constant(Number(f.value.text))] : []));
}

export function parseCaffe(text: string): SourceModel {
  const { fields, errors } = parsePrototxt(text);
  const layers: LayerCall[] = [];
  /** Which layer last wrote each blob. */
  const writer = new Map<string, LayerCall>();
  const consumers = new Map<LayerCall, LayerCall[]>();
  const fed = new Set<LayerCall>();

  // The net's own input: `input: "data"` with `input_dim` ×4 or an `input_shape { dim … }`.
  const inputName = scalar(fields, 'input');
  const declared = [...fieldsNamed(fields, 'input_dim').flatMap((f) => (f.value.kind === 'scalar' ? [constant(Number(f.value.text))] : [])), ...dims(subMessage(fields, 'input_shape') ?? [])];
  const inputField = fields.find((f) => f.name === 'input');
  if (inputName && inputField && declared.length > 0) {
    const span = { from: inputField.nameSpan.from, to: inputField.value.span.to };
    const input: LayerCall = { framework: 'caffe', layerType: 'Input', args: [], operands: [{ shape: declared }], hasStarArgs: false, span, calleeSpan: inputField.nameSpan, text: text.slice(span.from, span.to) };
    layers.push(input);
    writer.set(inputName, input);
  }

  for (const f of fields) {
    if (f.name !== 'layer' || f.value.kind !== 'message') continue;
    const body = f.value.fields;
    const type = scalar(body, 'type');
    const typeField = body.find((x) => x.name === 'type');
    if (!type || !typeField || !isCaffeLayerType(type)) continue;
    const params = PARAMS.flatMap((p) => subMessage(body, p) ?? []);
    const shape = type === 'Input' ? dims(subMessage(subMessage(body, 'input_param') ?? [], 'shape') ?? []) : [];
    const layer: LayerCall = {
      framework: 'caffe',
      layerType: type,
      args: argumentsOf(params, text, f.value.span.from),
      ...(type === 'Input' ? { operands: [{ shape }] } : {}),
      hasStarArgs: false,
      span: f.value.span,
      calleeSpan: { from: typeField.nameSpan.from, to: typeField.value.span.to },
      text: text.slice(f.value.span.from, f.value.span.to),
    };
    layers.push(layer);
    const bottom = scalar(body, 'bottom');
    const producer = bottom !== undefined ? writer.get(bottom) : undefined;
    if (producer && fieldsNamed(body, 'bottom').length === 1) {
      const list = consumers.get(producer) ?? [];
      list.push(layer);
      consumers.set(producer, list);
      fed.add(layer);
    }
    for (const top of fieldsNamed(body, 'top')) if (top.value.kind === 'scalar') writer.set(top.value.text, layer);
  }

  const starts = [...consumers.keys()].filter((l) => !fed.has(l)).sort((a, b) => a.span.from - b.span.from);
  const chains = linearChains(starts, consumers, 'graph');
  const inChain = new Set(chains.flatMap((c) => c.items.flatMap((i) => (i.kind === 'layer' ? [i.layer] : []))));
  const roots = [...chains.map((chain) => ({ kind: 'chain' as const, chain })), ...layers.filter((l) => !inChain.has(l)).map((layer) => ({ kind: 'layer' as const, layer }))].sort(
    (a, b) => (a.kind === 'chain' ? a.chain.span.from : a.layer.span.from) - (b.kind === 'chain' ? b.chain.span.from : b.layer.span.from),
  );
  return { layers, chains, roots, syntaxErrors: errors };
}
