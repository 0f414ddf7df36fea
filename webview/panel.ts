/**
 * The visualization panel's script: takes what the extension sends (checked on arrival),
 * draws it, and runs the step controls. Its state (layer, step, numbers mode, speed) is kept
 * with setState, so hiding the panel or reloading the window brings back the same picture.
 */
import { isHostMessage, panelState, type HostMessage, type PanelState, type WebviewMessage } from '../src/core/visual/protocol';
import type { PanelView } from '../src/core/visual/panelView';
import { drawStep, formatNumber, stepCount } from './draw';
import { registerToolkit } from './toolkit';

registerToolkit();
const vscode = acquireVsCodeApi();
let state: PanelState = panelState(vscode.getState());
let view: Extract<PanelView, { kind: 'diagram' }> | undefined;
let timer: number | undefined;

const app = document.getElementById('app')!;

function save(next: Partial<PanelState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Only messages of our protocol are acted on.
  if (isHostMessage(event.data)) receive(event.data);
});

function receive(message: HostMessage): void {
  if (message.type === 'idle') {
    stop();
    view = undefined;
    renderMessage('Conv Lens', message.message);
    return;
  }
  const sameLayer = state.source?.uri === message.source.uri && view !== undefined && message.view.kind === 'diagram' && view.title === message.view.title;
  save({ source: message.source, ...(sameLayer ? {} : { step: 0 }) });
  if (message.view.kind === 'message') {
    stop();
    view = undefined;
    renderMessage(message.view.title, message.view.message);
    return;
  }
  view = message.view;
  render();
}

function renderMessage(title: string, message: string): void {
  app.replaceChildren(heading(title), paragraph(message, 'message'));
}

function render(): void {
  if (!view) return;
  const steps = stepCount(view.diagram);
  const step = Math.min(state.step, Math.max(0, steps - 1));
  const numbers = state.numbers ? view.numbers : undefined;
  const { svg, info } = drawStep(view.diagram, step, numbers, Math.max(320, app.clientWidth));
  const where = info.output.length === 2 ? `(${info.output[0]}, ${info.output[1]})` : `[${info.output[0]}]`;
  const caption = `Step ${step + 1} of ${steps}: output ${where} reads ${info.taps} kernel taps, ${info.realTaps} of them on real inputs${view.diagram.family === 'convTranspose' ? ' (the others hit inserted zeros or padding)' : ''}${info.value !== undefined ? ` → ${formatNumber(info.value)}` : ''}.`;

  const figure = document.createElement('figure');
  figure.className = 'figure';
  figure.tabIndex = 0;
  figure.setAttribute('aria-label', 'Sliding-kernel diagram. Left and right arrow keys step, space plays or pauses.');
  figure.addEventListener('keydown', onKey);
  figure.append(svg, paragraph(caption, 'step-caption'));

  app.replaceChildren(heading(view.title), paragraph(`${view.shapes} · ${view.window}`, 'shapes'), controls(step, steps), figure, legend(), ...view.diagram.notes.map((n) => paragraph(n, 'note')));
  if (!view.numbers && state.numbers) app.append(paragraph('Numbers mode shows values for convolutions; a pool is drawn by structure only.', 'note'));
}

function controls(step: number, steps: number): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'controls';
  bar.append(
    button('Step back', '◀', () => go(step - 1), step === 0),
    button(timer === undefined ? 'Play' : 'Pause', timer === undefined ? '▶ Play' : '❚❚ Pause', toggle, steps <= 1),
    button('Step forward', '▶', () => go(step + 1), step >= steps - 1),
  );
  const scrub = document.createElement('input');
  scrub.type = 'range';
  scrub.min = '0';
  scrub.max = String(Math.max(0, steps - 1));
  scrub.value = String(step);
  scrub.className = 'scrub';
  scrub.setAttribute('aria-label', 'Step');
  scrub.addEventListener('input', () => go(Number(scrub.value)));

  const speed = document.createElement('vscode-dropdown');
  speed.setAttribute('aria-label', 'Speed');
  for (const [ms, name] of [
    [1000, 'Slow'],
    [500, 'Normal'],
    [150, 'Fast'],
  ] as const) {
    const option = document.createElement('vscode-option');
    option.setAttribute('value', String(ms));
    option.textContent = name;
    if (ms === state.speed) option.setAttribute('selected', '');
    speed.append(option);
  }
  speed.addEventListener('change', () => {
    save({ speed: Number((speed as HTMLElement & { value: string }).value) });
    if (timer !== undefined) {
      stop();
      toggle();
    }
  });

  const numbers = document.createElement('vscode-checkbox');
  numbers.textContent = 'Numbers';
  if (state.numbers) numbers.setAttribute('checked', '');
  numbers.addEventListener('change', () => {
    save({ numbers: (numbers as HTMLElement & { checked: boolean }).checked });
    render();
  });
  bar.append(scrub, speed, numbers);
  return bar;
}

function button(label: string, content: string, onClick: () => void, disabled: boolean): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', 'secondary');
  b.setAttribute('aria-label', label);
  b.title = label;
  b.textContent = content;
  if (disabled) b.setAttribute('disabled', '');
  b.addEventListener('click', onClick);
  return b;
}

function go(step: number): void {
  if (!view) return;
  const steps = stepCount(view.diagram);
  save({ step: Math.max(0, Math.min(steps - 1, step)) });
  render();
}

function toggle(): void {
  if (timer !== undefined) {
    stop();
    render();
    return;
  }
  if (view && state.step >= stepCount(view.diagram) - 1) save({ step: 0 });
  timer = window.setInterval(() => {
    if (!view || state.step >= stepCount(view.diagram) - 1) {
      stop();
      render();
      return;
    }
    go(state.step + 1);
  }, state.speed);
  render();
}

function stop(): void {
  if (timer !== undefined) window.clearInterval(timer);
  timer = undefined;
}

function onKey(event: KeyboardEvent): void {
  if (event.key === 'ArrowRight') go(state.step + 1);
  else if (event.key === 'ArrowLeft') go(state.step - 1);
  else if (event.key === 'Home') go(0);
  else if (event.key === 'End' && view) go(stepCount(view.diagram) - 1);
  else if (event.key === ' ') toggle();
  else return;
  event.preventDefault();
  // The figure is rebuilt on every step: keep the keyboard on it.
  app.querySelector<HTMLElement>('.figure')?.focus();
}

function legend(): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'legend';
  const entries: [string, string][] = [
    ['kind-input', 'input'],
    ['kind-zero', 'inserted zero'],
    ['kind-pad', 'padding'],
    ['kind-cropped', 'cropped'],
    ['unread', 'never read'],
    ['tap', 'kernel tap'],
  ];
  for (const [cls, name] of entries) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = `swatch ${cls}`;
    item.append(swatch, document.createTextNode(name));
    list.append(item);
  }
  return list;
}

function heading(content: string): HTMLElement {
  const h = document.createElement('h1');
  h.textContent = content;
  return h;
}

function paragraph(content: string, cls: string): HTMLElement {
  const p = document.createElement('p');
  p.className = cls;
  p.textContent = content;
  return p;
}

window.addEventListener('resize', () => render());
send({ type: 'ready' });
