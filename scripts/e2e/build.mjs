// Bundles the in-host integration suite to out/test/integration/index.js, the module that
// @vscode/test-electron and the code-server driver load. vscode and mocha stay external:
// the extension host provides vscode, and mocha is required from node_modules.
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: { index: 'test/integration/index.ts' },
  outdir: 'out/test/integration',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  external: ['vscode', 'mocha'],
  // As in esbuild.mjs: jsonc-parser's UMD entry requires modules by computed paths; the tests that write configs reach it through the validator.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
});
