/**
 * The single pass over the syntax tree. It records, in source order, everything the later
 * stages need (call sites, list literals, parse errors, imports) and builds the scope and
 * binding tables, so no later stage walks the whole tree again.
 *
 * Strings and comments are not entered: a layer call in a docstring, a comment or an
 * f-string replacement is not code Conv Lens should report.
 */
import type { SyntaxNode, Tree, TreeCursor } from '@lezer/common';
import { parser } from '@lezer/python';
import type { Span } from '../values';
import { ImportTable, isInterestingName } from './imports';
import { Scope, addBinding, enclosingMethod, type BindingSource } from './scopes';
import { childNamed, childNodes, elementsIn, elementsOf, hasComma, unparen, type Element } from './syntax';

/** A node recorded with the scope it appears in. */
export interface Site {
  readonly node: SyntaxNode;
  readonly scope: Scope;
}

export interface SourceIndex {
  /**
   * The calls that may construct a layer, container or OrderedDict (by the callee's last
   * name), in source order (an outer call before a call nested in it).
   */
  readonly calls: readonly Site[];
  /** The list literals with a call among their elements (possible chains), in source order. */
  readonly lists: readonly Site[];
  readonly errors: readonly Span[];
  /** Where the import statements the walk met start (module level and nested). */
  readonly importsAt: readonly number[];
  readonly imports: ImportTable;
  readonly moduleScope: Scope;
}

/** What the walk does on entering a node, by node type (numbers: the walk visits every node). */
const Act = {
  None: 0,
  Skip: 1,
  Call: 2,
  List: 3,
  Assign: 4,
  Update: 5,
  Walrus: 6,
  For: 7,
  While: 8,
  As: 9,
  Import: 10,
  Def: 11,
  Lambda: 12,
  Class: 13,
  Comprehension: 14,
} as const;

const ACTION_BY_NAME = new Map<string, number>([
  // Strings and comments hold no code (f-string replacements included, deliberately).
  ['Comment', Act.Skip],
  ['String', Act.Skip],
  ['FormatString', Act.Skip],
  ['CallExpression', Act.Call],
  ['ArrayExpression', Act.List],
  ['AssignStatement', Act.Assign],
  ['UpdateStatement', Act.Update],
  ['NamedExpression', Act.Walrus],
  ['ForStatement', Act.For],
  ['WhileStatement', Act.While],
  ['WithStatement', Act.As],
  ['TryStatement', Act.As],
  ['ImportStatement', Act.Import],
  ['FunctionDefinition', Act.Def],
  ['LambdaExpression', Act.Lambda],
  ['ClassDefinition', Act.Class],
  ['ComprehensionExpression', Act.Comprehension],
  ['ArrayComprehensionExpression', Act.Comprehension],
  ['SetComprehensionExpression', Act.Comprehension],
  ['DictionaryComprehensionExpression', Act.Comprehension],
]);

const ACTIONS: Uint8Array = (() => {
  const types = parser.nodeSet.types;
  const table = new Uint8Array(types.length);
  for (const t of types) table[t.id] = ACTION_BY_NAME.get(t.name) ?? Act.None;
  return table;
})();

/**
 * `carried`: the start offsets of top-level definitions whose results the caller already
 * has from an earlier parse (see segments.ts). Their bodies are not walked; only the name
 * they bind in the module is recorded, as the full walk would.
 */
