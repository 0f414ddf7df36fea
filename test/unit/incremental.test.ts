import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { DocumentAnalysis, type InputDefaults } from '../../src/core/editor/documentAnalysis';
import { LayerMemo } from '../../src/core/editor/layerMemo';
import { parsePython, reparsePython, type ParsedPython } from '../../src/core/python/parse';
import { parseShapeSpec } from '../../src/core/query';
import { formatShape } from '../../src/core/shape';

/**
 * The editor reparses a document after every keystroke, carrying unchanged top-level
 * definitions over from the previous parse (segments.ts) and the engine's answers with
 * them (LayerMemo). Whatever the edits, what it shows must be what a fresh parse and a
 * fresh analysis of the same text give.
 */

/** Pieces a model file is made of: definitions, module code, and what links them. */
const PIECES = [
  'import torch.nn as nn\n',
  'ngf = 64\n',
  'ngf = 32\n',
  'stem = nn.Conv2d(3, ngf, 3)\n',
  'class G(nn.Module):\n    def __init__(self):\n        super().__init__()\n        # input: (1, 64, 8, 8)\n        self.main = nn.Sequential(\n            nn.ConvTranspose2d(ngf, 32, 4, 2, 1),\n            nn.ReLU(),\n            nn.ConvTranspose2d(32, 3, 3, 2, 1),\n        )\n',
  'class H(nn.Module):\n    def __init__(self, c=16):\n        super().__init__()\n        self.a = nn.Conv2d(c, ngf, 3, stride=2)\n        self.b = nn.Sequential(self.a, nn.BatchNorm2d(ngf))\n',
  'def block(c):\n    layers = [nn.Conv2d(c, c, 3), nn.ReLU()]\n    return nn.Sequential(*layers)\n',
  'def uses_stem():\n    return nn.Sequential(stem, nn.ReLU())\n',
  'def late_import():\n    from torch.nn import ConvTranspose2d as CT\n    return CT(8, 4, 4, 2, 1)\n',
  'x = CT(4, 2, 3)  # (1, 4, 5, 5)\n',
  '@decorator\nclass D(nn.Module):\n    conv = nn.Conv2d(ngf, 8, 5)\n',
  'model = nn.Sequential(nn.Linear(10, 20), nn.ReLU())  # (2, 10)\n',
  // A definition whose layer starts on its first line: the comment above it is outside it.
  'class E(nn.Module): up = nn.ConvTranspose2d(8, 4, 4, 2, 1)\n',
  'def pair(): return nn.Conv2d(8, 8, 3), nn.Conv2d(8, 4, 3)  # (1, 8, 6, 6)\n',
  '\n',
  '# (1, 3, 16, 16)\n',
  // Module-level statements a definition may or may not read (moduleContext.ts): unread
  // constants, transitive and conditional bindings, a list mutated after its binding, an
  // alias of a layer class, a rebound import, a statement using a definition.
  'LATENT = 100\n',
  'k = 3\n',
  'ngf = k + 1\n',
  'ngf = ngf * 2\n',
  'if LATENT:\n    ngf = 16\n',
  'for k in range(3):\n    ngf = k\n',
  'layers = [nn.Conv2d(8, 8, 3)]\n',
  'layers.append(nn.ReLU())\n',
  'def uses_layers():\n    return nn.Sequential(*layers, nn.Conv2d(8, k, 3))\n',
  'Conv = nn.ConvTranspose2d\n',
  'def uses_alias(c=8):\n    return Conv(ngf, c, k, 2)\n',
  'nn = torch.nn\n',
  'import torch\n',
  'g = G()\n',
  // ONNX links nodes to declarations through tensor names in strings, not identifiers.
  'from onnx import helper, TensorProto\n',
  'X = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 16, 8, 8])\n',
  'W = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 8, 4, 4])\n',
  'def onnx_node():\n    return helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2])\n',
];

/** Small edits people make: a digit, a name, a line, a broken bracket. */
const SNIPPETS = ['2', '64', 'ngf', ' ', '\n', '(', ')', ',', 'nn.Conv2d(8, 8, 3)', '    ', 'class ', 'import torch.nn as nn\n', '# (1, 8, 4, 4)', 'x = 1\n'];

