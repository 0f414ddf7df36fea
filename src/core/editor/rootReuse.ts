/**
 * Whole roots (top-level layers and chains) of the previous analysis of a document, reused.
 *
 * Most of a model file is carried over by the front end after a keystroke (segments.ts): the
 * same layers and chains, or copies moved along the text. A root's insights depend only on
 * its items, the input defaults, and the shape comments its items find: on the lines it
 * spans and on the line above it. So a carried root whose first line, last line and the line
 * above read as before (the lines in between are its own text, unchanged) gets the previous
 * insights, moved with it, without walking its chain or asking the engine again; on a 5,000-line
 * file that is nearly every root on every keystroke.
 *
 * A root shares no line with another root (`a = nn.Conv2d(…); b = nn.Conv2d(…)  # (…)`):
 * comments go to the first item that starts on their line, so such roots are always walked.
 */
import type { LineIndex } from '../lines';
import { shapeKey } from '../shape';
import type { ChainItem, LayerCall, LayerChain } from '../values';
import type { InputDefaults, InputOrigin, LayerInsight } from './documentAnalysis';

/** What an analysis leaves for the next one, after the next edit of the same file. */
export interface AnalysisTrace {
  readonly lines: readonly string[];
  readonly defaults: string;
  /** The roots alone on their lines, by their layer or chain. */
  readonly roots: ReadonlyMap<LayerCall | LayerChain, LineRange>;
  readonly insights: ReadonlyMap<LayerCall, LayerInsight>;
}

/** 0-based, both ends included. */
interface LineRange {
  readonly first: number;
  readonly last: number;
}

type Moved = ReadonlyMap<LayerCall | LayerChain, LayerCall | LayerChain>;

export class RootReuse {
  private readonly alone = new Map<LayerCall | LayerChain, LineRange>();
  private readonly defaults: string;

  /**
   * `before`: the previous analysis' trace; `moved`: the front end's carried copies (copy →
   * the object the previous parse had).
   */
  constructor(private readonly index: LineIndex, roots: readonly ChainItem[], defaults: InputDefaults, private readonly before: AnalysisTrace | undefined, private readonly moved: Moved | undefined) {
    this.defaults = `${defaults.file ? shapeKey(defaults.file) : ''}|${defaults.setting ? shapeKey(defaults.setting) : ''}`;
    // Roots are in source order of their starts; one may run past the next (an ONNX graph).
    const ranges = roots.map((root) => {
      const span = root.kind === 'layer' ? root.layer.span : root.kind === 'chain' ? root.chain.span : root.span;
      return { first: index.lineOf(span.from), last: index.lineOf(span.to) };
    });
    let reachedLine = -1;
    roots.forEach((root, i) => {
      const range = ranges[i];
      const key = keyOf(root);
      const nextFirst = i + 1 < ranges.length ? ranges[i + 1].first : Infinity;
      if (key && reachedLine < range.first && range.last < nextFirst) this.alone.set(key, range);
      reachedLine = Math.max(reachedLine, range.last);
    });
  }

  /**
   * Puts the previous insights of `root`'s layers into `found`, moved to where the root is
   * now, when the previous analysis had this root with the same surroundings; false otherwise.
   */
  reused(root: ChainItem, found: Map<LayerCall, LayerInsight>): boolean {
    const before = this.before;
    const key = keyOf(root);
    const here = key && this.alone.get(key);
    if (!before || !here || before.defaults !== this.defaults) return false;
    const was = before.roots.get(this.previous(key)) ?? before.roots.get(key);
    if (!was) return false;
    const lines = this.index.lines;
    const same = here.last - here.first === was.last - was.first && lines[here.first - 1] === before.lines[was.first - 1] && lines[here.first] === before.lines[was.first] && lines[here.last] === before.lines[was.last];
    if (!same) return false;
    // Should a layer be missing, the root is walked, which sets every layer's insight anew.
    return this.copy(root, undefined, here.first - was.first, found);
  }

  /** The trace of the analysis whose insights are `found`. */
  trace(found: ReadonlyMap<LayerCall, LayerInsight>): AnalysisTrace {
    return { lines: this.index.lines, defaults: this.defaults, roots: this.alone, insights: found };
  }

  /**
   * The object the previous parse had for a carried copy; the object itself otherwise. (The
   * previous analysis may also have been of this same parse, with other input defaults: then
   * it saw the objects themselves, hence the callers' second lookup.)
   */
  private previous<T extends LayerCall | LayerChain>(thing: T): T {
    return (this.moved?.get(thing) as T | undefined) ?? thing;
  }

  /** The previous insights of an item's layers, as they read now; false if one is missing. */
  private copy(item: ChainItem, position: { readonly chain: LayerChain; readonly index: number } | undefined, lineShift: number, out: Map<LayerCall, LayerInsight>): boolean {
    switch (item.kind) {
      case 'opaque':
        return true;
      case 'chain':
        return item.chain.items.every((child, index) => this.copy(child, { chain: item.chain, index }, lineShift, out));
      case 'layer': {
        const layer = item.layer;
        const was = this.before!.insights.get(this.previous(layer)) ?? this.before!.insights.get(layer);
        if (!was) return false;
        if (was.layer === layer && lineShift === 0) {
          out.set(layer, was);
          return true;
        }
        const origin: InputOrigin = was.origin.kind === 'comment' && lineShift !== 0 ? { kind: 'comment', line: was.origin.line + lineShift } : was.origin;
        out.set(layer, { layer, input: was.input, origin, outcome: was.outcome, ...(position ? { chain: position } : {}), unreached: was.unreached });
        return true;
      }
    }
  }
}

function keyOf(root: ChainItem): LayerCall | LayerChain | undefined {
  return root.kind === 'layer' ? root.layer : root.kind === 'chain' ? root.chain : undefined;
}
