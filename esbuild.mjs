// Bundles every entry point into dist/. Types are checked separately (tsc --noEmit).
// The wasm binaries are copied next to the bundles: selectBackend looks in dist/wasm.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { writeCompletionSchema } from './scripts/completion-schema.mjs';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// Optional native/GPU packages are loaded at run time when present, never bundled.
const optional = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', '@tensorflow/tfjs-backend-webgpu'];
// Loaded lazily for the report's PNGs (src/report/renderPngs.ts); the report works without it.
const lazy = ['playwright-core'];

/** Resolves tfjs-core and its files to a stub that throws when used (scripts/tfjs-stub.cjs). */
const tfjsStub = {
  name: 'tfjs-stub',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core(\/|$)/ }, () => ({ path: join(process.cwd(), 'scripts/tfjs-stub.cjs') }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', ...optional, ...lazy],
  // jsonc-parser's UMD entry requires its modules by computed paths esbuild cannot follow: bundle its ESM build.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  logLevel: 'warning',
};

const entries = [
  // The extension reads loss descriptors but trains nothing: their heads' tfjs stays out of its bundle.
  { ...node, entryPoints: { extension: 'src/extension/main.ts' }, plugins: [tfjsStub] },
  { ...node, entryPoints: { worker: 'src/worker/main.ts', cli: 'src/cli/main.ts', bench: 'bench/bench.ts' } },
  // Loads and checks user loss modules for the CLI in a child process (src/host/moduleHost.ts forks it).
  { ...node, entryPoints: { moduleHost: 'src/worker/moduleHost.ts' } },
  // The training data's prefetch thread (src/core/data/prefetch.ts starts it from beside the bundle).
  { ...node, entryPoints: { prefetchThread: 'src/core/data/prefetchThread.ts' } },
  // Compiles custom loss modules (src/core/losses/customModule.ts loads it beside the bundles): its own
  // file, read only when a custom loss is used.
  { ...node, entryPoints: { moduleCompiler: 'src/core/losses/moduleCompiler.ts' } },
  {
    entryPoints: { webview: 'webview/main.ts' },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
  },
  // The exported report's script: inlined into report.html, so always minified and without a source map.
  // reportCapture: added to it by the extension to save the figures as PNG from a webview.
  {
    entryPoints: { report: 'webview/report.ts', reportCapture: 'webview/reportCapture.ts' },
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: false,
    minify: true,
    logLevel: 'warning',
  },
]
  // Entries whose source does not exist yet are skipped, so the build works while layers are added.
  .map((e) => ({ ...e, entryPoints: Object.fromEntries(Object.entries(e.entryPoints).filter(([, f]) => existsSync(f))) }))
  .filter((e) => Object.keys(e.entryPoints).length > 0);

mkdirSync('dist/wasm', { recursive: true });
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
for (const f of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
  cpSync(join(wasmDir, f), join('dist/wasm', f));
}
// Multithreaded wasm in Node (src/core/backend/wasmThreads.ts) needs the standalone Emscripten
// factory and a runnable pthread worker script as files; the package ships the latter as a string.
const wasmOut = join(dirname(wasmDir), 'wasm-out');
cpSync(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js'), 'dist/wasm/tfjs-backend-wasm-threaded-simd.js');
// The string's "\n" escapes became newlines inside string literals; put them back (as tfjs does).
const workerSource = require(join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js')).wasmWorkerContents.replace(/\n/g, '\\n');
writeFileSync('dist/wasm/tfjs-backend-wasm-threaded-simd.worker.js', workerSource);

// The native engine is compiled on the user's machine against their libtorch (src/host/nativeBuild.ts):
// its source and node-addon-api's headers travel in dist/native, so the packaged extension can build it.
mkdirSync('dist/native/node-addon-api', { recursive: true });
cpSync('native/torch/losslab_torch.cc', 'dist/native/losslab_torch.cc');
const addonApiDir = dirname(require.resolve('node-addon-api/napi.h'));
for (const f of ['napi.h', 'napi-inl.h', 'napi-inl.deprecated.h']) cpSync(join(addonApiDir, f), join('dist/native/node-addon-api', f));

// VS Code's JSON service completes and documents *.losslab.json from this copy of the schema without its constraints;
// Loss Lab's own diagnostics report the problems, once (scripts/completion-schema.mjs).
writeCompletionSchema('schemas/experiment.schema.json', 'dist/experiment.completion.schema.json');

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...e, outdir: 'dist' })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...e, outdir: 'dist' })));
}