export function collect(tree: Tree, text: string, carried: ReadonlySet<number> = NO_OFFSETS): SourceIndex {
  const calls: Site[] = [];
  const lists: Site[] = [];
  const errors: Span[] = [];
  const importsAt: number[] = [];
  const imports = new ImportTable();
  const moduleScope = new Scope('module', undefined);
  let scope = moduleScope;
  const word = (n: { from: number; to: number }): string => text.slice(n.from, n.to);

  const push = (kind: 'class' | 'function' | 'comprehension'): Scope => {
    scope = new Scope(kind, scope);
    return scope;
  };

  /** Binds a target expression (`x`, `self.x`, `a, (b, c)`) to a source. */
  const bindTarget = (target: SyntaxNode, source: BindingSource, pos: number): void => {
    switch (target.name) {
      case 'VariableName':
        scope.bind(word(target), pos, source);
        return;
      case 'MemberExpression':
        bindSelfAttr(target, source, pos);
        return;
      case 'ParenthesizedExpression':
      case 'TupleExpression':
      case 'ArrayExpression':
        bindElements(elementsIn(target), source, pos);
        return;
    }
  };

  /** `a, b = source`: pairwise when the source is a literal of the same length. */
  const bindElements = (targets: readonly Element[], source: BindingSource, pos: number): void => {
    if (targets.some((t) => t.star)) {
      // `a, *rest = …`: positions after the star are not worth tracking.
      for (const t of targets) bindOpaque(t.node, pos, word(t.node));
      return;
    }
    const values = sourceElements(source);
    targets.forEach((t, i) => {
      const pair = values && values.length === targets.length && !values.some((v) => v.star) ? values[i] : undefined;
      bindTarget(t.node, pair ? { kind: 'expr', node: pair.node } : { kind: 'item', of: source, index: i, text: word(t.node) }, pos);
    });
  };

  /** Binds every name in a target to something unknown (`for i, (a, b) in …`). */
  const bindOpaque = (target: SyntaxNode, pos: number, text: string): void => {
    if (target.name === 'VariableName') scope.bind(word(target), pos, { kind: 'opaque', text });
    else if (target.name === 'MemberExpression') bindSelfAttr(target, { kind: 'opaque', text }, pos);
    else if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      for (const e of elementsIn(target)) bindOpaque(e.node, pos, text);
    }
  };

  /** `self.attr = …` inside a method is recorded on the method's class. */
  const bindSelfAttr = (target: SyntaxNode, source: BindingSource, pos: number): void => {
    const kids = childNodes(target);
    if (kids.length !== 3 || kids[0].name !== 'VariableName' || kids[2].name !== 'PropertyName') return;
    const method = enclosingMethod(scope);
    if (!method?.classScope?.selfAttrs || word(kids[0]) !== method.selfName) return;
    const attr = word(kids[2]);
    addBinding(method.classScope.selfAttrs, { name: attr, symbol: `${method.selfName}.${attr}`, pos, scope, source, inLoop: scope.loopDepth > 0 });
  };

  const onAssign = (stmt: SyntaxNode): void => {
    const kids = childNodes(stmt).filter((k) => k.name !== 'TypeDef');
    const groups: SyntaxNode[][] = [[]];
    for (const k of kids) {
      if (k.name === 'AssignOp') groups.push([]);
      else groups[groups.length - 1].push(k);
    }
    if (groups.length < 2) return; // `x: int` annotates without binding
    const valueNodes = groups[groups.length - 1];
    if (valueNodes.length === 0) return;
    const source: BindingSource = hasComma(valueNodes)
      ? tupleSource(valueNodes, text.slice(valueNodes[0].from, valueNodes[valueNodes.length - 1].to))
      : valueNodes[0].name === 'YieldExpression'
        ? { kind: 'opaque', text: word(valueNodes[0]) }
        : { kind: 'expr', node: valueNodes[0] };
    for (const targetNodes of groups.slice(0, -1)) {
      if (targetNodes.length === 0) continue;
      if (hasComma(targetNodes)) bindElements(elementsOf(targetNodes), source, stmt.to);
      else bindTarget(targetNodes[0], source, stmt.to);
    }
  };

  const onUpdate = (stmt: SyntaxNode): void => {
    const kids = childNodes(stmt);
    const opIndex = kids.findIndex((k) => k.name === 'UpdateOp');
    if (opIndex !== 1 || kids.length < 3) return;
    const target = kids[0];
    const op = word(kids[1]).slice(0, -1);
    const source: BindingSource = { kind: 'update', target, op, value: kids[2], text: word(stmt) };
    if (target.name === 'VariableName' || target.name === 'MemberExpression') bindTarget(target, source, stmt.to);
  };

  /** Names between `for` and `in` (loops and comprehensions alike) bind unknown values. */
  const bindLoopTargets = (kids: readonly SyntaxNode[], pos: (target: SyntaxNode) => number): void => {
    for (let i = 0; i < kids.length; i++) {
      if (kids[i].name !== 'for') continue;
      for (let j = i + 1; j < kids.length && kids[j].name !== 'in'; j++) {
        if (kids[j].name !== ',' && kids[j].name !== '*') bindOpaque(kids[j], pos(kids[j]), word(kids[j]));
      }
    }
  };

  /** Names after `as` (`with … as f`, `except E as e`). */
  const bindAsTargets = (kids: readonly SyntaxNode[]): void => {
    for (let i = 0; i + 1 < kids.length; i++) {
      if (kids[i].name === 'as') bindOpaque(kids[i + 1], kids[i + 1].to, word(kids[i + 1]));
    }
  };

  const bindParams = (paramList: SyntaxNode | null, fn: Scope): void => {
    if (!paramList) return;
    let first = true;
    let prev: SyntaxNode | undefined;
    for (const k of childNodes(paramList)) {
      // A VariableName after `=` is a default value, not a parameter.
      if (k.name === 'VariableName' && prev?.name !== 'AssignOp') {
        const name = word(k);
        fn.bind(name, paramList.from, { kind: 'param', name });
        if (first && fn.classScope && prev?.name !== '*' && prev?.name !== '**') fn.selfName = name;
        first = false;
      }
      prev = k;
    }
  };

  /** `def f` and `class C` bind their name, opaque, from the end of the definition. */
  const bindDefinitionName = (definition: SyntaxNode): void => {
    const nameNode = childNamed(definition, 'VariableName');
    if (nameNode) scope.bind(word(nameNode), definition.to, { kind: 'opaque', text: word(nameNode) });
  };

  const enter = (ref: TreeCursor): boolean | undefined => {
    const type = ref.type;
    if (type.isError) errors.push({ from: ref.from, to: ref.to });
    switch (ACTIONS[type.id]) {
      case Act.Skip:
        return false;
      case Act.Call:
        if (isInterestingCall(ref, text, imports)) calls.push({ node: ref.node, scope });
        return undefined;
      case Act.List:
        if (hasCallElement(ref)) lists.push({ node: ref.node, scope });
        return undefined;
      case Act.Assign:
        onAssign(ref.node);
        return undefined;
      case Act.Update:
        onUpdate(ref.node);
        return undefined;
      case Act.Walrus: {
        const kids = childNodes(ref.node);
        if (kids.length >= 3 && kids[0].name === 'VariableName') scope.bind(word(kids[0]), ref.to, { kind: 'expr', node: kids[2] });
        return undefined;
      }
      case Act.For:
        bindLoopTargets(childNodes(ref.node), (t) => t.to);
        scope.loopDepth++;
        return undefined;
      case Act.While:
        scope.loopDepth++;
        return undefined;
      case Act.As:
        bindAsTargets(childNodes(ref.node));
        return undefined;
      case Act.Import:
        importsAt.push(ref.from);
        for (const b of imports.add(ref.node, text)) scope.bind(b.name, ref.to, { kind: 'opaque', text: b.name });
        return false;
      case Act.Def: {
        const node = ref.node;
        bindDefinitionName(node);
        const outer = scope;
        const fn = push('function');
        if (outer.kind === 'class') fn.classScope = outer;
        bindParams(childNamed(node, 'ParamList'), fn);
        return undefined;
      }
      case Act.Lambda:
        bindParams(childNamed(ref.node, 'ParamList'), push('function'));
        return undefined;
      case Act.Class: {
        bindDefinitionName(ref.node);
        push('class');
        return undefined;
      }
      case Act.Comprehension:
        push('comprehension');
        // Comprehension variables are visible in the whole comprehension, element first.
        bindLoopTargets(childNodes(ref.node), () => ref.from);
        return undefined;
    }
    return undefined;
  };

  const leave = (ref: TreeCursor): void => {
    switch (ACTIONS[ref.type.id]) {
      case Act.Def:
      case Act.Lambda:
      case Act.Class:
      case Act.Comprehension:
        scope = scope.parent ?? moduleScope;
        return;
      case Act.For:
      case Act.While:
        scope.loopDepth = Math.max(0, scope.loopDepth - 1);
        return;
    }
  };

  // Module-level imports first, so that a call through an alias (`CT(…)` after
  // `from torch.nn import ConvTranspose2d as CT`) is recognised wherever it is written.
  // Imports elsewhere are recorded when the walk reaches them.
  for (let top = tree.topNode.firstChild; top; top = top.nextSibling) {
    if (top.name === 'ImportStatement') imports.add(top, text);
  }

  // Tree.iterate's loop over one subtree, on a cursor the handlers may move (they always
  // move it back); it returns with the cursor on the subtree's root.
  const walk = (cursor: TreeCursor): void => {
    let depth = 0;
    for (;;) {
      let entered = false;
      if (enter(cursor) !== false) {
        if (cursor.firstChild()) {
          depth++;
          continue;
        }
        entered = true;
      }
      for (;;) {
        if (entered) leave(cursor);
        if (depth === 0) return;
        if (cursor.nextSibling()) break;
        cursor.parent();
        depth--;
        entered = true;
      }
    }
  };

  // Statement by statement, so that carried definitions are passed over whole. Only the
  // definition itself: in a broken text an error node may start where it starts (a missing
  // newline before `def`), and that one is walked.
  const cursor = tree.cursor();
  if (cursor.type.isError) errors.push({ from: cursor.from, to: cursor.to });
  if (cursor.firstChild()) {
    do {
      const definition = carried.has(cursor.from) ? definitionOf(cursor.node) : undefined;
      if (definition) bindDefinitionName(definition);
      else walk(cursor);
    } while (cursor.nextSibling());
  }
  return { calls, lists, errors, imports, importsAt, moduleScope };
}

