// The integration suite under @vscode/test-cli + @vscode/test-electron, for machines that can
// download VS Code (a laptop, a hosted CI with internet): `npm run test:integration:electron`.
// On machines that cannot, `npm run test:integration` runs the same suite inside code-server.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  version: '1.100.3',
  workspaceFolder: './examples',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'bdd', timeout: 30000, color: true },
});
