/**
 * Edit safety, as properties over generated Python files: the convert command and "Apply to
 * source" (the solver's and the panel's) change only their target — the call's span, plus
 * the helpers inserted once after the imports — keep the file parseable, and leave every
 * other layer as it was. VS Code applies these edits as one WorkspaceEdit (one undo step:
 * test/integration/convert.test.ts checks that in the real editor).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { analyzeLayer } from '../../src/core/analyze';
import { HELPER_MARKER } from '../../src/core/convert/zeroInserted';
import { helperInsertion } from '../../src/core/convert/placement';
import { applyEdits, argumentsEdit, conversionEdits, type TextEdit } from '../../src/core/editor/textEdits';
import { parsePython } from '../../src/core/python/parse';
import { axisConfigOf, solvableKind } from '../../src/core/solve/rewrite';
import type { AxisConfig } from '../../src/core/solve/solver';
import type { LayerCall } from '../../src/core/values';
import { pythonFile, small } from '../generators/pythonFiles';

const SEED = 20261122;

/** Files with at least one transposed conv, and the index of the one to rewrite. */
const withTarget = pythonFile
  .map((text) => ({ text, targets: parsePython(text).layers.filter((l) => solvableKind(l) === 'convTranspose') }))
  .filter((f) => f.targets.length > 0)
  .chain((f) => small(0, f.targets.length - 1).map((i) => ({ text: f.text, target: f.targets[i] })));

/** The text of every layer call outside `spans`, in order. */
function layerTextsOutside(text: string, spans: readonly { from: number; to: number }[]): string[] {
  return parsePython(text).layers.filter((l) => !spans.some((s) => l.span.from < s.to && s.from < l.span.to)).map((l) => l.text);
}

/** Where each edit's text landed in the result. */
function landedSpans(edits: readonly TextEdit[]): { from: number; to: number }[] {
  let shift = 0;
  return edits.map((e) => {
    const span = { from: e.from + shift, to: e.from + shift + e.text.length };
    shift += e.text.length - (e.to - e.from);
    return span;
  });
}

describe('edit safety: the convert command', () => {
  it('replaces exactly the call\'s span, and otherwise only inserts the helpers at a line start outside every call', () => {
    fc.assert(fc.property(withTarget, ({ text, target }) => {
      const edits = conversionEdits(text, target);
      assert.ok(edits.ok, edits.ok ? '' : edits.refusal.message);
      const replaced = edits.value.filter((e) => e.to > e.from);
      assert.equal(replaced.length, 1);
      assert.deepEqual([replaced[0].from, replaced[0].to], [target.span.from, target.span.to]);
      for (const e of edits.value.filter((x) => x.from === x.to)) {
        assert.ok(e.from === 0 || text[e.from - 1] === '\n', 'helpers start a line');
        assert.ok(!parsePython(text).layers.some((l) => l.span.from < e.from && e.from < l.span.to), 'helpers land outside every call');
      }
    }), { seed: SEED, numRuns: 300 });
  });

  it('leaves every other layer call\'s text as it was, and the file parseable', () => {
    fc.assert(fc.property(withTarget, ({ text, target }) => {
      const edits = conversionEdits(text, target);
      assert.ok(edits.ok);
      const result = applyEdits(text, edits.value);
      assert.deepEqual(layerTextsOutside(result, landedSpans(edits.value)), layerTextsOutside(text, [target.span]));
      assert.deepEqual(parsePython(result).syntaxErrors, [], `parse errors in:\n${result}`);
    }), { seed: SEED, numRuns: 300 });
  });

  it('keeps the text between and around its edits byte for byte', () => {
    fc.assert(fc.property(withTarget, ({ text, target }) => {
      const edits = conversionEdits(text, target);
      assert.ok(edits.ok);
      const result = applyEdits(text, edits.value);
      const landed = landedSpans(edits.value);
      let at = 0;
      edits.value.forEach((e, i) => {
        assert.equal(result.slice(landed[i].from - (e.from - at), landed[i].from), text.slice(at, e.from));
        at = e.to;
      });
      assert.equal(result.slice(result.length - (text.length - at)), text.slice(at));
    }), { seed: SEED, numRuns: 300 });
  });

  it('inserts the helpers once per file: converting every transposed conv one after the other leaves one helper block', () => {
    fc.assert(fc.property(pythonFile, (start) => {
      let text = start;
      for (let round = 0; round < 8; round++) {
        const next = parsePython(text).layers.find((l) => solvableKind(l) === 'convTranspose');
        if (!next) break;
        const edits = conversionEdits(text, next);
        assert.ok(edits.ok);
        text = applyEdits(text, edits.value);
      }
      if (text !== start || start.includes(HELPER_MARKER)) assert.equal(text.split(HELPER_MARKER).length, 2);
      assert.equal(helperInsertion(text) === undefined, text.includes(HELPER_MARKER));
      assert.deepEqual(parsePython(text).syntaxErrors, []);
    }), { seed: SEED, numRuns: 150 });
  });
});

describe('edit safety: "Apply to source" (the solver\'s and the panel\'s)', () => {
  /** A configuration PyTorch accepts for a transposed conv. */
  const config = fc.record({ kernel: small(1, 6), stride: small(1, 4), padding: small(0, 3), dilation: small(1, 3), outputPadding: small(0, 3) }).map((c): AxisConfig => ({ ...c, outputPadding: Math.min(c.outputPadding, Math.max(c.stride, c.dilation) - 1) }));

  it('changes only the inside of the call\'s parentheses; the layer reads back with the applied configuration', () => {
    fc.assert(fc.property(withTarget, config, ({ text, target }, axes) => {
      const edit = argumentsEdit(text, target, 'convTranspose', axes);
      assert.ok(target.span.from < edit.from && edit.to < target.span.to, 'inside the parentheses');
      assert.equal(text[edit.from - 1], '(');
      const result = applyEdits(text, [edit]);
      const read = parsePython(result).layers.find((l) => l.span.from === target.span.from) as LayerCall;
      assert.equal(read.layerType, target.layerType);
      const report = analyzeLayer(read, undefined);
      if (report.ok) for (const a of report.value.axes) assert.deepEqual(axisConfigOf(a), axes);
      else assert.fail(`the applied configuration is refused: ${report.refusal.message}`);
      assert.deepEqual(layerTextsOutside(result, [{ from: target.span.from, to: target.span.to + result.length - text.length }]), layerTextsOutside(text, [target.span]));
      assert.deepEqual(parsePython(result).syntaxErrors, []);
    }), { seed: SEED, numRuns: 300 });
  });
});
