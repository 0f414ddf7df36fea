/**
 * "Convert Transposed Conv to Zero-Inserted Conv": a `nn.ConvTranspose{1,2,3}d(...)` call
 * rewritten as runnable PyTorch that computes exactly the same function in PyTorch's own
 * defining steps: insert stride−1 zeros between inputs, pad (or crop) d·(k−1)−p at the start
 * and that plus output_padding at the end, and run an ordinary stride-1 convolution with the
 * kernel flipped and the channel axes swapped per group.
 *
 * The helper classes take ConvTranspose's own constructor arguments and build the
 * ConvTranspose first: PyTorch itself checks the arguments (same errors) and draws the
 * initial weights (same function at initialisation under the same seed), and the same code
 * path converts a trained module (`from_transposed`).
 */
import { analyzeLayer } from '../analyze';
import { constValue, format } from '../expr';
import { refuse, type Outcome } from '../outcome';
import { axisNames } from '../shape';
import type { AxisArithmetic } from '../torch/report';
import type { Argument, LayerCall, Value } from '../values';

/** The contract of `conv-lens convert --json`; other tools depend on its exact keys. */
export interface Conversion {
  /** A Python expression that replaces the call. */
  readonly replacement: string;
  /** The Python source of the helper definitions the replacement needs. */
  readonly helpers: string;
  /** A Python expression: a callable from the original ConvTranspose module to the equivalent module, weights included. */
  readonly fromTransposed: string;
}

export interface ConvertOptions {
  /**
   * 'source' keeps each argument's text (`ngf * 8` stays `ngf * 8`: for the editor);
   * 'values' writes constant arguments as literals, so the expression stands alone (for the CLI).
   */
  readonly arguments: 'source' | 'values';
  /** The indentation of the line the call starts on; continuation lines are indented one level deeper. */
  readonly indent?: string;
}

/** The marker that says a file already holds the helpers: they are inserted once per file. */
export const HELPER_MARKER = 'class ZeroInsertedConvTranspose(torch.nn.Module):';

export const HELPERS = `import torch


${HELPER_MARKER}
    """A transposed convolution spelled out as PyTorch defines it (inserted by Conv Lens):
    1. insert stride - 1 zeros between neighbouring inputs along each spatial axis;
    2. pad dilation * (kernel - 1) - padding zeros at the start of each axis, and that plus
       output_padding at the end (a negative pad crops);
    3. run an ordinary stride-1 convolution (same dilation and groups) whose kernel is the
       transposed kernel flipped, with in/out channels swapped within each group.
    Takes ConvTranspose's own arguments; from_transposed(ct) converts a trained module."""

    transposed_type = None  # set by the 1d/2d/3d subclasses below
    conv_type = None

    def __init__(self, *args, **kwargs):
        super().__init__()
        # PyTorch checks the arguments and draws the initial weights exactly as for ConvTranspose.
        self._take(self.transposed_type(*args, **kwargs))

    @classmethod
    def from_transposed(cls, ct):
        """The equivalent of an existing (e.g. trained) ConvTranspose module, with its weights."""
        module = cls.__new__(cls)
        torch.nn.Module.__init__(module)
        module._take(ct)
        return module

    def _take(self, ct):
        if ct.padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(ct).__name__}')
        self.stride = tuple(ct.stride)
        # F.pad lists the last axis first, (start, end) for each axis.
        self.pad = ()
        for k, p, op, d in zip(ct.kernel_size, ct.padding, ct.output_padding, ct.dilation):
            self.pad = (d * (k - 1) - p, d * (k - 1) - p + op) + self.pad
        # skip_init: no random draws, so the modules built after this one get the same
        # initial weights as in the original model (the weights are copied just below).
        self.conv = torch.nn.utils.skip_init(
            self.conv_type, ct.in_channels, ct.out_channels, ct.kernel_size, stride=1, padding=0, dilation=ct.dilation,
            groups=ct.groups, bias=ct.bias is not None, device=ct.weight.device, dtype=ct.weight.dtype)
        w = ct.weight.detach()  # (in, out / groups, *kernel)
        g, per_group = ct.groups, w.shape[0] // ct.groups
        w = w.reshape(g, per_group, *w.shape[1:]).transpose(1, 2).reshape(-1, per_group, *w.shape[2:])
        with torch.no_grad():
            self.conv.weight.copy_(w.flip(list(range(2, w.dim()))))
            if ct.bias is not None:
                self.conv.bias.copy_(ct.bias.detach())

    def forward(self, x):
        n = len(self.stride)
        if any(s > 1 for s in self.stride):  # 1. zero insertion (the "bed of nails")
            spread = x.new_zeros(x.shape[:-n] + tuple((size - 1) * s + 1 for size, s in zip(x.shape[-n:], self.stride)))
            spread[(...,) + tuple(slice(None, None, s) for s in self.stride)] = x
            x = spread
        x = torch.nn.functional.pad(x, self.pad)  # 2. pad, or crop where negative
        return self.conv(x)  # 3. stride-1 convolution with the flipped kernel


class ZeroInsertedConvTranspose1d(ZeroInsertedConvTranspose):
    transposed_type, conv_type = torch.nn.ConvTranspose1d, torch.nn.Conv1d


class ZeroInsertedConvTranspose2d(ZeroInsertedConvTranspose):
    transposed_type, conv_type = torch.nn.ConvTranspose2d, torch.nn.Conv2d


class ZeroInsertedConvTranspose3d(ZeroInsertedConvTranspose):
    transposed_type, conv_type = torch.nn.ConvTranspose3d, torch.nn.Conv3d
`;