const NO_OFFSETS: ReadonlySet<number> = new Set();

/** The class or function a top-level statement defines (through its decorators), if any. */
export function definitionOf(statement: SyntaxNode): SyntaxNode | undefined {
  const node = statement.name === 'DecoratedStatement' ? statement.lastChild : statement;
  return node && (node.name === 'ClassDefinition' || node.name === 'FunctionDefinition') ? node : undefined;
}

/**
 * Whether a call's callee ends in a name we classify (`….Conv2d`, `Sequential`,
 * `OrderedDict`). Peeks with the cursor, which allocates nothing, and moves it back:
 * most calls in a model file (`x.view(…)`, `torch.cat(…)`) are dismissed without
 * building a syntax node.
 */
function isInterestingCall(cursor: TreeCursor, text: string, imports: ImportTable): boolean {
  if (!cursor.firstChild()) return false;
  let interesting = false;
  if (cursor.type.id === MEMBER_EXPRESSION) {
    if (cursor.lastChild()) {
      interesting = cursor.type.id === PROPERTY_NAME && isInterestingName(text.slice(cursor.from, cursor.to));
      cursor.parent();
    }
  } else if (cursor.type.id === VARIABLE_NAME) {
    interesting = imports.mayConstruct(text.slice(cursor.from, cursor.to));
  }
  cursor.parent();
  return interesting;
}

