#!/usr/bin/env python3
"""Generate the PyTorch oracle fixture for Conv Lens.

Every case is a piece of Python source (one torch.nn layer, or an nn.Sequential chain) plus an
input shape. The source is executed with real PyTorch, a forward pass runs on
``torch.zeros(input)``, and the case records either the output shape or the exception torch
raised, classified into one of the engine's refusal rules (see RULES below).

    /usr/bin/python3 test/oracle/generate.py --count 5000 --seed 20261121 \
        --out test/oracle/torch-cases.jsonl

The output is deterministic for a given seed, count and torch version. Standard library and
torch only. Exit status: 0 on success, 2 when torch cannot be imported, 3 when some torch
message matched no rule in RULES (they are printed to stderr; the fixture is still written).
"""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import math
import os
import random
import re
import sys
import time
import warnings
from collections import Counter

torch = None  # imported in main(), so that a missing torch fails with a clear message
nn = None

# ---------------------------------------------------------------------------------------------
# Rule table: (rule id, regex searched in "<ExceptionType>: <first line of the message>").
# The first match wins, so specific patterns come before general ones. A few torch messages
# are shared by unrelated layers; SOURCE_RULES tells those apart by the case's source.
# ---------------------------------------------------------------------------------------------

SOURCE_RULES: list[tuple[str, str, str]] = [
    # AdaptiveMaxPool with a negative output_size fails while allocating its output, with the
    # same message a ReplicationPad that crops below zero gives on an unbatched input.
    ('adaptive', r'Trying to create tensor with negative dimension', r'AdaptiveMaxPool'),
]

RULES: list[tuple[str, str]] = [
    # --- convolution ---
    ('kernel-too-large', r"Kernel size can't be greater than actual input size"),
    ('kernel-too-large', r'input image \(.*\) smaller than kernel size'),  # avg_pool3d: unpadded input < kernel
    ('output-padding', r'output padding must be smaller than either stride or dilation'),
    ('groups-divide-in', r'in_channels must be divisible by groups'),
    ('groups-divide-out', r'out_channels must be divisible by groups'),
    ('groups-divide-out', r'Given groups=\d+, expected weight to be divisible by \d+ at dimension 0'),  # LazyConv
    ('groups-divide-out', r'Given groups=\d+, expected weight to be at least \d+ at dimension 0'),  # LazyConv
    ('groups-divide-out', r'non-empty \dD or \dD weight tensor expected, but got: \[\d+, 0,'),  # LazyConvTranspose, out < groups
    ('groups-divide-out', r'Given transposed=1, weight of size .*expected bias to be 1-dimensional'),  # LazyConvTranspose
    ('groups-positive', r'groups must be a positive integer'),
    ('same-strided', r"padding='same' is not supported for strided convolutions"),
    ('padding-string', r'Invalid padding string'),
    ('padding-mode', r'Only "zeros" padding mode is supported'),
    ('padding-mode', r'padding_mode must be one of'),
    ('negative-padding', r'negative (output_)?padding is not supported'),
    ('negative-padding', r'pad(ding)? must be non-negative'),
    ('non-positive-stride', r'non-positive stride is not supported'),
    ('non-positive-stride', r'stride should not be zero'),
    ('non-positive-stride', r'stride (must|should) be greater than zero'),
    ('dilation', r'dilation (should|must) be greater than zero'),
    ('kernel-size', r'kernel size should be greater than zero'),
    ('kernel-size', r'kernel_size must be greater than zero'),
    ('kernel-size', r'non-empty \dD \(n_output_plane x n_input_plane x kernel_\w+.*\) tensor expected for weight'),
    ('dilation', r'non-positive dilation is not supported'),
    # kernel_size=0 on a conv that torch hands to oneDNN (batch > 1 or groups > 1): a backend error
    ('kernel-size', r'could not create a descriptor for a dilated convolution forward propagation primitive'),
    # --- channels / features ---
    ('channel-mismatch', r'expected input\[.*\] to have \d+ channels, but got \d+ channels instead'),
    ('channel-mismatch', r'(running_mean|running_var|weight|bias) should contain \d+ elements not \d+'),
    ('channel-mismatch', r'Expected weight to be a vector of size equal to the number of channels in input'),
    ('channel-mismatch', r'Mismatch of parameter numbers and input channel size'),
    ('linear-mismatch', r'mat1 and mat2 shapes cannot be multiplied'),
    ('layernorm-shape', r'Given normalized_shape=.*expected input with shape'),
    ('group-norm-groups', r'num_channels must be divisible by num_groups'),
    ('group-norm-groups', r'Expected number of channels in input to be divisible by num_groups'),
    ('group-norm-groups', r'^ZeroDivisionError: integer modulo by zero'),  # GroupNorm(0, C)
    # --- pooling ---
    ('pool-padding', r'pad should be at most half of kernel size'),
    ('pool-padding', r'padding should be at most half of kernel size'),
    ('output-too-small', r'Output size is too small'),
    ('output-too-small', r'max_pool1d\(\) Invalid computed output size'),
    ('output-too-small', r'numel: integer multiplication overflow'),  # MaxUnpool with a negative output size
    ('adaptive', r'adaptive_\w+: output_size must be \d'),
    ('adaptive', r'adaptive_\w+\(\): internal error: output_size\.size\(\) must be \d'),
    ('adaptive', r"adaptive_\w+\(\) argument 'output_size' should contain one int"),
    ('adaptive', r'adaptive_\w+: elements of output_size must be greater than or equal to 0'),
    # --- upsampling ---
    ('upsample-args', r'only one of size or scale_factor should be defined'),
    ('upsample-args', r'either size or scale_factor should be defined'),
    ('upsample-args', r'align_corners option can only be set with the interpolating modes'),
    ('upsample-args', r'recompute_scale_factor is not meaningful with an explicit size'),
    ('upsample-zero', r'Input and output sizes should be greater than 0'),
    # --- pixel shuffle ---
    ('pixel-shuffle-channels', r"pixel_shuffle expects its input's 'channel' dimension to be divisible"),
    ('pixel-shuffle-channels', r'pixel_shuffle expects a positive upscale_factor'),
    ('pixel-unshuffle-size', r'pixel_unshuffle expects (height|width) to be divisible by downscale_factor'),
    ('pixel-unshuffle-size', r'pixel_unshuffle expects a positive downscale_factor'),
    # --- padding layers ---
    ('pad-size', r'Padding size should be less than the corresponding input dimension'),
    ('pad-size', r'is too small\. Calculated output'),
    ('pad-size', r'resulted in a negative output size'),
    ('pad-size', r'start \(\d+\) \+ length \(-?\d+\) exceeds dimension size'),
    ('pad-size', r'Padding value causes wrapping around more than once'),
    ('pad-size', r'Trying to create tensor with negative dimension'),  # ReplicationPad on an unbatched input
    # --- reshaping ---
    ('unflatten', r'unflatten'),
    ('unflatten', r'unflattened_size'),
    # --- tuple lengths that do not match the layer's dimensionality ---
    ('spatial-dims', r'must have the same number of spatial dimensions'),
    ('spatial-dims', r'expected \w+ to be a single integer value or a list of \d+ values'),
    ('spatial-dims', r'must (either )?be (either be )?a single int, or a tuple of'),
    ('spatial-dims', r'must (either )?be omitted, a single int, or a tuple of'),
    ('spatial-dims', r'must be None, an int, list of ints, or tuple of ints of size 1'),
    ('spatial-dims', r'\w+ cannot broadcast to \d+ dimensions'),  # padding='same' with a stride tuple too long
    ('spatial-dims', r'Expected \d+-dimensional input for \d+-dimensional weight'),
    ('spatial-dims', r"argument '\w+' should contain one int"),
    ('spatial-dims', r'must be an int, list of ints,? or tuple of ints of size 1'),
    ('spatial-dims', r'Padding length must be divisible by 2'),
    ('spatial-dims', r'There should be exactly three elements'),
    ('spatial-dims', r'^IndexError: tuple index out of range'),  # MaxUnpool2d with a 3-tuple kernel
    # --- input rank ---
    ('input-rank', r'Expected \d+D \(unbatched\) or \d+D \(batched\) input'),
    ('input-rank', r'expected \d+D (or \d+D )?input \(got \d+D input\)'),
    ('input-rank', r'tensor expected for input'),
    ('input-rank', r'Expected \dD or \dD \(batch mode\) tensor'),
    ('input-rank', r'Expected \d+ to \d+ dimensions, but got'),
    ('input-rank', r'Expected \d+D or \d+D tensor'),
    ('input-rank', r'^IndexError: Dimension out of range'),
    ('input-rank', r'mode needs \d+D input'),
    ('input-rank', r'Only 3D, 4D and 5D input Tensors supported'),
    ('input-rank', r'expects input to have at least 3 dimensions'),
    ('input-rank', r'should be a \d+d or \d+d Tensor'),
    ('input-rank', r'Only 2D, 3D, 4D, 5D padding with non-constant padding are supported'),
    ('input-rank', r'Padding length too large'),
    ('input-rank', r'Feature dropout requires at least 2 dimensions'),
    ('input-rank', r'Expected input to have non-zero size for non-batch dimensions'),
    ('input-rank', r'Input dimension should be at least \d'),  # adaptive pooling with None in output_size
    ('input-rank', r'Invalid padding size, expected \d+ but got \d+'),  # padding_mode='circular' on an unbatched input
    # --- things the engine reports as 'other' ---
    ('other', r'Expected more than 1 value per channel when training'),
    ('other', r'Expected more than 1 spatial element when training'),
    ('other', r'divisor must be not zero'),
    ('other', r'start_dim cannot come after end_dim'),
    # --- constructor calls Python itself rejects, or wrong argument types ---
    ('argument', r'^TypeError: '),
]

_COMPILED_RULES = [(rule, re.compile(rx)) for rule, rx in RULES]
_COMPILED_SOURCE_RULES = [(rule, re.compile(rx), re.compile(src)) for rule, rx, src in SOURCE_RULES]


def classify(error: str, source: str = '') -> str | None:
    for rule, rx, src in _COMPILED_SOURCE_RULES:
        if rx.search(error) and src.search(source):
            return rule
    for rule, rx in _COMPILED_RULES:
        if rx.search(error):
            return rule
    return None


# ---------------------------------------------------------------------------------------------
# Constructor signatures (torch 1.13), checked against inspect.signature at start-up.
# ---------------------------------------------------------------------------------------------

_CONV = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'dilation', 'groups', 'bias',
         'padding_mode', 'device', 'dtype']
_CONVT = ['in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'groups', 'bias',
          'dilation', 'padding_mode', 'device', 'dtype']
_NORM = ['num_features', 'eps', 'momentum', 'affine', 'track_running_stats', 'device', 'dtype']

SIG: dict[str, tuple[list[str], int]] = {}  # class -> (parameter names in order, number required)
for _n in (1, 2, 3):
    SIG[f'Conv{_n}d'] = (_CONV, 3)
    SIG[f'ConvTranspose{_n}d'] = (_CONVT, 3)
    SIG[f'LazyConv{_n}d'] = (_CONV[1:], 2)
    SIG[f'LazyConvTranspose{_n}d'] = (_CONVT[1:], 2)
    SIG[f'MaxPool{_n}d'] = (['kernel_size', 'stride', 'padding', 'dilation', 'return_indices', 'ceil_mode'], 1)
    SIG[f'AdaptiveAvgPool{_n}d'] = (['output_size'], 1)
    SIG[f'AdaptiveMaxPool{_n}d'] = (['output_size', 'return_indices'], 1)
    SIG[f'MaxUnpool{_n}d'] = (['kernel_size', 'stride', 'padding'], 1)
    SIG[f'BatchNorm{_n}d'] = (_NORM, 1)
    SIG[f'InstanceNorm{_n}d'] = (_NORM, 1)
    SIG[f'ConstantPad{_n}d'] = (['padding', 'value'], 2)
    SIG[f'ReflectionPad{_n}d'] = (['padding'], 1)
    SIG[f'ReplicationPad{_n}d'] = (['padding'], 1)
SIG['AvgPool1d'] = (['kernel_size', 'stride', 'padding', 'ceil_mode', 'count_include_pad'], 1)
SIG['AvgPool2d'] = (SIG['AvgPool1d'][0] + ['divisor_override'], 1)
SIG['AvgPool3d'] = SIG['AvgPool2d']
SIG['Upsample'] = (['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor'], 0)
SIG['UpsamplingNearest2d'] = (['size', 'scale_factor'], 0)
SIG['UpsamplingBilinear2d'] = (['size', 'scale_factor'], 0)
SIG['PixelShuffle'] = (['upscale_factor'], 1)
SIG['PixelUnshuffle'] = (['downscale_factor'], 1)
SIG['Flatten'] = (['start_dim', 'end_dim'], 0)
SIG['Unflatten'] = (['dim', 'unflattened_size'], 2)
SIG['Linear'] = (['in_features', 'out_features', 'bias', 'device', 'dtype'], 2)
SIG['LazyLinear'] = (['out_features', 'bias', 'device', 'dtype'], 1)
SIG['Identity'] = ([], 0)
SIG['GroupNorm'] = (['num_groups', 'num_channels', 'eps', 'affine', 'device', 'dtype'], 2)
SIG['LayerNorm'] = (['normalized_shape', 'eps', 'elementwise_affine', 'device', 'dtype'], 1)
SIG['ZeroPad2d'] = (['padding'], 1)
SIG['ReLU'] = (['inplace'], 0)
SIG['LeakyReLU'] = (['negative_slope', 'inplace'], 0)
SIG['Tanh'] = ([], 0)
SIG['Sigmoid'] = ([], 0)
SIG['GELU'] = (['approximate'], 0)
SIG['SiLU'] = (['inplace'], 0)
SIG['PReLU'] = (['num_parameters', 'init', 'device', 'dtype'], 0)
SIG['Dropout'] = (['p', 'inplace'], 0)
SIG['Dropout2d'] = (['p', 'inplace'], 0)
SIG['Sequential'] = ([], 0)


