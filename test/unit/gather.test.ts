import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { constValue } from '../../src/core/expr';
import { convTranspose2d, conv2d, type Grid } from '../../src/core/numeric';
import { compareConventions, fullOutput, keep } from '../../src/core/visual/compare';
import { contributions, gatherValues, layerMatrix, overlapCounts, realTapCount, stamps } from '../../src/core/visual/connections';
import { depthInputs, describeDiagram, gatherDiagram, unreadCells, windowCells, type GatherDiagram } from '../../src/core/visual/gather';
import { panelView } from '../../src/core/visual/panelView';
import { call, run, type Lit } from './helpers';

function diagramOf(layerType: string, args: Lit[], kw: Record<string, Lit>, input: (number | string)[]): GatherDiagram {
  const r = run(call(layerType, args, kw), input);
  if (!r.ok) throw new Error(r.refusal.message);
  const d = gatherDiagram(r.value);
  if (!d) throw new Error('no diagram');
  return d;
}

/** One axis's grid as a string: i input, 0 inserted zero, p padding, x cropped. */
function row(d: GatherDiagram, axis = 0): string {
  return d.axes[axis].kinds.map((k) => ({ input: 'i', zero: '0', pad: 'p', cropped: 'x' })[k]).join('');
}

function grid(values: readonly number[], width: number): Grid {
  const rows: Grid = [];
  for (let i = 0; i < values.length; i += width) rows.push(values.slice(i, i + width));
  return rows;
}

