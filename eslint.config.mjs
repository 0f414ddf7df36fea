// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', '.cache/', 'test-results/', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: ['src/core/tsconfig.json', 'src/extension/tsconfig.json', 'src/cli/tsconfig.json', 'webview/tsconfig.json', 'test/tsconfig.json', 'test/integration/tsconfig.json', 'test/e2e/tsconfig.json', 'scripts/tsconfig.json', 'bench/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [] }],
      eqeqeq: ['error', 'always'],
      // Nothing is ever run from a string (the webview's CSP forbids it too).
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // The webview draws what the core computed: it never talks to VS Code's API or Node.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vscode', 'node:*', '../src/extension/*'], message: 'webview/ runs in the panel page: only the core, the DOM and the toolkit.' }],
      }],
    },
  },
  {
    // The core is pure: the compiler already rejects DOM and Node types there; this also
    // rejects the imports, so a stray `import 'fs'` fails lint with a reason.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['vscode', 'fs', 'path', 'os', 'child_process', 'node:*'], message: 'src/core is pure: no vscode, no Node built-ins.' }],
      }],
    },
  },
);
