/**
 * The visualization panel's script: takes what the extension sends (checked on arrival),
 * draws the chosen view, and runs the step controls. The page's skeleton and controls are
 * built once and only updated, so nothing jumps while animating. Its state (layer, view,
 * step, numbers mode, speed) is kept with setState, so hiding the panel or reloading the
 * window brings back the same picture.
 */
import { isHostMessage, PANEL_VIEWS, PANEL_ZOOMS, panelState, type HostMessage, type PanelChain, type PanelState, type PanelViewId, type WebviewMessage } from '../src/core/visual/protocol';
import { exampleKernel } from '../src/core/visual/examples';
import { editedPanelView } from '../src/core/visual/panelView';
import { forgetStyles } from './canvasGrid';
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
// Zoom: larger cells to read a large layer, smaller to see all of it; the figure pans by
// scrolling or dragging.
const zoomOut = iconButton('Zoom out (−)', 'zoom-out', () => zoomBy(-1));
const zoomLevel = document.createElement('span');
zoomLevel.className = 'zoom-level';
const zoomIn = iconButton('Zoom in (+)', 'zoom-in', () => zoomBy(1));
const zoomFit = iconButton('Fit the width (0)', 'screen-normal', () => zoomTo(1));
const zoom = document.createElement('span');
zoom.className = 'zoom';
zoom.append(zoomOut, zoomLevel, zoomIn, zoomFit);
controls.append(back, play, forward, scrub, speed, depth, numbers, zoom);
const numbersSlot = make('div', 'numbers-slot', body);
const paramsSlot = make('div', 'params-slot', body);
/** Values the user typed in numbers mode, while they fit the layer drawn. */
let typed: { input?: number[]; kernel?: number[] } = {};

