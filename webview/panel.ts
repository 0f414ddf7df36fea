/**
 * The visualization panel's script: takes what the extension sends (checked on arrival),
 * draws the chosen view, and runs the step controls. The page's skeleton and controls are
 * built once and only updated, so nothing jumps while animating. Its state (layer, view,
 * step, numbers mode, speed) is kept with setState, so hiding the panel or reloading the
 * window brings back the same picture.
 */
import { isHostMessage, PANEL_VIEWS, panelState, type HostMessage, type PanelChain, type PanelState, type PanelViewId, type WebviewMessage } from '../src/core/visual/protocol';
import { exampleKernel } from '../src/core/visual/examples';
import { editedPanelView } from '../src/core/visual/panelView';
import { numbersBar } from './numbers';
import { paramsForm } from './params';
import { registerToolkit } from './toolkit';
import { contributions, weightedSums } from '../src/core/visual/connections';
import type { DiagramView, Drawing, ViewContext } from './views/context';
import { VIEWS } from './views/index';

registerToolkit();
const vscode = acquireVsCodeApi();
let state: PanelState = panelState(vscode.getState());
/** The layer as the source states it, and as drawn (the same, or with the edited parameters). */
let sourceView: DiagramView | undefined;
let layer: DiagramView | undefined;
let form: ReturnType<typeof paramsForm> | undefined;
let timer: number | undefined;

function save(next: Partial<PanelState>): void {
  state = { ...state, ...next };
  vscode.setState(state);
}

function send(message: WebviewMessage): void {
  vscode.postMessage(message);
}

// ---- the skeleton, built once ----
function make<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, parent: HTMLElement): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = cls;
  parent.append(node);
  return node;
}

const app = document.getElementById('app')!;
const title = make('h1', 'title', app);
const shapes = make('p', 'shapes', app);
// A selection of several layers: which one to draw (kept outside the body: a layer without
// a drawing, like a BatchNorm2d, hides the body but must leave the picker).
const picker = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
picker.className = 'picker';
picker.setAttribute('aria-label', 'Layer of the selection');
picker.addEventListener('change', () => send({ type: 'pick', index: Number(picker.value) }));
app.append(picker);
let pickerShown = '';
const message = make('p', 'message', app);
const body = make('div', 'body', app);

const tabs = make('div', 'tabs', body);
tabs.setAttribute('role', 'tablist');
tabs.setAttribute('aria-label', 'Views');
const tabButtons = new Map<PanelViewId, HTMLElement>();
for (const id of PANEL_VIEWS) {
  const tab = toolkitButton(VIEWS[id].label, VIEWS[id].label, () => choose(id));
  tab.setAttribute('role', 'tab');
  tabButtons.set(id, tab);
  tabs.append(tab);
}

const controls = make('div', 'controls', body);
const back = iconButton('Step back', 'chevron-left', () => go(state.step - 1));
const play = iconButton('Play', 'play', toggle);
const forward = iconButton('Step forward', 'chevron-right', () => go(state.step + 1));
const scrub = document.createElement('input');
scrub.type = 'range';
scrub.className = 'scrub';
scrub.setAttribute('aria-label', 'Step');
scrub.addEventListener('input', () => go(Number(scrub.value)));
const speed = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
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
  save({ speed: Number(speed.value) });
  if (timer !== undefined) {
    stop();
    toggle();
  }
});
const numbers = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
numbers.textContent = 'Numbers';
if (state.numbers) numbers.setAttribute('checked', '');
numbers.addEventListener('change', () => {
  save({ numbers: numbers.checked });
  render();
});
// A 3-D layer's output depth slice (hidden for 1-D and 2-D layers).
const depth = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
depth.setAttribute('aria-label', 'Depth slice');
depth.addEventListener('change', () => {
  save({ depth: Number(depth.value) });
  render();
});
controls.append(back, play, forward, scrub, speed, depth, numbers);
const numbersSlot = make('div', 'numbers-slot', body);
const paramsSlot = make('div', 'params-slot', body);
/** Values the user typed in numbers mode, while they fit the layer drawn. */
let typed: { input?: number[]; kernel?: number[] } = {};

const figure = make('figure', 'figure', body);
figure.tabIndex = 0;
figure.setAttribute('aria-label', 'Diagram. Left and right arrow keys step, Home and End jump, Space plays or pauses.');
figure.addEventListener('keydown', onKey);
const status = make('p', 'status', body);
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const legend = make('ul', 'legend', body);
for (const [cls, name] of [
  ['kind-input', 'input'],
  ['kind-zero', 'inserted zero'],
  ['kind-pad', 'padding'],
  ['kind-cropped', 'cropped'],
  ['unread', 'never read'],
  ['tap', 'kernel tap'],
]) {
  const item = make('li', '', legend);
  make('span', `swatch ${cls}`, item);
  item.append(document.createTextNode(name));
}
const notes = make('div', 'notes', body);

