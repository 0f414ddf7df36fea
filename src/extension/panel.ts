/**
 * "Conv Lens: Open Visualization": a webview panel beside the editor that draws the layer
 * under the cursor, follows the cursor to other layers and redraws as the text changes. Its
 * state (the layer, the step, numbers mode) survives hiding and a window reload
 * (WebviewPanelSerializer). The core computes every number; the webview only draws.
 */
import * as vscode from 'vscode';
import { OPEN_VISUALIZATION_COMMAND } from '../core/present/layerHover';
import { isModelDocument } from './languages';
import { selectionTrace } from '../core/editor/selectionTrace';
import { layerAt } from '../core/python/parse';
import { formatShape } from '../core/shape';
import { axisConfigOf, solvableKind } from '../core/solve/rewrite';
import type { AxisConfig } from '../core/solve/solver';
import { panelView } from '../core/visual/panelView';
import { isWebviewMessage, panelState, type HostMessage, type PanelSource } from '../core/visual/protocol';
import type { DocumentModels } from './documentModels';
import { servedPanelHtml } from './panelHtml';
import { argumentsEdit } from './solveActions';

export const OPEN_VISUALIZATION = OPEN_VISUALIZATION_COMMAND;
const VIEW_TYPE = 'convLens.visualization';

export function register(context: vscode.ExtensionContext, models: DocumentModels): void {
  let current: VisualizationPanel | undefined;
  const adopt = (panel: vscode.WebviewPanel, source: PanelSource | undefined): VisualizationPanel => {
    current = new VisualizationPanel(panel, context.extensionUri, models, source);
    panel.onDidDispose(() => {
      if (current?.panel === panel) current = undefined;
    });
    return current;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_VISUALIZATION, (uri?: unknown, offset?: unknown) => {
      const source = typeof uri === 'string' && typeof offset === 'number' ? { uri, offset } : sourceOf(vscode.window.activeTextEditor);
      // A panel closed a moment ago may not have sent its dispose event yet: reuse the
      // current one only while its tab is still open.
      if (current && !hasPanelTab()) current = undefined;
      if (current) {
        try {
          current.panel.reveal(vscode.ViewColumn.Beside, true);
          current.show(source);
          return;
        } catch {
          current = undefined; // disposed after all: open a new one
        }
      }
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Conv Lens', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
      adopt(panel, source);
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Thenable<void> {
        panel.webview.options = webviewOptions(context.extensionUri);
        adopt(panel, panelState(state).source ?? sourceOf(vscode.window.activeTextEditor));
        return Promise.resolve();
      },
    }),
    // Follow the cursor: a Python editor's caret on another layer retargets the panel.
    vscode.window.onDidChangeTextEditorSelection((e) => {
      // Only the active editor's cursor: a late event from an editor just closed or left
      // must not take the panel away from the one the user is in.
      if (e.textEditor !== vscode.window.activeTextEditor) return;
      const source = sourceOf(e.textEditor);
      if (current && source) current.follow(source);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => current?.changed(e.document)),
    {
      dispose: () => {
        current?.panel.dispose();
      },
    },
  );
}

function hasPanelTab(): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE)));
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  // Scripts only from our own bundle; nothing else on disk is reachable.
  return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] };
}

/** Where the panel looks: the cursor, and the selection when it spans text (a chain of several layers). */
interface Target extends PanelSource {
  readonly selection?: { readonly from: number; readonly to: number };
}

function sourceOf(editor: vscode.TextEditor | undefined): Target | undefined {
  if (!editor || !isModelDocument(editor.document)) return undefined;
  const d = editor.document;
  const s = editor.selection;
  return { uri: d.uri.toString(), offset: d.offsetAt(s.active), ...(s.isEmpty ? {} : { selection: { from: d.offsetAt(s.start), to: d.offsetAt(s.end) } }) };
}

