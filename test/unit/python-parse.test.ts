import { strict as assert } from 'node:assert';
import { constValue, format } from '../../src/core/expr';
import { parser } from '@lezer/python';
import { analyseTree, layerAt, parsePython, reparsePython, type ParsedPython } from '../../src/core/python/parse';
import { argumentSpan, type ChainItem, type LayerCall, type LayerChain, type SourceModel, type Value } from '../../src/core/values';

/** The only layer call in a snippet. */
function only(src: string): LayerCall {
  const { layers } = parsePython(src);
  assert.equal(layers.length, 1, `expected one layer call in ${JSON.stringify(src)}`);
  return layers[0];
}

/** A value as short text: ints formatted by expr.ts, sequences bracketed, unknowns as `?text`. */
function show(v: Value): string {
  switch (v.kind) {
    case 'int':
      return format(v.expr);
    case 'float':
    case 'bool':
      return `${v.kind}:${String(v.value)}`;
    case 'str':
      return `str:${JSON.stringify(v.value)}`;
    case 'none':
      return 'None';
    case 'seq': {
      const [open, close] = v.brackets === 'tuple' ? ['(', ')'] : ['[', ']'];
      return `${open}${v.items.map(show).join(', ')}${close}`;
    }
    case 'unknown':
      return `?${v.text}`;
  }
}

/** The arguments of the only layer call, shown. */
function args(src: string): string[] {
  return only(src).args.map((a) => (a.name === undefined ? show(a.value) : `${a.name}=${show(a.value)}`));
}

/** The number an int value stands for, when it is a constant. */
function intOf(v: Value): number | undefined {
  return v.kind === 'int' ? constValue(v.expr) : undefined;
}

/** The value of the last argument of the last layer call. */
function lastArg(src: string): Value {
  const { layers } = parsePython(src);
  const layer = layers[layers.length - 1];
  return layer.args[layer.args.length - 1].value;
}

function types(model: SourceModel): string[] {
  return model.layers.map((l) => l.layerType);
}

/** A chain's items as short text: layer types, nested chains in braces, opaque text quoted. */
function outline(chain: LayerChain): string {
  return `${chain.kind}{${chain.items.map(itemText).join(', ')}}`;
}

function itemText(item: ChainItem): string {
  if (item.kind === 'layer') return item.layer.layerType;
  if (item.kind === 'chain') return outline(item.chain);
  return JSON.stringify(item.text);
}