/** Whole module-level lines, inserted at the start of a line: edits at module level that keep the text valid. */
const MODULE_LINES = ['LATENT = 7\n', 'ngf = 8\n', 'k = 5\n', 'print(LATENT)\n', 'layers.append(nn.Conv2d(8, 8, 1))\n', 'Conv = nn.Conv2d\n', 'W = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 8, 2, 2])\n', 'h = g\n'];

const file = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 12 }).map((parts) => parts.join(''));

/**
 * An edit as fractions of the text's length, so one arbitrary applies to any text: a raw
 * splice anywhere (which often breaks the syntax), or retyping a digit, which keeps the
 * text valid and so exercises what is carried over.
 */
const edit = fc.oneof(
  fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), remove: fc.nat({ max: 12 }), insert: fc.constantFrom('', ...SNIPPETS) }),
  { arbitrary: fc.record({ digitAt: fc.double({ min: 0, max: 1, noNaN: true }), digit: fc.constantFrom('1', '2', '3', '16', '128') }), weight: 3 },
  fc.record({ lineAt: fc.double({ min: 0, max: 1, noNaN: true }), line: fc.constantFrom(...MODULE_LINES) }),
);

/** The per-file input shape the user may set between keystrokes ("Set Input Shape…"). */
const fileInput = fc.constantFrom<string | undefined>(undefined, '1, 64, 8, 8', '2, 16, 9, 9', 'N, 64, H, W');