def check_signatures() -> None:
    """Fails if a signature above disagrees with the installed torch (positional order matters)."""
    for cls, (params, nreq) in SIG.items():
        if cls in ('Identity', 'Sequential'):
            continue
        sig = inspect.signature(getattr(nn, cls).__init__)
        names = [p for p in sig.parameters if p != 'self']
        required = [p for p, v in sig.parameters.items() if p != 'self' and v.default is inspect.Parameter.empty]
        if names != params or len(required) != nreq:
            raise SystemExit(f'generate.py: signature table out of date for nn.{cls}: torch has {names}')


# ---------------------------------------------------------------------------------------------
# Source rendering
# ---------------------------------------------------------------------------------------------


def wchoice(rng: random.Random, pairs):
    """Weighted choice from [(item, weight), ...]."""
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


class Code:
    """A source expression and the Python value it evaluates to."""

    __slots__ = ('text', 'value')

    def __init__(self, text: str, value):
        self.text = text
        self.value = value


def val(v):
    return v.value if isinstance(v, Code) else v


class Call:
    """One layer constructor call. `params` are the intended arguments by parameter name."""

    def __init__(self, cls: str, params: dict | None = None, *, extra_pos=(), extra_kw=(), dup: str | None = None,
                 style: str | None = None):
        self.cls = cls
        self.params = dict(params or {})
        self.extra_pos = list(extra_pos)  # positional arguments after the signature's (Identity)
        self.extra_kw = list(extra_kw)  # keyword arguments the signature does not have
        self.dup = dup  # a parameter passed both positionally and by keyword
        self.style = style  # force 'pos' / 'kw' / 'allkw' / 'mixed'


class Seq:
    """nn.Sequential of Calls and nested Seqs; `keys` makes it an OrderedDict."""

    def __init__(self, items: list, keys: list[str] | None = None, comments: dict[int, str] | None = None):
        self.items = items
        self.keys = keys
        self.comments = comments or {}


def classes_in(node) -> list[str]:
    if isinstance(node, Call):
        return [node.cls]
    out = ['Sequential']
    for it in node.items:
        out += classes_in(it)
    return out


ALIASES = {
    'ConvTranspose': ['CT', 'Deconv', 'TConv', 'UpConv'],
    'LazyConvTranspose': ['LazyCT', 'LazyDeconv'],
    'LazyConv': ['LazyC', 'LConv'],
    'Conv': ['Conv', 'C', 'ConvLayer'],
    'MaxPool': ['MP', 'Pool'],
    'AvgPool': ['AP', 'Pool'],
    'Upsample': ['Up', 'Resize'],
    'BatchNorm': ['BN', 'Norm'],
    'Linear': ['Dense', 'FC'],
}

SEQ_PARAMS = {'kernel_size', 'stride', 'padding', 'dilation', 'output_padding', 'output_size', 'size',
              'normalized_shape', 'unflattened_size'}

COMMENTS = {
    'in_channels': ['input channels', 'from the previous block', 'C_in'],
    'out_channels': ['output channels', 'feature maps', 'C_out'],
    'kernel_size': ['kernel', 'receptive field', 'k'],
    'stride': ['stride', 'downsample', 'step'],
    'padding': ['keep the border', 'padding', 'zero padding'],
    'output_padding': ['disambiguate the output size', 'extra row/col'],
    'dilation': ['atrous', 'dilation'],
    'groups': ['grouped', 'depthwise-ish'],
    'bias': ['followed by a norm', 'no bias'],
    'scale_factor': ['upsample', 'resize factor'],
    'size': ['target size'],
    'mode': ['interpolation'],
}