describe('parsePython: finding layer calls by import style', () => {
  it('finds nn.X with `import torch.nn as nn`', () => {
    assert.deepEqual(types(parsePython('import torch.nn as nn\nx = nn.Conv2d(16, 33, 3)\n')), ['Conv2d']);
  });

  it('finds nn.X with `from torch import nn`', () => {
    assert.deepEqual(types(parsePython('from torch import nn\nx = nn.MaxPool2d(2)\n')), ['MaxPool2d']);
  });

  it('finds tnn.X with `import torch.nn as tnn`', () => {
    assert.deepEqual(types(parsePython('import torch.nn as tnn\nx = tnn.Linear(4, 2)\n')), ['Linear']);
  });

  it('finds torch.nn.X with `import torch`', () => {
    assert.deepEqual(types(parsePython('import torch\nx = torch.nn.ConvTranspose2d(8, 4, 2)\n')), ['ConvTranspose2d']);
  });

  it('finds a bare name imported with `from torch.nn import ConvTranspose2d`', () => {
    assert.deepEqual(types(parsePython('from torch.nn import ConvTranspose2d\nx = ConvTranspose2d(8, 4, 2)\n')), ['ConvTranspose2d']);
  });

  it('gives the canonical class name for an alias `from torch.nn import ConvTranspose2d as CT`', () => {
    const layer = only('from torch.nn import ConvTranspose2d as CT\nx = CT(8, 4, 2)\n');
    assert.equal(layer.layerType, 'ConvTranspose2d');
    assert.equal(layer.text, 'CT(8, 4, 2)');
  });

  it('finds bare layer names after `from torch.nn import *`', () => {
    assert.deepEqual(types(parsePython('from torch.nn import *\na = Conv2d(1, 2, 3)\nb = ReLU()\n')), ['Conv2d', 'ReLU']);
  });

  it('finds nn.X and torch.nn.X in a snippet without imports', () => {
    assert.deepEqual(types(parsePython('nn.Conv2d(16, 33, 3)\ntorch.nn.ReLU()\n')), ['Conv2d', 'ReLU']);
  });

  it('does not take a Keras-looking bare Conv2D without a torch import for a layer', () => {
    assert.deepEqual(types(parsePython('x = Conv2D(32, (3, 3), activation="relu")\n')), []);
  });

  it('does not take a bare Conv2d that no import brings in for a layer', () => {
    assert.deepEqual(types(parsePython('import torch.nn as nn\nx = Conv2d(1, 2, 3)\n')), []);
  });

  it('does not take nn.X for a torch layer when nn is imported from another library', () => {
    assert.deepEqual(types(parsePython('import flax.linen as nn\nx = nn.Dropout(0.5)\n')), []);
  });

  it('takes Keras layers wherever they are imported from, as Keras layers', () => {
    const src = [
      'import tensorflow as tf',
      'from tensorflow.keras import layers',
      'import keras',
      'from keras.layers import Conv2DTranspose as Up, MaxPool2D',
      'a = layers.Conv2D(32, 3)',
      'b = tf.keras.layers.Conv1DTranspose(8, 4)',
      'c = keras.layers.UpSampling2D()',
      'd = Up(16, 4, strides=2)',
      'e = MaxPool2D()',
      'f = keras.Input(shape=(28, 28, 1))',
    ].join('\n');
    const layers = parsePython(src).layers;
    assert.deepEqual(layers.map((l) => `${l.framework}:${l.layerType}`), ['keras:Conv2D', 'keras:Conv1DTranspose', 'keras:UpSampling2D', 'keras:Conv2DTranspose', 'keras:MaxPooling2D', 'keras:Input']);
  });

  it('chains Keras\' functional style through the names that hold each tensor', () => {
    const src = [
      'import keras',
      'from keras import layers',
      'def build():',
      '    inputs = keras.Input(shape=(28, 28, 1))',
      '    x = layers.Conv2D(32, 3, strides=2, padding="same")(inputs)',
      '    y = layers.Conv2DTranspose(16, 3, strides=2, padding="same")(x)',
      '    return layers.Conv2D(1, 3, padding="same")(layers.ReLU()(y))',
    ].join('\n');
    const [chain] = parsePython(src).chains;
    assert.equal(chain.kind, 'functional');
    assert.deepEqual(chain.items.map((i) => (i.kind === 'layer' ? i.layer.layerType : i.kind)), ['Input', 'Conv2D', 'Conv2DTranspose', 'ReLU', 'Conv2D']);
  });

  it('cuts a functional graph where a tensor feeds two layers into two chains, each from the input', () => {
    const src = ['from tensorflow import keras', 'from tensorflow.keras import layers', 'a = keras.Input(shape=(8, 8, 3))', 'b = layers.Conv2D(4, 3)(a)', 'c = layers.Conv2D(4, 1)(b)', 'd = layers.MaxPooling2D()(b)', 'e = layers.Flatten()(d)'].join('\n');
    const chains = parsePython(src).chains.map((c) => c.items.map((i) => (i.kind === 'layer' ? i.layer.layerType : i.kind)));
    assert.deepEqual(chains, [
      ['Input', 'Conv2D', 'MaxPooling2D', 'Flatten'],
      ['Input', 'Conv2D', 'Conv2D'],
    ]);
  });

  it('reads mmcv-style config dicts as the layers they build: dict(type=…) with mmcv\'s registry names', () => {
    const src = "norm = dict(type='BN')\nup = dict(type='deconv', in_channels=64, out_channels=32, kernel_size=4, stride=2, padding=1)\nrs = dict(type='bilinear', scale_factor=2)\nc = dict(type='Conv2d', in_channels=3, out_channels=8, kernel_size=3)\n";
    const layers = parsePython(src).layers;
    assert.deepEqual(layers.map((l) => `${l.layerType}(${l.args.map((a) => `${a.name}=${a.text}`).join(', ')})`), [
      'ConvTranspose2d(in_channels=64, out_channels=32, kernel_size=4, stride=2, padding=1)',
      "Upsample(scale_factor=2, mode='bilinear')",
      'Conv2d(in_channels=3, out_channels=8, kernel_size=3)',
    ]);
  });

  it('appends the layers of model.add(…) to the keras.Sequential() the name is bound to', () => {
    const src = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nmodel = keras.Sequential()\nmodel.add(layers.Dense(3200, input_dim=100))\nmodel.add(layers.Reshape((5, 5, 128)))\nother = [1]\nmodel.add(layers.Conv2DTranspose(1, 3, strides=2, padding="same"))\n';
    const model = parsePython(src);
    assert.deepEqual(model.chains.map((c) => c.items.map((i) => (i.kind === 'layer' ? i.layer.layerType : i.kind))), [['Dense', 'Reshape', 'Conv2DTranspose']]);
    assert.deepEqual(model.roots.map((r) => r.kind), ['chain']);
  });

  it('chains keras.Sequential([...]) from its keras.Input', () => {
    const src = 'from tensorflow import keras\nfrom tensorflow.keras import layers\nm = keras.Sequential([keras.Input(shape=(7, 7, 64)), layers.Conv2DTranspose(32, 4, strides=2, padding="same")])\n';
    const chain = parsePython(src).chains[0];
    assert.equal(chain.kind, 'sequential');
    assert.deepEqual(chain.items.map((i) => (i.kind === 'layer' ? i.layer.layerType : i.kind)), ['Input', 'Conv2DTranspose']);
  });

  it('ignores a layer call inside a string, a docstring, an f-string or a comment', () => {
    const src = [
      'import torch.nn as nn',
      's = "nn.Conv2d(1, 2, 3)"',
      '"""',
      'nn.Conv2d(4, 5, 6)',
      '"""',
      "f = f'{nn.Conv2d(7, 8, 9)}'",
      '# nn.Conv2d(10, 11, 12)',
      '',
    ].join('\n');
    assert.deepEqual(parsePython(src).layers, []);
  });

  it('finds calls at any depth: methods, nested calls, dicts, conditional expressions', () => {
    const src = [
      'import torch.nn as nn',
      'class Net(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.up = nn.ConvTranspose2d(8, 4, 2)',
      '        self.blocks = {"a": nn.Conv2d(1, 2, 3)}',
      '        self.act = nn.ReLU() if True else nn.Tanh()',
      '        wrap(nn.Linear(2, 3))',
      '',
    ].join('\n');
    assert.deepEqual(types(parsePython(src)), ['ConvTranspose2d', 'Conv2d', 'ReLU', 'Tanh', 'Linear']);
  });
});

