/**
 * Hovers over hostile source text. What a source says reaches its hover — refusals quote
 * argument values and keyword names, a chain names the items it cannot follow, an ONNX graph
 * names its sizes — and VS Code renders the hover as Markdown, with our two commands allowed
 * to run from its links. None of that text may act as Markdown or HTML there.
 *
 * Each hover is built by the core's layerHover, as src/extension/hover.ts calls it
 * (../web/hoverAt.ts), and judged on its Markdown, the way a CommonMark/GFM
 * renderer reads it: outside code spans and backslash escapes there is no `<` (no HTML, no
 * autolink), no link but ours to our own commands, no URL, no entity; user text keeps to its
 * line and its table cell, and reads back exactly as written once unescaped.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { HOVER_TRUSTED_COMMANDS } from '../../src/core/present/layerHover';
import { CONVERT, hoverAt, OPEN_VISUALIZATION, traceAt, type HoverLanguage } from '../web/hoverAt';

const URI = 'file:///home/user/model.py';

/** Text that would be a link, HTML, an autolink, code or emphasis if it reached a hover raw. */
const HOSTILE = [
  '[x](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">go</a>',
  '<!-- hidden -->',
  '``` `code` ```',
  '](command:workbench.action.quit)',
  '<https://example.com>',
  'https://example.com www.example.com',
  'javascript:alert(1)',
  '&lt;b&gt; &#60;',
  '**bold** _em_ ~~del~~ | cell |',
  '\u202e\u200b ｛ü｝',
].join(' ');

