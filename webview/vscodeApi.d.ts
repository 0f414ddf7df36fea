// What VS Code gives a webview's script (https://code.visualstudio.com/api/extension-guides/webview).
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