describe('parsePython: call positions and arguments', () => {
  it('gives the spans and text of the call and the callee', () => {
    const src = 'y = nn.Conv2d(1, 2, 3)';
    const layer = only(src);
    assert.deepEqual(layer.span, { from: 4, to: 22 });
    assert.deepEqual(layer.calleeSpan, { from: 4, to: 13 });
    assert.equal(layer.text, 'nn.Conv2d(1, 2, 3)');
    assert.equal(layer.framework, 'torch');
  });

  it('gives positional then keyword arguments with names, values, text and spans', () => {
    const src = 'nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1)';
    const layer = only(src);
    assert.deepEqual(
      layer.args.map((a) => [a.name, intOf(a.value), a.text]),
      [
        [undefined, 3, '3'],
        [undefined, 64, '64'],
        ['kernel_size', 3, '3'],
        ['stride', 2, '2'],
        ['padding', 1, '1'],
      ],
    );
    assert.deepEqual(argumentSpan(layer, layer.args[2]), { from: src.indexOf('=3') + 1, to: src.indexOf('=3') + 2 });
    assert.equal('name' in layer.args[0], false);
  });

  it('keeps all nine positional arguments of a ConvTranspose2d call in order', () => {
    assert.deepEqual(args('nn.ConvTranspose2d(64, 32, 4, 2, 1, 0, 1, False, 1)'), ['64', '32', '4', '2', '1', '0', '1', 'bool:false', '1']);
  });

  it('evaluates tuples and lists', () => {
    assert.deepEqual(args('nn.Conv2d(3, 8, kernel_size=(3, 5), padding=[1, 2], stride=(2,))'), ['3', '8', 'kernel_size=(3, 5)', 'padding=[1, 2]', 'stride=(2)']);
  });

  it('evaluates negative numbers', () => {
    assert.deepEqual(args('nn.Conv2d(1, 1, 3, padding=-1, dilation=-(2))'), ['1', '1', '3', 'padding=−1', 'dilation=−2']);
  });

  it('reads a multi-line call with comments and a trailing comma', () => {
    const src = ['nn.Conv2d(', '    16,  # in', '    # a comment line', '    33,', '    kernel_size=3,  # k', ')'].join('\n');
    const layer = only(src);
    assert.deepEqual(
      layer.args.map((a) => [a.name, a.text]),
      [
        [undefined, '16'],
        [undefined, '33'],
        ['kernel_size', '3'],
      ],
    );
    assert.equal(layer.span.to, src.length);
  });

  it('marks *args and **kwargs and leaves them out of args', () => {
    const layer = only('nn.Conv2d(3, *rest, **opts)');
    assert.equal(layer.hasStarArgs, true);
    assert.deepEqual(layer.args.map((a) => a.text), ['3']);
  });

  it('has hasStarArgs false for a plain call', () => {
    assert.equal(only('nn.ReLU(True)').hasStarArgs, false);
  });
});

