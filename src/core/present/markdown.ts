/** Markdown helpers for text that reaches a hover: user text is always escaped. */

/**
 * Line breaks are Markdown syntax too: a blank line ends a paragraph (and a code span opened
 * in it), a new line starting `- ` or `| ` starts a list or ends a table row. User text keeps
 * to one line.
 */
const LINE_BREAKS = /\r\n|\r|\n/g;

/** Escapes every character Markdown (CommonMark + GFM) could read as syntax or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(/[\\`*_{}[\]()#+\-.!<>|~&:]/g, (c) => `\\${c}`);
}

/**
 * Inline code for text we produced (shapes, formulas). A backtick would close the span and a
 * line break could end it early (then what follows is Markdown again): neither survives.
 */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(LINE_BREAKS, ' ')}\``;
}
