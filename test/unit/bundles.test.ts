/**
 * What ships runs no code made from strings. Each bundle a user installs — the extension for
 * the Node and the web extension hosts, the panel's script — is parsed as JavaScript and
 * searched for every way to run a string: `eval` (direct, indirect, or as a property of the
 * global object), the Function constructor (with or without `new`, or as `.constructor` given
 * a string), and a timer given a string. Text inside string literals is data, not code: the
 * parser tells the two apart, and a string only runs through one of the calls searched for.
 *
 * Reads the built bundles: `npm test` builds before the unit suite; alone, run
 * `npm run build` first (a missing bundle fails, it is never skipped).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as ts from 'typescript';

const BUNDLES = ['dist/extension.js', 'dist/web/extension.js', 'dist/webview/panel.js'];

function bundle(path: string): string {
  assert.ok(existsSync(path), `${path} is missing: run \`npm run build\` first (npm test builds before the unit suite)`);
  return readFileSync(path, 'utf8');
}

interface Finding {
  readonly what: string;
  /** Where, and the code around it. */
  readonly at: string;
  /**
   * The one kind allowed: a global-object lookup (as FAST, under @vscode/webview-ui-toolkit,
   * does) that returns `globalThis` first and tries `Function('return this')` only when
   * `globalThis` does not exist — in no browser, webview or Node that runs VS Code; and a
   * webview's CSP (no 'unsafe-eval') would refuse it even there.
   */
  readonly globalThisFallback: boolean;
}

const GLOBALS = new Set(['globalThis', 'window', 'self', 'global', 'frames', 'top', 'parent']);
const TIMERS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'execScript']);

const isStringy = (n: ts.Node | undefined): boolean => n !== undefined && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n) || (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringy(n.left) || isStringy(n.right))));
/** `x` or `globalThis.x` (`window.x`, `self["x"]`…). */
const isGlobal = (n: ts.Expression, name: string): boolean =>
  (ts.isIdentifier(n) && n.text === name) ||
  (ts.isPropertyAccessExpression(n) && n.name.text === name && ts.isIdentifier(n.expression) && GLOBALS.has(n.expression.text)) ||
  (ts.isElementAccessExpression(n) && ts.isStringLiteral(n.argumentExpression) && n.argumentExpression.text === name);
/** `(0, x)` as well as `x`: the indirect call minifiers write. */
const callee = (n: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(n) && ts.isBinaryExpression(n.expression) && n.expression.operatorToken.kind === ts.SyntaxKind.CommaToken ? n.expression.right : n);

