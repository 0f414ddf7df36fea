/**
 * Everything the editor shows about one document, computed once per version: for each layer
 * call, the input it gets and where that input comes from, and what the engine says. Hovers,
 * inlay hints and diagnostics all read this one analysis.
 *
 * Where an input shape comes from, first match wins:
 * 1. a shape comment on the layer's line or the line directly above (or above the chain it
 *    belongs to, for the chain's first layer);
 * 2. propagation: inside an `nn.Sequential` or a list, the previous layer's output;
 * 3. the per-file input shape ("Conv Lens: Set Input Shape…"), for items at the top level;
 * 4. the `convLens.defaultInputShape` setting;
 * otherwise the layer's own symbolic input, `(N, C_in, H, W)`.
 */
import { analyzeItem, itemLayers, itemStart, type InputChoice, type ItemResult } from '../analyze';
import { LayerMemo } from './layerMemo';
import { RootReuse } from './rootReuse';
import type { Outcome } from '../outcome';
import type { Shape } from '../shape';
import type { LayerReport } from '../torch/report';
import type { ChainItem, LayerCall, LayerChain, SourceModel } from '../values';
import { receptiveField, type ReceptiveField } from './receptiveField';
import { CommentIndex } from './shapeComments';

export type InputOrigin =
  | { readonly kind: 'comment'; readonly line: number }
  | { readonly kind: 'previous' }
  | { readonly kind: 'file' }
  | { readonly kind: 'setting' }
  | { readonly kind: 'symbolic' };

export interface LayerInsight {
  readonly layer: LayerCall;
  /** The input the layer was analysed on (when refused: the one it was given; undefined: its own symbolic input). */
  readonly input: Shape | undefined;
  readonly origin: InputOrigin;
  readonly outcome: Outcome<LayerReport>;
  /** The chain it belongs to, if any, and its position there. */
  readonly chain?: { readonly chain: LayerChain; readonly index: number };
  /** It comes after a refused layer of its chain: analysed on its own symbolic input. */
  readonly unreached: boolean;
}

export interface InputDefaults {
  /** The per-file input shape, if the user set one. */
  readonly file?: Shape;
  /** The `convLens.defaultInputShape` setting, if set. */
  readonly setting?: Shape;
}

export class DocumentAnalysis {
  /** Every layer call's insight, in source order. */
  readonly insights: readonly LayerInsight[];
  private readonly byLayer: ReadonlyMap<LayerCall, LayerInsight>;

  /**
   * `memo` keeps the engine's answers and the last analysis across analyses of the same
   * document (after each edit); `moved` is the front end's map of layers and chains it
   * carried to a new place (copy → the object the previous analysis saw), so their answers
   * are found without a key, and whole roots of the previous analysis reused.
   */
  constructor(readonly model: SourceModel, text: string, defaults: InputDefaults, memo: LayerMemo = new LayerMemo(), moved?: ReadonlyMap<LayerCall | LayerChain, LayerCall | LayerChain>) {
    memo.begin(moved, model.layers.length);
    const analyze = (layer: LayerCall, input: Shape | undefined): Outcome<LayerReport> => memo.analyze(layer, input);
    const comments = new CommentIndex(text);
    const found = new Map<LayerCall, LayerInsight>();
    const origins = new Map<ChainItem, InputOrigin>();
    const positions = new Map<ChainItem, { chain: LayerChain; index: number }>();
    const reuse = new RootReuse(comments, model.roots, defaults, memo.lastAnalysis, moved);

    // A comment belongs to the outermost item that starts on its line (`nn.Sequential(a, b)  # (1, 3, 8, 8)`
    // gives the shape to the Sequential, not again to b); items are visited outermost first.
    const used = new Set<number>();
    const given = new Map<ChainItem, Shape | undefined>();
    const choose: InputChoice = (item, fed, fromPrevious) => {
      const comment = comments.inputShapeFor(itemStart(item));
      if (comment && !used.has(comment.line)) {
        used.add(comment.line);
        origins.set(item, { kind: 'comment', line: comment.line });
        given.set(item, comment.shape);
        return comment.shape;
      }
      if (fromPrevious) origins.set(item, fed ? { kind: 'previous' } : { kind: 'symbolic' });
      given.set(item, fed);
      return fed;
    };
    const rootOrigin: InputOrigin = defaults.file ? { kind: 'file' } : defaults.setting ? { kind: 'setting' } : { kind: 'symbolic' };
    const rootInput = defaults.file ?? defaults.setting;

    const record = (result: ItemResult, item: ChainItem, inherited: InputOrigin): void => {
      const origin = origins.get(item) ?? inherited;
      if (result.kind === 'layer') {
        const position = positions.get(item);
        found.set(result.layer, {
          layer: result.layer,
          input: result.outcome.ok ? result.outcome.value.input : given.get(item),
          origin,
          outcome: result.outcome,
          ...(position ? { chain: position } : {}),
          unreached: false,
        });
      } else if (result.kind === 'chain') {
        result.steps.forEach((step, index) => {
          const child = result.chain.items[index];
          positions.set(child, { chain: result.chain, index });
          if (step.kind === 'unreached') {
            for (const layer of itemLayers(child)) {
              found.set(layer, { layer, input: undefined, origin: { kind: 'symbolic' }, outcome: analyze(layer, undefined), chain: { chain: result.chain, index }, unreached: true });
            }
          } else record(step, child, index === 0 ? origin : { kind: 'symbolic' });
        });
      }
    };
    for (const root of model.roots) {
      if (reuse.reused(root, found)) continue;
      const result = analyzeItem(root, rootInput, { choose, analyzeLayer: analyze });
      record(result, root, rootOrigin);
    }
    // Layers no chain or root reaches (e.g. inside an unknown call's arguments) still get answers.
    for (const layer of model.layers) {
      if (!found.has(layer)) found.set(layer, { layer, input: undefined, origin: { kind: 'symbolic' }, outcome: analyze(layer, undefined), unreached: false });
    }
    this.insights = model.layers.map((l) => found.get(l)!);
    this.byLayer = found;
    memo.lastAnalysis = reuse.trace(found);
  }

  insightOf(layer: LayerCall): LayerInsight | undefined {
    return this.byLayer.get(layer);
  }

  /**
   * The receptive field from the start of the layer's chain up to and including the layer;
   * undefined outside a chain that feeds its items (an nn.ModuleList does not).
   */
  receptiveFieldOf(insight: LayerInsight): ReceptiveField | undefined {
    if (!insight.chain || insight.chain.chain.kind === 'modulelist' || !insight.outcome.ok) return undefined;
    const reports: LayerReport[] = [];
    for (const item of insight.chain.chain.items.slice(0, insight.chain.index + 1)) {
      const outcome = item.kind === 'layer' ? this.byLayer.get(item.layer)?.outcome : undefined;
      if (!outcome?.ok) return { ok: false, blockedBy: item.kind === 'layer' ? item.layer.layerType : item.kind === 'opaque' ? item.text : 'a nested chain' };
      reports.push(outcome.value);
    }
    return receptiveField(reports);
  }
}
