/**
 * The panel's page. A strict policy: nothing by default; our own script only, by a fresh
 * nonce; styles and fonts only from the extension's webview origin; no remote content,
 * nothing inline. (Kept free of `vscode` so a unit test can read the page as it is served.)
 */
export interface PanelPage {
  /** `webview.cspSource`: the origin VS Code serves the extension's files from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly script: string;
  readonly style: string;
}

export function panelHtml(page: PanelPage): string {
  const csp = [`default-src 'none'`, `style-src ${page.cspSource}`, `font-src ${page.cspSource}`, `img-src ${page.cspSource}`, `script-src 'nonce-${page.nonce}'`,
    // default-src does not cover these two: no <base> may redirect relative URLs, no form may post anywhere.
    `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${page.style}">
<title>Conv Lens</title>
</head>
<body>
<main id="app"></main>
<script nonce="${page.nonce}" src="${page.script}"></script>
</body>
</html>`;
}

/** What the page needs of the panel's webview (a `vscode.Webview` is one; a test passes a fake). */
export interface PageWebview<Resource> {
  readonly cspSource: string;
  asWebviewUri(resource: Resource): { toString(): string };
}

/**
 * The page as the panel serves it: a fresh nonce, and our bundle's script and stylesheet as
 * the webview addresses them (`asset` gives a file of dist/webview as a local resource).
 */
export function servedPanelHtml<Resource>(webview: PageWebview<Resource>, asset: (file: string) => Resource): string {
  const uri = (file: string): string => webview.asWebviewUri(asset(file)).toString();
  return panelHtml({ cspSource: webview.cspSource, nonce: makeNonce(), script: uri('panel.js'), style: uri('panel.css') });
}

/** A fresh nonce per page: 128 bits from a cryptographic source. */
function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
