/**
 * The core in a plain browser Worker: given `{ text, offset, language, uri? }` it answers
 * `{ markdown }`, the hover's Markdown for the layer at that offset (./hoverAt.ts: the
 * extension's hover path through the core), or `{ error }`. `{ probe: true }` answers what the
 * worker's global scope holds of Node and of a page. Bundled by ./web-build.test.ts with
 * esbuild for the browser, without Node shims.
 */
import { hoverAt, type HoverQuery } from './hoverAt';

/**
 * The little of a worker's global scope used here. Declared rather than taken from the
 * webworker lib: the test project must not give the core (which it also compiles) browser types.
 */
interface WorkerScope {
  onmessage: ((event: { readonly data: HoverQuery | { readonly probe: true } }) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
/** Read as properties of the global object: a bare `process` or `require` could make a bundler add a shim. */
const global = globalThis as unknown as Record<string, unknown>;

scope.onmessage = (event) => {
  const query = event.data;
  if ('probe' in query) {
    const names = ['process', 'require', 'module', 'Buffer', 'global', 'setImmediate', 'document', 'window', 'WorkerGlobalScope', 'importScripts'];
    scope.postMessage(Object.fromEntries(names.map((name) => [name, typeof global[name]])));
    return;
  }
  try {
    scope.postMessage({ markdown: hoverAt(query) ?? null });
  } catch (e) {
    scope.postMessage({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
