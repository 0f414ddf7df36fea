/**
 * View 2, scatter: input cell by input cell, the kernel scaled by the input's value is
 * stamped onto the output at stride spacing; where stamps overlap they add up. Hovering an
 * output cell lists the input cells and kernel taps that contribute to it.
 */
import { stamps } from '../../src/core/visual/connections';
import { board } from '../board';
import { cellSize, formatNumber } from '../svg';
import { cellName, plane, type ViewDef } from './context';

export const scatterView: ViewDef = {
  label: 'Scatter',
  steps: (ctx) => ctx.diagram.axes.reduce((n, a) => n * a.input, 1),
  unavailable: (ctx) => (ctx.diagram.family === 'pool' ? 'A pool does not stamp a kernel: its outputs take the max or mean of a window. See the sliding kernel.' : undefined),
  draw(ctx, step) {
    const d = ctx.diagram;
    const twoD = d.axes.length === 2;
    const inp = plane(d.axes, (a) => a.input);
    const out = plane(d.axes, (a) => a.output);
    const byInput = stamps(d, ctx.byOutput);
    const kernelCols = d.axes[d.axes.length - 1].kernel;
    const numbers = ctx.numbers;
    const hit = new Map(byInput[step].map((s) => [s.output, s.tap]));
    // Partial sums: what the output holds after the stamps of inputs 0 … step.
    const partial = ctx.byOutput.map((list) => list.filter((c) => c.input <= step));
    const tapName = (tap: number): string => (twoD ? `w(${Math.floor(tap / kernelCols)}, ${tap % kernelCols})` : `w[${tap}]`);

    const cell = cellSize(ctx.width, inp.cols + out.cols + 3, 34, ctx.zoom);
    const top = 32;
    const outX = Math.max((inp.cols + 3) * cell, 120);
    const pic = board(outX + out.cols * cell + 2, top + Math.max(inp.rows, out.rows) * cell + 8, `scatter: input ${d.axes.map((a) => a.input).join('×')} stamps a ${d.axes.map((a) => a.kernel).join('×')} kernel every ${d.axes.map((a) => a.stride).join('×')} cells onto the output ${d.axes.map((a) => a.output).join('×')}`, inp.rows * inp.cols + out.rows * out.cols);
    pic.text(0, 12, 'input', 'caption');
    pic.text(0, 26, 'one cell stamps at a time', 'caption faint');
    pic.text(outX, 12, 'output', 'caption');
    pic.text(outX, 26, 'stamps add up where they overlap', 'caption faint');
    pic.grid({
      x: 0,
      y: top,
      rows: inp.rows,
      cols: inp.cols,
      cell,
      classes: (r, c) => {
        const flat = r * inp.cols + c;
        return `kind-input ${flat === step ? 'out-current' : flat < step ? 'stamped' : ''}`;
      },
      label: (r, c) => (numbers ? formatNumber(numbers.input[r * inp.cols + c]) : undefined),
    });
    pic.grid({
      x: outX,
      y: top,
      rows: out.rows,
      cols: out.cols,
      cell,
      classes: (r, c) => {
        const flat = r * out.cols + c;
        return hit.has(flat) ? 'tap out-done' : partial[flat].length > 0 ? 'out-done' : 'out-todo';
      },
      label: (r, c) => {
        const flat = r * out.cols + c;
        if (!numbers || partial[flat].length === 0) return undefined;
        return formatNumber(partial[flat].reduce((s, x) => s + numbers.input[x.input] * numbers.kernel[x.tap], 0));
      },
      title: (r, c) => {
        const list = ctx.byOutput[r * out.cols + c];
        const name = cellName(r * out.cols + c, out.cols, twoD);
        return list.length === 0 ? `output ${name}: no input reaches it (only padding)` : `output ${name} = ${list.map((x) => `x${cellName(x.input, inp.cols, twoD)}·${tapName(x.tap)}`).join(' + ')}`;
      },
    });
    const value = numbers ? ` = ${formatNumber(numbers.input[step])}` : '';
    const status = `Step ${step + 1} of ${byInput.length}: input ${cellName(step, inp.cols, twoD)}${value} stamps the kernel onto ${byInput[step].length} output cells; overlapping stamps add up. Hover an output cell to see what contributes to it.`;
    return { element: pic.element, status };
  },
};
