/**
 * Configurations PyTorch refuses are refused, by the same rule and in PyTorch's words.
 * The expected messages were captured from Debian's PyTorch 1.13.
 */
import { strict as assert } from 'node:assert';
import { call, outputOf, refusalOf } from './helpers';

describe('refusals, as PyTorch states them', () => {
  it('output_padding must be smaller than stride or dilation', () => {
    assert.deepEqual(refusalOf(call('ConvTranspose2d', [16, 33, 3], { stride: 1, output_padding: 1 }), [1, 16, 8, 8]), {
      rule: 'output-padding',
      message:
        'output padding must be smaller than either stride or dilation, but got output_padding_height: 1 output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1',
    });
  });

  it('accepts output_padding ≥ stride when it is smaller than dilation', () => {
    assert.deepEqual(outputOf(call('ConvTranspose2d', [16, 33, 3], { stride: 1, output_padding: 1, dilation: 2 }), [1, 16, 8, 8]), [1, 33, 13, 13]);
  });

  it("refuses a kernel larger than the padded input: Kernel size can't be greater than actual input size", () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 5]), [1, 16, 4, 8]), {
      rule: 'kernel-too-large',
      message: "Calculated padded input size per channel: (4 x 8). Kernel size: (5 x 5). Kernel size can't be greater than actual input size",
    });
  });

  it('refuses an input whose channels differ from in_channels', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 3]), [1, 8, 8, 8]), {
      rule: 'channel-mismatch',
      message: 'Given groups=1, weight of size [33, 16, 3, 3], expected input[1, 8, 8, 8] to have 16 channels, but got 8 channels instead',
    });
  });

  it('states the transposed weight layout for a transposed conv channel mismatch', () => {
    assert.equal(
      refusalOf(call('ConvTranspose2d', [16, 33, 3]), [1, 8, 8, 8]).message,
      'Given transposed=1, weight of size [16, 33, 3, 3], expected input[1, 8, 8, 8] to have 16 channels, but got 8 channels instead',
    );
  });

  it('reads a 3-D input to Conv2d as unbatched (C, H, W), as PyTorch does', () => {
    assert.equal(
      refusalOf(call('Conv2d', [16, 33, 3]), [1, 16, 8]).message,
      'Given groups=1, weight of size [33, 16, 3, 3], expected input[1, 1, 16, 8] to have 16 channels, but got 1 channels instead',
    );
  });

  it('refuses in_channels not divisible by groups at construction', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 3], { groups: 3 }), [1, 16, 8, 8]), { rule: 'groups-divide-in', message: 'in_channels must be divisible by groups' });
  });

  it("refuses padding='same' with a stride", () => {
    assert.equal(refusalOf(call('Conv2d', [16, 33, 3], { stride: 2, padding: 'same' })).rule, 'same-strided');
  });

  it('refuses a transposed conv whose output would be smaller than 1', () => {
    assert.deepEqual(refusalOf(call('ConvTranspose2d', [16, 33, 3], { padding: 4 }), [1, 16, 2, 2]), {
      rule: 'output-too-small',
      message: 'Given input size per channel: (2 x 2). Calculated output size per channel: (-4 x -4). Output size is too small',
    });
  });

  it('accepts padding beyond dilation·(kernel − 1) when the output stays ≥ 1', () => {
    assert.deepEqual(outputOf(call('ConvTranspose1d', [1, 1, 3], { padding: 4 }), [1, 1, 7]), [1, 1, 1]);
  });

  it('refuses pooling padding over half the kernel', () => {
    assert.deepEqual(refusalOf(call('MaxPool2d', [3], { padding: 2 }), [1, 16, 8, 8]), {
      rule: 'pool-padding',
      message: 'pad should be at most half of kernel size, but got pad=2 and kernel_size=3',
    });
  });

  it('gives an empty output for MaxPool1d past the input (1.13 quirk) but refuses it with return_indices', () => {
    assert.deepEqual(outputOf(call('MaxPool1d', [5]), [1, 16, 4]), [1, 16, 0]);
    assert.equal(refusalOf(call('MaxPool1d', [5], { return_indices: true }), [1, 16, 4]).rule, 'output-too-small');
  });

  it('refuses an upsampled size of 0', () => {
    assert.deepEqual(refusalOf(call('Upsample', [], { scale_factor: 0.1 }), [1, 2, 5]), {
      rule: 'upsample-zero',
      message: 'Input and output sizes should be greater than 0, but got input (W: 5) output (W: 0)',
    });
  });

  it('takes the floor of the float64 product: 100 · 0.29 gives 28', () => {
    assert.deepEqual(outputOf(call('Upsample', [], { scale_factor: 0.29 }), [1, 2, 100]), [1, 2, 28]);
  });

  it('refuses bilinear upsampling of a 3-D input', () => {
    assert.deepEqual(refusalOf(call('Upsample', [], { scale_factor: 2, mode: 'bilinear' }), [1, 2, 5]), {
      rule: 'input-rank',
      message: 'Got 3D input, but bilinear mode needs 4D input',
    });
  });

  it('refuses BatchNorm2d whose num_features differs from the channels', () => {
    assert.deepEqual(refusalOf(call('BatchNorm2d', [8]), [1, 16, 4, 4]), { rule: 'channel-mismatch', message: 'running_mean should contain 16 elements not 8' });
  });

  it('refuses Linear on mismatched features', () => {
    assert.deepEqual(refusalOf(call('Linear', [8, 4]), [2, 16]), { rule: 'linear-mismatch', message: 'mat1 and mat2 shapes cannot be multiplied (2x16 and 8x4)' });
  });

  it('refuses PixelShuffle when channels are not divisible by r²', () => {
    assert.equal(
      refusalOf(call('PixelShuffle', [2]), [1, 6, 4, 4]).message,
      "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=6 is not divisible by 4",
    );
  });

  it('refuses a string padding for a transposed conv when it runs', () => {
    assert.equal(refusalOf(call('ConvTranspose2d', [16, 33, 3], { padding: 'same' })).rule, 'argument');
  });

  it('refuses a padding tuple of the wrong length', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 3], { padding: [1, 2, 3] }), [1, 16, 8, 8]), {
      rule: 'spatial-dims',
      message: 'expected padding to be a single integer value or a list of 2 values to match the convolution dimensions, but got padding=[1, 2, 3]',
    });
  });

  it('refuses a padding_mode conv whose F.pad list does not fit the input rank (one kernel entry: a 1-D pad)', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [3, 8, [2]], { stride: [1, 4], padding: 'valid', dilation: 2, padding_mode: 'reflect' }), [1, 3, 29, 29]), {
      rule: 'input-rank',
      message: 'Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now',
    });
  });

  it('refuses circular padding on an unbatched input, even with padding 0', () => {
    assert.deepEqual(refusalOf(call('Conv1d', [4, 4, 3], { padding_mode: 'circular' }), [4, 5]), { rule: 'input-rank', message: 'Invalid padding size, expected 0 but got 2' });
  });

  it('checks a Lazy conv\'s in_channels against groups before its padding_mode padding', () => {
    assert.equal(refusalOf(call('LazyConv3d', [4, 4], { padding: 1, groups: 4, padding_mode: 'circular' }), [3, 4, 7, 3]).rule, 'groups-divide-in');
  });

  it('refuses a missing required argument as Python does', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33])), { rule: 'argument', message: "Conv2d.__init__() missing 1 required positional argument: 'kernel_size'" });
  });

  it('refuses an unknown keyword argument as Python does', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 3], { strides: 2 })), { rule: 'argument', message: "Conv2d.__init__() got an unexpected keyword argument 'strides'" });
  });

  it('refuses a value given twice', () => {
    assert.deepEqual(refusalOf(call('Conv2d', [16, 33, 3, 2], { stride: 2 })), { rule: 'argument', message: "Conv2d.__init__() got multiple values for argument 'stride'" });
  });

  it('does not guess a kernel size that is not a constant', () => {
    assert.equal(refusalOf(call('Conv2d', [16, 33, { sym: 'k' }])).rule, 'not-constant');
  });
});

describe('ConvTranspose positional order: dilation comes after bias', () => {
  it('reads ConvTranspose2d(16, 33, 3, 2, 1, 1, 1, True, 2) as dilation 2', () => {
    // (32 − 1)·2 − 2·1 + 2·(3 − 1) + 1 + 1 = 66
    assert.deepEqual(outputOf(call('ConvTranspose2d', [16, 33, 3, 2, 1, 1, 1, true, 2]), [1, 16, 32, 32]), [1, 33, 66, 66]);
  });
});
