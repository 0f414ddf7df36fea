/**
 * Every layer of a source text with its output shape, as plain text: the "Show Layer
 * Shapes" report. One row per layer, prefixed by its 1-based source line; a chain's layers are
 * indented under it and each gets the previous one's output, as in the forward pass.
 * Inputs are symbolic: the report answers for any input size, with the conditions stated.
 */
import { analyzeItem, itemConditions, itemOutput, itemStart, type ItemResult } from '../analyze';
import { LineIndex } from '../lines';
import { formatCondition, formatShape } from '../shape';
import type { ChainItem, LayerChain, SourceModel } from '../values';

const CHAIN_NAMES: Record<LayerChain['kind'], string> = { sequential: 'nn.Sequential', modulelist: 'nn.ModuleList', list: 'list of layers', functional: 'Keras functional chain', graph: 'ONNX graph' };

/** A chain as its source names it (a Sequential of Keras layers is `keras.Sequential`). */
function chainName(chain: LayerChain): string {
  const frameworks = new Set(chain.items.flatMap((i) => (i.kind === 'layer' ? [i.layer.framework] : [])));
  if (chain.kind === 'sequential' && frameworks.has('keras')) return 'keras.Sequential';
  // Functions of tensors (tf.nn, lax) chain through the tensors they pass each other.
  if (chain.kind === 'functional' && frameworks.has('tf')) return 'TensorFlow dataflow';
  if (chain.kind === 'functional' && frameworks.has('jax')) return 'JAX dataflow';
  return CHAIN_NAMES[chain.kind];
}

interface Row {
  readonly line: number;
  readonly depth: number;
  readonly label: string;
  readonly body: string;
}

export function fileShapeReport(model: SourceModel, text: string, fileName: string): string {
  const index = new LineIndex(text);
  const lineOf = (offset: number): number => index.lineOf(offset) + 1;
  const rows: Row[] = [];
  const visit = (result: ItemResult, item: ChainItem, depth: number): void => {
    const line = lineOf(itemStart(item));
    switch (result.kind) {
      case 'layer': {
        const body = result.outcome.ok
          ? `${formatShape(result.outcome.value.input)} → ${formatShape(result.outcome.value.output)}`
          : `${verdict(result.outcome.refusal.rule)}: ${result.outcome.refusal.message}`;
        rows.push({ line, depth, label: result.layer.layerType, body });
        return;
      }
      case 'chain': {
        const out = itemOutput(result);
        const count = result.chain.items.length;
        const conditions = depth === 0 ? itemConditions(result).map(formatCondition) : [];
        const outcome = out.ok ? `→ ${formatShape(out.value)}` : verdict(out.refusal.rule) === 'refused' ? 'refused: see below' : '';
        const body = [outcome, conditions.length > 0 ? `valid when ${conditions.join(', ')}` : ''].filter(Boolean).join('; ');
        rows.push({ line, depth, label: `${chainName(result.chain)} (${count} item${count === 1 ? '' : 's'})`, body });
        result.steps.forEach((step, k) => visit(step, result.chain.items[k], depth + 1));
        return;
      }
      case 'opaque':
        rows.push({ line, depth, label: result.text, body: 'not a layer Conv Lens knows: its shape is unknown' });
        return;
      case 'unreached':
        rows.push({ line, depth, label: itemLabel(result.item), body: 'not reached: an earlier layer is refused' });
        return;
    }
  };
  for (const root of model.roots) visit(analyzeItem(root, undefined), root, 0);

  // Each framework's rules by the version they follow.
  const versions: Record<string, string> = { torch: 'PyTorch 1.13', keras: 'Keras 3', tf: 'TensorFlow', onnx: 'ONNX (spec; onnx 1.12 checked)', flax: 'Flax', jax: 'JAX', caffe: 'Caffe' };
  const rules = [...new Set(model.layers.map((l) => versions[l.framework]))];
  const lines = [`Conv Lens: layer output shapes in ${fileName}`, `${rules.length > 0 ? rules.join(' and ') : 'PyTorch 1.13'} rules; input sizes are symbolic.`, ''];
  if (rows.length === 0) lines.push('No layer calls found (PyTorch torch.nn, Keras layers).');
  // Only layer rows are aligned: a chain's heading is as long as it needs to be.
  const width = Math.max(0, ...rows.filter((r) => !r.label.includes(' (')).map((r) => 2 * r.depth + r.label.length));
  const digits = Math.max(0, ...rows.map((r) => String(r.line).length));
  for (const r of rows) {
    const label = '  '.repeat(r.depth) + r.label;
    lines.push(`line ${String(r.line).padStart(digits)}  ${label.padEnd(width)}  ${r.body}`.trimEnd());
  }
  if (model.syntaxErrors.length > 0) {
    const at = [...new Set(model.syntaxErrors.map((e) => lineOf(e.from)))];
    lines.push('', `Syntax error${at.length === 1 ? '' : 's'} on line${at.length === 1 ? '' : 's'} ${at.join(', ')}: layers there may be missing.`);
  }
  return [...lines, ''].join('\n');
}

function verdict(rule: string): string {
  return rule === 'not-constant' || rule === 'no-layer' ? 'cannot compute' : 'refused';
}

function itemLabel(item: ChainItem): string {
  switch (item.kind) {
    case 'layer':
      return item.layer.layerType;
    case 'chain':
      return chainName(item.chain);
    case 'opaque':
      return item.text;
  }
}