function apply(text: string, e: { at: number; remove: number; insert: string } | { digitAt: number; digit: string } | { lineAt: number; line: string }): string {
  if ('lineAt' in e) {
    const starts = [0, ...[...text.matchAll(/\n(?=[^\s#]|$)/g)].map((m) => m.index + 1)];
    const at = starts[Math.floor(e.lineAt * starts.length)];
    return text.slice(0, at) + e.line + text.slice(at);
  }
  if ('digitAt' in e) {
    const digits = [...text.matchAll(/\d/g)].map((m) => m.index);
    if (digits.length === 0) return text;
    const at = digits[Math.floor(e.digitAt * digits.length)];
    return text.slice(0, at) + e.digit + text.slice(at + 1);
  }
  const at = Math.floor(e.at * text.length);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

/** What the editor shows of an analysis: each layer's place, input, output and its origin. */
function shown(analysis: DocumentAnalysis): string[] {
  return analysis.insights.map((i) => {
    const out = i.outcome.ok ? formatShape(i.outcome.value.output) : `refused ${i.outcome.refusal.rule}: ${i.outcome.refusal.message}`;
    return `${i.layer.span.from}-${i.layer.span.to} ${i.layer.layerType} ${i.input ? formatShape(i.input) : '-'} → ${out} (${JSON.stringify(i.origin)}, chain ${i.chain ? `${i.chain.chain.span.from}#${i.chain.index}` : '-'}${i.unreached ? ', unreached' : ''})`;
  });
}

describe('incremental analysis (carried definitions and answers)', () => {
  it('gives the model and the analysis of a fresh parse after any sequence of edits', () => {
    let movedEdits = 0;
    fc.assert(
      fc.property(file, fc.array(fc.tuple(edit, fileInput), { minLength: 1, maxLength: 8 }), (start, edits) => {
        let text = start;
        let parsed: ParsedPython = reparsePython(text, undefined);
        const memo = new LayerMemo();
        new DocumentAnalysis(parsed.model, text, {}, memo, parsed.moved);
        for (const [e, input] of edits) {
          text = apply(text, e);
          parsed = reparsePython(text, parsed);
          const defaults: InputDefaults = input === undefined ? {} : { file: parseShapeSpec(input)! };
          const incremental = new DocumentAnalysis(parsed.model, text, defaults, memo, parsed.moved);
          const fresh = parsePython(text);
          if (parsed.moved.size > 0) movedEdits++;
          assert.equal(JSON.stringify(parsed.model), JSON.stringify(fresh), `model after editing to:\n${text}`);
          assert.deepEqual(shown(incremental), shown(new DocumentAnalysis(fresh, text, defaults)), `analysis after editing to:\n${text}`);
        }
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: Number(process.env.SEED ?? 20261121) },
    );
    // The property means little unless edits did carry definitions to new places.
    assert.ok(movedEdits > 100, `only ${movedEdits} edits moved carried definitions`);
  });

  it('carries an unchanged definition after the edit over, moved, without walking it again', () => {
    const head = 'import torch.nn as nn\n\n';
    const g = 'class G(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(64, 32, 4, 2, 1)\n';
    const before = reparsePython(`${head}${g}\n${g.replace('G(', 'G2(')}`, undefined);
    const after = reparsePython(`${head}${g.replace('64, 32', '64, 16')}\n${g.replace('G(', 'G2(')}`, before);
    const [edited, carried] = after.model.layers;
    assert.equal(edited.args[1].text, '16');
    // The second class moved by the one character the edit removed; its layer is a moved copy.
    assert.equal(carried.span.from, before.model.layers[1].span.from);
    assert.equal(after.moved.get(carried), undefined, 'same length edit: nothing moved');
    const longer = reparsePython(`${head}${g.replace('64, 32', '64, 128')}\n${g.replace('G(', 'G2(')}`, before);
    assert.equal(longer.moved.get(longer.model.layers[1]), before.model.layers[1]);
    assert.equal(longer.model.layers[1].span.from, before.model.layers[1].span.from + 1);
  });

  /** Reparses `before` edited to `after`: the model must be a fresh parse's, and differ from before's. */
  function reparsedLikeFresh(before: string, after: string): ParsedPython {
    const first = reparsePython(before, undefined);
    const second = reparsePython(after, first);
    assert.equal(JSON.stringify(second.model), JSON.stringify(parsePython(after)));
    return second;
  }

  /** The value of a layer's argument as the hover shows it. */
  const argText = (parsed: ParsedPython, layer: number, arg: number): string => {
    const v = parsed.model.layers[layer].args[arg].value;
    return v.kind === 'int' ? formatShape([v.expr]) : v.kind;
  };

  const MODEL = 'import torch.nn as nn\nLATENT = 100\nngf = 64\n\nclass G(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(ngf, 32, 4, 2, 1)\n\nclass H(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.down = nn.Conv2d(3, 8, 3)\n';

  it('carries every definition over when a module-level constant none of them reads changes', () => {
    const before = reparsePython(MODEL, undefined);
    const after = reparsePython(MODEL.replace('LATENT = 100', 'LATENT = 101'), before);
    assert.equal(after.model.layers[0], before.model.layers[0]);
    assert.equal(after.model.layers[1], before.model.layers[1]);
  });

  it('carries the definitions that do not read a module-level constant that changes, and walks those that do', () => {
    const before = reparsePython(MODEL, undefined);
    const after = reparsePython(MODEL.replace('ngf = 64', 'ngf = 16'), before);
    assert.notEqual(after.model.layers[0], before.model.layers[0]);
    assert.equal(argText(after, 0, 0), '(16)');
    assert.equal(after.moved.get(after.model.layers[1]), undefined);
    assert.equal(after.model.layers[1], before.model.layers[1]);
  });

  it('carries definitions over a new module-level line that binds nothing they read, moved', () => {
    const before = reparsePython(MODEL, undefined);
    const after = reparsePython(MODEL.replace('LATENT = 100\n', 'LATENT = 100\nprint(LATENT)\n'), before);
    assert.equal(after.moved.get(after.model.layers[0]), before.model.layers[0]);
    assert.equal(after.moved.get(after.model.layers[1]), before.model.layers[1]);
  });

  it('follows a module-level binding through the bindings its expression reads', () => {
    const text = MODEL.replace('ngf = 64', 'k = 3\nngf = k * 8');
    assert.equal(argText(reparsedLikeFresh(text, text.replace('k = 3', 'k = 5')), 0, 0), '(40)');
  });

  it('walks a definition again when a module-level binding it reads moves across another definition', () => {
    // The function reads the last binding of `c` before it: the function `c`, or `c = 4`.
    const text = 'import torch.nn as nn\nc = 4\n\ndef c():\n    pass\n\ndef g():\n    return nn.Conv2d(c, 8, 3)\n';
    const after = reparsedLikeFresh(text, text.replace('c = 4\n\ndef c():\n    pass\n', '\ndef c():\n    pass\nc = 4\n'));
    assert.equal(argText(after, 0, 0), '(4)');
  });

  it('walks a definition again when the list it unpacks is appended to at module level', () => {
    const text = 'import torch.nn as nn\nlayers = []\n\ndef g():\n    return nn.Sequential(*layers, nn.ReLU())\n';
    const after = reparsedLikeFresh(text, text.replace('\n\ndef', '\nlayers.append(nn.Conv2d(8, 4, 1))\n\ndef'));
    // The list may hold more than its literal now: the Sequential's first item is no longer known.
    assert.deepEqual(after.model.chains[0].items.map((i) => i.kind), ['opaque', 'layer']);
  });

  it('walks a definition again when a list of an imported name, bound anew at module level, is appended to', () => {
    const text = 'import torch.nn as nn\nfrom blocks import layers\nlayers = []\n\ndef g():\n    return nn.Sequential(*layers, nn.ReLU())\n';
    const after = reparsedLikeFresh(text, text.replace('\n\ndef', '\nlayers.append(nn.Conv2d(8, 4, 1))\n\ndef'));
    assert.deepEqual(after.model.chains[0].items.map((i) => i.kind), ['opaque', 'layer']);
  });

  it('walks every definition again when an import changes, also one that does not mention the imported names', () => {
    const text = 'import torch.nn as nn\n\ndef g():\n    return Conv2d(3, 8, 3)\n';
    assert.equal(reparsedLikeFresh(text, text.replace('import torch.nn as nn', 'from torch.nn import *')).model.layers[0].layerType, 'Conv2d');
  });

  it('walks an ONNX node again when a tensor it names in a string is declared anew at module level', () => {
    const text = 'from onnx import helper, TensorProto\nweight = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 8, 4, 4])\n\ndef node():\n    return helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2])\n';
    const after = reparsedLikeFresh(text, text.replace('[16, 8, 4, 4]', '[16, 8, 3, 3]'));
    assert.equal(formatShape(after.model.layers[0].operands![0].shape!), '(16, 8, 3, 3)');
  });

  it('gives a fresh parse\'s model at every keystroke of typing a layer line, and carries the other definitions through the broken states', () => {
    const g = (name: string, c: number): string => `class ${name}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.main = nn.Sequential(\n            nn.ConvTranspose2d(${c}, 32, 4, 2, 1),\n            nn.ReLU(),\n        )\n`;
    const base = `import torch.nn as nn\n\n${g('A', 64)}\n${g('B', 16)}\n${g('C', 8)}`;
    const at = base.indexOf('            nn.ReLU(),', base.indexOf('class B'));
    const typed = '            nn.Conv2d(32, 32, 3, padding=1),\n';
    let parsed = reparsePython(base, undefined);
    const first = parsed.model.layers[0];
    let broken = 0;
    for (let k = 1; k <= typed.length; k++) {
      const text = base.slice(0, at) + typed.slice(0, k) + base.slice(at);
      parsed = reparsePython(text, parsed);
      if (parsed.model.syntaxErrors.length > 0) broken++;
      assert.equal(JSON.stringify(parsed.model), JSON.stringify(parsePython(text)), `after typing ${JSON.stringify(typed.slice(0, k))}`);
      // Class A, before the line, is never walked again: its layer stays the same object.
      assert.equal(parsed.model.layers[0], first);
    }
    assert.ok(broken > 20, `only ${broken} of the keystrokes left the text broken`);
  });

  it('reports the syntax error of a call typed right before a carried definition, with no newline between them', () => {
    const text = 'def node():\n    return helper.make_node("Conv", ["X", "W"], ["Y"])\n';
    assert.deepEqual(reparsedLikeFresh(text, `nn.Conv2d(8, 8, 3)${text}`).model.syntaxErrors, [{ from: 18, to: 18 }]);
  });

  it('carries nothing over when a module-level constant the definitions read changes', () => {
    const text = 'import torch.nn as nn\nngf = 64\n\nclass G(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.up = nn.ConvTranspose2d(ngf, 32, 4, 2, 1)\n';
    const before = reparsePython(text, undefined);
    const after = reparsePython(text.replace('ngf = 64', 'ngf = 128'), before);
    assert.equal(after.model.layers[0].args[0].value.kind === 'int' && formatShape([after.model.layers[0].args[0].value.expr]), '(128)');
  });

  /** Analyses `before`, then `after` with what that left (as the editor does); `after`'s analysis must be a fresh one's. */
  function analysedAfter(before: string, after: string, defaults: InputDefaults = {}): { before: DocumentAnalysis; after: DocumentAnalysis } {
    const memo = new LayerMemo();
    const first = reparsePython(before, undefined);
    const a = new DocumentAnalysis(first.model, before, defaults, memo, first.moved);
    const second = reparsePython(after, first);
    const b = new DocumentAnalysis(second.model, after, defaults, memo, second.moved);
    assert.deepEqual(shown(b), shown(new DocumentAnalysis(parsePython(after), after, defaults)));
    return { before: a, after: b };
  }

  const COMMENTED = 'import torch.nn as nn\n\nclass G(nn.Module):\n    def __init__(self):\n        super().__init__()\n        # input: (1, 64, 8, 8)\n        self.main = nn.Sequential(\n            nn.ConvTranspose2d(64, 32, 4, 2, 1),\n            nn.ReLU(),\n        )\n';

  it('reuses the insights of a carried root, moved with it, its comment line too', () => {
    const text = `${COMMENTED}\n${COMMENTED.slice(COMMENTED.indexOf('class')).replace('G(', 'G2(')}`;
    const { before, after } = analysedAfter(text, text.replace('import torch.nn as nn\n', 'import torch.nn as nn\nLATENT = 100\n'));
    const [was, now] = [before.insights[2], after.insights[2]];
    assert.deepEqual(now.origin, { kind: 'comment', line: 15 });
    // The very values of the previous analysis: the comment was not read again, nor the engine asked.
    assert.equal(now.input, was.input);
    assert.equal(now.outcome, was.outcome);
  });

  it('walks a carried root again when a shape comment is typed on the line above its definition', () => {
    const text = 'import torch.nn as nn\n\nclass E(nn.Module): up = nn.ConvTranspose2d(8, 4, 4, 2, 1)\n';
    const { after } = analysedAfter(text, text.replace('\n\n', '\n# (1, 8, 5, 5)\n'));
    assert.deepEqual(after.insights[0].origin, { kind: 'comment', line: 1 });
  });

  it('walks a carried root again when the comment after it on its last line changes', () => {
    const text = 'import torch.nn as nn\n\nclass E(nn.Module): up = nn.ConvTranspose2d(8, 4, 4, 2, 1)  # (1, 8, 4, 4)\n';
    const { after } = analysedAfter(text, text.replace('(1, 8, 4, 4)', '(1, 8, 5, 5)'));
    assert.equal(after.insights[0].outcome.ok && formatShape(after.insights[0].outcome.value.output), '(1, 4, 10, 10)');
  });

  it('walks every root again when the input defaults change', () => {
    const text = COMMENTED.replace('        # input: (1, 64, 8, 8)\n', '');
    const memo = new LayerMemo();
    const parsed = parsePython(text);
    new DocumentAnalysis(parsed, text, {}, memo);
    const analysis = new DocumentAnalysis(parsed, text, { file: parseShapeSpec('1, 64, 8, 8')! }, memo);
    assert.equal(analysis.insights[1].outcome.ok && formatShape(analysis.insights[1].outcome.value.output), '(1, 32, 16, 16)');
  });

  it('still answers right after its answers by key were pruned (many more keys than layers)', () => {
    const memo = new LayerMemo();
    const text = (k: number): string => `import torch.nn as nn\nnn.Conv2d(3, 8, ${k})  # (1, 3, 2000, 2000)\n`;
    let parsed = reparsePython(text(1), undefined);
    for (let k = 1; k <= 1100; k++) {
      parsed = reparsePython(text(k), parsed);
      const [insight] = new DocumentAnalysis(parsed.model, text(k), {}, memo, parsed.moved).insights;
      assert.equal(insight.outcome.ok && formatShape(insight.outcome.value.output), `(1, 8, ${2001 - k}, ${2001 - k})`);
    }
  });
});