const figure = make('figure', 'figure', body);
figure.tabIndex = 0;
figure.setAttribute('aria-label', 'Diagram. Left and right arrow keys step, Home and End jump, Space plays or pauses, plus and minus zoom, 0 fits the width.');
figure.addEventListener('keydown', onKey);
figure.addEventListener(
  'wheel',
  (event) => {
    // Ctrl+wheel (and a trackpad's pinch) zooms, as in VS Code's image preview; a plain wheel pans.
    if (!event.ctrlKey) return;
    event.preventDefault();
    zoomBy(event.deltaY < 0 ? 1 : -1);
  },
  { passive: false },
);
dragToPan(figure);
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
  if (!same) toTopLeft();
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
  const open = form?.open ?? false;
  form = editable
    ? paramsForm(editable, editable.axes, open, {
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
  const zoomAt = PANEL_ZOOMS.indexOf(state.zoom);
  setDisabled(zoomOut, zoomAt <= 0);
  setDisabled(zoomIn, zoomAt >= PANEL_ZOOMS.length - 1);
  setDisabled(zoomFit, state.zoom === 1);
  zoomLevel.textContent = `${Math.round(state.zoom * 100)}%`;
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
  const spot = drawn?.drawing.spot?.();
  if (spot) keepInView(spot);
  const extra = [...layer.diagram.notes];
  if (state.numbers && !layer.numbers) extra.push(layer.diagram.depth ? 'Numbers mode shows values for 1-D and 2-D layers; a 3-D slice also sums over the depth taps.' : 'Numbers mode shows values for convolutions; a pool is drawn by its structure only.');
  notes.replaceChildren(...extra.map((n) => Object.assign(document.createElement('p'), { className: 'note', textContent: n })));
}

/** What the views draw from, worked out again only when the layer or a setting changes (not per step). */
let cached: { key: readonly unknown[]; ctx: ViewContext } | undefined;
let drawn: { ctx: ViewContext; view: PanelViewId; drawing: Drawing } | undefined;

function contextNow(view: DiagramView): ViewContext {
  const width = Math.max(320, app.clientWidth);
  const key = [view, state.numbers, state.kernel, typed, width, state.depth, state.zoom];
  if (cached && key.every((k, i) => k === cached!.key[i])) return cached.ctx;
  // The relation and the values are worked out on first use: the sliding kernel of a large
  // layer needs neither (262,144 contributions for a 64×64 transposed conv with a 4×4 kernel).
  const byOutput = once(() => contributions(view.diagram));
  // Numbers mode's current input and kernel: typed ones, or the chosen example.
  let shown = view;
  if (view.numbers) {
    const input = typed.input?.length === view.numbers.input.length ? typed.input : view.numbers.input;
    const kernel = typed.kernel?.length === view.numbers.kernel.length ? typed.kernel : exampleKernel(state.kernel, view.diagram.axes.map((a) => a.kernel));
    const output = once(() => weightedSums(byOutput(), input, kernel));
    shown = {
      ...view,
      numbers: {
        input,
        kernel,
        get output() {
          return output();
        },
      },
    };
  }
  const slices = view.diagram.depth?.output ?? 1;
  const ctx: ViewContext = {
    view: shown,
    diagram: view.diagram,
    numbers: state.numbers ? shown.numbers : undefined,
    outputs: view.diagram.axes.reduce((n, a) => n * a.output, 1),
    get byOutput() {
      return byOutput();
    },
    width,
    zoom: state.zoom,
    depth: Math.min(state.depth, slices - 1),
  };
  cached = { key, ctx };
  return ctx;
}

/** `f`'s value, computed on the first call only. */
function once<T>(f: () => T): () => T {
  let value: { readonly v: T } | undefined;
  return () => (value ??= { v: f() }).v;
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

// ---- zoom and pan ----
function zoomBy(direction: 1 | -1): void {
  const at = PANEL_ZOOMS.indexOf(state.zoom);
  zoomTo(PANEL_ZOOMS[Math.max(0, Math.min(PANEL_ZOOMS.length - 1, at + direction))]);
}

/** Redraws at `zoom`, keeping the point at the figure's centre where it was. */
function zoomTo(zoom: number): void {
  if (zoom === state.zoom) return;
  const cx = (figure.scrollLeft + figure.clientWidth / 2) / Math.max(1, figure.scrollWidth);
  const cy = (figure.scrollTop + figure.clientHeight / 2) / Math.max(1, figure.scrollHeight);
  save({ zoom });
  render();
  figure.scrollLeft = cx * figure.scrollWidth - figure.clientWidth / 2;
  figure.scrollTop = cy * figure.scrollHeight - figure.clientHeight / 2;
}

/** Scrolls the figure just enough to show `spot` (the kernel window), when it is out of view. */
function keepInView(spot: { x: number; y: number; width: number; height: number }): void {
  const margin = 16;
  if (spot.x < figure.scrollLeft || spot.x + spot.width > figure.scrollLeft + figure.clientWidth) figure.scrollLeft = spot.x - margin;
  if (spot.y < figure.scrollTop || spot.y + spot.height > figure.scrollTop + figure.clientHeight) figure.scrollTop = spot.y - margin;
}

/** Dragging with the mouse pans a figure larger than the panel (a scroll bar is far away). */
function dragToPan(area: HTMLElement): void {
  let from: { x: number; y: number; left: number; top: number } | undefined;
  area.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || (area.scrollWidth <= area.clientWidth && area.scrollHeight <= area.clientHeight)) return;
    from = { x: event.clientX, y: event.clientY, left: area.scrollLeft, top: area.scrollTop };
    area.setPointerCapture(event.pointerId);
    area.classList.add('panning');
  });
  area.addEventListener('pointermove', (event) => {
    if (!from) return;
    area.scrollLeft = from.left - (event.clientX - from.x);
    area.scrollTop = from.top - (event.clientY - from.y);
  });
  const end = (): void => {
    from = undefined;
    area.classList.remove('panning');
  };
  area.addEventListener('pointerup', end);
  area.addEventListener('pointercancel', end);
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
  toTopLeft();
}

/** Another view or layer starts at its top left (not where the last one was panned to). */
function toTopLeft(): void {
  figure.scrollLeft = 0;
  figure.scrollTop = 0;
}

function go(step: number): void {
  const next = Math.max(0, Math.min(stepsNow() - 1, step));
  // Past the last step (or before the first) nothing changes: a still view is not redrawn.
  if (next === state.step && drawn) return;
  save({ step: next });
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
  else if (event.key === '+' || event.key === '=') zoomBy(1);
  else if (event.key === '-') zoomBy(-1);
  else if (event.key === '0') zoomTo(1);
  else return;
  event.preventDefault();
}

// VS Code switches the theme by setting new colour variables on <html> and a class on <body>:
// the canvas drawings, painted with resolved colours, are painted again.
const themeWatch = new MutationObserver(() => {
  forgetStyles();
  drawn = undefined;
  render();
});
themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });

showMessage('Conv Lens', 'Loading…');
window.addEventListener('resize', () => render());
send({ type: 'ready' });