/** Whether a backslash escapes `c` (CommonMark: any ASCII punctuation). */
const ESCAPABLE = /[!-/:-@[-`{-~]/;

/**
 * The part of `md` a renderer reads as syntax: code spans and backslash-escaped characters
 * blanked out, positions kept. A code span counts only when it closes on its own line (ours
 * always do): one running over a line break may be cut short by it, and the rest is live.
 */
function syntaxOf(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] === '\\' && ESCAPABLE.test(md[i + 1] ?? '')) {
      out += '  ';
      i += 2;
    } else if (md[i] === '`') {
      const run = /^`+/.exec(md.slice(i))![0];
      const close = closingRun(md, i + run.length, run.length);
      const end = close === undefined ? i + run.length : close + run.length;
      out += close === undefined ? run : ' '.repeat(end - i);
      i = end;
    } else {
      out += md[i];
      i += 1;
    }
  }
  return out;
}

/** Where a backtick run of exactly `n` starts after `from` on the same line, if one does. */
function closingRun(md: string, from: number, n: number): number | undefined {
  const runs = /`+|\n/g;
  runs.lastIndex = from;
  for (let m = runs.exec(md); m; m = runs.exec(md)) {
    if (m[0] === '\n') return undefined;
    if (m[0].length === n) return m.index;
  }
  return undefined;
}

/** Markdown as a reader sees it: backslash escapes removed. */
function unescaped(md: string): string {
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Our own links as hover.ts writes them: `[label](command:convLens.x?args "title")`. */
const OUR_LINK = /\[[\w -]+\]\(command:convLens\.\w+\?[\w%.~*'()!-]* "[^"]*"\)/g;

/** The commands the links of `md` run, in order (a link to anything else shows as its destination). */
function linkedCommands(md: string): string[] {
  return [...syntaxOf(md).matchAll(/\]\(/g)].map((m) => {
    const destination = /^[^\s)]*/.exec(md.slice(m.index + 2))![0];
    return /^command:(convLens\.\w+)\?/.exec(destination)?.[1] ?? destination;
  });
}

/** `md` lets no user text act as Markdown or HTML; its only links run `commands`. */
function assertInert(md: string, commands: readonly string[] = []): void {
  assert.deepEqual(linkedCommands(md), commands, md);
  const rest = syntaxOf(md).replace(OUR_LINK, '');
  assert.doesNotMatch(rest, /</, `raw HTML or an autolink in:\n${md}`);
  assert.doesNotMatch(rest, /`/, `a code span left open in:\n${md}`);
  assert.doesNotMatch(rest, /\]\(|\]\[|!\[|^ {0,3}\[[^\]]*\]:/m, `a link, image or link definition in:\n${md}`);
  assert.doesNotMatch(rest, /[a-z][\w+.-]*:\/\/|www\.|\b(?:javascript|data|vbscript|command|mailto|file):/i, `a URL in:\n${md}`);
  assert.doesNotMatch(rest, /&(?:#\d+|#x[\da-f]+|\w+);/i, `an entity in:\n${md}`);
  for (const row of rest.split('\n').filter((l) => l.startsWith('|'))) assert.equal(row.split('|').length, 5, `a table row with other than 3 cells:\n${row}`);
}

function hover(text: string, language: HoverLanguage, needle: string): string {
  const at = text.indexOf(needle);
  assert.notEqual(at, -1, `'${needle}' not in ${text}`);
  const md = hoverAt({ text, language, offset: at + 1, uri: URI });
  assert.ok(md !== undefined, `no hover at '${needle}' in:\n${text}`);
  return md;
}

/** A Python (or YAML double-quoted) string literal holding `s` exactly: JSON's escapes are theirs too. */
function py(s: string): string {
  return JSON.stringify(s);
}

describe('the check for live Markdown', () => {
  it('finds what would act: a foreign link, HTML, a code span cut by a line break, an extra table cell, a URL', () => {
    for (const md of ['a [x](command:workbench.action.quit)', 'a <img src=x>', '`(N\n\n[x](y))`', '| 1 | a | b | c |', 'see https://example.com', '&#60;b&#62;']) {
      assert.throws(() => assertInert(md), md);
    }
  });

  it('passes escaped text, code spans, and our own links', () => {
    assertInert('\\[x\\]\\(command\\:x\\) \\<img\\> `<b>[x](y)` | 1 | a | b |');
    assertInert(`[Open visualization](command:${OPEN_VISUALIZATION}?%5B1%5D "Draw it")`, [OPEN_VISUALIZATION]);
  });
});

describe('user text in a layer hover', () => {
  it('quotes a refused value escaped: padding=\'[x](command:…)\' is text, not a link', () => {
    const md = hover("import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding='[x](command:workbench.action.terminal.new)')\n", 'python', 'Conv2d');
    assert.deepEqual(md.split('\n'), ['**Conv2d**: PyTorch refuses this layer', '', "Invalid padding string '\\[x\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)', should be one of \\{'valid', 'same'\\}"]);
    assertInert(md);
  });

  it('quotes HTML escaped: padding_mode=\'<img src=x onerror=alert(1)>\' is no tag', () => {
    const md = hover("import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding_mode='<img src=x onerror=alert(1)>')\n", 'python', 'Conv2d');
    assert.equal(md.split('\n')[2], "padding\\_mode must be one of \\{'zeros', 'reflect', 'replicate', 'circular'\\}, but got padding\\_mode='\\<img src=x onerror=alert\\(1\\)\\>'");
    assertInert(md);
  });

  it('escapes backticks, so user text cannot open or close a code span', () => {
    const md = hover("import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding='``` `x` ```')\n", 'python', 'Conv2d');
    assert.equal(md.split('\n')[2], "Invalid padding string '\\`\\`\\` \\`x\\` \\`\\`\\`', should be one of \\{'valid', 'same'\\}");
    assertInert(md);
  });

  it('keeps a value with line breaks on its line: no new paragraph, list or table row', () => {
    const md = hover(`import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding=${py('a\n\n- [x](command:x)\r\n| y |')})\n`, 'python', 'Conv2d');
    assert.deepEqual(md.split('\n'), ['**Conv2d**: PyTorch refuses this layer', '', "Invalid padding string 'a  \\- \\[x\\]\\(command\\:x\\) \\| y \\|', should be one of \\{'valid', 'same'\\}"]);
    assertInert(md);
  });

  it('quotes a refused keyword name escaped (YAML keys are any text)', () => {
    const md = hover(`- type: Conv2d\n  in_channels: 3\n  out_channels: 8\n  kernel_size: 3\n  ${py(HOSTILE)}: 1\n`, 'yaml', 'type');
    assertInert(md);
    assert.equal(unescaped(md.split('\n')[2]), `Conv2d.__init__() got an unexpected keyword argument '${HOSTILE}'`);
  });

  it('quotes a non-ASCII keyword name as written', () => {
    const md = hover('import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, évil_kwarg=1)\n', 'python', 'Conv2d');
    assert.equal(md.split('\n')[2], "Conv2d\\.\\_\\_init\\_\\_\\(\\) got an unexpected keyword argument 'évil\\_kwarg'");
  });

  for (const [what, text, language, needle] of [
    ['padding_mode', `import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding_mode='${HOSTILE}')\n`, 'python', 'Conv2d'],
    ['nn.Upsample\'s mode', `import torch.nn as nn\nu = nn.Upsample(scale_factor=2, mode='${HOSTILE}')\n`, 'python', 'Upsample'],
    ['Keras padding and name', `from tensorflow.keras import layers\nc = layers.Conv2D(8, 3, padding='${HOSTILE}', name='${HOSTILE}')\n`, 'python', 'Conv2D'],
    ['Flax padding', `import flax.linen as nn\nc = nn.Conv(8, kernel_size=(3, 3), padding='${HOSTILE}')\n`, 'python', 'Conv('],
    ['a YAML padding', `- type: Conv2d\n  in_channels: 3\n  out_channels: 8\n  kernel_size: 3\n  padding: ${py(HOSTILE)}\n`, 'yaml', 'type'],
    ['a Keras model JSON padding and name', JSON.stringify({ class_name: 'Conv2D', config: { filters: 8, kernel_size: 3, padding: HOSTILE, name: HOSTILE } }), 'json', 'class_name'],
  ] as const) {
    it(`quotes a hostile ${what} inert and whole`, () => {
      const md = hover(text, language, needle);
      assertInert(md);
      assert.ok(unescaped(md).includes(HOSTILE), md);
    });
  }

  it('names an item of a chain it cannot follow escaped (the receptive field line)', () => {
    const md = hover(`import torch.nn as nn\nnet = nn.Sequential(nn.Conv2d(3, 8, 3), Evil('${HOSTILE}'), nn.Conv2d(8, 8, 3))\n`, 'python', 'Conv2d(8');
    assertInert(md, [OPEN_VISUALIZATION]);
    const line = md.split('\n').find((l) => l.startsWith('- receptive field'));
    assert.equal(unescaped(line ?? ''), `- receptive field: not followed through Evil('${HOSTILE}')`);
  });

  it('reads no shape from a comment with HTML in it: nothing of the comment reaches the hover', () => {
    const md = hover('import torch.nn as nn\nc = nn.Conv2d(3, 8, 3)  # input: (1, 3, <img src=x onerror=alert(1)>, 4)\n', 'python', 'Conv2d');
    assert.equal(md.split('\n')[2], 'for input `(N, 3, H, W)`');
    assert.doesNotMatch(md, /img|onerror/);
    assertInert(md, [OPEN_VISUALIZATION]);
  });

  it('keeps ONNX size names only when they are identifiers: a name is never Markdown', () => {
    const onnx = (names: readonly string[]): string =>
      `from onnx import helper, TensorProto\nx = helper.make_tensor_value_info("X", TensorProto.FLOAT, [${names.map(py).join(', ')}, 8])\nw = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 4, 3, 3])\nn = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2], name=${py(HOSTILE)})\n`;
    const hostile = hover(onnx(['N\n\n[x](command:workbench.action.terminal.new)', 'a | b', '`']), 'python', 'make_node');
    assert.deepEqual(hostile.split('\n').slice(0, 5), ['**ConvTranspose** → `(N, 4, S2·2 + 1, 17)`', '', 'for input `(N, S1, S2, 8)` (the previous layer\'s output)', '', 'valid when `S1 = 16`']);
    assertInert(hostile, [OPEN_VISUALIZATION]);
    assert.equal(hover(onnx(['batch', 'C', 'height']), 'python', 'make_node').split('\n')[0], '**ConvTranspose** → `(batch, 4, height·2 + 1, 17)`');
  });

  it('leaves Caffe layer and blob names out, and quotes no refused value raw', () => {
    const net = `input: 'data'\ninput_shape { dim: 1 dim: 3 dim: 8 dim: 8 }\nlayer { name: '${HOSTILE}' type: "Convolution" bottom: 'data' top: '${HOSTILE}' convolution_param { num_output: 4 kernel_size: 3 pad: '${HOSTILE}' } }\nlayer { name: 'p' type: "Pooling" bottom: '${HOSTILE}' top: 'q' pooling_param { kernel_size: 2 stride: 2 } }\n`;
    const conv = hover(net, 'prototxt', '"Convolution"');
    assert.deepEqual(conv.split('\n'), ['**Convolution**: Caffe refuses this layer', '', 'pad must be an int, not str']);
    const pool = hover(net.replace(` pad: '${HOSTILE}'`, ''), 'prototxt', '"Pooling"');
    assert.equal(pool.split('\n')[0], '**Pooling** → `(1, 4, 3, 3)`');
    assertInert(pool, [OPEN_VISUALIZATION]);
  });

  for (const [what, text, language] of [
    ['a YAML type', `- type: '${HOSTILE}'\n  in_channels: 3\n`, 'yaml'],
    ['a Keras class_name', JSON.stringify({ class_name: HOSTILE, config: { filters: 8, kernel_size: 3 } }), 'json'],
    ['a Caffe type', `layer { name: 'c' type: '${HOSTILE}' bottom: 'data' top: 'c' }\n`, 'prototxt'],
    ['a Python attribute looked up by name', `import torch.nn as nn\nc = getattr(nn, '${HOSTILE}')(3, 8, 3)\n`, 'python'],
  ] as const) {
    it(`shows no hover for a layer type it does not know: ${what} with an odd name`, () => {
      for (let offset = 0; offset <= text.length; offset++) assert.equal(hoverAt({ text, language, offset, uri: URI }), undefined, `a hover at ${offset}`);
    });
  }

  it('links only to our own commands, with the document and offset as their JSON arguments', () => {
    const text = 'import torch.nn as nn\nup = nn.ConvTranspose2d(16, 33, 3, stride=2, padding=1, output_padding=1)  # input: (1, 16, 32, 32)\n';
    const md = hover(text, 'python', 'ConvTranspose2d');
    assertInert(md, [OPEN_VISUALIZATION, CONVERT]);
    const args = [...md.matchAll(/\(command:convLens\.\w+\?([^\s)]*)/g)].map((m) => JSON.parse(decodeURIComponent(m[1])) as unknown);
    const offset = text.indexOf('ConvTranspose2d') + 1;
    assert.deepEqual(args, [[URI, offset], [URI, offset]]);
  });

  it('keeps a refusal in its cell of a selection\'s trace', () => {
    const text = `import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 8, 3),  # input: (1, 3, 32, 32)\n    nn.Conv2d(8, 8, 3, padding=${py('a|b\n\n| x | [x](command:x) |')}),\n)\n`;
    const md = traceAt(text, 'python', 0, text.length);
    assert.ok(md !== undefined);
    assertInert(md);
    assert.deepEqual(md.split('\n').slice(-3), [
      '|---:|---|---|',
      '| 3 | Conv2d | `(1, 8, 30, 30)` |',
      "| 4 | Conv2d | refused: Invalid padding string 'a\\|b  \\| x \\| \\[x\\]\\(command\\:x\\) \\|', should be one of \\{'valid', 'same'\\} |",
    ]);
  });
});