describe('parsePython: literal values', () => {
  it('reads int literals: hex, octal, binary, underscores', () => {
    assert.deepEqual(args('nn.Conv2d(0x1_0, 0o17, 0b101, 1_000)'), ['16', '15', '5', '1000']);
  });

  it('reads floats, bools and None', () => {
    assert.deepEqual(args('nn.Dropout(1e-3, True, None, 0.5)'), ['float:0.001', 'bool:true', 'None', 'float:0.5']);
  });

  it('reads strings with quotes, prefixes, escapes and implicit concatenation', () => {
    assert.deepEqual(args(`nn.Upsample('a' "b", r'\\n', b'x', '''t''', "\\t", f'x{{')`), [
      'str:"ab"',
      'str:"\\\\n"',
      'str:"x"',
      'str:"t"',
      'str:"\\t"',
      'str:"x{"',
    ]);
  });

  it('gives unknown for an f-string with a replacement', () => {
    assert.deepEqual(lastArg("nn.Upsample(mode=f'{m}')"), { kind: 'unknown', text: "f'{m}'" });
  });
});

describe('parsePython: arithmetic', () => {
  it('multiplies a module constant: ngf = 64 gives 512 and 256', () => {
    const layer = only('ngf = 64\nnn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1)\n');
    assert.deepEqual(
      layer.args.map((a) => intOf(a.value)),
      [512, 256, 4, 2, 1],
    );
  });

  it('keeps a function parameter symbolic: in_channels and ⌊in_channels/2⌋', () => {
    const src = 'def block(in_channels):\n    return nn.Conv2d(in_channels, in_channels // 2, 3)\n';
    assert.deepEqual(args(src), ['in_channels', '⌊in_channels/2⌋', '3']);
  });

  it('keeps a parameter with a default symbolic', () => {
    assert.deepEqual(args('def block(c=16):\n    return nn.Conv2d(c, c, 3)\n'), ['c', 'c', '3']);
  });

  it('keeps the symbolic value of a local bound to a parameter expression', () => {
    assert.deepEqual(args('def f(in_ch):\n    c = in_ch // 2\n    return nn.Conv2d(c, c * 2, 1)\n'), ['⌊in_ch/2⌋', '2·⌊in_ch/2⌋', '1']);
  });

  it('gives an int symbol for a name with no binding', () => {
    assert.deepEqual(args('nn.Conv2d(nc, ngf, 4)'), ['nc', 'ngf', '4']);
  });

  it('divides with //, % and ** by constants', () => {
    assert.deepEqual(args('nn.Conv2d(17 // 2, 17 % 5, 2 ** 3)'), ['8', '2', '8']);
  });

  it('keeps // by an unknown as written', () => {
    assert.deepEqual(args('def f(ngf, k):\n    nn.Conv2d(ngf // k, k ** 2, 1)\n'), ['ngf // k', 'k·k', '1']);
  });

  it('gives a float for true division, even of ints', () => {
    assert.deepEqual(lastArg('nn.Upsample(scale_factor=7 / 2)'), { kind: 'float', value: 3.5 });
  });

  it('gives a float for mixed int and float arithmetic', () => {
    assert.deepEqual(lastArg('nn.Upsample(scale_factor=2 * 1.5)'), { kind: 'float', value: 3 });
  });

  it('evaluates int(), max(), min(), len() and round()', () => {
    assert.deepEqual(args('nn.Conv2d(int(7 / 2), max(3, 5), min(4, 2), len((1, 2, 3)), round(2.5))'), ['3', '5', '2', '3', '2']);
  });

  it('concatenates and repeats tuples', () => {
    assert.deepEqual(args('nn.Conv2d(1, 1, (3,) * 2, (1, 2) + (3,))'), ['1', '1', '(3, 3)', '(1, 2, 3)']);
  });

  it('picks the branch of a conditional expression with a constant condition', () => {
    assert.deepEqual(args('nn.Conv2d(3 if True else 5, 1, 1)'), ['3', '1', '1']);
  });

  it('gives unknown for a conditional expression on an unknown condition', () => {
    assert.deepEqual(args('nn.Conv2d(3 if flag else 5, 1, 1)')[0], '?3 if flag else 5');
  });

  it('gives unknown, with its text, for a call to an unknown function', () => {
    assert.deepEqual(only('nn.Conv2d(compute(), 1, 1)').args[0].value, { kind: 'unknown', text: 'compute()' });
  });

  it('does not treat a rebound builtin as the builtin', () => {
    assert.equal(args('def max(a, b):\n    return a\nnn.Conv2d(max(3, 5), 1, 1)\n')[0], '?max(3, 5)');
  });
});

