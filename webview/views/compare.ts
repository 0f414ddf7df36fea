/**
 * View 5, compare: the same transposed conv in PyTorch, TF/Keras and ONNX conventions. All
 * compute one full output and keep a window of it; the window's start differs (the one-pixel
 * shift between PyTorch's `padding=1, output_padding=1` and TF's SAME).
 */
import { compareConventions, fullOutput } from '../../src/core/visual/compare';
import { board } from '../board';
import { cellSize, fit, formatNumber } from '../svg';
import type { ViewDef } from './context';
import type { Translation } from '../../src/core/translate';

/** The drawing, then the same layer written in each framework (computed by the core). */
function withTranslations(drawing: Element, translations: readonly Translation[]): Element {
  if (translations.length === 0) return drawing;
  const box = document.createElement('div');
  const list = document.createElement('dl');
  list.className = 'translations';
  const heading = document.createElement('h2');
  heading.textContent = 'The same layer in each framework';
  for (const t of translations) {
    const term = document.createElement('dt');
    term.textContent = t.exact ? t.name : `${t.name} — no single layer keeps this window: the full output is sliced`;
    const def = document.createElement('dd');
    const code = document.createElement('pre');
    code.textContent = t.code;
    def.append(code);
    if (t.note) def.append(Object.assign(document.createElement('p'), { className: 'note', textContent: t.note }));
    list.append(term, def);
  }
  box.append(drawing, heading, list);
  return box;
}

export const compareView: ViewDef = {
  label: 'Compare',
  steps: () => 1,
  unavailable: (ctx) => (compareConventions(ctx.diagram) ? undefined : 'Frameworks differ in how they crop a transposed convolution’s output; put the cursor on a transposed convolution to compare them.'),
  draw(ctx) {
    const d = ctx.diagram;
    const comparison = compareConventions(d)!;
    const numbers = ctx.view.numbers;
    const full = numbers ? fullOutput(d, numbers.input, numbers.kernel) : undefined;
    const twoD = d.axes.length === 2;
    const F = comparison.full;
    // Each block shows the full output, grown to hold a window that runs past its end.
    const extent = F.map((f, k) => Math.max(f, ...comparison.conventions.map((c) => c.crop[k] + c.length[k])));
    const [rows, cols] = twoD ? [extent[0], extent[1]] : [1, extent[0]];
    const perRow = Math.max(1, Math.min(3, Math.floor(ctx.width / 230)));
    const cell = cellSize(ctx.width / perRow, cols + 1, 24, ctx.zoom);
    const blockW = Math.max(cols * cell + 16, 210);
    const blockH = 50 + rows * cell + 12;
    const pic = board(perRow * blockW, Math.ceil(comparison.conventions.length / perRow) * blockH, `compare: the full output is ${F.join('×')}; each framework keeps a window of it`, comparison.conventions.length * rows * cols);
    const range = (from: number, length: number): string => (length === 1 ? `${from}` : `${from}–${from + length - 1}`);
    comparison.conventions.forEach((conv, n) => {
      const x = (n % perRow) * blockW;
      const y = Math.floor(n / perRow) * blockH;
      const kept = twoD ? `rows ${range(conv.crop[0], conv.length[0])}, cols ${range(conv.crop[1], conv.length[1])}` : `cells ${range(conv.crop[0], conv.length[0])}`;
      pic.text(x, y + 12, conv.framework, 'caption strong');
      pic.text(x, y + 26, fit(conv.setting, blockW - 14), 'caption');
      pic.text(x, y + 40, fit(`keeps ${kept} → ${conv.length.join('×')}`, blockW - 14), 'caption faint');
      const inside = (r: number, c: number): boolean => (twoD ? r >= conv.crop[0] && r < conv.crop[0] + conv.length[0] && c >= conv.crop[1] && c < conv.crop[1] + conv.length[1] : c >= conv.crop[0] && c < conv.crop[0] + conv.length[0]);
      const beyond = (r: number, c: number): boolean => (twoD ? r >= F[0] || c >= F[1] : c >= F[0]);
      pic.grid({
        x,
        y: y + 48,
        rows,
        cols,
        cell,
        classes: (r, c) => `${beyond(r, c) ? 'kind-pad' : 'kind-input'}${inside(r, c) ? ' kept' : ' dropped'}`,
        label: (r, c) => (full && !beyond(r, c) ? formatNumber(full[(twoD ? r * F[1] : 0) + c]) : beyond(r, c) && inside(r, c) ? '0' : undefined),
      });
    });
    const [torch, same] = comparison.conventions;
    const shift = torch.crop.map((c, k) => c - same.crop[k]);
    const status = `The full output is ${F.join('×')}. PyTorch keeps it from ${torch.crop.join(', ')}; TF/Keras SAME from ${same.crop.join(', ')}${torch.length.every((l, k) => l === same.length[k]) && shift.some((s) => s !== 0) ? ` — the same size, shifted by ${shift.join(', ')}` : ''}. Cells past the end of the full output are zeros.`;
    return { element: withTranslations(pic.element, ctx.view.translations ?? []), status };
  },
};
