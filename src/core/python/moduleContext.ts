/**
 * Which module-level statements a top-level definition's contents may depend on.
 *
 * What the front end finds inside a definition depends on its own text, on the module's
 * imports and definition names, and on the module-level bindings of the names it reads
 * (through the evaluator's lookups), which in turn depend on the bindings of the names
 * *their* expressions read. segments.ts carries a definition over from one parse to the
 * next when all of that is unchanged. Before this, any edit at module level (a constant no
 * definition reads, a print) made every definition be walked again.
 *
 * Everything here errs on the side of a dependency: a spurious one only costs a walk,
 * a missing one would show a stale answer.
 *  - A definition reads every word of its text (identifiers, attribute names, words in
 *    strings and comments): a superset of the names it can look up.
 *  - A module statement binds every name written in it (assignment targets and anything
 *    else), and every word of its strings (ONNX links nodes to their declarations by tensor
 *    names in strings). The only names left out are imported names it uses as `name.attr`
 *    or `name(…)`, when no module statement uses that name in any other way: such a use can
 *    neither rebind nor mutate anything the analysis follows (`nn.Conv2d(…)` at module level
 *    does not change what `nn` is for a definition).
 *  - A module statement that contains an import is an anchor: its text, with the kinds and
 *    names of all definitions in order, is the context every carried definition needs
 *    unchanged (imports change how any later call is read).
 * A module statement that uses a definition (`m = G()`) does not make it depend on that
 * statement: chains never follow a definition's name, and a chain found linking a
 * definition to anything outside it keeps it from being carried at all (segments.ts).
 * A dependency is recorded with its place among the anchors, so that a binding moving
 * across a definition (which changes what a lookup finds) counts as a change.
 */
import type { SyntaxNode, TreeCursor } from '@lezer/common';

/** One top-level statement as the context sees it. */
export interface ContextStatement {
  readonly node: SyntaxNode;
  readonly from: number;
  readonly to: number;
  /** `class G` / `def block` for a named definition, undefined for any other statement. */
  readonly definition: string | undefined;
  readonly name: string | undefined;
}

/** lezer-python's identifier: `identifierChar (digit | identifierChar)*`, identifierChar = ASCII letter, `_` or U+00A1 and above. */
const WORD = /[A-Za-z_\u00a1-\u{10ffff}][A-Za-z0-9_\u00a1-\u{10ffff}]*/gu;

/** Every word of a text: a superset of the identifiers a parser finds in it. */
export function wordsOf(text: string): Set<string> {
  return new Set(text.match(WORD));
}

interface ModuleStatement {
  /** How many anchors (definitions and import-holding statements) come before it. */
  readonly gap: number;
  readonly text: string;
  /** Every word of its text. */
  readonly reads: ReadonlySet<string>;
}

export class ModuleContext {
  /** The anchors in order: what every carried definition needs unchanged. */
  readonly anchors: string;
  private readonly statements = new Map<number, ModuleStatement>();
  /** Name → the module statements that may bind it. */
  private readonly binders = new Map<string, number[]>();

  constructor(text: string, statements: readonly ContextStatement[]) {
    const anchors: string[] = [];
    const uses: { index: number; use: NameUses }[] = [];
    const imported = new Set<string>();
    const usedPlainly = new Set<string>();
    statements.forEach((statement, index) => {
      if (statement.definition !== undefined) {
        anchors.push(statement.definition);
        return;
      }
      const use = nameUses(statement.node.cursor(), text);
      const source = text.slice(statement.from, statement.to);
      if (use.hasImport) {
        for (const name of use.plain) imported.add(name);
        anchors.push(source);
        return;
      }
      for (const name of use.plain) usedPlainly.add(name);
      uses.push({ index, use });
      this.statements.set(index, { gap: anchors.length, text: source, reads: wordsOf(source) });
    });
    this.anchors = anchors.join('\u0000');
    const add = (table: Map<string, number[]>, name: string, index: number): void => {
      const list = table.get(name);
      if (!list) table.set(name, [index]);
      else if (list[list.length - 1] !== index) list.push(index);
    };
    for (const { index, use } of uses) {
      for (const name of use.plain) add(this.binders, name, index);
      for (const name of use.asHead) if (!imported.has(name) || usedPlainly.has(name)) add(this.binders, name, index);
      for (const name of use.inStrings) add(this.binders, name, index);
    }
  }

  /**
   * The module statements a definition reading `words` depends on, each as its place among the anchors and its text, in source order.
   * Two parses giving equal lists (and equal anchors) give the definition equal contents.
   */
  dependencies(words: ReadonlySet<string>): string[] {
    // Most definitions read no name a module statement binds: no search, no allocation.
    let pending: string[] | undefined;
    for (const word of words) if (this.binders.has(word)) (pending ??= []).push(word);
    if (!pending) return [];
    const found = new Set<number>();
    const seen = new Set<string>();
    while (pending.length > 0) {
      const word = pending.pop()!;
      if (seen.has(word)) continue;
      seen.add(word);
      for (const index of this.binders.get(word) ?? []) {
        if (found.has(index)) continue;
        found.add(index);
        for (const read of this.statements.get(index)!.reads) if (!seen.has(read)) pending.push(read);
      }
    }
    return [...found].sort((a, b) => a - b).map((index) => {
      const statement = this.statements.get(index)!;
      return `${statement.gap}\u0000${statement.text}`;
    });
  }
}

interface NameUses {
  readonly hasImport: boolean;
  /** Names written anywhere but as the object of `name.attr` or the callee of `name(…)`. */
  readonly plain: Set<string>;
  /** Names written as `name.attr` or `name(…)`. */
  readonly asHead: Set<string>;
  /** Words inside string literals. */
  readonly inStrings: Set<string>;
}

/** The names a statement writes, by how they are used (a walk of its subtree, no allocation per node). */
function nameUses(cursor: TreeCursor, text: string): NameUses {
  const plain = new Set<string>();
  const asHead = new Set<string>();
  const inStrings = new Set<string>();
  let hasImport = false;
  // The enclosing nodes' names and starts: a first child starts where its parent does.
  const parents: { readonly name: string; readonly from: number }[] = [];
  for (;;) {
    const name = cursor.name;
    let enter = true;
    if (name === 'VariableName') {
      const parent = parents[parents.length - 1];
      const head = parent !== undefined && parent.from === cursor.from && (parent.name === 'MemberExpression' || parent.name === 'CallExpression');
      (head ? asHead : plain).add(text.slice(cursor.from, cursor.to));
    } else if (name === 'String' || name === 'FormatString') {
      for (const word of wordsOf(text.slice(cursor.from, cursor.to))) inStrings.add(word);
      enter = false;
    } else if (name === 'ImportStatement') {
      hasImport = true;
    }
    if (enter) {
      parents.push({ name, from: cursor.from });
      if (cursor.firstChild()) continue;
      parents.pop();
    }
    for (;;) {
      if (parents.length === 0) return { hasImport, plain, asHead, inStrings };
      if (cursor.nextSibling()) break;
      cursor.parent();
      parents.pop();
    }
  }
}
