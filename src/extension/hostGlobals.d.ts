// Timers, Web Crypto and console exist in both extension hosts (Node and the web worker), but this
// folder is compiled without Node or DOM types so that neither leaks in: declare just these.
declare function setTimeout(handler: () => void, ms: number): unknown;
declare function clearTimeout(id: unknown): void;
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
declare const console: { warn(...data: unknown[]): void };