describe('parsePython: names and scopes', () => {
  it('unpacks a, b = 3, 1', () => {
    assert.deepEqual(args('a, b = 3, 1\nnn.Conv2d(a, b, 3)\n'), ['3', '1', '3']);
  });

  it('unpacks (a, b) = (3, 1)', () => {
    assert.deepEqual(args('(a, b) = (3, 1)\nnn.Conv2d(a, b, 3)\n'), ['3', '1', '3']);
  });

  it('unpacks a name bound to a tuple', () => {
    assert.deepEqual(args('pair = (3, 1)\na, b = pair\nnn.Conv2d(a, b, 3)\n'), ['3', '1', '3']);
  });

  it('reads an annotated assignment', () => {
    assert.deepEqual(args('c: int = 7\nnn.Conv2d(c, 1, 1)\n'), ['7', '1', '1']);
  });

  it('applies augmented assignments', () => {
    assert.deepEqual(args('c = 3\nc += 1\nc *= 2\nnn.Conv2d(c, 1, 1)\n'), ['8', '1', '1']);
  });

  it('uses the last binding before the call, not a later one', () => {
    assert.deepEqual(args('c = 3\nx = nn.Conv2d(c, 1, 1)\nc = 5\n'), ['3', '1', '1']);
  });

  it('counts a binding inside an if body, taking the last one written', () => {
    assert.deepEqual(args('if big:\n    c = 64\nelse:\n    c = 32\nnn.Conv2d(c, 1, 1)\n'), ['32', '1', '1']);
  });

  it('evaluates a binding in its own scope at its own position', () => {
    assert.deepEqual(args('ngf = 64\nngf2 = ngf * 2\nngf = 1\nnn.Conv2d(ngf2, ngf, 1)\n'), ['128', '1', '1']);
  });

  it('reads class body constants from the class body', () => {
    assert.deepEqual(args('class M(nn.Module):\n    ch = 16\n    conv = nn.Conv2d(ch, ch * 2, 3)\n'), ['16', '32', '3']);
  });

  it('does not let methods see class body names', () => {
    const src = 'class M(nn.Module):\n    ch = 16\n    def __init__(self):\n        self.conv = nn.Conv2d(ch, 1, 1)\n';
    assert.equal(args(src)[0], 'ch');
  });

  it('reads self.ch = 32 assigned in __init__', () => {
    const src = [
      'class M(nn.Module):',
      '    def __init__(self, c):',
      '        super().__init__()',
      '        self.ch = 32',
      '        self.out = c * 2',
      '        self.conv = nn.Conv2d(self.ch, self.out, 3)',
      '',
    ].join('\n');
    assert.deepEqual(args(src), ['32', '2·c', '3']);
  });

  it('gives a symbol named self.attr for an attribute never assigned', () => {
    assert.equal(args('class M:\n    def __init__(self):\n        nn.Conv2d(self.width, 1, 1)\n')[0], 'self.width');
  });

  it('gives a symbol named by the dotted text for other attributes', () => {
    assert.deepEqual(args('def f(cfg, args):\n    nn.Conv2d(cfg.channels, args.ngf, 3)\n'), ['cfg.channels', 'args.ngf', '3']);
  });

  it('reads a name of the enclosing function from a nested function', () => {
    assert.deepEqual(args('def outer():\n    c = 12\n    def inner():\n        return nn.Conv2d(c, 1, 1)\n'), ['12', '1', '1']);
  });

  it('reads a module constant defined after the function that uses it', () => {
    assert.deepEqual(args('def make():\n    return nn.Conv2d(C, 1, 1)\nC = 3\n'), ['3', '1', '1']);
  });

  it('gives unknown for a for-loop variable', () => {
    assert.deepEqual(only('for c in (1, 2):\n    nn.Conv2d(c, 1, 1)\n').args[0].value, { kind: 'unknown', text: 'c' });
  });

  it('gives unknown for a with-statement target', () => {
    assert.deepEqual(only('with ctx() as c:\n    nn.Conv2d(c, 1, 1)\n').args[0].value, { kind: 'unknown', text: 'c' });
  });

  it('makes a variable doubled in a loop a symbol after the loop, not one pass of it', () => {
    const src = 'ch = 64\nfor i in range(n):\n    ch *= 2\nnn.Conv2d(ch, 1, 1)\n';
    assert.deepEqual(args(src), ['ch', '1', '1']);
  });

  it('makes an attribute rebound from itself in a loop a symbol named self.attr', () => {
    const src = 'class M:\n    def __init__(self):\n        self.k = 3\n        while more:\n            self.k = self.k + 2\n        nn.Conv2d(1, 1, self.k)\n';
    assert.equal(args(src)[2], 'self.k');
  });

  it('keeps a plain constant bound inside a loop body', () => {
    assert.deepEqual(args('for i in range(3):\n    c = 5\nnn.Conv2d(c, 1, 1)\n'), ['5', '1', '1']);
  });

  it('resolves x = x + 1 through the previous binding', () => {
    assert.deepEqual(args('x = 1\nx = x + 1\nnn.Conv2d(x, 1, 1)\n'), ['2', '1', '1']);
  });

  it('keeps x = x + 1 with no previous binding symbolic instead of looping', () => {
    assert.deepEqual(args('x = x + 1\nnn.Conv2d(x, 1, 1)\n'), ['x + 1', '1', '1']);
  });

  it('gives unknown for a very deeply nested expression instead of overflowing', () => {
    const deep = `${'('.repeat(500)}1${')'.repeat(500)}`;
    assert.equal(only(`nn.Conv2d(${deep}, 1, 1)`).args[0].value.kind, 'unknown');
  });

  it('gives unknown for a very long chain of additions instead of overflowing', () => {
    const long = Array.from({ length: 3000 }, () => '1').join(' + ');
    assert.equal(only(`nn.Conv2d(${long}, 1, 1)`).args[0].value.kind, 'unknown');
  });
});

