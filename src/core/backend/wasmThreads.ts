// Multithreaded wasm (the threaded SIMD build, XNNPACK on a pthread pool) under Node.
//
// tfjs-backend-wasm switches threads off in Node, and forcing them on fails. What stood in
// the way, and what is done here instead of the backend's own init():
//  1. the pthread worker script is handed to Emscripten as a blob: URL, which worker_threads
//     refuses → the worker script is a file on disk (written from the package's copy);
//  2. the main script is handed to the workers as a Blob too → its path on disk instead;
//  3. that main script was the bundled factory's source text, which refers to names that only
//     exist inside the bundle → the package's standalone factory file (wasm-out/), loaded with
//     require, which the worker can import as it is;
//  4. XNNPACK's pool is capped at half the logical cores (a 2-core machine gets 1 thread) →
//     the core count Emscripten reports is raised for the moment the pool is created;
//  5. pool workers keep Node from exiting → they are unref'd (process exit ends them).
// Emscripten starts 8 pool workers up front; the ones XNNPACK does not use are terminated.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BackendWasm, setThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { runtimeRequire } from '../runtimeRequire';

const FACTORY = 'tfjs-backend-wasm-threaded-simd.js';
const WORKER = 'tfjs-backend-wasm-threaded-simd.worker.js';
const BINARY = 'tfjs-backend-wasm-threaded-simd.wasm';
const START_TIMEOUT_MS = 30_000;

interface EmscriptenWorker {
  unref(): void;
  terminate(): void;
}
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread: { unusedWorkers: EmscriptenWorker[]; runningWorkers: EmscriptenWorker[]; terminateAllThreads(): void };
  tfjs?: Record<string, unknown>;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;

interface ThreadedFiles {
  factory: string;
  worker: string;
  binary: string;
}

/** The package's own folder holding the standalone Emscripten files (not part of its dist/). */
function packageWasmOut(): string | undefined {
  try {
    return path.join(path.dirname(runtimeRequire().resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'wasm-out');
  } catch {
    return undefined;
  }
}

/** A runnable worker script: the package ships it as a string inside a CommonJS module. */
function isRunnableWorker(file: string): boolean {
  return existsSync(file) && !readFileSync(file, 'utf8').startsWith('module.exports');
}

/**
 * Finds (or writes) the three files the threaded build needs: next to the other binaries in
 * `wasmDir` (the build copies them to dist/wasm), else from the package, with the worker
 * script written once to a folder under the OS temp dir.
 */
function findThreadedFiles(wasmDir: string): ThreadedFiles {
  const out = packageWasmOut();
  const pick = (name: string) => [path.join(wasmDir, name), ...(out ? [path.join(out, name)] : [])].find(existsSync);
  const factory = pick(FACTORY);
  const binary = pick(BINARY);
  if (!factory || !binary) throw new Error(`threaded wasm build not found (${FACTORY}, ${BINARY} in ${wasmDir}${out ? ` or ${out}` : ''})`);
  let worker = path.join(wasmDir, WORKER);
  if (!isRunnableWorker(worker)) {
    const contents = out && existsSync(path.join(out, WORKER)) ? (runtimeRequire()(path.join(out, WORKER)) as { wasmWorkerContents?: string }).wasmWorkerContents : undefined;
    // The string's "\n" escapes became newlines inside string literals; put them back (as tfjs does).
    const source = contents?.replace(/\n/g, '\\n');
    if (!source) throw new Error(`threaded wasm worker script not found (${WORKER})`);
    const dir = path.join(os.tmpdir(), `losslab-wasm-${version_wasm}`);
    mkdirSync(dir, { recursive: true });
    worker = path.join(dir, WORKER);
    if (!existsSync(worker) || readFileSync(worker, 'utf8') !== source) writeFileSync(worker, source);
  }
  return { factory, worker, binary };
}

let threadedModule: ThreadedModule | undefined;

/**
 * Emscripten reads the core count through require('os').cpus() (once, while the module starts),
 * and XNNPACK caps its pool at half of it.
 */
async function withCoreCount<T>(cores: number, f: () => Promise<T>): Promise<T> {
  // The module object itself (an ES import binding cannot be reassigned).
  const nodeOs = runtimeRequire()('node:os') as { cpus: typeof os.cpus };
  const real = nodeOs.cpus;
  nodeOs.cpus = () => {
    const list = real();
    return Array.from({ length: cores }, (_, i) => list[i % list.length]);
  };
  try {
    return await f();
  } finally {
    nodeOs.cpus = real;
  }
}

/** Instantiates the threaded build with a pool of `threads` (main thread included). */
async function instantiate(files: ThreadedFiles): Promise<ThreadedModule> {
  const factory = runtimeRequire()(files.factory) as Factory;
  const module = await new Promise<ThreadedModule>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the threaded wasm build did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    factory({
      locateFile: (name: string, prefix: string) => (name.endsWith('.worker.js') ? files.worker : name.endsWith('.wasm') ? files.binary : prefix + name),
      mainScriptUrlOrBlob: files.factory,
      onAbort: (what: unknown) => reject(new Error(`the threaded wasm build aborted: ${String(what)}`)),
    }).then(
      (m) => {
        clearTimeout(timer);
        resolve(m);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
  // The same wrappers the backend's own init() installs.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/**
 * Registers 'wasm' as the threaded build with `threads` threads; resolves to the thread count
 * XNNPACK runs with. Throws (leaving the stock registration in place) when it cannot start.
 * Call before the wasm backend is first initialised.
 */
export async function registerThreadedWasm(wasmDir: string, threads: number): Promise<number> {
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available');
  const files = findThreadedFiles(wasmDir);
  setThreadsCount(threads);
  // Twice the cores, so that the half-the-cores cap allows `threads`.
  const backend = await withCoreCount(Math.max(os.cpus().length, 2 * threads), async () => {
    const module = threadedModule ?? (await instantiate(files));
    threadedModule = module;
    return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  });
  const module = threadedModule!;
  const actual = (module.tfjs!.getThreadsCount as () => number)();
  // Workers XNNPACK did not take stay idle forever: end them. Running ones must not keep Node alive.
  for (const w of module.PThread.unusedWorkers) w.terminate();
  module.PThread.unusedWorkers.length = 0;
  for (const w of module.PThread.runningWorkers) w.unref();
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => backend, 2);
  return actual;
}
