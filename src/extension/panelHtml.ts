/**
 * The panel's page. A strict policy: nothing by default; our own script only, by a fresh
 * nonce; styles and fonts only from the extension's webview origin; no remote content,
 * nothing inline. (Kept free of `vscode` so a unit test can read the policy it serves.)
 */
export interface PanelPage {
  /** `webview.cspSource`: the origin VS Code serves the extension's files from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly script: string;
  readonly style: string;
}

export function panelHtml(page: PanelPage): string {
  const csp = [`default-src 'none'`, `style-src ${page.cspSource}`, `font-src ${page.cspSource}`, `img-src ${page.cspSource}`, `script-src 'nonce-${page.nonce}'`].join('; ');
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