describe('parsePython: chains', () => {
  it('reads nn.Sequential with a nested Sequential and an opaque custom module', () => {
    const src = [
      'import torch.nn as nn',
      'model = nn.Sequential(',
      '    nn.Conv2d(3, 16, 3),',
      '    nn.Sequential(nn.ReLU(), nn.MaxPool2d(2)),',
      '    Custom(16),',
      '    nn.Linear(16, 10),',
      ')',
      '',
    ].join('\n');
    const model = parsePython(src);
    assert.equal(model.chains.length, 1);
    assert.equal(outline(model.chains[0]), 'sequential{Conv2d, sequential{ReLU, MaxPool2d}, "Custom(16)", Linear}');
    const opaque = model.chains[0].items[2];
    assert.deepEqual(opaque, { kind: 'opaque', text: 'Custom(16)', span: { from: src.indexOf('Custom'), to: src.indexOf('Custom') + 10 } });
  });

  it('reads a name item as the layer call it is bound to', () => {
    const src = 'conv1 = nn.Conv2d(1, 8, 3)\nact1 = nn.ReLU()\nfeatures = nn.Sequential(nn.MaxPool2d(2))\nm = nn.Sequential(conv1, act1, features)\n';
    assert.equal(outline(lastChain(src)), 'sequential{Conv2d, ReLU, sequential{MaxPool2d}}');
  });

  it('makes the layers a chain names its items, not roots of their own', () => {
    const model = parsePython('conv1 = nn.Conv2d(1, 8, 3)\nact1 = nn.ReLU()\nm = nn.Sequential(conv1, act1)\n');
    assert.deepEqual(model.roots.map(itemText), ['sequential{Conv2d, ReLU}']);
  });

  it('reads a self.attr item as the layer call assigned to it', () => {
    const src = 'class M(nn.Module):\n    def __init__(self):\n        self.conv = nn.Conv2d(1, 8, 3)\n        self.body = nn.Sequential(self.conv, nn.ReLU())\n';
    assert.equal(outline(lastChain(src)), 'sequential{Conv2d, ReLU}');
  });

  it('keeps a name bound to a custom module call opaque, with the name as text', () => {
    assert.equal(outline(lastChain('blk = Block(3)\nm = nn.Sequential(blk, nn.ReLU())\n')), 'sequential{"blk", ReLU}');
  });

  it('lists every layer, in chains or not, in source order', () => {
    const model = parsePython('a = nn.Conv2d(1, 2, 3)\nm = nn.Sequential(nn.ReLU(), nn.Linear(2, 3))\nb = nn.Tanh()\n');
    assert.deepEqual(types(model), ['Conv2d', 'ReLU', 'Linear', 'Tanh']);
  });

  it('makes roots of layers outside chains and of top-level chains, in source order', () => {
    const model = parsePython('a = nn.Conv2d(1, 2, 3)\nm = nn.Sequential(nn.ReLU(), nn.Linear(2, 3))\nb = nn.Tanh()\n');
    assert.deepEqual(model.roots.map(itemText), ['Conv2d', 'sequential{ReLU, Linear}', 'Tanh']);
  });

  it('follows nn.Sequential(*layers) to the list literal bound to layers', () => {
    const src = 'layers = [nn.Conv2d(1, 2, 3), nn.ReLU()]\nmodel = nn.Sequential(*layers)\n';
    const model = parsePython(src);
    const seq = model.chains.find((c) => c.kind === 'sequential');
    assert.ok(seq);
    assert.equal(outline(seq), 'sequential{Conv2d, ReLU}');
    assert.equal(seq.items[0].kind === 'layer' && seq.items[0].layer.span.from, src.indexOf('nn.Conv2d'));
  });

  it('reports the spread list where it is written too, with the Sequential as the last root', () => {
    const model = parsePython('layers = [nn.Conv2d(1, 2, 3), nn.ReLU()]\nmodel = nn.Sequential(*layers)\n');
    assert.deepEqual(model.roots.map(itemText), ['list{Conv2d, ReLU}', 'sequential{Conv2d, ReLU}']);
  });

  it('follows layers += [...] after the list literal', () => {
    const src = 'layers = [nn.Conv2d(1, 2, 3)]\nlayers += [nn.ReLU()]\nmodel = nn.Sequential(*layers)\n';
    assert.equal(outline(lastChain(src)), 'sequential{Conv2d, ReLU}');
  });

  it('makes *layers opaque when the list may have been changed after its binding', () => {
    const src = 'layers = [nn.Conv2d(1, 2, 3)]\nlayers.append(nn.ReLU())\nmodel = nn.Sequential(*layers)\n';
    assert.equal(outline(lastChain(src)), 'sequential{"*layers"}');
  });

  it('makes *layers opaque when layers is not a list we can see', () => {
    assert.equal(outline(lastChain('def f(layers):\n    return nn.Sequential(*layers)\n')), 'sequential{"*layers"}');
  });

  it('reads nn.Sequential(OrderedDict([...])) pairs in order', () => {
    const src = "from collections import OrderedDict\nm = nn.Sequential(OrderedDict([('conv', nn.Conv2d(1, 2, 3)), ('relu', nn.ReLU())]))\n";
    assert.equal(outline(lastChain(src)), 'sequential{Conv2d, ReLU}');
  });

  it('reads nn.Sequential(collections.OrderedDict(...)) in keyword form', () => {
    const src = 'import collections\nm = nn.Sequential(collections.OrderedDict(conv=nn.Conv2d(1, 2, 3), act=nn.Tanh()))\n';
    assert.equal(outline(lastChain(src)), 'sequential{Conv2d, Tanh}');
  });

  it('reads nn.ModuleList([...]) and does not report its list separately', () => {
    const model = parsePython('m = nn.ModuleList([nn.Conv2d(1, 2, 3), nn.Conv2d(2, 4, 3)])\n');
    assert.deepEqual(model.chains.map(outline), ['modulelist{Conv2d, Conv2d}']);
  });

  it('reads a plain list of layers as a list chain with opaque other items', () => {
    const model = parsePython('blocks = [nn.Conv2d(1, 2, 3), make_block(2), nn.ReLU()]\n');
    assert.deepEqual(model.chains.map(outline), ['list{Conv2d, "make_block(2)", ReLU}']);
  });

  it('does not make a chain of a list without a layer call', () => {
    assert.deepEqual(parsePython('xs = [1, f(2), g]\n').chains, []);
  });
});