// ---- messages ----
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  // Only messages of our protocol are acted on; anything else is logged and dropped.
  if (isHostMessage(event.data)) receive(event.data);
  else console.warn('Conv Lens panel: ignored a message that is not part of its protocol');
});

function receive(m: HostMessage): void {
  buildPicker(m.type === 'view' ? m.chain : undefined);
  if (m.type === 'idle') {
    stop();
    layer = sourceView = undefined;
    showMessage('Conv Lens', m.message);
    return;
  }
  if (m.view.kind === 'message') {
    stop();
    layer = sourceView = undefined;
    save({ source: m.source });
    showMessage(m.view.title, m.view.message);
    return;
  }
  // The same layer as before (also after a reload): keep the step; another layer starts over.
  const same = state.source?.uri === m.source.uri && state.layer === m.view.title;
  if (!same) typed = {};
  save({ source: m.source, layer: m.view.title, ...(same ? {} : { step: 0 }) });
  const edited = same && layer !== sourceView;
  sourceView = m.view;
  if (!edited) {
    layer = m.view;
    buildForm();
  }
  buildDepth();
  render();
}

function buildPicker(chain: PanelChain | undefined): void {
  picker.hidden = chain === undefined;
  const key = chain ? JSON.stringify(chain) : '';
  if (key === pickerShown) return;
  pickerShown = key;
  picker.replaceChildren(
    ...(chain?.layers ?? []).map((title, i) => {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', String(i));
      option.textContent = title;
      if (i === chain?.index) option.setAttribute('selected', '');
      return option;
    }),
  );
}

function buildDepth(): void {
  const slices = layer?.diagram.depth?.output ?? 0;
  depth.hidden = slices === 0;
  if (state.depth >= Math.max(1, slices)) save({ depth: 0 });
  depth.replaceChildren(
    ...Array.from({ length: slices }, (_, z) => {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', String(z));
      option.textContent = `depth ${z} of ${slices}`;
      if (z === state.depth) option.setAttribute('selected', '');
      return option;
    }),
  );
}

/** The parameters form for the source's layer (rebuilt only when the layer changes, so typing keeps its focus). */
function buildForm(): void {
  const editable = sourceView?.editable;
  form = editable
    ? paramsForm(editable, editable.axes, {
        change(axes) {
          const edited = editedPanelView(editable, axes);
          if (edited.kind === 'message') {
            form?.say(edited.message);
            return;
          }
          layer = edited;
          render();
        },
        apply(axes) {
          if (state.source) send({ type: 'apply', source: state.source, axes: axes.map(({ input: _input, ...config }) => config) });
        },
        reset() {
          layer = sourceView;
          buildForm();
          render();
        },
      })
    : undefined;
  paramsSlot.replaceChildren(...(form ? [form] : []));
}

function showMessage(heading: string, text: string): void {
  title.textContent = heading;
  shapes.textContent = '';
  message.textContent = text;
  body.hidden = true;
}

// ---- drawing ----
function render(): void {
  if (!layer) return;
  body.hidden = false;
  message.textContent = '';
  title.textContent = layer.title;
  shapes.textContent = `${layer.shapes} · ${layer.window} · ${layer.channels}`;
  for (const [id, tab] of tabButtons) {
    const selected = id === state.view;
    tab.setAttribute('appearance', selected ? 'primary' : 'secondary');
    tab.setAttribute('aria-selected', String(selected));
  }
  const ctx = contextNow(layer);
  buildNumbers(ctx.view);
  const view = VIEWS[state.view];
  const unavailable = view.unavailable(ctx);
  const steps = unavailable ? 1 : view.steps(ctx);
  const step = Math.min(state.step, steps - 1);
  setDisabled(back, unavailable !== undefined || step === 0);
  setDisabled(forward, unavailable !== undefined || step >= steps - 1);
  setDisabled(play, unavailable !== undefined || steps <= 1);
  setIcon(play, timer === undefined ? 'play' : 'debug-pause');
  play.setAttribute('aria-label', timer === undefined ? 'Play' : 'Pause');
  play.title = timer === undefined ? 'Play (Space)' : 'Pause (Space)';
  scrub.max = String(steps - 1);
  scrub.value = String(step);
  scrub.disabled = unavailable !== undefined || steps <= 1;
  legend.hidden = state.view !== 'gather';
  if (unavailable) {
    drawn = undefined;
    figure.replaceChildren();
    status.textContent = unavailable;
  } else if (drawn?.ctx === ctx && drawn.view === state.view && drawn.drawing.update) {
    // The same picture at another step: repaint only what changes.
    status.textContent = drawn.drawing.update(step);
  } else {
    const drawing = view.draw(ctx, step);
    drawn = { ctx, view: state.view, drawing };
    figure.replaceChildren(drawing.element);
    status.textContent = drawing.status;
  }
  const extra = [...layer.diagram.notes];
  if (state.numbers && !layer.numbers) extra.push(layer.diagram.depth ? 'Numbers mode shows values for 1-D and 2-D layers; a 3-D slice also sums over the depth taps.' : 'Numbers mode shows values for convolutions; a pool is drawn by its structure only.');
  notes.replaceChildren(...extra.map((n) => Object.assign(document.createElement('p'), { className: 'note', textContent: n })));
}

