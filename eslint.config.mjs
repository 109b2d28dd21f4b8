// ESLint (flat config): typescript-eslint's type-checked recommended rules over every source, test,
// bench and script file (`npm run lint`, part of `npm test`). Types come from the project that
// includes each file (tsconfig.json lists them). Where a rule is tuned, the reason is beside it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', '.scratch/**', '.losslab/**', 'native/**/build/**', '**/*.d.ts', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      ecmaVersion: 2022,
      sourceType: 'module',
      parserOptions: {
        // A script with a hand-written .d.mts beside it is not a root file of any project: TypeScript reads the declarations instead.
        projectService: { allowDefaultProject: ['scripts/completion-schema.mjs', 'scripts/skips.mjs'], defaultProject: 'tsconfig.node.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_name` marks a parameter or binding kept for its position or to drop a field from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Shapes and lists print as `2,3,4` in messages on purpose; `never` shows up in exhaustiveness errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true, allowArray: true, allowNever: true }],
      // `async` often marks a function that implements a promise-returning interface; the promise rules catch real misuse.
      '@typescript-eslint/require-await': 'off',
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] }],
    },
  },
  {
    // The webview and the report script run in a browser.
    files: ['webview/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Plain JavaScript is not type-checked (checkJs is off): every parsed or required value is `any`
    // there, so the unsafe-any rules would flag each use. The promise rules still apply.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
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
  {
    // Tests read back JSON (results, the manifest, worker replies) and check it field by field:
    // their assertions are the validation, so reading `any` from JSON.parse is allowed there.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