describe('the gather diagram', () => {
  it('draws a transposed conv as the zero-inserted input padded by d·(k−1)−p, read at stride 1', () => {
    // ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1) on 2×2: pad 1, then 1 more at the end.
    const d = diagramOf('ConvTranspose2d', [1, 1, 3], { stride: 2, padding: 1, output_padding: 1 }, [1, 1, 2, 2]);
    assert.equal(row(d), 'pi0ipp');
    assert.deepEqual([d.axes[0].first, d.axes[0].step, d.axes[0].output], [0, 1, 4]);
    assert.equal(d.flipped, true);
  });

  it('marks the crop when padding exceeds d·(k−1)', () => {
    // k=3, p=3: d·(k−1)−p = −1, so one cell of the inserted 4 inputs is cropped at each end.
    const d = diagramOf('ConvTranspose1d', [1, 1, 3], { stride: 2, padding: 3 }, [1, 1, 4]);
    assert.equal(row(d), 'x0i0i0x');
    assert.deepEqual([d.axes[0].first, d.axes[0].output], [1, 3]);
  });

  it('draws a strided conv over its padded input, and the cells no window reads', () => {
    const d = diagramOf('Conv1d', [1, 1, 3], { stride: 2, padding: 1 }, [1, 1, 6]);
    assert.equal(row(d), 'piiiiiip');
    assert.deepEqual(windowCells(d.axes[0], 1), [2, 3, 4]);
    assert.deepEqual(unreadCells(d.axes[0]), [7]);
  });

  it('spaces the taps by the dilation', () => {
    const d = diagramOf('Conv2d', [1, 1, 3], { dilation: 2 }, [1, 1, 7, 7]);
    assert.deepEqual(windowCells(d.axes[1], 0), [0, 2, 4]);
    assert.equal(d.axes[1].output, 3);
  });

  it('draws a symbolic input on an example, and says so', () => {
    const d = diagramOf('ConvTranspose2d', [16, 8, 4, 2, 1], {}, ['N', 16, 'H', 'W']);
    assert.deepEqual(d.axes.map((a) => a.input), [5, 5]);
    assert.match(d.notes.join(' '), /example input of 5 per axis.*symbolic/);
  });

  it('draws no grid for Flax\'s SAME pads of a 10**12 kernel: 5·10¹¹ cells (building them aborted the process, from the hover)', () => {
    const r = run(call('Conv', [1], { kernel_size: 10 ** 12 }, 'flax'), [1, 8, 8, 1]);
    assert.ok(r.ok);
    assert.equal(gatherDiagram(r.value), undefined);
  });

  it('draws no grid for a stride of 10**12: the zero-inserted input would have 10¹² cells', () => {
    const r = run(call('ConvTranspose2d', [1, 1, 3], { stride: 10 ** 12 }), [1, 1, 2, 2]);
    assert.ok(r.ok);
    assert.equal(gatherDiagram(r.value), undefined);
  });

  it('has the panel say a window is too large to draw, not that it has none', () => {
    const layer = call('Conv2d', [1, 1, 3], { padding: 10 ** 12 });
    const view = panelView({ layer, input: undefined, origin: { kind: 'symbolic' }, outcome: run(layer, [1, 1, 8, 8]), unreached: false });
    assert.deepEqual(view, { kind: 'message', title: 'Conv2d', message: 'Conv2d\'s window is too large to draw: more than 4096 cells along an axis.' });
  });

  it('reproduces the panel example of issue 5: [[1,2],[3,4]], 3×3 ones, stride 2, padding 1, output_padding 1', () => {
    const d = diagramOf('ConvTranspose2d', [1, 1, 3], { stride: 2, padding: 1, output_padding: 1 }, [1, 1, 2, 2]);
    const out = gatherValues(d, [1, 2, 3, 4], new Array(9).fill(1));
    assert.deepEqual(grid(out, 4), [
      [1, 3, 2, 2],
      [4, 10, 6, 6],
      [3, 7, 4, 4],
      [3, 7, 4, 4],
    ]);
  });

  it('has the engine’s output size and the scatter’s values for any transposed conv (flipped kernel)', () => {
    fc.assert(
      fc.property(
        fc.record({ h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 4 }), op: fc.integer({ min: 0, max: 2 }) }),
        fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 16, maxLength: 16 }),
        ({ h, w, k, s, d, p, op }, weights) => {
          const r = run(call('ConvTranspose2d', [1, 1, k], { stride: s, padding: p, output_padding: op, dilation: d }), [1, 1, h, w]);
          if (!r.ok) return; // PyTorch refuses it: nothing to draw
          const diagram = gatherDiagram(r.value)!;
          assert.deepEqual(diagram.axes.map((a) => a.output), r.value.axes.map((a) => constValue(a.output)));
          const x = Array.from({ length: h * w }, (_, i) => i + 1);
          const kernel = weights.slice(0, k * k);
          const expected = convTranspose2d(grid(x, w), grid(kernel, k), { stride: [s, s], padding: [p, p], dilation: [d, d], outputPadding: [op, op] });
          assert.deepEqual(grid(gatherValues(diagram, x, kernel), diagram.axes[1].output), expected);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('has the engine’s output size and the direct values for any conv', () => {
    fc.assert(
      fc.property(fc.record({ h: fc.integer({ min: 1, max: 8 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), d: fc.integer({ min: 1, max: 2 }), p: fc.integer({ min: 0, max: 2 }) }), ({ h, k, s, d, p }) => {
        const r = run(call('Conv2d', [1, 1, k], { stride: s, padding: p, dilation: d }), [1, 1, h, h]);
        if (!r.ok) return;
        const diagram = gatherDiagram(r.value)!;
        assert.deepEqual(diagram.axes.map((a) => a.output), r.value.axes.map((a) => constValue(a.output)));
        const x = Array.from({ length: h * h }, (_, i) => (i * 7) % 5);
        const kernel = Array.from({ length: k * k }, (_, i) => i - 2);
        const expected = conv2d(grid(x, h), grid(kernel, k), { stride: [s, s], padding: [p, p], dilation: [d, d] });
        assert.deepEqual(grid(gatherValues(diagram, x, kernel), diagram.axes[1].output), expected);
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it('has the engine’s output size for pools, ceil mode included', () => {
    fc.assert(
      fc.property(fc.record({ h: fc.integer({ min: 1, max: 12 }), k: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 1, max: 3 }), p: fc.integer({ min: 0, max: 2 }), ceil: fc.boolean() }), ({ h, k, s, p, ceil }) => {
        const r = run(call('MaxPool1d', [k], { stride: s, padding: p, ceil_mode: ceil }), [1, 1, h]);
        if (!r.ok) return;
        assert.equal(gatherDiagram(r.value)!.axes[0].output, constValue(r.value.axes[0].output));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('the panel\'s other views, from the same relation', () => {
  const seedExample = (): GatherDiagram => diagramOf('ConvTranspose2d', [1, 1, 3], { stride: 2, padding: 1, output_padding: 1 }, [1, 1, 2, 2]);

  it('compares conventions on the worked example of reference §2.3: TF SAME keeps full[0:4], PyTorch full[1:5]', () => {
    const d = seedExample();
    const comparison = compareConventions(d)!;
    assert.deepEqual(comparison.full, [5, 5]);
    const full = fullOutput(d, [1, 2, 3, 4], new Array(9).fill(1));
    assert.deepEqual(grid(full, 5), [
      [1, 1, 3, 2, 2],
      [1, 1, 3, 2, 2],
      [4, 4, 10, 6, 6],
      [3, 3, 7, 4, 4],
      [3, 3, 7, 4, 4],
    ]);
    const [torch, same, valid, upper, lower] = comparison.conventions;
    assert.deepEqual([torch.setting, torch.length, torch.crop], ['padding=1, output_padding=1', [4, 4], [1, 1]]);
    assert.deepEqual(grid(keep(full, comparison.full, torch), 4), [
      [1, 3, 2, 2],
      [4, 10, 6, 6],
      [3, 7, 4, 4],
      [3, 7, 4, 4],
    ]);
    assert.deepEqual(grid(keep(full, comparison.full, same), 4), [
      [1, 1, 3, 2],
      [1, 1, 3, 2],
      [4, 4, 10, 6],
      [3, 3, 7, 4],
    ]);
    assert.deepEqual([valid.length, valid.crop], [[5, 5], [0, 0]]);
    // ONNX SAME_UPPER gives TF's result, SAME_LOWER PyTorch's (reference §2.3), here at length i·s.
    assert.deepEqual(keep(full, comparison.full, upper), keep(full, comparison.full, same));
    assert.deepEqual(keep(full, comparison.full, lower), keep(full, comparison.full, torch));
  });

  it('counts the taps reaching each output: uneven (checkerboard) when the kernel is not divisible by the stride', () => {
    const uneven = overlapCounts(contributions(diagramOf('ConvTranspose1d', [1, 1, 3], { stride: 2 }, [1, 1, 4])));
    assert.deepEqual(uneven, [1, 1, 2, 1, 2, 1, 2, 1, 1]);
    const even = overlapCounts(contributions(diagramOf('ConvTranspose1d', [1, 1, 4], { stride: 2, padding: 1 }, [1, 1, 4])));
    assert.deepEqual(even, [1, 2, 2, 2, 2, 2, 2, 1]);
  });

  it('counts an output\'s taps on real inputs without listing them, as the lists would', () => {
    for (const d of [
      diagramOf('ConvTranspose2d', [1, 1, 4], { stride: 2, padding: 1 }, [1, 1, 5, 3]),
      diagramOf('ConvTranspose1d', [1, 1, 3], { stride: 2, padding: 3 }, [1, 1, 4]),
      diagramOf('Conv2d', [1, 1, 3], { stride: 2, padding: 1, dilation: 2 }, [1, 1, 7, 6]),
    ]) {
      const lists = contributions(d);
      assert.deepEqual(lists.map((_, flat) => realTapCount(d, flat)), lists.map((l) => l.length));
    }
  });

  it('lists which input cells and kernel taps contribute to an output cell, and where each input stamps', () => {
    const d = seedExample();
    const byOutput = contributions(d);
    // Output (1, 1) = 10 = 1 + 2 + 3 + 4: every input, each through the kernel's tap it meets.
    assert.deepEqual(byOutput[5], [{ input: 0, tap: 8 }, { input: 1, tap: 6 }, { input: 2, tap: 2 }, { input: 3, tap: 0 }]);
    const byInput = stamps(d, byOutput);
    assert.equal(byInput[0].length, 4); // input (0, 0) stamps the kernel cropped to 2×2 at the corner
    assert.deepEqual(byInput[3].map((s) => s.output), [5, 6, 7, 9, 10, 11, 13, 14, 15]);
  });

  it('lays the seeds\' 4×4 input, 3×3 kernel conv out as the 4×16 matrix C, and its transposed conv as Cᵀ', () => {
    const conv = layerMatrix(diagramOf('Conv2d', [1, 1, 3], {}, [1, 1, 4, 4]));
    assert.deepEqual([conv.rows, conv.columns, conv.nonzero], [4, 16, 36]);
    // Row 0: the kernel's 3 rows at input columns 0–2, 4–6, 8–10 (the seeds' sparse matrix).
    assert.deepEqual(conv.taps![0], [0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, -1, -1, -1, -1]);
    const transposed = layerMatrix(diagramOf('ConvTranspose2d', [1, 1, 3], {}, [1, 1, 2, 2]));
    assert.deepEqual([transposed.rows, transposed.columns], [16, 4]);
    assert.deepEqual(transposed.taps, conv.taps![0].map((_, c) => conv.taps!.map((row) => row[c])));
  });

  it('describes a matrix too large to draw by its size and nonzero count', () => {
    const big = layerMatrix(diagramOf('ConvTranspose2d', [1, 1, 4, 2, 1], {}, [1, 1, 64, 64]));
    // 64 inputs × 4 taps per axis, less the two the crop of padding=1 drops: 254² pairs.
    assert.deepEqual([big.rows, big.columns, big.nonzero, big.taps], [16384, 4096, 254 * 254, undefined]);
  });
});

describe('the diagram in words (aria-label)', () => {
  it('states the sizes of the issue\'s example: input 2×2, zero-inserted 3×3, padded 7×7, kernel 3×3, stride 1, output 5×5', () => {
    const d = diagramOf('ConvTranspose2d', [1, 1, 3], { stride: 2 }, [1, 1, 2, 2]);
    assert.equal(describeDiagram(d), 'transposed convolution: input 2×2, zero-inserted 3×3, padded 7×7, kernel 3×3, stride 1, output 5×5');
  });

  it('states a strided conv\'s stride and a crop', () => {
    assert.equal(describeDiagram(diagramOf('Conv2d', [1, 1, 3], { stride: 2, padding: 1 }, [1, 1, 6, 6])), 'convolution: input 6×6, padded 8×8, kernel 3×3, stride 2, output 3×3');
    assert.equal(describeDiagram(diagramOf('ConvTranspose1d', [1, 1, 3], { stride: 2, padding: 3 }, [1, 1, 4])), 'transposed convolution: input 4, zero-inserted 7, padded 7, cropped to 5, kernel 3, stride 1, output 3');
  });
});

describe('a 3-D layer, slice by slice', () => {
  it('draws the last two axes and keeps the depth axis for the slice picker', () => {
    const d = diagramOf('ConvTranspose3d', [1, 1, 3], { stride: 2, padding: 1 }, [1, 1, 3, 4, 4]);
    assert.deepEqual(d.axes.map((a) => a.output), [7, 7]);
    assert.equal(d.depth?.output, 5);
    // Output depth 0 reads (zero-inserted, padded by 1) cells 0–2: pad, input 0, zero.
    assert.deepEqual(depthInputs(d.depth, 0), [0]);
    assert.deepEqual(depthInputs(d.depth, 1), [0, 1]);
  });
});