function lastChain(src: string): LayerChain {
  const { chains } = parsePython(src);
  assert.ok(chains.length > 0, 'expected a chain');
  return chains[chains.length - 1];
}

describe('parsePython: broken code', () => {
  it('reports a syntax error and still finds a layer after it', () => {
    const src = 'import torch.nn as nn\ndef broken(:\n    x = = 3\ny = nn.Conv2d(1, 2, 3)\n';
    const model = parsePython(src);
    assert.deepEqual(types(model), ['Conv2d']);
    assert.ok(model.syntaxErrors.length > 0);
    assert.ok(model.syntaxErrors.every((e) => e.from >= src.indexOf('(:') && e.to <= src.indexOf('y =')));
  });

  it('reports a call with an unclosed paren at the end of the file, ending at its last argument', () => {
    const src = 'm = nn.Conv2d(3, 4,\n';
    const layer = only(src);
    assert.deepEqual(layer.args.map((a) => a.text), ['3', '4']);
    assert.equal(layer.text, 'nn.Conv2d(3, 4,');
  });

  it('gives no syntax errors for valid code', () => {
    assert.deepEqual(parsePython('import torch.nn as nn\nx = nn.Conv2d(1, 2, 3)\n').syntaxErrors, []);
  });

  it('does not throw on an empty text', () => {
    assert.deepEqual(parsePython(''), { layers: [], chains: [], roots: [], syntaxErrors: [] });
  });
});