/** Whether a list literal has a call among its elements: only those can be chains. */
function hasCallElement(cursor: TreeCursor): boolean {
  if (!cursor.firstChild()) return false;
  let found = false;
  do {
    const id = cursor.type.id;
    if (id === CALL_EXPRESSION || id === PARENTHESIZED_EXPRESSION) found = true;
  } while (!found && cursor.nextSibling());
  cursor.parent();
  return found;
}

function typeId(name: string): number {
  return parser.nodeSet.types.find((t) => t.name === name)?.id ?? -1;
}

const MEMBER_EXPRESSION = typeId('MemberExpression');
const PROPERTY_NAME = typeId('PropertyName');
const VARIABLE_NAME = typeId('VariableName');
const CALL_EXPRESSION = typeId('CallExpression');
const PARENTHESIZED_EXPRESSION = typeId('ParenthesizedExpression');

/** `x = a, *b, c`: an unparenthesised tuple value. */
function tupleSource(valueNodes: readonly SyntaxNode[], text: string): BindingSource {
  const elements = elementsOf(valueNodes);
  return { kind: 'tuple', nodes: elements.map((e) => e.node), stars: elements.map((e) => e.star), text };
}

/** The elements of a literal tuple/list source, when the source is one. */
function sourceElements(source: BindingSource): Element[] | undefined {
  if (source.kind === 'tuple') {
    return source.nodes.map((node, i) => ({ node, star: source.stars[i], span: { from: node.from, to: node.to } }));
  }
  if (source.kind !== 'expr') return undefined;
  const node = unparen(source.node);
  if (node.name !== 'TupleExpression' && node.name !== 'ArrayExpression') return undefined;
  return elementsIn(node);
}