/** Every way the JavaScript text `source` runs a string as code. */
function stringEvaluations(source: string, file: string): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: Finding[] = [];
  const report = (what: string, node: ts.Node): void => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const start = Math.max(0, node.getStart(sf) - 60);
    found.push({ what, at: `${file}:${line + 1}: …${source.slice(start, node.getEnd() + 30).replace(/\s+/g, ' ')}…`, globalThisFallback: isGlobalThisFallback(node) });
  };
  const visit = (node: ts.Node): void => {
    // `eval` as a value: a call, an alias, a shorthand property. Not `x.eval` (a method of our own) nor a declared name.
    if (ts.isIdentifier(node) && node.text === 'eval') {
      const p = node.parent;
      const isName = (ts.isPropertyAccessExpression(p) && p.name === node) || ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) && p.name === node);
      if (!isName) report('eval', p);
    }
    if ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && isGlobal(node, 'eval')) report('eval of the global object', node);
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const f = callee(node.expression);
      const first = node.arguments?.[0];
      if (isGlobal(f, 'Function')) report('the Function constructor', node);
      if (ts.isPropertyAccessExpression(f) && f.name.text === 'constructor' && isStringy(first)) report('a constructor given a string', node);
      if (isStringy(first) && [...TIMERS].some((t) => isGlobal(f, t))) report('a timer given a string', node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Inside a function whose first statement returns `globalThis` when it exists, in a `try`, given 'return this'. */
function isGlobalThisFallback(node: ts.Node): boolean {
  if (!(ts.isNewExpression(node) || ts.isCallExpression(node)) || node.arguments?.length !== 1) return false;
  const [code] = node.arguments;
  if (!(ts.isStringLiteral(code) && code.text === 'return this')) return false;
  let inTry = false;
  let fn: ts.Node | undefined = node.parent;
  for (; fn && !ts.isFunctionLike(fn); fn = fn.parent) if (ts.isTryStatement(fn)) inTry = true;
  const body = fn && (ts.isFunctionExpression(fn) || ts.isFunctionDeclaration(fn) || ts.isArrowFunction(fn)) && fn.body && ts.isBlock(fn.body) ? fn.body : undefined;
  const first = body?.statements[0];
  if (!inTry || !first || !ts.isIfStatement(first)) return false;
  const test = first.expression;
  const testsGlobalThis = ts.isBinaryExpression(test) && ts.isTypeOfExpression(test.left) && ts.isIdentifier(test.left.expression) && test.left.expression.text === 'globalThis';
  const then = ts.isBlock(first.thenStatement) ? first.thenStatement.statements[0] : first.thenStatement;
  return testsGlobalThis && then !== undefined && ts.isReturnStatement(then) && then.expression !== undefined && ts.isIdentifier(then.expression) && then.expression.text === 'globalThis';
}

describe('the shipped bundles', () => {
  for (const path of BUNDLES) {
    it(`${path} runs no string as code`, () => {
      const reachable = stringEvaluations(bundle(path), path).filter((f) => !f.globalThisFallback);
      assert.deepEqual(reachable.map((f) => `${f.what} at ${f.at}`), []);
    });
  }

  it('has one Function constructor in all, in the panel: FAST\'s lookup of the global object, only tried without globalThis', () => {
    const fallbacks = BUNDLES.flatMap((path) => stringEvaluations(bundle(path), path).filter((f) => f.globalThisFallback).map((f) => `${path}: ${f.what}`));
    assert.deepEqual(fallbacks, ['dist/webview/panel.js: the Function constructor']);
  });

  it('finds each way of running a string (the search itself, on a sample)', () => {
    const sample = [
      'eval("1")', '(0, eval)("1")', 'const e = eval', 'globalThis.eval("1")', 'window["eval"]("1")', 'new Function("return 1")', 'Function("a", "return a")',
      'self.Function("x")', '(function () {}).constructor("return 1")', 'setTimeout("alert(1)", 1)', 'window.setInterval(`x${1}`, 1)',
      // none of these run a string
      'this.eval(node)', 'class A { eval(x) { return x; } }', 'const o = { eval: 1 }', '"eval(1)"', 'Function.prototype.toString.call(f)', 'new this.constructor(x)', 'setTimeout(() => 1, 1)',
    ].join(';\n');
    assert.deepEqual(stringEvaluations(sample, 'sample.js').map((f) => `${f.at.split(':')[1]} ${f.what}`), [
      '1 eval', '2 eval', '3 eval', '4 eval of the global object', '5 eval of the global object', '6 the Function constructor', '7 the Function constructor',
      '8 the Function constructor', '9 a constructor given a string', '10 a timer given a string', '11 a timer given a string',
    ]);
    const fast = 'var g = function () { if (typeof globalThis !== "undefined") return globalThis; if (typeof window !== "undefined") return window; try { return new Function("return this")(); } catch (e) { return {}; } }();';
    assert.deepEqual(stringEvaluations(fast, 'fast.js').map((f) => f.globalThisFallback), [true]);
    assert.deepEqual(stringEvaluations(fast.replace('return globalThis;', 'return undefined;'), 'fast.js').map((f) => f.globalThisFallback), [false]);
  });
});

/** The name of the function declaration around `node`, if any. */
function enclosingFunction(node: ts.Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionDeclaration(p)) return p.name?.text;
  return undefined;
}

describe('the panel\'s own code (webview/)', () => {
  const files = readdirSync('webview', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

  /** What in `file` could put markup or a handler into the page from a string. */
  function markupFromStrings(file: string): string[] {
    const sf = ts.createSourceFile(file, readFileSync(`webview/${file}`, 'utf8'), ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      const at = (): string => `${file}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: ${node.getText(sf).slice(0, 80)}`;
      if (ts.isPropertyAccessExpression(node) && ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'srcdoc', 'write', 'writeln', 'createContextualFragment', 'parseFromString', 'setHTMLUnsafe'].includes(node.name.text)) found.push(at());
      // An event handler attribute (`onclick`…): set with setAttribute, or written in markup.
      // Names are literals, but in svg.ts's `el(tag, attrs)`, whose callers' attrs must be.
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^setAttribute(NS)?$/.test(node.expression.name.text)) {
        const name = node.arguments[node.expression.name.text === 'setAttribute' ? 0 : 1];
        if (name && ts.isStringLiteralLike(name) ? /^on/i.test(name.text) : !(file === 'svg.ts' && enclosingFunction(node) === 'el')) found.push(at());
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'el') {
        const attrs = node.arguments[1];
        const literalNames = attrs !== undefined && ts.isObjectLiteralExpression(attrs) && attrs.properties.every((p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && !/^on/i.test(p.name.text));
        if (!literalNames) found.push(at());
      }
      if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && /\son[a-z]+\s*=|<script|javascript:/i.test(node.text)) found.push(at());
      ts.forEachChild(node, visit);
    };
    visit(sf);
    return found;
  }

  it('builds the page with DOM calls only: no markup from strings, no inline event handler, attribute names all literal', () => {
    assert.ok(files.length >= 5, files.join(', '));
    assert.deepEqual(files.flatMap(markupFromStrings), []);
  });
});
