/**
 * Generated Python model files for property tests (fast-check arbitraries): PyTorch layer
 * calls written the ways people write them — positional or keyword arguments, on one line or
 * several, at module level, in an nn.Sequential inside a class, in a list — among comments
 * (unicode, fake calls, command links), strings that look like calls, and other code. Shared
 * by the unit properties and the integration test that replays a sample in VS Code.
 */
import fc from 'fast-check';
import { HELPERS } from '../../src/core/convert/zeroInserted';

export const small = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
const channels = fc.oneof(small(1, 64).map(String), fc.constantFrom('ngf * 8', 'ngf', 'nc', 'C', 'width // 2'));
const comment = fc.constantFrom('', '  # input: (1, 16, 32, 32)', '  # 上采样 ✨ [x](command:evil)', '  # nn.ConvTranspose2d(1, 1, 3) in a comment');

/** A transposed conv call PyTorch accepts (output_padding below stride), written one of several ways. */
const transposedCall = fc
  .record({ dims: small(1, 3), cin: channels, cout: channels, k: small(1, 5), s: small(1, 3), p: small(0, 3), d: small(1, 2), op: small(0, 2), keywords: fc.boolean(), multiline: fc.boolean(), bias: fc.boolean() })
  .map((c) => {
    const op = Math.min(c.op, Math.max(c.s, c.d) - 1);
    const window = c.keywords ? [`kernel_size=${c.k}`, `stride=${c.s}`, `padding=${c.p}`, `output_padding=${op}`, `dilation=${c.d}`] : [`${c.k}`, `${c.s}`, `${c.p}`, `${op}`, '1', c.bias ? 'True' : 'False', `${c.d}`];
    const args = [c.cin, c.cout, ...window, ...(c.keywords && !c.bias ? ['bias=False'] : [])];
    return c.multiline ? `nn.ConvTranspose${c.dims}d(\n        ${args.join(',\n        ')},\n    )` : `nn.ConvTranspose${c.dims}d(${args.join(', ')})`;
  });
const otherCall = fc.constantFrom('nn.Conv2d(3, 16, 3, stride=2, padding=1)', 'nn.BatchNorm2d(16)', 'nn.ReLU(True)', 'nn.MaxPool2d(2)', 'nn.Upsample(scale_factor=2)', 'nn.Conv1d(8, 8, 5, padding=2)');

const prelude = fc.subarray(['import torch', 'import torch.nn as nn', 'from typing import (\n    List,\n    Optional,\n)', '"""A model file."""', '# ✨ unicode comment: größe', `${HELPERS.trimEnd()}\n`], { minLength: 0 }).map((lines) => (lines.includes('import torch.nn as nn') ? lines : ['import torch.nn as nn', ...lines]));

/** A statement holding a layer: module level, a Sequential in a class, a list. */
const statement = fc.oneof(
  fc.tuple(transposedCall, comment).map(([c, note]) => `up = ${c}${note}`),
  fc.tuple(otherCall, comment).map(([c, note]) => `layer = ${c}${note}`),
  fc.tuple(fc.array(fc.oneof(transposedCall, otherCall), { minLength: 1, maxLength: 5 }), comment).map(([calls, note]) => `class Net(nn.Module):\n    def __init__(self, ngf=8, nc=3, C=4, width=32):\n        super().__init__(){note}\n        self.main = nn.Sequential(\n${calls.map((c) => `            ${c.replaceAll('\n', '\n        ')},`).join('\n')}\n        )`.replace('{note}', note)),
  fc.array(fc.oneof(transposedCall, otherCall), { minLength: 1, maxLength: 3 }).map((calls) => `layers = [${calls.join(', ')}]`),
  fc.constantFrom('x = "nn.ConvTranspose2d(3, 3, 3)"  # a string, not a call', 'def forward(self, x):\n    return self.main(x)', 'ngf, nc, C, width = 8, 3, 4, 32'),
);

/** A Python model file: imports (sometimes the convert helpers already), then 1–6 statements with layers. */
export const pythonFile = fc.tuple(prelude, fc.array(statement, { minLength: 1, maxLength: 6 }), fc.boolean()).map(([head, body, newline]) => `${head.join('\n')}\n\n${body.join('\n\n')}${newline ? '\n' : ''}`);