class Renderer:
    """Per-case rendering state: import style, constants, quote style."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.q = "'" if rng.random() < 0.75 else '"'
        self.style = wchoice(rng, [('nn', 58), ('torch.nn', 12), ('tnn', 9), ('from', 13), ('from-as', 8)])
        self.list_p = 0.25 if rng.random() < 0.4 else 0.0
        self.multi_p = 0.2
        self.const_lines: list[str] = []
        self.consts: dict[str, object] = {}
        self.pre: list[str] = []
        self.classes: list[str] = []
        self.alias: tuple[str, str] | None = None
        self.od_style: str | None = None

    # --- constants ---
    def const(self, name: str, value) -> Code:
        if name in self.consts:
            assert self.consts[name] == value, (name, value)
        else:
            self.consts[name] = value
            self.const_lines.append(f'{name} = {self.lit(value)}')
        return Code(name, value)

    def const_multi(self, names: list[str], values: list) -> list[Code]:
        fresh = [(n, v) for n, v in zip(names, values) if n not in self.consts]
        if fresh:
            self.const_lines.append(f"{', '.join(n for n, _ in fresh)} = {', '.join(self.lit(v) for _, v in fresh)}")
            for n, v in fresh:
                self.consts[n] = v
        return [Code(n, v) for n, v in zip(names, values)]

    def expr(self, text: str, value) -> Code:
        got = eval(text, {'int': int, '__builtins__': {}}, dict(self.consts))  # noqa: S307 (our own text)
        assert got == value and type(got) is type(value), (text, got, value)
        return Code(text, value)

    # --- names ---
    def ref(self, cls: str) -> str:
        if cls not in self.classes:
            self.classes.append(cls)
        st = self.style
        if st == 'nn':
            return f'nn.{cls}'
        if st == 'torch.nn':
            return f'torch.nn.{cls}'
        if st == 'tnn':
            return f'tnn.{cls}'
        if st == 'from':
            return cls
        # from-as: the first non-container class gets an alias, the rest go through nn.
        if cls == 'Sequential':
            return 'nn.Sequential'
        if self.alias is None:
            base = re.sub(r'\d+d$', '', cls)
            names = ALIASES.get(base) or [''.join(c for c in cls if c.isupper() or c.isdigit())]
            alias = self.rng.choice(names)
            if alias == cls:
                alias = alias + 'L'
            self.alias = (cls, alias)
        if self.alias[0] == cls:
            return self.alias[1]
        return f'nn.{cls}'

    def odict(self) -> str:
        if self.od_style is None:
            self.od_style = 'from' if self.rng.random() < 0.75 else 'module'
        return 'OrderedDict' if self.od_style == 'from' else 'collections.OrderedDict'

    def header(self) -> list[str]:
        rng = self.rng
        lines: list[str] = []
        st = self.style
        if st == 'nn':
            lines += wchoice(rng, [([], 50), (['import torch.nn as nn'], 20), (['from torch import nn'], 12),
                                   (['import torch', 'import torch.nn as nn'], 18)])
        elif st == 'torch.nn':
            lines += ['import torch'] if rng.random() < 0.5 else []
        elif st == 'tnn':
            lines += ['import torch.nn as tnn']
        elif st == 'from':
            names = self.classes
            if len(names) > 4 and rng.random() < 0.5:
                lines += ['from torch.nn import ('] + [f'    {n},' for n in names] + [')']
            else:
                lines += [f"from torch.nn import {', '.join(names)}"]
        else:
            cls, alias = self.alias
            lines += [f'from torch.nn import {cls} as {alias}']
            if any(c != cls for c in self.classes) and rng.random() < 0.6:
                lines.insert(0, 'import torch.nn as nn')
        if self.od_style:
            od = 'from collections import OrderedDict' if self.od_style == 'from' else 'import collections'
            if rng.random() < 0.5:
                lines.insert(0, od)
            else:
                lines.append(od)
        return lines

    # --- values ---
    def lit(self, v, seqable: bool = False) -> str:
        if isinstance(v, Code):
            return v.text
        if v is None or isinstance(v, bool):
            return repr(v)
        if isinstance(v, int):
            return str(v)
        if isinstance(v, float):
            return repr(v)
        if isinstance(v, str):
            return self.q + v + self.q
        if isinstance(v, tuple):
            if seqable and self.list_p and self.rng.random() < self.list_p:
                return '[' + ', '.join(self.lit(x) for x in v) + ']'
            inner = ', '.join(self.lit(x) for x in v)
            return f'({inner},)' if len(v) == 1 else f'({inner})'
        if isinstance(v, list):
            return '[' + ', '.join(self.lit(x) for x in v) + ']'
        raise TypeError(v)

    # --- calls ---
    def split(self, call: Call):
        rng = self.rng
        sig, nreq = SIG[call.cls]
        present = [p for p in sig if p in call.params]
        maxpos = 0
        for p in sig:
            if p in call.params:
                maxpos += 1
            else:
                break
        lo = min(nreq, maxpos)
        style = call.style or wchoice(rng, [('pos', 46), ('kw', 24), ('mixed', 18), ('allkw', 12)])
        if style == 'pos':
            npos = maxpos
        elif style == 'kw':
            npos = lo
        elif style == 'allkw':
            npos = 0
        else:
            npos = rng.randint(lo, maxpos)
        if call.dup:
            npos = max(npos, sig.index(call.dup) + 1)
        pos = [(p, call.params[p]) for p in sig[:npos]]
        kw = [(p, call.params[p]) for p in present if p not in sig[:npos]]
        if len(kw) > 1 and rng.random() < 0.12:
            rng.shuffle(kw)
        if call.dup:
            kw.append((call.dup, call.params[call.dup]))
        kw += call.extra_kw
        return pos, kw

    def call(self, call: Call, indent: str) -> str:
        rng = self.rng
        pos, kw = self.split(call)
        head = self.ref(call.cls)
        parts = [(p, self.lit(v, p in SEQ_PARAMS)) for p, v in pos]
        parts += [(None, self.lit(v)) for v in call.extra_pos]
        parts += [(p, f'{p}={self.lit(v, p in SEQ_PARAMS)}') for p, v in kw]
        if len(parts) < 3 or rng.random() >= self.multi_p:
            return f"{head}({', '.join(t for _, t in parts)})"
        inner = indent + '    '
        trailing = rng.random() < 0.85
        lines = [f'{head}(']
        for i, (p, text) in enumerate(parts):
            comma = ',' if i < len(parts) - 1 or trailing else ''
            comment = ''
            if p in COMMENTS and rng.random() < 0.3:
                comment = '  # ' + rng.choice(COMMENTS[p])
            lines.append(f'{inner}{text}{comma}{comment}')
        lines.append(f'{indent})')
        return '\n'.join(lines)

    def node(self, node, indent: str) -> str:
        if isinstance(node, Call):
            return self.call(node, indent)
        return self.seq(node, indent)

    def seq(self, seq: Seq, indent: str) -> str:
        rng = self.rng
        head = self.ref('Sequential')
        inner = indent + '    '
        if seq.keys:
            od = self.odict()
            lines = [f'{head}({od}([']
            for i, (key, item) in enumerate(zip(seq.keys, seq.items)):
                lines.append(f'{inner}({self.q}{key}{self.q}, {self.node(item, inner)}),')
            lines.append(f'{indent}]))')
            return '\n'.join(lines)
        texts = [self.node(it, inner) for it in seq.items]
        short = sum(len(t) for t in texts) < 70 and all('\n' not in t for t in texts) and not seq.comments
        if short and rng.random() < 0.5:
            return f"{head}({', '.join(texts)})"
        trailing = rng.random() < 0.85
        lines = [f'{head}(']
        for i, t in enumerate(texts):
            if i in seq.comments:
                lines.append(f'{inner}# {seq.comments[i]}')
            comma = ',' if i < len(texts) - 1 or trailing else ''
            lines.append(f'{inner}{t}{comma}')
        lines.append(f'{indent})')
        return '\n'.join(lines)

    def source(self, node) -> str:
        rng = self.rng
        if isinstance(node, Seq) and not node.keys and rng.random() < 0.08 and all(isinstance(i, Call) for i in node.items):
            # bind each layer to a name first, then chain the names
            counts: Counter = Counter()
            names = []
            for item in node.items:
                base = short_name(item.cls)
                counts[base] += 1
                name = f'{base}{counts[base]}'
                self.pre.append(f'{name} = {self.call(item, "")}')
                names.append(name)
            body = f"{self.ref('Sequential')}({', '.join(names)})"
        else:
            body = self.node(node, '')
        target = None
        if rng.random() < 0.25:
            target = rng.choice(['layer', 'model', 'net', 'block', 'm', 'module', 'head', 'decoder', 'up', 'features'])
        last = f'{target} = {body}' if target else body
        header = self.header()
        return '\n'.join(header + self.const_lines + self.pre + [last])


def short_name(cls: str) -> str:
    for prefix, name in [('ConvTranspose', 'deconv'), ('LazyConvTranspose', 'deconv'), ('LazyConv', 'conv'),
                         ('Conv', 'conv'), ('BatchNorm', 'bn'), ('InstanceNorm', 'norm'), ('GroupNorm', 'gn'),
                         ('MaxPool', 'pool'), ('AvgPool', 'pool'), ('Upsample', 'up'), ('Linear', 'fc'),
                         ('LazyLinear', 'fc'), ('Flatten', 'flat'), ('Unflatten', 'unflat'), ('Pixel', 'shuffle'),
                         ('Adaptive', 'gap'), ('Reflection', 'pad'), ('Replication', 'pad'), ('Dropout', 'drop')]:
        if cls.startswith(prefix):
            return name
    return 'act'


# ---------------------------------------------------------------------------------------------
# Helpers for sizes
# ---------------------------------------------------------------------------------------------

SP = {1: 40, 2: 40, 3: 12}  # largest spatial size per axis


def per_dim(rng, nd, f, iso=0.75):
    if nd == 1 or rng.random() < iso:
        v = f()
        return [v] * nd
    return [f() for _ in range(nd)]


def dim_arg(rng, vals, tuple_p=0.08):
    """One int when all axes agree (sometimes still a tuple), a tuple otherwise."""
    if all(v == vals[0] for v in vals):
        return tuple(vals) if rng.random() < tuple_p else vals[0]
    return tuple(vals)


def kernel_pick(rng, nd):
    if nd == 3:
        return wchoice(rng, [(1, 8), (2, 25), (3, 42), (4, 25)])
    return wchoice(rng, [(1, 6), (2, 12), (3, 30), (4, 18), (5, 12), (6, 4), (7, 8)])


def chan_pick(rng, nd, cap=None):
    cap = cap or (8 if nd == 3 else 16)
    return rng.choice([c for c in (1, 2, 3, 4, 6, 8, 12, 16) if c <= cap])


def batch_pick(rng):
    return rng.choice((1, 2))


def with_batch(rng, c, spatial, unbatched_p=0.15):
    if rng.random() < unbatched_p:
        return [c] + list(spatial)
    return [batch_pick(rng), c] + list(spatial)


def pick_size(rng, lo, hi, edge=0.2):
    lo = max(1, lo)
    if lo >= hi:
        return lo
    u = rng.random()
    if u < edge * 0.6:
        return lo
    if u < edge:
        return lo + 1
    return rng.randint(lo, hi)


def spatial_sizes(rng, nd, lows, hi=None, iso=0.7, edge=0.2):
    hi = hi or SP[nd]
    if nd > 1 and rng.random() < iso:
        v = pick_size(rng, max(lows), hi, edge)
        return [v] * nd
    return [pick_size(rng, lo, hi, edge) for lo in lows]


def wrong_rank(rng, nd, c, spatial, small=True):
    """An input with a rank the layer does not accept (nd spatial axes expected)."""
    if rng.random() < 0.5 and nd >= 1:
        # one axis too few: e.g. (C, L) for Conv2d, or (L,) for Conv1d
        return [c] + list(spatial[:-1]) if nd > 1 else [spatial[0]]
    extra = [1, 2, 3][rng.randrange(3)] if small else 2
    return [1, extra, c] + list(spatial) if rng.random() < 0.5 else [1, c] + list(spatial) + [extra]


# ---------------------------------------------------------------------------------------------
# Single-layer generators. Each returns (node, input shape).
# ---------------------------------------------------------------------------------------------


def lift_conv_constants(r: Renderer, params: dict, lazy: bool):
    """Replace some literal ints by constants bound earlier (ngf * 2, k // 2, int(...))."""
    rng = r.rng
    cin = params.get('in_channels')
    cout = params.get('out_channels')
    if isinstance(cout, int) and rng.random() < 0.5:
        u = rng.random()
        if lazy or not isinstance(cin, int):
            params['out_channels'] = r.const(rng.choice(['out_ch', 'c_out', 'channels', 'width']), cout)
        elif u < 0.3:
            params['in_channels'] = r.const(rng.choice(['in_ch', 'c_in', 'in_channels', 'cin']), cin)
            params['out_channels'] = r.const(rng.choice(['out_ch', 'c_out', 'out_channels', 'cout']), cout)
        elif u < 0.6 and cin > 0 and cout > 0:
            g = math.gcd(cin, cout)
            base = rng.choice([d for d in range(1, g + 1) if g % d == 0])
            name = rng.choice(['nf', 'ngf', 'base', 'ndf', 'w'])
            r.const(name, base)

            def mul(v):
                m = v // base
                return r.expr(name, v) if m == 1 else r.expr(f'{name} * {m}' if rng.random() < 0.8 else f'{m} * {name}', v)

            params['in_channels'] = mul(cin)
            params['out_channels'] = mul(cout)
        else:
            if params.get('groups', 1) == 1 and cin >= 2 and rng.random() < 0.7:
                cout = cin // 2 if cin % 2 == 0 and (rng.random() < 0.6 or cin * 2 > 16) else cin * 2
            name = rng.choice(['ch', 'c', 'dim', 'channels'])
            r.const(name, cin)
            params['in_channels'] = Code(name, cin)
            if cout * 2 == cin:
                params['out_channels'] = r.expr(rng.choice([f'{name} // 2', f'int({name} * 0.5)', f'int({name} / 2)']), cout)
            elif cout == cin * 2:
                params['out_channels'] = r.expr(rng.choice([f'{name} * 2', f'2 * {name}']), cout)
            elif cout == cin:
                params['out_channels'] = Code(name, cin)
            elif cin % 4 == 0 and cout * 4 == cin:
                params['out_channels'] = r.expr(f'{name} // 4', cout)
    k = params.get('kernel_size')
    if isinstance(k, int) and k > 0 and rng.random() < 0.3:
        s = params.get('stride')
        p = params.get('padding')
        if isinstance(s, int) and rng.random() < 0.5:
            kc, sc = r.const_multi(['k', 's'], [k, s])
            params['kernel_size'], params['stride'] = kc, sc
            kname = 'k'
        else:
            kname = rng.choice(['k', 'kernel_size', 'ks'])
            params['kernel_size'] = r.const(kname, k)
        d = params.get('dilation', 1)
        if isinstance(p, int) and d == 1 and 'output_padding' not in params:
            if p == k // 2:
                params['padding'] = r.expr(f'{kname} // 2', p)
            elif p == (k - 1) // 2:
                params['padding'] = r.expr(f'({kname} - 1) // 2', p)


def gen_conv(r: Renderer, nd: int, transposed: bool, lazy: bool, err: bool):
    rng = r.rng
    cls = ('Lazy' if lazy else '') + ('ConvTranspose' if transposed else 'Conv') + f'{nd}d'
    hi = SP[nd]
    cap = 8 if nd == 3 else 16
    cin, cout = chan_pick(rng, nd), chan_pick(rng, nd)
    groups = 1
    if rng.random() < 0.15:
        groups = rng.choice([2, 2, 3, 4])
        cin = groups * rng.randint(1, cap // groups)
        cout = groups * rng.randint(1, cap // groups)
    k = per_dim(rng, nd, lambda: kernel_pick(rng, nd))
    s = per_dim(rng, nd, lambda: wchoice(rng, [(1, 45), (2, 38), (3, 10), (4, 7)]), iso=0.85)
    d = per_dim(rng, nd, lambda: wchoice(rng, [(1, 82), (2, 12), (3, 6)]), iso=0.9)
    pad_str = None
    if not transposed and rng.random() < 0.14:
        pad_str = 'valid' if rng.random() < 0.35 else 'same'
        if pad_str == 'same':
            s = [1] * nd
    if rng.random() < 0.5:
        p = [di * (ki - 1) // 2 for ki, di in zip(k, d)]
        p = [min(x, 4) for x in p]
    else:
        p = per_dim(rng, nd, lambda: wchoice(rng, [(0, 30), (1, 30), (2, 18), (3, 12), (4, 10)]))
    op = [0] * nd
    if transposed and rng.random() < 0.45:
        op = [rng.randrange(max(si, di)) for si, di in zip(s, d)]
    if transposed and rng.random() < 0.07:
        # output_padding >= stride is accepted as long as it is below the dilation
        d = [rng.choice([2, 3])] * nd
        s = [rng.randint(1, d[0] - 1)] * nd
        op = per_dim(rng, nd, lambda: rng.randint(s[0], d[0] - 1))
    padding_mode = None
    if not transposed:
        u = rng.random()
        if u < 0.1:
            padding_mode = rng.choice(['reflect', 'replicate', 'circular'])
        elif u < 0.13:
            padding_mode = 'zeros'
    bias = False if rng.random() < 0.15 else None

    kind = None
    if err:
        if transposed:
            kinds = [('output-padding', 16), ('output-too-small', 14), ('channel', 12), ('groups-in', 4),
                     ('groups-out', 4), ('groups-zero', 1), ('same-string', 4), ('padding-mode', 4),
                     ('rank', 8), ('neg-pad', 2), ('neg-op', 2), ('zero-stride', 2), ('zero-dil', 2),
                     ('zero-kernel', 2), ('tuple-len', 5), ('argument', 9), ('misordered', 6)]
        else:
            kinds = [('kernel-too-large', 15), ('channel', 14), ('groups-in', 5), ('groups-out', 5),
                     ('groups-zero', 2), ('same-strided', 6), ('padding-string', 4), ('padding-mode', 4),
                     ('rank', 8), ('neg-pad', 3), ('zero-stride', 3), ('zero-dil', 2), ('zero-kernel', 2),
                     ('tuple-len', 6), ('argument', 10), ('pad-size', 4)]
        if lazy:
            kinds = [(kd, w) for kd, w in kinds if kd not in ('channel', 'groups-in')] + [('lazy-extra', 8), ('lazy-groups', 5)]
        kind = wchoice(rng, kinds)

    in_c = cin
    extra_kw = []
    dup = None
    force_style = None
    tuple_len_param = None
    if kind == 'channel':
        choices = [cin * 2, cin + 1, cout, 3 if cin != 3 else 1, max(1, cin // 2)]
        choices = [c for c in choices if c != cin]
        in_c = rng.choice(choices)
    elif kind == 'groups-in':
        groups = rng.choice([2, 3, 4])
        cout = groups * rng.randint(1, cap // groups)
        cin = rng.choice([c for c in range(1, cap + 1) if c % groups])
        in_c = cin
    elif kind == 'groups-out':
        groups = rng.choice([2, 3, 4])
        cin = groups * rng.randint(1, cap // groups)
        cout = rng.choice([c for c in range(1, cap + 1) if c % groups])
        in_c = cin
    elif kind == 'lazy-groups':
        groups = rng.choice([2, 3, 4])
        cout = groups * rng.randint(1, cap // groups) if rng.random() < 0.6 else rng.choice([c for c in range(1, cap + 1) if c % groups])
        in_c = rng.choice([c for c in range(1, cap + 1) if c % groups]) if rng.random() < 0.6 else groups * rng.randint(1, cap // groups)
    elif kind == 'groups-zero':
        groups = rng.choice([0, 0, -1])
    elif kind == 'same-strided':
        pad_str = 'same'
        s = per_dim(rng, nd, lambda: rng.choice([2, 2, 3]), iso=0.9)
    elif kind == 'padding-string':
        pad_str = rng.choice(['SAME', 'full', 'Same', 'half', 'VALID', 'causal'])
    elif kind == 'same-string':
        pad_str = rng.choice(['same', 'same', 'valid'])
    elif kind == 'padding-mode':
        padding_mode = rng.choice(['reflect', 'replicate', 'circular']) if transposed else rng.choice(
            ['zero', 'reflection', 'constant', 'replication', 'same'])
    elif kind == 'neg-pad':
        p[rng.randrange(nd)] = -rng.choice([1, 1, 2])
        pad_str = None
    elif kind == 'neg-op':
        op[rng.randrange(nd)] = -1
    elif kind == 'zero-stride':
        s = [0] * nd if rng.random() < 0.7 else [0 if i == 0 else si for i, si in enumerate(s)]
        pad_str = None
    elif kind == 'zero-dil':
        d = [0] * nd
    elif kind == 'zero-kernel':
        k = [0] * nd
        pad_str = None
        p = [0] * nd
        groups = 1  # with groups > 1 oneDNN reports a backend error instead
        cin, cout = chan_pick(rng, nd), chan_pick(rng, nd)
        in_c = cin
    elif kind == 'output-padding':
        a = rng.randrange(nd)
        m = max(s[a], d[a])
        op[a] = m + (1 if rng.random() < 0.2 else 0)
        if rng.random() < 0.3:
            op = [max(o, op[a]) for o in op]
    elif kind == 'output-too-small':
        k = [rng.choice([1, 2, 3]) for _ in range(nd)] if rng.random() < 0.5 else [rng.choice([1, 2, 3])] * nd
        d = [1] * nd
        s = [rng.choice([1, 1, 2])] * nd
        op = [0] * nd
        p = [min(4, (di * (ki - 1) + 1) // 2 + 1 + rng.randint(0, 1)) for ki, di in zip(k, d)]
    elif kind == 'misordered':
        # intended dilation=2, but passed positionally it lands on output_padding
        s = [1] * nd
        d = [1] * nd
        op = [rng.choice([2, 3])] * nd
        p = [rng.choice([1, 2])] * nd
        force_style = 'pos'
        bias = None
    elif kind == 'lazy-extra':
        # LazyConv written as if it took in_channels: LazyConv2d(C_in, C_out, k) -> out=C_in, kernel=C_out, stride=k
        pass
    elif kind == 'tuple-len':
        tuple_len_param = rng.choice(['kernel_size', 'stride', 'padding', 'dilation'] + (['output_padding'] if transposed else []))
    elif kind == 'pad-size':
        padding_mode = rng.choice(['reflect', 'reflect', 'circular'])
        pad_str = None

    # ----- choose the spatial input -----
    lows = []
    for a in range(nd):
        if transposed:
            need = 1
            while need < 60 and (need - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1 < 1:
                need += 1
            lows.append(need)
        elif pad_str == 'same':
            lows.append(1)
        else:
            pp = 0 if pad_str == 'valid' else p[a]
            low = d[a] * (k[a] - 1) + 1 - 2 * max(pp, 0)
            if padding_mode == 'reflect':
                low = max(low, pp + 1)
            elif padding_mode == 'circular':
                low = max(low, pp)
            lows.append(max(1, low))
    if transposed:
        # keep transposed outputs moderate: (i - 1) * s grows fast
        thi = max(1, min(hi, (hi * 2) // max(1, max(s))))
        hi_t = max(max(lows), thi)
    else:
        hi_t = hi
    spatial = spatial_sizes(rng, nd, lows, hi_t)
    if kind == 'kernel-too-large':
        if pad_str == 'same':
            pad_str = None
        a = rng.randrange(nd)
        if k[a] < 2:
            k[a] = rng.choice([3, 4] if nd == 3 else [3, 5, 7])
        p[a] = min(p[a], max(0, (d[a] * (k[a] - 1)) // 2 - 1))
        eff = d[a] * (k[a] - 1) + 1 - 2 * p[a] if pad_str != 'valid' else d[a] * (k[a] - 1) + 1
        if padding_mode in ('reflect', 'circular'):
            padding_mode = None
        spatial[a] = rng.randint(1, max(1, eff - 1))
        if nd > 1 and rng.random() < 0.5:
            spatial = [min(x, spatial[a]) if x > spatial[a] else x for x in spatial]
            for b in range(nd):
                spatial[b] = min(spatial[b], spatial[a] + rng.randint(0, 2))
    elif kind == 'output-too-small':
        spatial = [rng.choice([1, 1, 2]) for _ in range(nd)]
    elif kind == 'pad-size':
        p = [max(1, pi) for pi in p]
        a = rng.randrange(nd)
        p[a] = rng.randint(2, 4)
        spatial[a] = rng.randint(max(1, p[a] - 2), p[a] - (1 if padding_mode == 'circular' else 0)) if padding_mode == 'circular' else rng.randint(max(1, p[a] - 2), p[a])
        spatial[a] = max(spatial[a], 1)
        if padding_mode == 'circular':
            spatial[a] = max(1, p[a] - rng.randint(1, 2))
    elif kind == 'lazy-extra':
        in_c = chan_pick(rng, nd)

    # ----- the parameters -----
    params: dict = {}
    if kind == 'lazy-extra':
        # three positional numbers: out_channels, kernel_size, stride
        params['out_channels'] = in_c if in_c else cin
        params['kernel_size'] = max(1, cout)
        params['stride'] = k[0]
        force_style = 'pos'
        in_c = chan_pick(rng, nd)
    else:
        if not lazy:
            params['in_channels'] = cin
        params['out_channels'] = cout
        params['kernel_size'] = dim_arg(rng, k)
        if any(x != 1 for x in s) or rng.random() < 0.25:
            params['stride'] = dim_arg(rng, s)
        if pad_str is not None:
            params['padding'] = pad_str
        elif any(x != 0 for x in p) or rng.random() < 0.2:
            params['padding'] = dim_arg(rng, p)
        if transposed and (any(x != 0 for x in op) or rng.random() < 0.05):
            params['output_padding'] = dim_arg(rng, op)
        if groups != 1 or rng.random() < 0.04:
            params['groups'] = groups
        if bias is not None:
            params['bias'] = bias
        if any(x != 1 for x in d) or rng.random() < 0.05:
            params['dilation'] = dim_arg(rng, d)
        if padding_mode is not None:
            params['padding_mode'] = padding_mode
        if kind == 'misordered':
            for name in ('stride', 'padding', 'output_padding'):
                params.setdefault(name, {'stride': 1, 'padding': p[0], 'output_padding': op[0]}[name])
        if tuple_len_param:
            base = {'kernel_size': k, 'stride': s, 'padding': p, 'dilation': d, 'output_padding': op}[tuple_len_param]
            if nd >= 2 and rng.random() < 0.4:
                bad = tuple(base[:nd - 1])
            else:
                bad = tuple(base) + (base[-1],)
            params[tuple_len_param] = bad
            if tuple_len_param == 'padding':
                params.pop('padding_mode', None)
        if kind == 'argument':
            sub = rng.choice(['missing', 'dup', 'unexpected', 'float', 'float'] + (['same-t'] if transposed else []))
            req = 'kernel_size'
            if sub == 'missing':
                params.pop('kernel_size')
                if rng.random() < 0.3 and not lazy:
                    params.pop('out_channels')
            elif sub == 'dup':
                dup = rng.choice(['kernel_size', 'out_channels'] if not lazy else ['kernel_size'])
            elif sub == 'unexpected':
                wrong = rng.choice(
                    [('kernel', params['kernel_size']), ('strides', 2), ('pad', 1), ('in_channel', cin), ('out_channel', cout)]
                    + ([('output_padding', 1)] if not transposed else [('padding_mode', 'reflect'), ('dilations', 2)]))
                extra_kw.append(wrong)
                if wrong[0] == 'kernel':
                    params.pop(req)
            elif sub == 'float':
                target = rng.choice(['out_channels', 'out_channels', 'kernel_size', 'in_channels'] if not lazy else ['out_channels'])
                v = params[target] if isinstance(params[target], int) else 3
                if target == 'kernel_size':
                    params[target] = float(v)
                elif target == 'out_channels' and not lazy and rng.random() < 0.7:
                    name = rng.choice(['ch', 'c', 'width'])
                    r.const(name, v * 2)
                    params[target] = r.expr(f'{name} / 2', float(v))
                else:
                    params[target] = float(v)
            else:  # same-t: padding='same' on a transposed conv
                params['padding'] = 'same'
        elif rng.random() < 0.3:
            lift_conv_constants(r, params, lazy)

    call = Call(cls, params, extra_kw=extra_kw, dup=dup, style=force_style)
    if kind == 'rank':
        inp = wrong_rank(rng, nd, in_c, spatial)
    else:
        inp = with_batch(rng, in_c, spatial)
    return call, inp


def pool_window(rng, nd: int):
    """Kernel, stride (None half the time) and padding within PyTorch's k // 2 limit, for MaxPool and AvgPool."""
    kmax = 4 if nd == 3 else 7
    k = per_dim(rng, nd, lambda: wchoice(rng, [(1, 3), (2, 40), (3, 35), (4, 8), (5, 6), (6, 2), (7, 6)][:kmax]), iso=0.85)
    stride = None if rng.random() < 0.45 else per_dim(rng, nd, lambda: wchoice(rng, [(1, 35), (2, 45), (3, 12), (4, 8)]), iso=0.85)
    pmode = rng.random()
    if pmode < 0.5:
        p = [0] * nd
    elif pmode < 0.8:
        p = [ki // 2 for ki in k]
    else:
        p = [rng.randint(0, ki // 2) for ki in k]
    return k, stride, p


def break_pool_window(rng, kind, nd: int, k, stride, p):
    """The mistakes MaxPool and AvgPool share: padding over k // 2, a zero stride or kernel, a negative pad."""
    if kind == 'pool-padding':
        a = rng.randrange(nd)
        p[a] = k[a] // 2 + rng.choice([1, 1, 2])
    elif kind == 'zero-stride':
        stride = [0] * nd
    elif kind == 'zero-kernel':
        k = [0] * nd
        p = [0] * nd
    elif kind == 'neg-pad':
        p = [-1] * nd
    return k, stride, p


def wrong_tuple_length(rng, params, nd, k, stride, p):
    """A pooling window argument one element too short or too long: the mistake MaxPool and AvgPool share."""
    which = rng.choice(['kernel_size', 'stride', 'padding'])
    base = {'kernel_size': k, 'stride': stride or k, 'padding': p}[which]
    params[which] = tuple(base[:nd - 1]) if nd >= 2 and rng.random() < 0.4 else tuple(base) + (base[-1],)


def gen_maxpool(r: Renderer, nd: int, err: bool):
    rng = r.rng
    cls = f'MaxPool{nd}d'
    k, stride, p = pool_window(rng, nd)
    d = [1] * nd if rng.random() < 0.85 else per_dim(rng, nd, lambda: rng.choice([1, 2, 3]), iso=0.9)
    ceil = rng.random() < 0.3
    c = chan_pick(rng, nd)
    kind = None
    if err:
        kind = wchoice(rng, [('pool-padding', 22), ('small', 22), ('rank', 14), ('zero-stride', 6), ('zero-kernel', 5),
                             ('zero-dil', 4), ('neg-pad', 5), ('tuple-len', 8), ('argument', 8)])
    k, stride, p = break_pool_window(rng, kind, nd, k, stride, p)
    if kind == 'zero-dil':
        d = [0] * nd
    s_eff = stride or k
    lows = [max(1, di * (ki - 1) + 1 - 2 * pi) for ki, di, pi in zip(k, d, p)]
    spatial = spatial_sizes(rng, nd, lows)
    if ceil and rng.random() < 0.5:
        # make the floor/ceil difference matter
        for a in range(nd):
            if s_eff[a] > 1 and (spatial[a] + 2 * p[a] - d[a] * (k[a] - 1) - 1) % s_eff[a] == 0 and spatial[a] < SP[nd]:
                spatial[a] += 1
    if kind == 'small':
        a = rng.randrange(nd)
        if k[a] < 2:
            k[a] = 3
        p[a] = 0 if rng.random() < 0.7 else p[a]
        eff = d[a] * (k[a] - 1) + 1 - 2 * p[a]
        spatial[a] = rng.randint(1, max(1, eff - 1))
    params: dict = {'kernel_size': dim_arg(rng, k)}
    if stride is not None:
        params['stride'] = dim_arg(rng, stride)
    elif rng.random() < 0.08:
        params['stride'] = None
    if any(p) or rng.random() < 0.15:
        params['padding'] = dim_arg(rng, p)
    if any(x != 1 for x in d) or rng.random() < 0.05:
        params['dilation'] = dim_arg(rng, d)
    if rng.random() < 0.04:
        params['return_indices'] = False
    if ceil or rng.random() < 0.1:
        params['ceil_mode'] = ceil
    extra_kw = []
    if kind == 'tuple-len':
        wrong_tuple_length(rng, params, nd, k, stride, p)
    elif kind == 'argument':
        sub = rng.choice(['unexpected', 'missing', 'dup'])
        if sub == 'unexpected':
            extra_kw.append(rng.choice([('kernel', params.pop('kernel_size')), ('strides', 2), ('count_include_pad', False)]))
        elif sub == 'missing':
            params.pop('kernel_size')
            params.setdefault('stride', 2)
        else:
            return Call(cls, params, dup='kernel_size'), with_batch(rng, c, spatial)
    call = Call(cls, params, extra_kw=extra_kw)
    inp = wrong_rank(rng, nd, c, spatial) if kind == 'rank' else with_batch(rng, c, spatial)
    return call, inp


def gen_avgpool(r: Renderer, nd: int, err: bool):
    rng = r.rng
    cls = f'AvgPool{nd}d'
    k, stride, p = pool_window(rng, nd)
    ceil = rng.random() < 0.3
    cip = None if rng.random() < 0.75 else rng.random() < 0.3
    div = None
    if nd > 1 and rng.random() < 0.12:
        div = rng.randint(1, 9)
    c = chan_pick(rng, nd)
    kind = None
    if err:
        kind = wchoice(rng, [('pool-padding', 22), ('small', 22), ('rank', 14), ('zero-stride', 6), ('zero-kernel', 4),
                             ('neg-pad', 5), ('tuple-len', 8), ('argument', 8), ('divisor', 3 if nd > 1 else 0)])
    k, stride, p = break_pool_window(rng, kind, nd, k, stride, p)
    if kind == 'divisor':
        div = 0
    if nd == 3:
        lows = [max(1, ki) for ki in k]  # avg_pool3d checks the unpadded input against the kernel
        if rng.random() < 0.15:
            lows = [max(1, ki - 2 * pi) for ki, pi in zip(k, p)]
    else:
        lows = [max(1, ki - 2 * pi) for ki, pi in zip(k, p)]
    spatial = spatial_sizes(rng, nd, lows)
    s_eff = stride or k
    if ceil and rng.random() < 0.5:
        for a in range(nd):
            if s_eff[a] > 1 and (spatial[a] + 2 * p[a] - k[a]) % s_eff[a] == 0 and spatial[a] < SP[nd]:
                spatial[a] += 1
    if kind == 'small':
        a = rng.randrange(nd)
        if k[a] < 2:
            k[a] = 3
        p[a] = 0 if rng.random() < 0.7 else p[a]
        spatial[a] = rng.randint(1, max(1, k[a] - 2 * p[a] - 1))
    params: dict = {'kernel_size': dim_arg(rng, k)}
    if stride is not None:
        params['stride'] = dim_arg(rng, stride)
    if any(p) or rng.random() < 0.15:
        params['padding'] = dim_arg(rng, p)
    if ceil or rng.random() < 0.1:
        params['ceil_mode'] = ceil
    if cip is not None:
        params['count_include_pad'] = cip
    if div is not None:
        params['divisor_override'] = div
    extra_kw = []
    if kind == 'tuple-len':
        wrong_tuple_length(rng, params, nd, k, stride, p)
    elif kind == 'argument':
        if nd == 1 and rng.random() < 0.5:
            extra_kw.append(('divisor_override', 2))
        else:
            extra_kw.append(rng.choice([('dilation', 2), ('kernel', params.pop('kernel_size')), ('return_indices', False)]))
    call = Call(cls, params, extra_kw=extra_kw)
    inp = wrong_rank(rng, nd, c, spatial) if kind == 'rank' else with_batch(rng, c, spatial)
    return call, inp


def gen_adaptive(r: Renderer, nd: int, maxp: bool, err: bool):
    rng = r.rng
    cls = f"Adaptive{'Max' if maxp else 'Avg'}Pool{nd}d"
    c = chan_pick(rng, nd)
    spatial = spatial_sizes(rng, nd, [1] * nd)
    out = per_dim(rng, nd, lambda: wchoice(rng, [(1, 35), (2, 15), (3, 10), (4, 12), (5, 5), (6, 5), (7, 8), (8, 5), (12, 3), (16, 2)]))
    if nd > 1 and rng.random() < 0.15:
        a = rng.randrange(nd)
        out = list(out)
        out[a] = None
    kind = None
    if err:
        kind = wchoice(rng, [('rank', 40), ('tuple-len', 35), ('negative', 15), ('argument', 10)])
    if kind == 'negative':
        out = [-1] * nd if rng.random() < 0.6 else [x if i else -2 for i, x in enumerate(out)]
    if rng.random() < 0.03:
        out = [0] * nd  # accepted: an empty output
    if None in out or (nd > 1 and rng.random() < 0.3) or (nd == 1 and rng.random() < 0.08):
        arg = tuple(out)
    else:
        arg = out[0] if all(x == out[0] for x in out) else tuple(out)
    if kind == 'tuple-len':
        arg = tuple(out[:nd - 1]) if nd >= 2 and rng.random() < 0.5 else tuple(out) + (out[-1],)
    params = {'output_size': arg}
    extra_kw = []
    if maxp and rng.random() < 0.05:
        params['return_indices'] = False
    if kind == 'argument':
        if maxp:
            params = {}
            extra_kw.append(('kernel_size', arg))
        else:
            extra_kw.append(('return_indices', False))
    call = Call(cls, params, extra_kw=extra_kw)
    if kind == 'rank':
        inp = wrong_rank(rng, nd, c, spatial)
    else:
        inp = with_batch(rng, c, spatial)
    return call, inp


def gen_maxunpool(r: Renderer, nd: int, err: bool):
    rng = r.rng
    cls = f'MaxUnpool{nd}d'
    kmax = 3 if nd == 3 else 4
    k = per_dim(rng, nd, lambda: wchoice(rng, [(1, 5), (2, 55), (3, 30), (4, 10)][:kmax]), iso=0.85)
    stride = None if rng.random() < 0.5 else per_dim(rng, nd, lambda: rng.choice([1, 2, 2, 3]), iso=0.85)
    s_eff = stride or k
    p = [0] * nd if rng.random() < 0.65 else [rng.randint(0, max(0, ki // 2)) for ki in k]
    hi = 8 if nd == 3 else 20
    c = chan_pick(rng, nd, 8)
    kind = None
    if err:
        kind = wchoice(rng, [('rank', 45), ('tuple-len', 20), ('big-pad', 25), ('argument', 10)])
    lows = []
    for a in range(nd):
        need = 1
        while (need - 1) * s_eff[a] - 2 * p[a] + k[a] < 1:
            need += 1
        lows.append(need)
    spatial = spatial_sizes(rng, nd, lows, hi)
    if kind == 'big-pad':
        a = rng.randrange(nd)
        p[a] = rng.randint(1, 3)
        spatial[a] = rng.randint(1, 2)
    params: dict = {'kernel_size': dim_arg(rng, k)}
    if stride is not None:
        params['stride'] = dim_arg(rng, stride)
    if any(p) or rng.random() < 0.1:
        params['padding'] = dim_arg(rng, p)
    extra_kw = []
    if kind == 'tuple-len':
        params['kernel_size'] = tuple(k[:nd - 1]) if nd == 3 else tuple(k) + (k[-1],)
        if nd == 1:
            params['kernel_size'] = (k[0], k[0])
    elif kind == 'argument':
        extra_kw.append(rng.choice([('output_size', tuple(spatial)), ('dilation', 1), ('ceil_mode', False)]))
    call = Call(cls, params, extra_kw=extra_kw)
    inp = wrong_rank(rng, nd, c, spatial) if kind == 'rank' else with_batch(rng, c, spatial)
    return call, inp


AWKWARD_SCALES = [0.29, 0.3, 0.57, 0.7, 1.1, 1.15, 1.3, 1.5, 1.7, 2.3, 2.5, 0.35, 0.6, 1.2, 0.45, 0.9, 1.25, 0.75,
                  0.5, 0.25, 0.33, 1.33, 2.2, 3.3]
# (scale, size) where float64 floor(size * scale) is one below the decimal product
FLOAT_TRAPS = [(1.16, 25), (2.28, 25), (2.32, 25)]


def gen_upsample(r: Renderer, err: bool):
    rng = r.rng
    mode = wchoice(rng, [('nearest', 40), ('bilinear', 25), ('linear', 10), ('bicubic', 10), ('trilinear', 10), (None, 5)])
    rank_of = {'linear': 3, 'bilinear': 4, 'bicubic': 4, 'trilinear': 5}
    rank = rank_of.get(mode) or wchoice(rng, [(3, 25), (4, 55), (5, 20)])
    nd = rank - 2
    c = chan_pick(rng, nd, 8)
    hi = 12 if nd == 3 else (40 if nd == 1 else 24)
    spatial = spatial_sizes(rng, nd, [1] * nd, hi)
    use_size = rng.random() < 0.35
    size = scale = None
    if use_size:
        sz = per_dim(rng, nd, lambda: rng.randint(1, 16 if nd == 3 else 48), iso=0.7)
        size = sz[0] if (all(x == sz[0] for x in sz) and rng.random() < 0.6) else tuple(sz)
    else:
        u = rng.random()
        if u < 0.45:
            scale = rng.choice([2, 2, 2, 3, 4])
        elif u < 0.75:
            scale = rng.choice(AWKWARD_SCALES)
        elif u < 0.85:
            scale, n = rng.choice(FLOAT_TRAPS)
            if nd == 3:
                scale = rng.choice(AWKWARD_SCALES)
            else:
                spatial = [n] * nd if rng.random() < 0.5 else [n] + spatial[1:]
        else:
            scale = tuple(rng.choice([1, 2, 2, 3, 1.5, 0.5, 2.5, 1.1]) for _ in range(nd))
            if all(isinstance(x, int) for x in scale) and rng.random() < 0.5:
                scale = tuple(float(x) for x in scale)
        if isinstance(scale, float) and max(spatial) * scale < 1 and rng.random() < 0.7:
            spatial = [max(x, 4) for x in spatial]
    align = None
    if mode in ('linear', 'bilinear', 'bicubic', 'trilinear') and rng.random() < 0.4:
        align = rng.random() < 0.5
    recompute = None
    if scale is not None and rng.random() < 0.08:
        recompute = True
    kind = None
    if err:
        kind = wchoice(rng, [('rank', 30), ('both', 12), ('neither', 8), ('zero-scale', 5), ('align-nearest', 8),
                             ('tiny', 12), ('tuple-len', 12), ('list-scale', 5), ('unbatched', 8)])
    inp = [batch_pick(rng), c] + spatial
    if kind == 'rank':
        if mode in rank_of:
            others = [x for x in (3, 4, 5) if x != rank]
            new_rank = rng.choice(others)
        else:
            new_rank = rng.choice([2, 6])
        sp = spatial_sizes(rng, max(0, new_rank - 2), [1] * max(0, new_rank - 2), 12) if new_rank > 2 else []
        inp = [batch_pick(rng), c] + sp if new_rank >= 2 else [c]
        if new_rank == 2:
            inp = [c, spatial[0]]
        if size is not None and isinstance(size, tuple):
            size = size[0]
        if isinstance(scale, tuple):
            scale = scale[0]
    elif kind == 'unbatched':
        # (C, H, W) handed to Upsample: interpolate reads it as (N, C, L)
        inp = [c] + spatial
    elif kind == 'both':
        if size is None:
            size = rng.randint(2, 32)
        if scale is None:
            scale = rng.choice([2, 2.0, 0.5])
    elif kind == 'neither':
        size = scale = None
    elif kind == 'zero-scale':
        size = None
        scale = rng.choice([0, 0.0])
    elif kind == 'align-nearest':
        mode = rng.choice(['nearest', 'nearest', None])
        align = rng.choice([True, False])
    elif kind == 'tiny':
        if rng.random() < 0.5:
            size, scale = None, rng.choice([0.29, 0.3, 0.2, 0.1, 0.25, 0.45])
            inp = [batch_pick(rng), c] + [rng.randint(1, max(1, int(1 / scale) - (0 if 1 / scale > int(1 / scale) else 1))) for _ in range(nd)]
        else:
            scale = None
            size = 0 if rng.random() < 0.6 else tuple(0 if i == 0 else rng.randint(1, 8) for i in range(nd))
    elif kind == 'tuple-len':
        if size is not None or rng.random() < 0.5:
            scale = None
            size = tuple(rng.randint(2, 16) for _ in range(nd + 1 if nd < 3 or rng.random() < 0.3 else nd - 1))
            if len(size) == 1:
                size = (size[0], size[0] + 1)
        else:
            scale = tuple([2.0] * (nd + 1 if nd < 3 else nd - 1))
    elif kind == 'list-scale':
        size = None
        scale = [2] * nd
    if kind in ('rank', 'unbatched') and mode is None and rng.random() < 0.5:
        mode = 'nearest'
    params: dict = {}
    pos_style = rng.random() < 0.1
    if size is not None or pos_style:
        params['size'] = size
    if scale is not None:
        params['scale_factor'] = scale
    if mode is not None:
        params['mode'] = mode
    if align is not None:
        params['align_corners'] = align
    if recompute is not None:
        params['recompute_scale_factor'] = recompute
    style = 'pos' if pos_style and 'scale_factor' in params else ('kw' if not pos_style else None)
    if style is None and size is None:
        params.pop('size', None)
    if style == 'kw' and rng.random() < 0.2 and isinstance(size, int) and scale is None:
        style = 'pos'  # nn.Upsample(2): a size, not a scale factor
    return Call('Upsample', params, style=style), inp


def gen_upsampling2d(r: Renderer, err: bool):
    rng = r.rng
    cls = rng.choice(['UpsamplingNearest2d', 'UpsamplingBilinear2d'])
    c = chan_pick(rng, 2, 8)
    spatial = spatial_sizes(rng, 2, [1, 1], 24)
    params: dict = {}
    style = None
    if rng.random() < 0.35:
        params['size'] = rng.randint(1, 48) if rng.random() < 0.5 else (rng.randint(1, 48), rng.randint(1, 48))
        style = rng.choice(['pos', 'kw'])
    else:
        params['scale_factor'] = rng.choice([2, 2, 2, 3, 4, 1.5, 0.5, 2.5])
        style = 'kw'
    inp = [batch_pick(rng), c] + spatial
    if err:
        kind = wchoice(rng, [('rank', 55), ('both', 20), ('neither', 15), ('tuple-len', 10)])
        if kind == 'rank':
            inp = rng.choice([[c] + spatial, [1, 1, c] + spatial, [c, spatial[0]], [batch_pick(rng), c, spatial[0]]])
        elif kind == 'both':
            params = {'size': rng.randint(2, 32), 'scale_factor': 2}
        elif kind == 'neither':
            params = {}
        else:
            params = {'size': (rng.randint(2, 16),) * 3}
    return Call(cls, params, style=style), inp


def gen_pixel(r: Renderer, err: bool):
    rng = r.rng
    unshuffle = rng.random() < 0.4
    f = wchoice(rng, [(1, 5), (2, 60), (3, 20), (4, 15)])
    rank = wchoice(rng, [(4, 72), (3, 18), (5, 10)])
    if unshuffle:
        c = rng.randint(1, 4)
        h = f * rng.randint(1, max(1, 24 // f))
        w = f * rng.randint(1, max(1, 24 // f)) if rng.random() < 0.4 else h
    else:
        c = f * f * rng.randint(1, max(1, 16 // (f * f)))
        h = rng.randint(1, 16)
        w = h if rng.random() < 0.6 else rng.randint(1, 16)
    kind = None
    if err:
        kind = wchoice(rng, [('divisible', 60), ('rank', 25), ('zero', 15)])
    if kind == 'divisible':
        if unshuffle:
            if f == 1:
                f = 2
            if rng.random() < 0.5:
                h = f * rng.randint(1, 6) + rng.randint(1, f - 1)
            else:
                w = f * rng.randint(1, 6) + rng.randint(1, f - 1)
        else:
            if f == 1:
                f = 2
            c = rng.choice([x for x in range(1, 17) if x % (f * f)])
    elif kind == 'zero':
        f = 0
    lead = {4: [batch_pick(rng)], 3: [], 5: [batch_pick(rng), rng.randint(1, 3)]}[rank]
    inp = lead + [c, h, w]
    if kind == 'rank':
        inp = rng.choice([[h, w], [c * h]])
    cls = 'PixelUnshuffle' if unshuffle else 'PixelShuffle'
    pname = 'downscale_factor' if unshuffle else 'upscale_factor'
    return Call(cls, {pname: f}), inp


def gen_flatten(r: Renderer, err: bool):
    rng = r.rng
    if rng.random() < 0.55:
        rank = rng.randint(2, 5)
        shape = [batch_pick(rng)] + [rng.randint(1, 8) for _ in range(rank - 1)]
        params: dict = {}
        if rng.random() < 0.5:
            start = rng.choice([0, 1, 1, 2, -2, -3])
            end = rng.choice([-1, -1, 2, 3, -2])
            if rng.random() < 0.5:
                params['start_dim'] = start
            else:
                params['start_dim'] = start
                params['end_dim'] = end
        if err:
            if rng.random() < 0.6:
                params = {'start_dim': rank + rng.randint(0, 1)} if rng.random() < 0.5 else {'start_dim': 1, 'end_dim': rank + 1}
            else:
                params = {'start_dim': 2, 'end_dim': 1} if rank > 2 else {'start_dim': -1, 'end_dim': 0}
        elif params:
            # keep it accepted most of the time
            st = params['start_dim'] % rank if -rank <= params['start_dim'] < rank else None
            en = params.get('end_dim', -1)
            en = en % rank if -rank <= en < rank else None
            if st is None or en is None or st > en:
                params = {'start_dim': 1} if rng.random() < 0.5 else {}
        return Call('Flatten', params), shape
    # Unflatten
    rank = rng.randint(2, 4)
    factors = [rng.randint(1, 4) for _ in range(rng.randint(1, 3))]
    size = math.prod(factors)
    dim = rng.randrange(1, rank)
    shape = [batch_pick(rng)] + [rng.randint(1, 6) for _ in range(rank - 1)]
    shape[dim] = size
    dim_arg_v = dim if rng.random() < 0.7 else dim - rank
    sizes = tuple(factors)
    if len(sizes) > 1 and rng.random() < 0.25:
        i = rng.randrange(len(sizes))
        sizes = tuple(-1 if j == i else x for j, x in enumerate(sizes))
    if err:
        kind = rng.choice(['product', 'product', 'product', 'dim', 'type', 'two-infer'])
        if kind == 'product':
            sizes = tuple(x + (1 if i == 0 else 0) for i, x in enumerate(factors)) if len(factors) > 1 else (size + 1, 2)
        elif kind == 'dim':
            dim_arg_v = rank + rng.randint(0, 1)
        elif kind == 'type':
            sizes = size if rng.random() < 0.5 else tuple(float(x) for x in factors)
        else:
            sizes = (-1, -1) if len(factors) < 3 else (-1, -1, factors[2])
    return Call('Unflatten', {'dim': dim_arg_v, 'unflattened_size': sizes}), shape


def gen_linear(r: Renderer, err: bool):
    rng = r.rng
    lazy = rng.random() < 0.2
    fin = rng.choice([1, 2, 3, 4, 8, 10, 16, 32, 64, 100, 128, 256])
    fout = rng.choice([1, 2, 4, 10, 16, 32, 64])
    lead = wchoice(rng, [([batch_pick(rng)], 55), ([], 12), ([batch_pick(rng), rng.randint(1, 8)], 23),
                         ([batch_pick(rng), rng.randint(1, 4), rng.randint(1, 4)], 10)])
    x = fin
    if err and lazy and rng.random() < 0.5:
        err = False
    if err and not lazy:
        x = rng.choice([v for v in (fin * 2, fin + 1, max(1, fin // 2), fin * 4, fout) if v != fin])
    params: dict = {'out_features': fout} if lazy else {'in_features': fin, 'out_features': fout}
    if rng.random() < 0.1:
        params['bias'] = rng.random() < 0.5
    if not lazy and rng.random() < 0.15:
        params['in_features'] = r.const(rng.choice(['in_features', 'hidden', 'd_model', 'n_in']), fin)
    extra_kw = []
    if err and lazy:
        extra_kw.append(('in_features', fin))
    return Call('LazyLinear' if lazy else 'Linear', params, extra_kw=extra_kw), lead + [x]


def gen_identity(r: Renderer, err: bool):
    rng = r.rng
    rank = rng.randint(1, 5)
    shape = [rng.randint(1, 8) for _ in range(rank)]
    if rng.random() < 0.3:
        return Call('Identity', {}, extra_pos=[54], extra_kw=[('unused_argument1', 0.1), ('unused_argument2', False)]), shape
    return Call('Identity', {}), shape


def gen_norm(r: Renderer, err: bool):
    rng = r.rng
    which = wchoice(rng, [('batch', 40), ('instance', 25), ('group', 20), ('layer', 15)])
    if which in ('batch', 'instance'):
        nd = wchoice(rng, [(1, 30), (2, 50), (3, 20)])
        cls = ('BatchNorm' if which == 'batch' else 'InstanceNorm') + f'{nd}d'
        c = chan_pick(rng, nd)
        hi = 12 if nd == 3 else 16
        spatial = spatial_sizes(rng, nd, [1] * nd, hi, edge=0.1)
        params: dict = {'num_features': c}
        if which == 'instance':
            if rng.random() < 0.4:
                params['affine'] = rng.random() < 0.7
            if rng.random() < 0.1:
                params['track_running_stats'] = True
        else:
            if rng.random() < 0.12:
                params['affine'] = False
            if rng.random() < 0.1:
                params['track_running_stats'] = False
            if rng.random() < 0.15:
                params['eps'] = 1e-5
                params['momentum'] = rng.choice([0.1, 0.01, 0.9])
        if nd == 1:
            inp = [rng.choice([2, 2, 4]), c] + (spatial if rng.random() < 0.6 else [])
            if which == 'instance':
                inp = [batch_pick(rng), c] + spatial
        else:
            inp = with_batch(rng, c, spatial, 0.15 if which == 'instance' else 0.0)
            if which == 'batch':
                inp[0] = rng.choice([1, 2, 2])
        if err:
            kind = wchoice(rng, [('channel', 50), ('rank', 35), ('stats', 15)])
            if kind == 'channel':
                wrong = rng.choice([v for v in (c * 2, c + 1, max(1, c // 2), 3) if v != c])
                ch_axis = 1 if len(inp) > nd + (0 if nd == 1 else 1) or nd == 1 else 0
                if which == 'instance' and len(inp) == nd + 1:
                    ch_axis = 0
                inp[ch_axis] = wrong
            elif kind == 'rank':
                inp = rng.choice([[c] + spatial, [1, c] + spatial + [2], [c, spatial[0]], [1, c]])
                if nd == 1 and which == 'batch':
                    inp = rng.choice([[1, c, 4, 4], [c]])
            else:
                inp = [1, c] + [1] * nd
        return Call(cls, params), inp
    if which == 'group':
        g = rng.choice([1, 2, 4, 8])
        c = g * rng.randint(1, max(1, 16 // g))
        nd = rng.randint(0, 3)
        spatial = [rng.randint(1, 8) for _ in range(nd)]
        inp = [batch_pick(rng), c] + spatial
        params = {'num_groups': g, 'num_channels': c}
        if rng.random() < 0.1:
            params['affine'] = False
        if err:
            kind = rng.choice(['ctor', 'ctor', 'channel', 'input-div', 'zero'])
            if kind == 'ctor':
                g = rng.choice([3, 4, 8])
                params['num_channels'] = rng.choice([x for x in range(1, 17) if x % g])
                params['num_groups'] = g
                inp[1] = params['num_channels']
            elif kind == 'channel':
                params.pop('affine', None)
                inp[1] = c * 2
            elif kind == 'input-div':
                params = {'num_groups': 4, 'num_channels': 8}
                inp[1] = rng.choice([2, 6, 10])
            else:
                params['num_groups'] = 0
        return Call('GroupNorm', params), inp
    # LayerNorm
    rank = rng.randint(2, 4)
    shape = [batch_pick(rng)] + [rng.randint(1, 12) for _ in range(rank - 1)]
    nlast = rng.randint(1, min(2, rank - 1))
    norm = tuple(shape[-nlast:])
    arg = norm[0] if (nlast == 1 and rng.random() < 0.6) else (list(norm) if rng.random() < 0.5 else norm)
    params = {'normalized_shape': arg}
    if rng.random() < 0.12:
        params['elementwise_affine'] = False
    if err:
        if nlast == 1:
            params['normalized_shape'] = shape[-1] + rng.choice([1, 2, -1 if shape[-1] > 1 else 3])
        else:
            params['normalized_shape'] = list(reversed(norm)) if norm[0] != norm[1] else [norm[0] + 1, norm[1]]
    return Call('LayerNorm', params), shape


def gen_pad(r: Renderer, err: bool):
    rng = r.rng
    fam = wchoice(rng, [('ZeroPad', 20), ('ConstantPad', 25), ('ReflectionPad', 28), ('ReplicationPad', 27)])
    nd = 2 if fam == 'ZeroPad' else wchoice(rng, [(1, 30), (2, 50), (3, 20)])
    cls = f'{fam}{nd}d'
    c = chan_pick(rng, nd, 8)
    hi = 8 if nd == 3 else 16
    spatial = spatial_sizes(rng, nd, [1] * nd, hi)
    if rng.random() < 0.5:
        pads = [rng.randint(0, 4)] * (2 * nd)
        arg = pads[0]
        if rng.random() < 0.12:
            pads = [-1] * (2 * nd)
            arg = -1
    else:
        pads = [rng.choice([0, 0, 1, 1, 2, 3, 4, -1]) for _ in range(2 * nd)]
        arg = tuple(pads)
    # pads pair (left, right) for the last axis first
    def axis_pads(a):  # a = 0 .. nd-1 from the first spatial axis
        j = nd - 1 - a
        return pads[2 * j], pads[2 * j + 1]
    for a in range(nd):
        lo, hi_ = axis_pads(a)
        need = 1 - lo - hi_
        if fam == 'ReflectionPad':
            need = max(need, lo + 1, hi_ + 1)
        spatial[a] = max(spatial[a], need + (1 if rng.random() < 0.8 else 0))
    inp = with_batch(rng, c, spatial, 0.3)
    kind = None
    if err:
        kinds = [('rank', 35), ('tuple-len', 15), ('too-small', 35), ('argument', 15 if fam == 'ConstantPad' else 0)]
        kind = wchoice(rng, kinds)
    params: dict = {'padding': arg}
    if fam == 'ConstantPad':
        params['value'] = rng.choice([0, 0.0, 1.0, -1, 0.5, 3.5])
    if kind == 'rank':
        if fam in ('ReflectionPad', 'ReplicationPad'):
            inp = rng.choice([[1, 1, c] + spatial, list(spatial)]) if nd > 1 or rng.random() < 0.5 else [spatial[0]]
            if nd == 3 and rng.random() < 0.5:
                inp = spatial[1:]
        else:
            inp = list(spatial[:max(0, nd - 1)]) or [spatial[0]]
            if nd == 1:
                inp = [] if rng.random() < 0 else [spatial[0]]
                params['padding'] = (1, 1, 1, 1)
    elif kind == 'tuple-len':
        params['padding'] = tuple(rng.randint(0, 3) for _ in range(2 * nd - 1 if rng.random() < 0.7 else 2 * nd + 1))
    elif kind == 'too-small':
        a = rng.randrange(nd)
        if fam == 'ReflectionPad' and rng.random() < 0.7:
            pv = rng.randint(2, 4)
            params['padding'] = pv
            sp = list(spatial)
            sp[a] = rng.randint(1, pv)
            inp = with_batch(rng, c, sp, 0.3)
        else:
            pv = -rng.randint(1, 3)
            params['padding'] = pv
            sp = list(spatial)
            sp[a] = rng.randint(1, -2 * pv)
            inp = with_batch(rng, c, sp, 0.3)
    elif kind == 'argument':
        params.pop('value')
    return Call(cls, params), inp


def gen_activation(r: Renderer, err: bool):
    rng = r.rng
    cls = wchoice(rng, [('ReLU', 18), ('LeakyReLU', 14), ('Tanh', 8), ('Sigmoid', 8), ('GELU', 8), ('SiLU', 8),
                        ('PReLU', 18), ('Dropout', 9), ('Dropout2d', 9)])
    rank = wchoice(rng, [(1, 5), (2, 20), (3, 25), (4, 40), (5, 10)])
    shape = [rng.randint(1, 8) for _ in range(rank)]
    params: dict = {}
    if cls in ('ReLU', 'SiLU') and rng.random() < 0.3:
        params['inplace'] = True
    elif cls == 'LeakyReLU':
        if rng.random() < 0.8:
            params['negative_slope'] = rng.choice([0.2, 0.01, 0.1])
        if rng.random() < 0.4:
            params['inplace'] = True
    elif cls == 'GELU' and rng.random() < 0.3:
        params['approximate'] = rng.choice(['tanh', 'none'])
    elif cls in ('Dropout', 'Dropout2d') and rng.random() < 0.7:
        params['p'] = rng.choice([0.1, 0.2, 0.5])
    elif cls == 'PReLU':
        if rank >= 2:
            ch = shape[1]
        else:
            ch = 1
        if rng.random() < 0.75:
            params['num_parameters'] = ch
        if err:
            params['num_parameters'] = rng.choice([v for v in (ch * 2, ch + 1, 3, 16) if v != ch])
            if rank >= 2 and rng.random() < 0.3:
                # unbatched (C, H, W): PReLU still reads dim 1 as the channel axis
                params['num_parameters'] = shape[0] if shape[0] != shape[1] else shape[0] + 1
    if cls == 'Dropout2d' and err:
        shape = [rng.randint(1, 8)]
    return Call(cls, params), shape


# ---------------------------------------------------------------------------------------------
# Chains (nn.Sequential)
# ---------------------------------------------------------------------------------------------


def bn(nd, c):
    return Call(f'BatchNorm{nd}d', {'num_features': c})


def relu(rng):
    return Call('ReLU', {'inplace': True} if rng.random() < 0.4 else {})


def act(rng):
    return wchoice(rng, [(relu(rng), 60), (Call('LeakyReLU', {'negative_slope': 0.2, 'inplace': True}), 20),
                         (Call('SiLU', {}), 10), (Call('GELU', {}), 10)])


def group_blocks(rng, layers: list, block_len: int):
    """Nest every block_len layers into an inner nn.Sequential (sometimes)."""
    if rng.random() < 0.3 and len(layers) > block_len + 1:
        out = []
        i = 0
        while i < len(layers):
            chunk = layers[i:i + block_len]
            out.append(Seq(chunk) if len(chunk) > 1 else chunk[0])
            i += block_len
        return out
    return layers


def make_seq(rng, layers: list, comment_words=None) -> Seq:
    if len(layers) > 6:
        # keep 2-6 items at the top level: nest runs of three (conv, norm, activation)
        layers = [Seq(layers[i:i + 3]) if len(layers[i:i + 3]) > 1 else layers[i] for i in range(0, len(layers), 3)]
    if rng.random() < 0.12 and all(isinstance(x, Call) for x in layers):
        counts: Counter = Counter()
        keys = []
        for l in layers:
            base = short_name(l.cls)
            counts[base] += 1
            keys.append(f'{base}{counts[base]}')
        return Seq(layers, keys=keys)
    comments = {}
    if comment_words and rng.random() < 0.2:
        comments[0] = rng.choice(comment_words)
    return Seq(layers, comments=comments)


def channel_mistake(rng, c):
    return rng.choice([v for v in (c * 2, max(1, c // 2), c + 1) if v != c])


def chain_dcgan_gen(r: Renderer, err: bool):
    rng = r.rng
    nz = rng.choice([4, 8, 16])
    ngf = rng.choice([1, 2])
    nc = rng.choice([1, 3])
    depth = rng.choice([2, 2, 3, 4])  # number of transposed convs
    named = rng.random() < 0.65
    if named:
        if rng.random() < 0.5:
            nzc, ngfc, ncc = r.const_multi(['nz', 'ngf', 'nc'], [nz, ngf, nc])
        else:
            nzc, ngfc, ncc = r.const('nz', nz), r.const('ngf', ngf), r.const('nc', nc)
    mults = [2 ** (depth - 1 - i) for i in range(depth - 1)]  # e.g. depth 4: 8, 4, 2

    def ch(m):
        v = ngf * m
        if not named:
            return v
        return r.expr('ngf' if m == 1 else f'ngf * {m}', v)

    mistake = rng.choice(['chan', 'bn', 'unbatched', 'flat', 'chan']) if err else None
    layers = []
    first_out = ch(mults[0] * (1 if depth > 2 else 1))
    layers.append(Call('ConvTranspose2d', {'in_channels': nzc if named else nz, 'out_channels': first_out,
                                           'kernel_size': 4, 'stride': 1, 'padding': 0, 'bias': False}, style='pos'))
    layers += [bn(2, first_out), relu(rng)]
    prev = mults[0]
    bad_at = rng.randrange(1, depth) if mistake in ('chan', 'bn') else -1
    for i, m in enumerate(mults[1:], start=1):
        cin = ch(prev)
        cout = ch(m)
        if i == bad_at and mistake == 'chan':
            cin = ch(prev * 2) if named else ngf * prev * 2
        layers.append(Call('ConvTranspose2d', {'in_channels': cin, 'out_channels': cout, 'kernel_size': 4, 'stride': 2,
                                               'padding': 1, 'bias': False}, style='pos'))
        bcount = cout
        if i == bad_at and mistake == 'bn':
            bcount = ch(m * 2) if named else ngf * m * 2
        layers += [bn(2, bcount), relu(rng)]
        prev = m
    last_in = ch(prev)
    if bad_at == depth - 1 and mistake == 'chan':
        last_in = ch(prev * 2) if named else ngf * prev * 2
    layers.append(Call('ConvTranspose2d', {'in_channels': last_in, 'out_channels': ncc if named else nc, 'kernel_size': 4,
                                           'stride': 2, 'padding': 1, 'bias': False}, style='pos'))
    layers.append(Call('Tanh'))
    if bad_at == depth - 1 and mistake == 'bn':
        layers[-5] = bn(2, ch(prev * 2) if named else ngf * prev * 2) if len(layers) >= 5 else layers[-5]
    items = group_blocks(rng, layers, 3)
    inp = [batch_pick(rng), nz, 1, 1]
    if mistake == 'unbatched':
        inp = [nz, 1, 1]
    elif mistake == 'flat':
        inp = [batch_pick(rng), nz]
    return make_seq(rng, items, ['generator', 'project and reshape', 'latent -> 4x4']), inp


UP_SPECS = [  # (kernel, stride, padding, output_padding): exact x2 or other common upsamplers
    (4, 2, 1, 0), (3, 2, 1, 1), (2, 2, 0, 0), (5, 2, 2, 1), (3, 1, 1, 0), (3, 2, 1, 0), (4, 2, 1, 0), (2, 2, 0, 0),
    (3, 2, 0, 0), (4, 4, 0, 0), (7, 1, 3, 0),
]


def chain_decoder(r: Renderer, err: bool):
    rng = r.rng
    nd = wchoice(rng, [(1, 20), (2, 60), (3, 20)])
    nblocks = rng.choice([1, 2, 2, 3])
    c = rng.choice([8, 16]) if nd < 3 else rng.choice([4, 8])
    spec = rng.choice(UP_SPECS)
    mixed = rng.random() < 0.3
    size0 = rng.randint(1, 8) if nd < 3 else rng.randint(1, 3)
    mistake = rng.choice(['chan', 'chan', 'op', 'bn-dim', 'unbatched', 'bn-chan']) if err else None
    layers = []
    bad = rng.randrange(nblocks) if mistake else -1
    for i in range(nblocks):
        k, s, p, op = rng.choice(UP_SPECS) if mixed else spec
        cout = max(1, c // 2)
        cin = c
        if i == bad and mistake == 'chan' and i > 0:
            cin = c * 2
        params = {'in_channels': cin, 'out_channels': cout, 'kernel_size': k, 'stride': s}
        if p or rng.random() < 0.3:
            params['padding'] = p
        if op:
            params['output_padding'] = op
        if i == bad and mistake == 'op':
            params['output_padding'] = max(s, 1) + (0 if rng.random() < 0.7 else 1)
        if rng.random() < 0.3:
            params['bias'] = False
        layers.append(Call(f'ConvTranspose{nd}d', params))
        if rng.random() < 0.8:
            bnd = nd
            bc = cout
            if i == bad and mistake == 'bn-dim':
                bnd = rng.choice([x for x in (1, 2, 3) if x != nd])
            if i == bad and mistake == 'bn-chan':
                bc = c
            layers.append(bn(bnd, bc))
        layers.append(act(rng))
        c = cout
    if rng.random() < 0.3:
        layers.append(Call('Sigmoid') if rng.random() < 0.5 else Call('Tanh'))
    if mistake == 'chan' and bad == 0:
        # first block: the input has the wrong channel count instead
        in_c = channel_mistake(rng, layers[0].params['in_channels'])
    else:
        in_c = layers[0].params['in_channels']
    inp = [batch_pick(rng), in_c] + [size0] * nd
    if mistake == 'unbatched':
        inp = inp[1:]
    return make_seq(rng, group_blocks(rng, layers, 3), ['decoder', 'upsampling path']), inp


def chain_encoder(r: Renderer, err: bool):
    rng = r.rng
    nd = wchoice(rng, [(1, 25), (2, 55), (3, 20)])
    nblocks = rng.choice([1, 2, 2, 3])
    cin0 = rng.choice([1, 3, 4])
    c = cin0
    width = rng.choice([4, 8]) if nd < 3 else rng.choice([2, 4])
    layers = []
    mistake = rng.choice(['chan', 'chan', 'small', 'bn-chan', 'rank']) if err else None
    bad = rng.randrange(nblocks)
    shrink = 1
    for i in range(nblocks):
        cout = width * (2 ** i)
        k = rng.choice([3, 3, 5]) if nd < 3 else 3
        pad = k // 2 if rng.random() < 0.7 else 0
        cin = c
        if mistake == 'chan' and i == bad and i > 0:
            cin = channel_mistake(rng, c)
        params = {'in_channels': cin, 'out_channels': cout, 'kernel_size': k}
        if pad:
            params['padding'] = pad
        layers.append(Call(f'Conv{nd}d', params))
        if rng.random() < 0.5:
            layers.append(bn(nd, cout if not (mistake == 'bn-chan' and i == bad) else cout * 2))
        layers.append(act(rng))
        pk = 2
        if rng.random() < 0.7:
            layers.append(Call(f'MaxPool{nd}d', {'kernel_size': pk} if rng.random() < 0.6 else {'kernel_size': pk, 'stride': 2}))
        else:
            layers.append(Call(f'AvgPool{nd}d', {'kernel_size': pk}))
        shrink = shrink * 2 + (0 if pad else k - 1)
        c = cout
    hi = SP[nd]
    size = rng.randint(min(hi, shrink + 2), hi)
    in_c = cin0
    if mistake == 'chan' and bad == 0:
        in_c = channel_mistake(rng, cin0)
    if mistake == 'small':
        size = rng.randint(1, max(1, shrink // 2))
    inp = [batch_pick(rng), in_c] + [size] * nd
    if mistake == 'rank':
        inp = [batch_pick(rng), in_c] + [size] * (nd + 1) if nd < 3 else [in_c, size, size]
    return make_seq(rng, group_blocks(rng, layers, 4), ['encoder', 'feature extractor']), inp


def chain_resize_conv(r: Renderer, err: bool):
    rng = r.rng
    nd = wchoice(rng, [(1, 15), (2, 70), (3, 15)])
    c = chan_pick(rng, nd, 8)
    cout = chan_pick(rng, nd, 8)
    mode = {1: rng.choice(['nearest', 'linear']), 2: rng.choice(['nearest', 'bilinear', 'bilinear', 'bicubic']),
            3: rng.choice(['nearest', 'trilinear'])}[nd]
    mistake = rng.choice(['mode', 'chan', 'chan']) if err else None
    if mistake == 'mode':
        mode = rng.choice([m for m in ('linear', 'bilinear', 'trilinear') if m != mode])
    up = {'scale_factor': rng.choice([2, 2, 2.0, 1.5, 3])}
    if rng.random() < 0.2:
        up = {'size': rng.randint(4, 24) if nd < 3 else rng.randint(4, 12)}
    if mode != 'nearest' or rng.random() < 0.4:
        up['mode'] = mode
    if mode in ('linear', 'bilinear', 'bicubic', 'trilinear') and rng.random() < 0.4:
        up['align_corners'] = rng.random() < 0.5
    upcall = Call('Upsample', up, style='kw')
    conv_in = c if mistake != 'chan' else channel_mistake(rng, c)
    layers = [upcall, Call(f'Conv{nd}d', {'in_channels': conv_in, 'out_channels': cout, 'kernel_size': 3, 'padding': 1})]
    if rng.random() < 0.5:
        layers.append(bn(nd, cout))
    layers.append(act(rng))
    size = rng.randint(1, 16) if nd < 3 else rng.randint(1, 5)
    return make_seq(rng, layers), [batch_pick(rng), c] + [size] * nd


def chain_unet_up(r: Renderer, err: bool):
    rng = r.rng
    nd = 2 if rng.random() < 0.8 else 3
    c = rng.choice([8, 16]) if nd == 2 else rng.choice([4, 8])
    half = c // 2
    mistake = rng.choice(['skip', 'skip', 'odd']) if err else None
    conv_in = c if mistake == 'skip' else half
    layers = [Call(f'ConvTranspose{nd}d', {'in_channels': c, 'out_channels': half, 'kernel_size': 2, 'stride': 2}),
              Call(f'Conv{nd}d', {'in_channels': conv_in, 'out_channels': half, 'kernel_size': 3, 'padding': 1}),
              bn(nd, half), relu(rng)]
    if rng.random() < 0.5:
        layers += [Call(f'Conv{nd}d', {'in_channels': half, 'out_channels': half, 'kernel_size': 3, 'padding': 1}), relu(rng)]
    if mistake == 'odd':
        # the valid-padding U-Net: unpadded convs shrink the map until nothing is left
        for l in layers:
            if l.cls.startswith('Conv') and not l.cls.startswith('ConvT'):
                l.params.pop('padding', None)
        size = 1
    else:
        size = rng.randint(1, 16) if nd == 2 else rng.randint(1, 5)
    return make_seq(rng, group_blocks(rng, layers, 4), ['up block']), [batch_pick(rng), c] + [size] * nd


def chain_head(r: Renderer, err: bool):
    rng = r.rng
    c0 = rng.choice([1, 3])
    c = rng.choice([4, 8, 16])
    ncls = rng.choice([2, 10])
    size = rng.randint(4, 32)
    layers = [Call('Conv2d', {'in_channels': c0, 'out_channels': c, 'kernel_size': 3, 'padding': 1}), relu(rng)]
    mistake = rng.choice(['features', 'features', 'no-flatten']) if err else None
    if rng.random() < 0.5:
        out = rng.choice([1, 1, (1, 1), 2])
        layers.append(Call(rng.choice(['AdaptiveAvgPool2d', 'AdaptiveMaxPool2d']), {'output_size': out}))
        o = out if isinstance(out, int) else 1
        feats = c * o * o
    else:
        layers.append(Call('MaxPool2d', {'kernel_size': 2}))
        h = size // 2
        feats = c * h * h
        if feats > 4096:
            size = 16
            h = 8
            feats = c * h * h
    if mistake != 'no-flatten':
        layers.append(Call('Flatten', {} if rng.random() < 0.8 else {'start_dim': 1}))
    fin = feats
    if mistake == 'features':
        fin = rng.choice([v for v in (c, feats * 2, c * size * size) if v != feats])
    if rng.random() < 0.3:
        layers.append(Call('Dropout', {'p': 0.5}))
    if rng.random() < 0.2:
        layers.append(Call('LazyLinear', {'out_features': ncls}))
    else:
        layers.append(Call('Linear', {'in_features': fin, 'out_features': ncls}))
    return make_seq(rng, layers, ['classifier']), [batch_pick(rng), c0, size, size]


def chain_vec2img(r: Renderer, err: bool):
    rng = r.rng
    nz = rng.choice([8, 16, 32])
    c = rng.choice([4, 8, 16])
    s0 = rng.choice([2, 3, 4, 7])
    mistake = rng.choice(['unflatten', 'chan', 'lin']) if err else None
    lin_out = c * s0 * s0
    if rng.random() < 0.4:
        cc, sc = r.const_multi(['c', 's0'], [c, s0]) if rng.random() < 0.5 else (r.const('c', c), r.const('s0', s0))
        lin_out_arg = r.expr('c * s0 * s0', lin_out)
        unfl = (cc, sc, sc)
    else:
        lin_out_arg = lin_out
        unfl = (c, s0, s0)
    if mistake == 'unflatten':
        unfl = (c, s0 + 1, s0)
    layers = [Call('Linear', {'in_features': nz, 'out_features': lin_out_arg}),
              Call('Unflatten', {'dim': rng.choice([1, 1, -1]), 'unflattened_size': unfl})]
    if rng.random() < 0.4:
        layers.insert(1, relu(rng))
    k, s, p, op = rng.choice([(4, 2, 1, 0), (3, 2, 1, 1), (2, 2, 0, 0)])
    cin = c if mistake != 'chan' else c * 2
    params = {'in_channels': cin, 'out_channels': c // 2, 'kernel_size': k, 'stride': s, 'padding': p}
    if op:
        params['output_padding'] = op
    layers += [Call('ConvTranspose2d', params), relu(rng)]
    if rng.random() < 0.5:
        layers += [Call('ConvTranspose2d', {'in_channels': c // 2, 'out_channels': rng.choice([1, 3]), 'kernel_size': 4,
                                            'stride': 2, 'padding': 1}), Call('Tanh')]
    inp = [batch_pick(rng), nz] if mistake != 'lin' else [batch_pick(rng), nz * 2]
    return make_seq(rng, layers), inp


def chain_pixelshuffle(r: Renderer, err: bool):
    rng = r.rng
    c = rng.choice([1, 2, 3, 4])
    rr = rng.choice([2, 2, 3])
    cout = rng.choice([1, 2, 3])
    mistake = rng.choice(['r', 'unshuffle-size']) if err else None
    mid = cout * rr * rr if mistake != 'r' else cout * rr
    size = rng.randint(2, 12)
    if rng.random() < 0.7 or mistake == 'r':
        layers = [Call('Conv2d', {'in_channels': c, 'out_channels': mid, 'kernel_size': 3, 'padding': 1}),
                  Call('PixelShuffle', {'upscale_factor': rr}), act(rng) if rng.random() < 0.6 else Call('PReLU', {})]
        return make_seq(rng, layers), [batch_pick(rng), c, size, size]
    # space-to-depth encoder
    size = rr * rng.randint(1, 8)
    if mistake == 'unshuffle-size':
        size += 1
    layers = [Call('PixelUnshuffle', {'downscale_factor': rr}),
              Call('Conv2d', {'in_channels': c * rr * rr, 'out_channels': rng.choice([4, 8]), 'kernel_size': 3, 'padding': 1}),
              act(rng)]
    return make_seq(rng, layers), [batch_pick(rng), c, size, size]


def chain_cyclegan(r: Renderer, err: bool):
    rng = r.rng
    nc = rng.choice([1, 3])
    ngf = rng.choice([4, 8])
    pad = rng.choice([3, 3, 1])
    k = 2 * pad + 1
    mistake = rng.choice(['reflect', 'norm']) if err else None
    layers = [Call('ReflectionPad2d', {'padding': pad}),
              Call('Conv2d', {'in_channels': nc, 'out_channels': ngf, 'kernel_size': k}),
              Call('InstanceNorm2d', {'num_features': ngf} if rng.random() < 0.6 else {'num_features': ngf, 'affine': True}),
              relu(rng)]
    if rng.random() < 0.6:
        layers += [Call('Conv2d', {'in_channels': ngf, 'out_channels': ngf * 2, 'kernel_size': 3, 'stride': 2, 'padding': 1})]
    size = rng.randint(pad + 1, 32)
    if mistake == 'reflect':
        size = rng.randint(1, pad)
    elif mistake == 'norm':
        layers[2] = Call('InstanceNorm2d', {'num_features': ngf * 2, 'affine': True})
    return make_seq(rng, layers, ['c7s1-k']), [batch_pick(rng), nc, size, size]


def chain_norms(r: Renderer, err: bool):
    rng = r.rng
    if rng.random() < 0.6:
        c = rng.choice([4, 8, 16])
        g = rng.choice([1, 2, 4])
        if err:
            g = rng.choice([3, 5]) if rng.random() < 0.5 else g
        layers = [Call('Conv2d', {'in_channels': 3, 'out_channels': c, 'kernel_size': 3, 'padding': 1}),
                  Call('GroupNorm', {'num_groups': g, 'num_channels': c}), Call('SiLU', {})]
        if rng.random() < 0.5:
            layers.append(Call('Conv2d', {'in_channels': c, 'out_channels': c, 'kernel_size': 3, 'padding': 1}))
        size = rng.randint(2, 24)
        return make_seq(rng, layers), [batch_pick(rng), 3, size, size]
    # Flatten -> LayerNorm -> Linear
    c, h = rng.choice([2, 4]), rng.randint(2, 6)
    feats = c * h * h
    ln = feats if not err else feats + c
    layers = [Call('Flatten', {}), Call('LayerNorm', {'normalized_shape': ln}),
              Call('Linear', {'in_features': feats, 'out_features': rng.choice([8, 10])}), Call('GELU', {})]
    return make_seq(rng, layers), [batch_pick(rng), c, h, h]


def chain_discriminator(r: Renderer, err: bool):
    rng = r.rng
    nc = rng.choice([1, 3])
    ndf = rng.choice([2, 4])
    size = rng.choice([16, 32]) if not err else rng.choice([28, 24, 20])
    nconv = int(math.log2(size // 4)) if not err else int(math.log2(32 // 4))
    layers = [Call('Conv2d', {'in_channels': nc, 'out_channels': ndf, 'kernel_size': 4, 'stride': 2, 'padding': 1,
                              'bias': False}, style='pos'),
              Call('LeakyReLU', {'negative_slope': 0.2, 'inplace': True}, style='pos')]
    c = ndf
    for _ in range(nconv - 1):
        layers += [Call('Conv2d', {'in_channels': c, 'out_channels': c * 2, 'kernel_size': 4, 'stride': 2, 'padding': 1,
                                   'bias': False}, style='pos'),
                   bn(2, c * 2), Call('LeakyReLU', {'negative_slope': 0.2, 'inplace': True}, style='pos')]
        c *= 2
    layers += [Call('Conv2d', {'in_channels': c, 'out_channels': 1, 'kernel_size': 4, 'stride': 1, 'padding': 0,
                               'bias': False}, style='pos'), Call('Sigmoid')]
    return make_seq(rng, group_blocks(rng, layers, 3), ['discriminator']), [batch_pick(rng), nc, size, size]


def chain_lazy(r: Renderer, err: bool):
    rng = r.rng
    nd = 2 if rng.random() < 0.8 else 1
    c = rng.choice([4, 8])
    size = rng.randint(2, 16)
    layers = [Call(f'LazyConv{nd}d', {'out_channels': c, 'kernel_size': 3, 'padding': 1}), relu(rng),
              Call(f'LazyConvTranspose{nd}d', {'out_channels': c // 2, 'kernel_size': 4, 'stride': 2, 'padding': 1})]
    if err:
        layers[2].params['output_padding'] = 2
    if rng.random() < 0.5:
        layers += [bn(nd, c // 2), relu(rng)]
    if rng.random() < 0.5:
        layers += [Call('Flatten', {}), Call('LazyLinear', {'out_features': rng.choice([2, 10])})]
    return make_seq(rng, layers), [batch_pick(rng), rng.choice([1, 3])] + [size] * nd


def chain_mixed_1d3d(r: Renderer, err: bool):
    """1-D and 3-D encoders and decoders mixing pooling, upsampling and transposed convs."""
    rng = r.rng
    nd = rng.choice([1, 3])
    c = rng.choice([2, 4]) if nd == 3 else rng.choice([4, 8])
    size = rng.randint(4, 12) if nd == 3 else rng.randint(8, 40)
    mode = 'linear' if nd == 1 else 'trilinear'
    mistake = rng.choice(['chan', 'mode']) if err else None
    layers = [Call(f'Conv{nd}d', {'in_channels': 1, 'out_channels': c, 'kernel_size': 3, 'padding': 1}), relu(rng),
              Call(f'MaxPool{nd}d', {'kernel_size': 2})]
    if rng.random() < 0.5:
        layers.append(Call(f'ConvTranspose{nd}d', {'in_channels': c if mistake != 'chan' else c * 2, 'out_channels': 1,
                                                   'kernel_size': 2, 'stride': 2}))
    else:
        up = {'scale_factor': 2, 'mode': mode if mistake != 'mode' else 'bilinear'}
        layers += [Call('Upsample', up, style='kw'),
                   Call(f'Conv{nd}d', {'in_channels': c if mistake != 'chan' else c * 2, 'out_channels': 1, 'kernel_size': 3,
                                       'padding': 1})]
    return make_seq(rng, layers), [batch_pick(rng), 1] + [size] * nd


CHAINS = [
    (chain_dcgan_gen, 15), (chain_decoder, 17), (chain_unet_up, 9), (chain_vec2img, 8), (chain_lazy, 5),
    (chain_mixed_1d3d, 7), (chain_encoder, 10), (chain_resize_conv, 7), (chain_head, 8), (chain_pixelshuffle, 5),
    (chain_cyclegan, 4), (chain_norms, 4), (chain_discriminator, 6),
]


# ---------------------------------------------------------------------------------------------
# Case selection
# ---------------------------------------------------------------------------------------------


# Families whose generator takes the number of spatial dims (drawn with these weights) ...
POOL_DIMS = {'maxpool': [(1, 30), (2, 50), (3, 20)], 'avgpool': [(1, 30), (2, 50), (3, 20)], 'unpool': [(1, 30), (2, 50), (3, 20)]}
POOL_FAMILIES = {'maxpool': gen_maxpool, 'avgpool': gen_avgpool, 'unpool': gen_maxunpool}
# ... and those that choose everything themselves.
SINGLE_FAMILIES = {'upsample': gen_upsample, 'upsampling2d': gen_upsampling2d, 'pixel': gen_pixel, 'flatten': gen_flatten,
                   'linear': gen_linear, 'identity': gen_identity, 'norm': gen_norm, 'pad': gen_pad, 'activation': gen_activation}


def make_case(rng: random.Random):
    r = Renderer(rng)
    u = rng.random()
    if u < 0.25:
        fn = wchoice(rng, CHAINS)
        node, inp = fn(r, rng.random() < 0.32)
        return r, node, inp
    fam = wchoice(rng, [('convT', 22), ('conv', 11), ('maxpool', 5), ('avgpool', 4), ('adaptive', 3.5), ('unpool', 2),
                        ('upsample', 6), ('upsampling2d', 1.5), ('pixel', 2.5), ('flatten', 2.5), ('linear', 2.5),
                        ('identity', 0.5), ('norm', 5), ('pad', 4.5), ('activation', 2.5)])
    err_p = {'convT': 0.27, 'conv': 0.3, 'maxpool': 0.25, 'avgpool': 0.25, 'adaptive': 0.2, 'unpool': 0.2,
             'upsample': 0.26, 'upsampling2d': 0.2, 'pixel': 0.22, 'flatten': 0.22, 'linear': 0.22, 'identity': 0,
             'norm': 0.2, 'pad': 0.2, 'activation': 0.12}[fam]
    err = rng.random() < err_p
    if fam in ('convT', 'conv'):
        nd = wchoice(rng, [(1, 22), (2, 55), (3, 23)])
        lazy = rng.random() < (0.14 if fam == 'convT' else 0.18)
        node, inp = gen_conv(r, nd, fam == 'convT', lazy, err)
    elif fam == 'adaptive':
        node, inp = gen_adaptive(r, wchoice(rng, [(1, 25), (2, 55), (3, 20)]), rng.random() < 0.4, err)
    elif fam in POOL_FAMILIES:
        node, inp = POOL_FAMILIES[fam](r, wchoice(rng, POOL_DIMS[fam]), err)
    else:
        node, inp = SINGLE_FAMILIES[fam](r, err)
    return r, node, inp


# ---------------------------------------------------------------------------------------------
# Running a case through torch
# ---------------------------------------------------------------------------------------------


class GeneratorBug(Exception):
    pass


def evaluate(source: str, shape: list[int]):
    """Returns ('output', [sizes]) or ('error', 'Type: message')."""
    tree = ast.parse(source)
    last = tree.body[-1]
    if isinstance(last, ast.Expr):
        target = '__module__'
        assign = ast.Assign(targets=[ast.Name(id=target, ctx=ast.Store())], value=last.value)
        tree.body[-1] = ast.copy_location(assign, last)
        ast.fix_missing_locations(tree)
    elif isinstance(last, ast.Assign) and len(last.targets) == 1 and isinstance(last.targets[0], ast.Name):
        target = last.targets[0].id
    else:
        raise GeneratorBug(f'last statement is neither an expression nor a name assignment:\n{source}')
    code = compile(tree, '<case>', 'exec')
    ns = {'torch': torch, 'nn': torch.nn}
    torch.manual_seed(0)
    try:
        exec(code, ns)  # noqa: S102 (the source is ours)
        module = ns[target]
        x = torch.zeros(shape)
        with torch.no_grad():
            if isinstance(module, torch.nn.modules.pooling._MaxUnpoolNd):
                y = module(x, torch.zeros(shape, dtype=torch.long))
            else:
                y = module(x)
    except (SyntaxError, NameError, AttributeError) as exc:
        raise GeneratorBug(f'{type(exc).__name__}: {exc}\n{source}') from exc
    except Exception as exc:  # noqa: BLE001 (any torch refusal is data)
        text = str(exc).strip()
        first = text.splitlines()[0].strip() if text else ''
        return 'error', f'{type(exc).__name__}: {first[:300]}'
    if not isinstance(y, torch.Tensor):
        raise GeneratorBug(f'forward returned {type(y).__name__}:\n{source}')
    return 'output', list(y.shape)


def main(argv=None) -> int:
    global torch, nn
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--count', type=int, default=5000, help='number of cases (default 5000)')
    ap.add_argument('--seed', type=int, default=20261121, help='random seed (default 20261121)')
    ap.add_argument('--out', default='-', help="output .jsonl path, or '-' for stdout (default)")
    args = ap.parse_args(argv)

    if os.environ.get('PYTHONHASHSEED') != '0' and argv is None:
        # Some torch messages print a Python set ("should be one of {'valid', 'same'}"), whose
        # order follows string hashing: run again with a fixed hash seed so the fixture is stable.
        os.environ['PYTHONHASHSEED'] = '0'
        os.execv(sys.executable, [sys.executable] + sys.argv)

    try:
        import torch as _torch
        import torch.nn as _nn
    except Exception as exc:  # noqa: BLE001
        sys.stderr.write(f'generate.py: cannot import torch ({type(exc).__name__}: {exc}).\n'
                         'Run it with a Python that has PyTorch installed, e.g. /usr/bin/python3.\n')
        return 2
    torch, nn = _torch, _nn
    warnings.simplefilter('ignore')
    torch.set_num_threads(1)
    check_signatures()

    started = time.time()
    rng = random.Random(args.seed)
    width = max(5, len(str(args.count)))
    lines = []
    kinds: Counter = Counter()
    layers_used: Counter = Counter()
    rules: Counter = Counter()
    refused_by_kind: Counter = Counter()
    unclassified: list[str] = []
    accepted = 0
    with_convt = 0
    chains = 0
    unbatched_like = 0
    for i in range(1, args.count + 1):
        r, node, inp = make_case(rng)
        source = r.source(node)
        outcome, value = evaluate(source, inp)
        kind = node.cls if isinstance(node, Call) else 'Sequential'
        kinds[kind] += 1
        used = classes_in(node)
        for c in set(used):
            layers_used[c] += 1
        if any('ConvTranspose' in c for c in used):
            with_convt += 1
        if isinstance(node, Seq):
            chains += 1
        case = {'id': f't{i:0{width}d}', 'source': source, 'input': inp}
        if outcome == 'output':
            case['output'] = value
            accepted += 1
        else:
            rule = classify(value, source)
            if rule is None:
                unclassified.append(value)
                sys.stderr.write(f'UNCLASSIFIED: {value}\n    case t{i:0{width}d}: {source!r} input={inp}\n')
                rule = 'unclassified'
            case['error'] = value
            case['rule'] = rule
            rules[rule] += 1
            refused_by_kind[kind] += 1
        lines.append(json.dumps(case))
    text = '\n'.join(lines) + '\n'
    if args.out == '-':
        sys.stdout.write(text)
    else:
        with open(args.out, 'w', encoding='utf-8') as fh:
            fh.write(text)

    n = args.count
    err = sys.stderr
    err.write(f'\n{n} cases in {time.time() - started:.1f}s (torch {torch.__version__}, seed {args.seed})\n')
    err.write(f'accepted {accepted} ({100 * accepted / n:.1f}%), refused {n - accepted} ({100 * (n - accepted) / n:.1f}%)\n')
    err.write(f'chains {chains} ({100 * chains / n:.1f}%), involving a transposed conv {with_convt} ({100 * with_convt / n:.1f}%)\n')
    err.write('\nrefusals per rule:\n')
    for rule, cnt in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        err.write(f'  {rule:24s} {cnt}\n')
    err.write('\ncases per top-level layer type (refused):\n')
    for kind, cnt in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        err.write(f'  {kind:24s} {cnt} ({refused_by_kind[kind]})\n')
    err.write('\ncases using each layer type anywhere:\n')
    for kind, cnt in sorted(layers_used.items(), key=lambda kv: (-kv[1], kv[0])):
        err.write(f'  {kind:24s} {cnt}\n')
    if unclassified:
        err.write(f'\n{len(unclassified)} UNCLASSIFIED torch messages (add rules to RULES):\n')
        for msg, cnt in Counter(unclassified).most_common():
            err.write(f'  {cnt:4d}  {msg}\n')
        return 3
    return 0


if __name__ == '__main__':
    sys.exit(main())
