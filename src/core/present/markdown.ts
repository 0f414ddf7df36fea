/** Markdown helpers for text that reaches a hover: user text is always escaped. */

/** Escapes every character Markdown (CommonMark + GFM) could read as syntax or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~&:]/g, (c) => `\\${c}`);
}

/** Inline code for text we produced (shapes, formulas): backticks cannot occur in it. */
export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}
