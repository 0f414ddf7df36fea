/**
 * What the editor flags in a document: every configuration PyTorch would refuse (an error,
 * with PyTorch's reason), and two warnings a user can turn off: uneven overlap in transposed
 * convs, and input a strided conv or pool never reads. Quick fixes are attached as edits.
 */
import { constValue, format } from '../expr';
import { axisNames } from '../shape';
import { spatialRank } from '../torch/catalog';
import type { LayerReport } from '../torch/report';
import { argumentSpan, FRAMEWORK_NAMES, type LayerCall, type Span } from '../values';
import { checkerboard } from './checkerboard';
import type { DocumentAnalysis, LayerInsight } from './documentAnalysis';

export type FindingKind = 'refused' | 'checkerboard' | 'unread-input' | 'flax-int-kernel';

export interface TextEdit {
  readonly span: Span;
  readonly text: string;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: 'error' | 'warning';
  readonly span: Span;
  readonly message: string;
  /** PyTorch's rule for refusals, our kind otherwise. */
  readonly code: string;
  readonly fixes: readonly { readonly title: string; readonly edit: TextEdit }[];
}

export interface FindingOptions {
  readonly checkerboard: boolean;
  readonly unreadInput: boolean;
  /** Flax's int kernel_size (a 1-D kernel) on an input of more spatial axes. */
  readonly flaxIntKernel?: boolean;
}

export function findings(analysis: DocumentAnalysis, options: FindingOptions): Finding[] {
  const out: Finding[] = [];
  for (const insight of analysis.insights) {
    // After a refusal the forward pass stops: later layers are flagged only for their own faults.
    const span = insight.layer.calleeSpan;
    if (!insight.outcome.ok) {
      const { rule, message } = insight.outcome.refusal;
      if (rule === 'not-constant' || rule === 'no-layer') continue;
      out.push({ kind: 'refused', severity: 'error', span, message: `${FRAMEWORK_NAMES[insight.layer.framework]} refuses this ${insight.layer.layerType}: ${message}`, code: rule, fixes: rule === 'channel-mismatch' ? inChannelsFix(insight) : [] });
      continue;
    }
    const notes = notesOf(insight.outcome.value);
    if (options.checkerboard && notes.checkerboard) {
      out.push({ kind: 'checkerboard', severity: 'warning', span, message: notes.checkerboard, code: 'checkerboard', fixes: [] });
    }
    const flaxKernel = options.flaxIntKernel !== false ? flaxIntKernel(insight.layer, insight.outcome.value) : undefined;
    if (flaxKernel) out.push({ kind: 'flax-int-kernel', severity: 'warning', span, ...flaxKernel });
    if (options.unreadInput && notes.unread.length > 0) {
      out.push({ kind: 'unread-input', severity: 'warning', span, message: `The last input elements are never read (${notes.unread.join(', ')}): the windows do not fit the input exactly, so ${insight.layer.layerType} drops them.`, code: 'unread-input', fixes: [] });
    }
  }
  return out;
}

/**
 * Flax reads `kernel_size=3` as a 1-D kernel (it does not repeat it per axis, as PyTorch and
 * Keras do): on (N, H, W, C) it convolves W only. The fix writes one entry per axis.
 */
function flaxIntKernel(layer: LayerCall, r: LayerReport): Pick<Finding, 'message' | 'code' | 'fixes'> | undefined {
  if (layer.framework !== 'flax') return undefined;
  const position = layer.layerType.startsWith('nnx.') ? 2 : 1;
  const arg = layer.args.find((a) => a.name === 'kernel_size') ?? (layer.args[position]?.name === undefined ? layer.args[position] : undefined);
  const spatial = r.input.length - 2;
  if (!arg || arg.value.kind !== 'int' || spatial < 2) return undefined;
  const text = `(${Array.from({ length: spatial }, () => arg.text).join(', ')})`;
  return {
    message: `kernel_size=${arg.text} is a 1-D kernel in Flax: on this ${spatial}-D input it convolves the last spatial axis only (the others are folded into the batch). Write kernel_size=${text} for a ${spatial}-D kernel.`,
    code: 'flax-int-kernel',
    fixes: [{ title: `Write kernel_size=${text}`, edit: { span: argumentSpan(layer, arg), text } }],
  };
}

/** What the warnings say about one answer of the engine. */
interface Notes {
  readonly checkerboard?: string;
  /** `2 along H` per axis with unread input. */
  readonly unread: readonly string[];
}

/**
 * The notes depend on the answer alone, and answers are kept across keystrokes (LayerMemo),
 * so each answer's notes are worked out once.
 */
const notesByReport = new WeakMap<LayerReport, Notes>();

function notesOf(r: LayerReport): Notes {
  const known = notesByReport.get(r);
  if (known) return known;
  const names = axisNames(r.axes.length);
  const board = checkerboard(r);
  const a = board && r.axes[board.axes[0]];
  const notes: Notes = {
    ...(board && a
      ? {
          checkerboard: `Uneven overlap (checkerboard artifacts): kernel ${a.effectiveKernel} is not divisible by stride ${a.stride} along ${board.axes.map((k) => names[k]).join(', ')}, so outputs get ${board.minTaps} or ${board.maxTaps} taps in turn.${board.alternative ? ` Resize-then-conv gives the same size without it: ${board.alternative}` : ''}`,
        }
      : {}),
    unread: r.axes.flatMap((axis, k) => {
      const n = axis.unread === undefined ? undefined : constValue(axis.unread);
      return n !== undefined && n > 0 ? [`${n} along ${names[k]}`] : [];
    }),
  };
  notesByReport.set(r, notes);
  return notes;
}

/** "Set in_channels to C", where C is the channel count of the input the layer is given. */
function inChannelsFix(insight: LayerInsight): Finding['fixes'] {
  const input = insight.input;
  const nd = spatialRank(insight.layer.layerType);
  if (!input || nd === undefined || input.length < nd + 1) return [];
  const channels = input[input.length - nd - 1];
  const text = constValue(channels) !== undefined ? String(constValue(channels)) : format(channels);
  if (!/^[\w]+$/.test(text)) return [];
  const arg = insight.layer.args.find((a) => a.name === 'in_channels') ?? (insight.layer.args[0]?.name === undefined ? insight.layer.args[0] : undefined);
  if (!arg) return [];
  return [{ title: `Set in_channels to ${text}`, edit: { span: argumentSpan(insight.layer, arg), text } }];
}