class VisualizationPanel {
  private source: Target | undefined;
  /** The layer of a selection's chain the user picked in the panel. */
  private picked: number | undefined;
  private ready = false;
  private timer: unknown;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly models: DocumentModels,
    source: Target | undefined,
  ) {
    this.source = source;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.png');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        // Untrusted input: anything but a known message is logged and ignored.
        if (!isWebviewMessage(message)) {
          console.warn('Conv Lens: ignored a panel message that is not part of its protocol');
          return;
        }
        if (message.type === 'apply') {
          void this.apply(message.source, message.axes);
          return;
        }
        if (message.type === 'pick') {
          this.picked = message.index;
          this.render();
          return;
        }
        this.ready = true;
        this.render();
      }),
      // Hidden panels lose their document (retainContextWhenHidden is off); it says `ready` again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    // The page last, once its messages have a listener.
    panel.webview.html = servedPanelHtml(panel.webview, (file) => vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file));
    panel.onDidDispose(() => {
      if (this.timer) clearTimeout(this.timer);
      for (const d of this.disposables) d.dispose();
    });
  }

  show(source: Target | undefined): void {
    if (source) this.retarget(source);
    this.render();
  }

  /** The cursor moved in a Python editor: redraw if it is on another layer (debounced). */
  follow(source: Target): void {
    this.retarget(source);
    this.schedule();
  }

  private retarget(source: Target): void {
    const before = this.source?.selection;
    if (source.uri !== this.source?.uri || before?.from !== source.selection?.from || before?.to !== source.selection?.to) this.picked = undefined;
    this.source = source;
  }

  changed(document: vscode.TextDocument): void {
    if (this.source && document.uri.toString() === this.source.uri) this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 120);
  }

  private render(): void {
    // Only once the page said `ready` (it may say so before VS Code reports the panel
    // visible: waiting for visibility too could miss the first drawing). A hidden page is
    // discarded and says `ready` again when shown.
    if (!this.ready) return;
    void this.panel.webview.postMessage(this.message());
  }

  /**
   * "Apply to source": the edited window parameters replace the layer call's own, in one
   * edit (one undo); the rest of the call keeps its text. Axes the panel did not draw (a 3-D
   * layer's depth) keep their values.
   */
  private async apply(source: PanelSource, drawn: readonly AxisConfig[]): Promise<void> {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri);
    const layer = document && layerAt(this.models.get(document), source.offset);
    const kind = layer && solvableKind(layer);
    const insight = layer && this.models.analysis(document).insightOf(layer);
    if (!document || !layer || !kind || !insight?.outcome.ok) {
      void vscode.window.showWarningMessage('Conv Lens: the layer the panel shows is no longer in the file as it was; nothing was changed.');
      return;
    }
    const own = insight.outcome.value.axes.map(axisConfigOf);
    if (drawn.length > own.length) return;
    const axes = [...own.slice(0, own.length - drawn.length), ...drawn];
    if (!(await vscode.workspace.applyEdit(argumentsEdit(document, layer, kind, axes)))) void vscode.window.showWarningMessage('Conv Lens: VS Code did not apply the edit (is the file read-only?).');
  }

  /** A selection of several layers: the picked one (or the one at the cursor), fed by the ones before it. */
  private chainMessage(document: vscode.TextDocument, source: Target, selection: { from: number; to: number }): HostMessage | undefined {
    const steps = selectionTrace(this.models.analysis(document), selection.from, selection.to);
    if (steps.length < 2) return undefined;
    const atCursor = steps.findIndex((s) => s.layer.span.from <= source.offset && source.offset <= s.layer.span.to);
    const index = Math.min(this.picked ?? Math.max(0, atCursor), steps.length - 1);
    const step = steps[index];
    const layers = steps.map((s, i) => `${i + 1}. ${s.layer.layerType} → ${s.outcome.ok ? formatShape(s.outcome.value.output) : 'refused'}`);
    this.panel.title = `Conv Lens: ${step.layer.layerType} (${index + 1} of ${steps.length})`;
    const view = panelView({ layer: step.layer, input: undefined, origin: { kind: 'previous' }, outcome: step.outcome, unreached: false });
    return { type: 'view', view, source: { uri: source.uri, offset: step.layer.span.from + 1 }, chain: { layers, index } };
  }

  private message(): HostMessage {
    const source = this.source;
    if (!source) return { type: 'idle', message: 'Put the cursor on a layer call in a Python file to draw it here.' };
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri);
    if (!document) return { type: 'idle', message: 'The file of the last layer drawn is closed. Put the cursor on a layer call in a Python file.' };
    const offset = Math.min(source.offset, document.getText().length);
    const chain = source.selection && this.chainMessage(document, source, source.selection);
    if (chain) return chain;
    const layer = layerAt(this.models.get(document), offset);
    const insight = layer && this.models.analysis(document).insightOf(layer);
    if (!insight) return { type: 'idle', message: `No layer call at ${vscode.workspace.asRelativePath(document.uri)}:${document.positionAt(offset).line + 1}. Put the cursor on one (a convolution, a transposed convolution or a pool).` };
    const view = panelView(insight);
    this.panel.title = `Conv Lens: ${layer.layerType}`;
    return { type: 'view', view, source: { uri: source.uri, offset } };
  }
}