describe('any user text in a layer hover (generated)', () => {
  /** Every character Markdown reads as syntax, line breaks, and a few non-ASCII ones. */
  const hostileText = fc.string({ unit: fc.constantFrom(...'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~ aZ09\n\r\té\u202e😀', "'"), maxLength: 40 });
  const identifier = /^[A-Za-z_][A-Za-z_0-9]*$/;

  it('quotes any refused padding string inert and whole, on one line', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const value = `~${s}`; // never 'same' or 'valid'
        const md = hover(`import torch.nn as nn\nc = nn.Conv2d(3, 8, 3, padding=${py(value)})\n`, 'python', 'Conv2d');
        assertInert(md);
        assert.equal(md.split('\n').length, 3, md);
        assert.equal(unescaped(md.split('\n')[2]), `Invalid padding string '${value.replace(/\r\n|\r|\n/g, ' ')}', should be one of {'valid', 'same'}`);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('quotes any refused YAML keyword inert and whole', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const key = `~${s}`;
        const md = hover(`- type: Conv2d\n  in_channels: 3\n  out_channels: 8\n  kernel_size: 3\n  ${py(key)}: 1\n`, 'yaml', 'type');
        assertInert(md);
        assert.equal(unescaped(md.split('\n')[2]), `Conv2d.__init__() got an unexpected keyword argument '${key.replace(/\r\n|\r|\n/g, ' ')}'`);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('shows any ONNX size name as itself when it is an identifier, and as N otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.stringMatching(/^[A-Za-z_]\w{0,8}$/)), (name) => {
        const text = `from onnx import helper, TensorProto\nx = helper.make_tensor_value_info("X", TensorProto.FLOAT, [${py(name)}, 16, 8, 8])\nw = helper.make_tensor_value_info("W", TensorProto.FLOAT, [16, 4, 3, 3])\nn = helper.make_node("ConvTranspose", ["X", "W"], ["Y"], strides=[2, 2])\n`;
        const md = hover(text, 'python', 'make_node');
        assertInert(md, [OPEN_VISUALIZATION]);
        assert.equal(md.split('\n')[0], `**ConvTranspose** → \`(${identifier.test(name) ? name : 'N'}, 4, 17, 17)\``);
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it('keeps any refusal in its cell of a trace', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const text = `import torch.nn as nn\nnet = nn.Sequential(\n    nn.Conv2d(3, 8, 3),\n    nn.Conv2d(8, 8, 3, padding=${py(`~${s}`)}),\n)\n`;
        const md = traceAt(text, 'python', 0, text.length);
        assert.ok(md !== undefined);
        assertInert(md);
        assert.equal(md.split('\n').length, 8, md);
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});

describe('the hover\'s trust', () => {
  const source = (file: string): string => readFileSync(`src/extension/${file}`, 'utf8');
  const hoverSource = source('hover.ts');

  it('lets a layer hover run our two commands and nothing else, and a trace hover none', () => {
    assert.deepEqual([...hoverSource.matchAll(/\.isTrusted = ([^;]+);/g)].map((m) => m[1]), ['{ enabledCommands: [...HOVER_TRUSTED_COMMANDS] }', 'false']);
    assert.deepEqual(HOVER_TRUSTED_COMMANDS, ['convLens.convertToZeroInserted', 'convLens.openVisualization']);
    assert.deepEqual([CONVERT, OPEN_VISUALIZATION], ['convLens.convertToZeroInserted', 'convLens.openVisualization']);
  });

  it('renders no HTML and trusts no Markdown wholesale, anywhere in the extension', () => {
    assert.deepEqual([...hoverSource.matchAll(/\.supportHtml = ([^;]+);/g)].map((m) => m[1]), ['false']);
    const files = readdirSync('src/extension').filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 10, files.join(', '));
    for (const file of files) {
      const text = source(file);
      assert.doesNotMatch(text, /isTrusted\s*[=:]\s*true|supportHtml\s*[=:]\s*true|enabledCommands\s*:\s*\[[^\]]*\*/, file);
      if (file !== 'hover.ts') assert.doesNotMatch(text, /MarkdownString/, `${file} makes Markdown: check what it trusts`);
    }
  });
});
