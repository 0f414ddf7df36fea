/**
 * Numbers mode's inputs: which kernel (ones, FCN's bilinear filter, seeded random) and the
 * values themselves, editable as text (row by row). The core computes the outputs.
 */
import { KERNEL_CHOICES, parseValues, type KernelChoice } from '../src/core/visual/examples';
import { formatNumber } from './svg';

export interface NumbersCallbacks {
  choose(kernel: KernelChoice): void;
  /** Typed values that parse (undefined: back to the defaults). */
  input(values: number[] | undefined): void;
  kernel(values: number[] | undefined): void;
}

export function numbersBar(choice: KernelChoice, input: readonly number[], kernel: readonly number[], on: NumbersCallbacks): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'numbers-bar';
  const dropdown = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  dropdown.setAttribute('aria-label', 'Example kernel');
  for (const k of KERNEL_CHOICES) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', k.id);
    option.textContent = k.label;
    if (k.id === choice) option.setAttribute('selected', '');
    dropdown.append(option);
  }
  dropdown.addEventListener('change', () => on.choose(dropdown.value as KernelChoice));
  const message = document.createElement('p');
  message.className = 'params-message';
  message.setAttribute('role', 'status');
  const field = (label: string, values: readonly number[], key: 'input' | 'kernel'): HTMLElement => {
    const f = document.createElement('vscode-text-field') as HTMLElement & { value: string };
    f.textContent = label;
    f.dataset.numbers = key;
    f.setAttribute('value', values.map(formatNumber).join(', '));
    f.addEventListener('change', () => {
      const text = f.value.trim();
      const parsed = text === '' ? undefined : parseValues(text, values.length);
      if (text !== '' && !parsed) {
        message.textContent = `${label}: type ${values.length} numbers, row by row (commas or spaces between them).`;
        return;
      }
      message.textContent = '';
      on[key](parsed);
    });
    return f;
  };
  bar.append(dropdown, field('Input values', input, 'input'), field('Kernel values', kernel, 'kernel'), message);
  return bar;
}
