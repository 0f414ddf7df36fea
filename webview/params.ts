/**
 * The editable parameters: one row per parameter, one field per drawn axis. Every change
 * redraws at once (the core recomputes the edited layer in the page); "Apply to source"
 * asks the extension to write them into the layer call, "Reset" goes back to the source's.
 */
import { axisNames } from '../src/core/shape';
import type { Editable, EditableAxis } from '../src/core/visual/edit';

type Field = 'input' | 'kernel' | 'stride' | 'padding' | 'outputPadding' | 'dilation';

const FIELDS: readonly { key: Field; label: string; min: number }[] = [
  { key: 'input', label: 'input size (drawing only)', min: 1 },
  { key: 'kernel', label: 'kernel', min: 1 },
  { key: 'stride', label: 'stride', min: 1 },
  { key: 'padding', label: 'padding', min: 0 },
  { key: 'outputPadding', label: 'output_padding', min: 0 },
  { key: 'dilation', label: 'dilation', min: 1 },
];

/** Inputs larger than this are not drawn cell by cell (see gather.ts). */
const MAX_INPUT = 64;

export interface ParamsCallbacks {
  /** Valid numbers in every field: redraw with them. */
  change(axes: EditableAxis[]): void;
  apply(axes: EditableAxis[]): void;
  reset(): void;
}

/** The form, its fields made at once when `open` (it was open before a redraw), else on first opening. */
export function paramsForm(editable: Editable, current: readonly EditableAxis[], open: boolean, on: ParamsCallbacks): HTMLDetailsElement & { say(text: string): void } {
  const details = document.createElement('details');
  details.className = 'params';
  const summary = document.createElement('summary');
  summary.textContent = 'Parameters';
  details.append(summary);

  const names = axisNames(current.length);
  const fields = new Map<string, HTMLElement & { value: string }>();
  const message = document.createElement('p');
  message.className = 'params-message';
  message.setAttribute('role', 'status');
  // The fields are made when the section is first opened: a dozen toolkit fields cost more
  // than the rest of the panel's first paint, and most openings never look at them.
  if (open) build();
  else details.addEventListener('toggle', () => details.open && fields.size === 0 && build());
  details.open = open;

  function build(): void {
    const table = document.createElement('div');
    table.className = 'params-grid';
    table.style.setProperty('--axes', String(current.length));
    table.append(cell(''), ...names.map((n) => cell(n, 'axis-name')));
    for (const f of FIELDS) {
      if (f.key === 'outputPadding' && editable.kind !== 'convTranspose') continue;
      table.append(cell(f.label, 'param-name'));
      current.forEach((axis, k) => {
        const input = document.createElement('vscode-text-field') as HTMLElement & { value: string };
        input.setAttribute('value', String(axis[f.key]));
        input.setAttribute('size', '4');
        // The toolkit labels a field by its content (an aria-label would be replaced): the label
        // is there for screen readers and hidden on screen, where the grid's headers say it.
        input.textContent = `${f.label}, ${names[k]}`;
        input.dataset.param = `${f.key}:${names[k]}`;
        input.addEventListener('input', () => read());
        fields.set(`${f.key}:${k}`, input);
        table.append(input);
      });
    }
    const buttons = document.createElement('div');
    buttons.className = 'params-buttons';
    const apply = document.createElement('vscode-button');
    apply.textContent = 'Apply to source';
    apply.addEventListener('click', () => {
      const axes = values();
      if (axes) on.apply(axes);
    });
    const reset = document.createElement('vscode-button');
    reset.setAttribute('appearance', 'secondary');
    reset.textContent = 'Reset';
    reset.addEventListener('click', () => on.reset());
    buttons.append(apply, reset);
    details.append(table, buttons, message);
  }

  /** The fields' numbers, or undefined (with a message) when one is not a valid number. */
  function values(): EditableAxis[] | undefined {
    const axes: EditableAxis[] = [];
    for (let k = 0; k < current.length; k++) {
      const axis: Record<Field, number> = { ...current[k] };
      for (const f of FIELDS) {
        const field = fields.get(`${f.key}:${k}`);
        if (!field) continue;
        const text = field.value.trim();
        const n = Number(text);
        const max = f.key === 'input' ? MAX_INPUT : 1000;
        if (!/^\d+$/.test(text) || n < f.min || n > max) {
          message.textContent = `${f.label} (${names[k]}) must be a whole number from ${f.min} to ${max}.`;
          return undefined;
        }
        axis[f.key] = n;
      }
      axes.push(axis);
    }
    message.textContent = '';
    return axes;
  }

  function read(): void {
    const axes = values();
    if (axes) on.change(axes);
  }

  return Object.assign(details, {
    /** Shows why the engine refuses the edited layer (or clears it). */
    say(text: string): void {
      message.textContent = text;
    },
  });
}

function cell(text: string, cls = ''): HTMLElement {
  const span = document.createElement('span');
  span.className = cls;
  span.textContent = text;
  return span;
}