const CONVERTIBLE = new Set(['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']);

/** Whether Conv Lens can convert this call (a reason otherwise). */
export function convertTransposedCall(layer: LayerCall, options: ConvertOptions): Outcome<Conversion> {
  if (layer.framework !== 'torch') return refuse('no-layer', `the conversion writes PyTorch modules: ${layer.layerType} is a Keras layer (its zero-insertion form is in the hover and the panel)`);
  if (!CONVERTIBLE.has(layer.layerType)) {
    const why = layer.layerType.startsWith('LazyConvTranspose')
      ? `${layer.layerType} infers in_channels at its first call; write nn.${layer.layerType.slice(4)} with in_channels to convert it`
      : `${layer.layerType} is not a transposed convolution`;
    return refuse('no-layer', why);
  }
  if (layer.hasStarArgs) return refuse('not-constant', 'the call passes *args or **kwargs, so its arguments cannot be read');
  const report = analyzeLayer(layer, undefined);
  // What PyTorch refuses is not converted: the helper would raise the same error.
  if (!report.ok && report.refusal.rule !== 'not-constant') return report;
  const helperName = `ZeroInserted${layer.layerType}`;
  const indent = options.indent ?? '';
  const args = layer.args.map((a) => (a.name ? `${a.name}=${argumentText(a, options)}` : argumentText(a, options))).join(', ');
  const steps = report.ok ? stepComments(report.value.axes) : ['the same layer as a zero insertion, a pad (or crop) and a stride-1 conv with the flipped kernel'];
  const replacement = [`${helperName}(`, ...steps.map((s) => `${indent}    # ${s}`), `${indent}    ${args})`].join('\n');
  return { ok: true, value: { replacement, helpers: HELPERS, fromTransposed: `${helperName}.from_transposed` } };
}

/** This layer's numbers, one comment line per step. */
function stepComments(axes: readonly AxisArithmetic[]): string[] {
  const names = axisNames(axes.length);
  const perAxis = (text: (a: AxisArithmetic) => string): string => {
    const texts = axes.map(text);
    return texts.every((t) => t === texts[0]) ? texts[0] : texts.map((t, k) => `${names[k]}: ${t}`).join('; ');
  };
  const counts = axes.map((a) => a.zeroInsertion?.zerosBetween ?? 0);
  const zeros = counts.every((z) => z === counts[0])
    ? `insert ${counts[0] === 0 ? 'no zeros (stride 1)' : `${counts[0]} zero${counts[0] === 1 ? '' : 's'}`} between neighbouring inputs`
    : `insert zeros between neighbouring inputs, ${counts.map((z, k) => `${names[k]}: ${z === 0 ? 'none (stride 1)' : z}`).join('; ')}`;
  const sides = perAxis((a) => {
    const z = a.zeroInsertion;
    if (!z) return 'nothing';
    const side = (n: number): string => (n >= 0 ? `pad ${n}` : `crop ${-n}`);
    return `${side(z.padBegin)} at the start, ${side(z.padEnd)} at the end`;
  });
  const lengths = axes.map((a, k) => `${names[k]} → ${format(a.zeroInsertion?.insertedLength ?? a.input)}`).join(', ');
  const kernel = axes.map((a) => a.kernel).join('×');
  const dilation = axes.some((a) => a.dilation > 1) ? ` dilated by ${axes.map((a) => a.dilation).join('×')}` : '';
  return [
    `1. ${zeros} (${lengths})`,
    `2. ${sides} (d·(k − 1) − p; the end adds output_padding)`,
    `3. a stride-1 ${kernel} convolution${dilation} with the kernel flipped and in/out channels swapped`,
  ];
}

function argumentText(a: Argument, options: ConvertOptions): string {
  if (options.arguments === 'source') return a.text;
  return literal(a.value) ?? a.text;
}

/** A constant argument as a Python literal (undefined when it is not a constant). */
function literal(v: Value): string | undefined {
  switch (v.kind) {
    case 'int': {
      const n = constValue(v.expr);
      return n === undefined ? undefined : String(n);
    }
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'str':
      return JSON.stringify(v.value);
    case 'seq': {
      const items = v.items.map(literal);
      if (items.some((i) => i === undefined)) return undefined;
      const body = items.join(', ');
      return v.brackets === 'list' ? `[${body}]` : `(${body}${items.length === 1 ? ',' : ''})`;
    }
    case 'float':
    case 'unknown':
      return undefined;
  }
}
