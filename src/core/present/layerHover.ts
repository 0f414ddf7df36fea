/**
 * The hover of a layer call, from the document's analysis: its Markdown with the links to
 * the extension's own commands, and the only commands that Markdown may run. The extension's
 * hover provider shows it; the web-build proof and the security tests compute the very same
 * text without VS Code.
 */
import type { DocumentAnalysis } from '../editor/documentAnalysis';
import type { LayerCall } from '../values';
import { canDraw } from '../visual/gather';
import { layerHoverMarkdown } from './hoverText';

/** Command ids the hover links to (contributed in package.json). */
export const CONVERT_COMMAND = 'convLens.convertToZeroInserted';
export const OPEN_VISUALIZATION_COMMAND = 'convLens.openVisualization';

/** What a layer hover's Markdown may run: our two commands, nothing else. */
export const HOVER_TRUSTED_COMMANDS: readonly string[] = [CONVERT_COMMAND, OPEN_VISUALIZATION_COMMAND];

/** Where the hover was asked: the links carry it so that the command acts on that layer. */
export interface HoverPlace {
  /** The document's URI as VS Code's `Uri.toString()` gives it. */
  readonly uri: string;
  readonly offset: number;
}

/**
 * The hover's Markdown for `layer`, or undefined when the analysis has no answer for it.
 * `lineOf` gives the 1-based line of an offset (for the chain's line); without `place`,
 * no command links.
 */
export function layerHover(analysis: DocumentAnalysis, layer: LayerCall, lineOf: (offset: number) => number, place?: HoverPlace): string | undefined {
  const insight = analysis.insightOf(layer);
  if (!insight) return undefined;
  const links: string[] = [];
  if (place) {
    // Command links carry JSON arguments; user text never reaches them (the URI is VS Code's).
    const args = encodeURIComponent(JSON.stringify([place.uri, place.offset]));
    if (insight.outcome.ok && canDraw(insight.outcome.value)) {
      links.push(`[Open visualization](command:${OPEN_VISUALIZATION_COMMAND}?${args} "Draw this layer's sliding kernel in a panel beside the editor")`);
    }
    if (layer.framework === 'torch' && layer.layerType.startsWith('ConvTranspose') && insight.outcome.ok) {
      links.push(`[Convert to zero-inserted conv](command:${CONVERT_COMMAND}?${args} "Rewrite this call as zero insertion + padding + a stride-1 conv")`);
    }
  }
  const chainLine = insight.chain ? lineOf(insight.chain.chain.span.from) : undefined;
  const receptiveField = analysis.receptiveFieldOf(insight);
  return layerHoverMarkdown(insight, { links, ...(receptiveField ? { receptiveField } : {}), ...(chainLine ? { chainLine } : {}) });
}
