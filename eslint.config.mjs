// ESLint (flat config): typescript-eslint's recommended rules over every source, test, bench and
// script file (`npm run lint`, part of `npm test`). Where a rule is tuned, the reason is beside it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', '.scratch/**', '.losslab/**', 'native/**/build/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // `_name` marks a parameter or binding kept for its position or to drop a field from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The webview and the report script run in a browser.
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain CommonJS launchers and test fixtures (the bin stub, fake workers).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests build deliberately wrong configs and messages: `any` is the honest type there.
    files: ['test/**', 'parity/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