/** What the views draw from, worked out again only when the layer or a setting changes (not per step). */
let cached: { key: readonly unknown[]; ctx: ViewContext } | undefined;
let drawn: { ctx: ViewContext; view: PanelViewId; drawing: Drawing } | undefined;

function contextNow(view: DiagramView): ViewContext {
  const width = Math.max(320, app.clientWidth);
  const key = [view, state.numbers, state.kernel, typed, width, state.depth];
  if (cached && key.every((k, i) => k === cached!.key[i])) return cached.ctx;
  const byOutput = contributions(view.diagram);
  // Numbers mode's current input and kernel: typed ones, or the chosen example.
  let shown = view;
  if (view.numbers) {
    const input = typed.input?.length === view.numbers.input.length ? typed.input : view.numbers.input;
    const kernel = typed.kernel?.length === view.numbers.kernel.length ? typed.kernel : exampleKernel(state.kernel, view.diagram.axes.map((a) => a.kernel));
    shown = { ...view, numbers: { input, kernel, output: weightedSums(byOutput, input, kernel) } };
  }
  const slices = view.diagram.depth?.output ?? 1;
  const ctx: ViewContext = { view: shown, diagram: view.diagram, numbers: state.numbers ? shown.numbers : undefined, byOutput, width, depth: Math.min(state.depth, slices - 1) };
  cached = { key, ctx };
  return ctx;
}

let numbersShown = '';
/** The numbers bar, rebuilt only when what it shows changes (typing keeps its focus). */
function buildNumbers(view: DiagramView): void {
  const key = state.numbers && view.numbers ? JSON.stringify([state.kernel, view.numbers.input, view.numbers.kernel]) : '';
  if (key === numbersShown) return;
  numbersShown = key;
  numbersSlot.replaceChildren(
    ...(key && view.numbers
      ? [
          numbersBar(state.kernel, view.numbers.input, view.numbers.kernel, {
            choose(kernel) {
              typed = { ...typed, kernel: undefined };
              save({ kernel });
              render();
            },
            input(values) {
              typed = { ...typed, input: values };
              render();
            },
            kernel(values) {
              typed = { ...typed, kernel: values };
              render();
            },
          }),
        ]
      : []),
  );
}

function setDisabled(node: HTMLElement, disabled: boolean): void {
  if (disabled) node.setAttribute('disabled', '');
  else node.removeAttribute('disabled');
}

/** A toolbar button showing a codicon, named for screen readers and in its tooltip. */
function iconButton(label: string, icon: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', 'icon');
  b.setAttribute('aria-label', label);
  b.title = label;
  setIcon(b, icon);
  b.addEventListener('click', onClick);
  return b;
}

function setIcon(button: HTMLElement, icon: string): void {
  const span = document.createElement('span');
  span.className = `codicon codicon-${icon}`;
  button.replaceChildren(span);
}

function toolkitButton(label: string, content: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('appearance', 'secondary');
  b.setAttribute('aria-label', label);
  b.title = label;
  b.textContent = content;
  b.addEventListener('click', onClick);
  return b;
}

// ---- stepping ----
function stepsNow(): number {
  if (!layer) return 1;
  const ctx = contextNow(layer);
  const view = VIEWS[state.view];
  return view.unavailable(ctx) ? 1 : view.steps(ctx);
}

function choose(id: PanelViewId): void {
  stop();
  save({ view: id, step: 0 });
  render();
}

function go(step: number): void {
  save({ step: Math.max(0, Math.min(stepsNow() - 1, step)) });
  render();
}

function toggle(): void {
  if (timer !== undefined) {
    stop();
    render();
    return;
  }
  if (state.step >= stepsNow() - 1) save({ step: 0 });
  timer = window.setInterval(() => {
    if (state.step >= stepsNow() - 1) {
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
  else if (event.key === 'End') go(stepsNow() - 1);
  else if (event.key === ' ') toggle();
  else return;
  event.preventDefault();
}

showMessage('Conv Lens', 'Loading…');
window.addEventListener('resize', () => render());
send({ type: 'ready' });
