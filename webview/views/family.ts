/**
 * View 6, the upsampling family: the seeds' question "are upsampling and transposed
 * convolution the same?" answered on this layer's numbers — one input upsampled by the
 * layer's stride in five ways, and by the layer itself, side by side.
 */
import { defaultInput } from '../../src/core/visual/examples';
import { upsamplingFamily, type Signal } from '../../src/core/visual/upsampling';
import { board } from '../board';
import { cellSize, fit, formatNumber } from '../svg';
import type { ViewDef } from './context';

export const familyView: ViewDef = {
  label: 'Upsampling family',
  steps: () => 1,
  unavailable: (ctx) =>
    ctx.diagram.family !== 'convTranspose'
      ? 'The upsampling family compares ways to enlarge an input; put the cursor on a transposed convolution.'
      : ctx.diagram.axes.some((a) => a.stride < 2)
        ? 'This transposed convolution has stride 1: it does not upsample, so there is no family to compare it with.'
        : undefined,
  draw(ctx) {
    const d = ctx.diagram;
    // A 3-D layer has no numbers of its own (a slice also sums over depth): the family is
    // shown on the default example, without the layer's own output.
    const numbers = ctx.view.numbers;
    const size = d.axes.map((a) => a.input);
    const input: Signal = { size, values: numbers?.input ?? defaultInput(size.reduce((n, x) => n * x, 1)) };
    const scale = d.axes.map((a) => a.stride);
    const members = [
      { name: 'Input', how: `${input.size.join(' × ')}, the values of numbers mode`, result: input },
      ...upsamplingFamily(input, scale),
      ...(numbers ? [{ name: `This ${d.layerType}`, how: `its own window, numbers mode's kernel`, result: { size: d.axes.map((a) => a.output), values: numbers.output } }] : []),
    ];
    const twoD = d.axes.length === 2;
    const widest = Math.max(...members.map((m) => m.result.size[m.result.size.length - 1]));
    const perRow = Math.max(1, Math.min(3, Math.floor(ctx.width / 240)));
    const cell = cellSize(ctx.width / perRow, widest + 1, 26, ctx.zoom);
    const blockW = Math.max(widest * cell + 16, 230);
    const tallest = twoD ? Math.max(...members.map((m) => m.result.size[0])) : 1;
    const blockH = 36 + tallest * cell + 14;
    const pic = board(perRow * blockW, Math.ceil(members.length / perRow) * blockH, `upsampling family: the ${input.size.join('×')} input enlarged ${scale.join('×')} by nearest, bilinear, bed of nails, max-unpooling, a bilinear transposed conv, and this layer`, members.reduce((n, m) => n + m.result.values.length, 0));
    members.forEach((m, n) => {
      const x = (n % perRow) * blockW;
      const y = Math.floor(n / perRow) * blockH;
      pic.text(x, y + 12, m.name, 'caption strong');
      pic.text(x, y + 26, fit(m.how, blockW - 14), 'caption faint');
      const [rows, cols] = twoD ? m.result.size : [1, m.result.size[0]];
      const max = Math.max(1e-9, ...m.result.values.map(Math.abs));
      pic.grid({
        x,
        y: y + 34,
        rows,
        cols,
        cell,
        classes: (r, c) => (m.result.values[r * cols + c] === 0 ? 'kind-zero' : 'heat'),
        opacity: (r, c) => (m.result.values[r * cols + c] === 0 ? undefined : 0.15 + (0.7 * Math.abs(m.result.values[r * cols + c])) / max),
        label: (r, c) => formatNumber(m.result.values[r * cols + c]),
        title: () => m.how,
      });
    });
    const status = `Bed of nails is the transposed conv's first step (zero insertion); with its kernel fixed to the bilinear filter, a transposed conv equals bilinear upsampling away from the borders. Nearest, bilinear and unpooling have no weights; a transposed conv learns its kernel.`;
    return { element: pic.element, status };
  },
};