describe('layerAt', () => {
  const src = 'x = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())\n';
  const model = parsePython(src);

  it('finds the layer from an offset inside its callee', () => {
    assert.equal(layerAt(model, src.indexOf('Conv2d') + 2)?.layerType, 'Conv2d');
  });

  it('finds the layer from an offset inside its arguments', () => {
    assert.equal(layerAt(model, src.indexOf('2, 3'))?.layerType, 'Conv2d');
  });

  it('accepts the offset at the end of the call', () => {
    assert.equal(layerAt(model, src.indexOf('), nn.ReLU') + 1)?.layerType, 'Conv2d');
  });

  it('finds nothing outside any layer call', () => {
    assert.equal(layerAt(model, 1), undefined);
  });

  it('finds the innermost layer call', () => {
    const nested = parsePython('nn.Conv2d(nn.Linear(1, 2), 3, 3)\n');
    assert.equal(layerAt(nested, 12)?.layerType, 'Linear');
  });
});

describe('parsePython: large files and edits', () => {
  /** A generated model file of about `lines` lines: blocks with layers, Sequentials and forward code. */
  function modelFile(lines: number, tag: string): string {
    const out = ['import torch.nn as nn', 'ngf = 64', ''];
    for (let i = 0; out.length < lines; i++) {
      out.push(
        `class Block${tag}${i}(nn.Module):`,
        '    def __init__(self, c):',
        '        super().__init__()',
        '        self.conv = nn.Conv2d(c, ngf, 3, padding=1)',
        '        self.bn = nn.BatchNorm2d(ngf)',
        '        self.body = nn.Sequential(nn.ReLU(), nn.Conv2d(ngf, c, 1))',
        '',
        '    def forward(self, x):',
        '        return self.body(self.bn(self.conv(x)))',
        '',
      );
    }
    return out.join('\n');
  }

  it('finds every layer of a 5,000-line generated model file', () => {
    // How fast is measured by `npm run bench:editor` (docs/benchmarks.md), not here.
    assert.equal(parsePython(modelFile(5000, 'R_')).layers.length, 2000);
  });

  it('gives the model of a fresh parse after any sequence of edits, broken states included', () => {
    const base = modelFile(30, 'T');
    const at = base.indexOf('    def forward');
    const typed = '        self.extra = nn.Sequential(nn.Conv2d(c, 2 * c, (3, 3)), [x for x in y]\n';
    let previous: ParsedPython = reparsePython(base, undefined);
    // Every third keystroke: error recovery makes each broken state slow to parse.
    for (let k = 1; k <= typed.length; k += 3) {
      const text = base.slice(0, at) + typed.slice(0, k) + base.slice(at);
      const fresh = JSON.stringify(analyseTree(parser.parse(text), text));
      previous = reparsePython(text, previous);
      assert.equal(JSON.stringify(previous.model), fresh, `after typing ${JSON.stringify(typed.slice(0, k))}`);
    }
  });

  it('returns the previous parse for the same text, and reparses an edited text', () => {
    const text = modelFile(200, 'I');
    const first = reparsePython(text, undefined);
    assert.equal(reparsePython(text, first), first);
    const edited = text.replace('ngf = 64', 'ngf = 32');
    const conv = reparsePython(edited, first).model.layers[0];
    assert.equal(intOf(conv.args[1].value), 32);
  });
});
