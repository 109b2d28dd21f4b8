// Picks and initialises the TensorFlow.js backend a run trains on.
//
// 'auto' prefers native TensorFlow (GPU, then CPU) when its optional package loads, then
// wasm, then the pure-JS cpu backend; wasm and cpu get the forward-conv gradient kernels,
// without which training convnets on them is 10–100× slower (wasm cannot train at all).
// WebGPU (Dawn, no CUDA needed) is the second GPU option; 'auto' tries it only where a GPU
// device node exists and takes only a hardware adapter, since a software Vulkan (lavapipe,
// SwiftShader) is slower than wasm. The forward-conv gradient and host kernels are registered
// on wasm and cpu only: they read tensors from host memory, which GPU backends do not have.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
// A named import: esbuild drops a bare one (the package's sideEffects list omits its Node entry).
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount as getWasmThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerFastConvGradients } from './convGradKernels';
import { registerHostKernels } from './fusedKernels';
import { gpuDeviceNodes, loadTfjsNode, loadWebGpu, webGpuAdapterDescription, webGpuFailureReason } from './optionalBackends';
import { WASM_DIR_ENV, findWasmDir } from './wasmBinaries';
import { registerThreadedWasm } from './wasmThreads';
import { recordedNativeCrash, REBUILD_FORCE_HINT, TORCH_LOADING, TORCH_ON_CPU } from './torch/crashMarker';
import { describeLibtorch } from './torch/libtorch';
import { torchEngine } from './torch/registerTorch';
import { TORCH_BACKEND } from './torch/torchBackend';

import type { BackendKind, BackendName } from './backendNames';
import { plural } from '../util/format';

export type { BackendKind };
export type BackendPreference = BackendName;

interface BackendAttempt {
  name: BackendKind;
  error: string;
}

export interface BackendInfo {
  /** tf.getBackend() after selection: 'tensorflow' for both native kinds. */
  name: string;
  /** The kind that loaded. */
  kind: BackendKind;
  /** Kinds tried before it that failed, with why. */
  tried: BackendAttempt[];
  /** Threads the backend computes with (native TensorFlow: its own pool, reported as the core count). */
  threads: number;
  /** wasm only: whether the SIMD build runs. */
  simd?: boolean;
  /** wasm: why it runs with fewer threads than asked for, when it does; webgpu: the adapter it runs on; torch: libtorch and device. */
  detail?: string;
  /** Something about this machine the user should hear once per run: a CUDA build on a machine without a GPU. */
  notice?: string;
  /** torch: the device it computes on ('cpu', 'cuda:0', 'mps'). */
  device?: string;
}

export interface SelectBackendOptions {
  /**
   * Requested compute threads. wasm: 1 = the single-threaded SIMD build, more = the threaded
   * SIMD build with that many (falls back to 1 thread, with `detail` saying why, when it cannot
   * start); fixed at the first wasm initialisation in a process. cpu: always 1.
   */
  threads?: number;
  log?: (msg: string) => void;
}

/**
 * `auto` tries GPU backends before CPU ones and, among each, the faster first: torch on its GPU
 * (CUDA or MPS), tfjs-node-gpu, WebGPU; then torch on the CPU (libtorch's oneDNN kernels),
 * tfjs-node, wasm, cpu. torch is one backend whose device is known only once loaded, so it is
 * tried in the GPU pass (taken only on a GPU) and again in the CPU pass.
 */
const AUTO_ORDER: { kind: BackendKind; gpuPass?: true }[] = [
  { kind: 'torch', gpuPass: true },
  { kind: 'tensorflow-gpu' },
  { kind: 'webgpu' },
  { kind: 'torch' },
  { kind: 'tensorflow' },
  { kind: 'wasm' },
  { kind: 'cpu' },
];

type Loaded = Pick<BackendInfo, 'threads' | 'simd' | 'detail' | 'device' | 'notice'>;

export async function selectBackend(pref: BackendPreference, opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? (() => {});
  const order = pref === 'auto' ? AUTO_ORDER : [{ kind: pref }];
  const tried: BackendAttempt[] = [];
  for (const { kind, gpuPass } of order) {
    if (!gpuPass && tried.some((t) => t.name === kind)) continue; // failed in the GPU pass already
    try {
      if (kind === 'torch' && pref === 'auto') passOverCrashedEngine();
      if (kind === 'torch') log(TORCH_LOADING);
      if (gpuPass && !torchOnGpu(opts)) {
        log(TORCH_ON_CPU);
        continue;
      }
      const loaded = await LOADERS[kind](opts, log, pref === 'auto');
      const info: BackendInfo = { name: tf.getBackend(), kind, tried, ...loaded };
      log(`backend: ${summarize(info)}`);
      return info;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      tried.push({ name: kind, error });
      log(`backend: ${kind} unavailable: ${error}`);
    }
  }
  const lines = tried.map((t) => `  ${t.name}: ${t.error}`).join('\n');
  throw new Error(`No TensorFlow.js backend could be started for '${pref}'. Tried:\n${lines}`);
}

function summarize(info: BackendInfo): string {
  const simd = info.simd === undefined ? '' : info.simd ? ', SIMD' : ', no SIMD';
  return `${info.kind} (tf backend '${info.name}', ${plural(info.threads, 'thread')}${simd})`;
}

/** tf.setBackend reports failure by returning false (and logging), not by throwing. */
async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') failed to initialise the backend`);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tf.getBackend() is '${tf.getBackend()}' after selecting '${name}'`);
}

function coreCount(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

function singleThreaded(kind: string, opts: SelectBackendOptions, log: (msg: string) => void): number {
  if (opts.threads !== undefined && opts.threads > 1) log(`backend: ${kind} runs single-threaded for now; threads=${opts.threads} ignored`);
  return 1;
}

/** An engine that crashed a worker before is not loaded by `auto` (it would crash this one too) until it is rebuilt. */
function passOverCrashedEngine(): void {
  const crash = recordedNativeCrash();
  if (crash) throw new Error(`skipped: the native engine crashed a run (${crash.signal}${crash.runId ? ` in ${crash.runId}` : ''}, ${crash.at}; recorded in ${crash.file}); ${REBUILD_FORCE_HINT}`);
}

/** Loads the torch engine (once per process) and says whether it computes on a GPU. */
function torchOnGpu(opts: SelectBackendOptions): boolean {
  return torchEngine({ threads: opts.threads }).backend.device.device !== 'cpu';
}

type Loader = (opts: SelectBackendOptions, log: (msg: string) => void, auto: boolean) => Promise<Loaded>;

const LOADERS: Record<BackendKind, Loader> = {
  torch: async (opts, log) => {
    const { backend, libtorch, mismatch } = torchEngine({ threads: opts.threads });
    if (mismatch) log(`backend: ${mismatch}`);
    await activate(TORCH_BACKEND);
    const d = backend.device;
    const gpu = d.deviceName ? ` (${d.deviceName}${d.deviceMemoryBytes ? `, ${(d.deviceMemoryBytes / 2 ** 30).toFixed(0)} GiB` : ''})` : '';
    const notice = libtorch.cuda && d.cudaDevices === 0 ? `${describeLibtorch(libtorch)} has CUDA built in, but this machine has no CUDA device: training on the CPU` : undefined;
    return { threads: d.threads, device: d.device, detail: `${describeLibtorch(libtorch)} on ${d.device}${gpu}${d.cudnnVersion ? `, cuDNN ${d.cudnnVersion}` : ''}`, notice };
  },
  'tensorflow-gpu': async () => {
    loadTfjsNode('@tensorflow/tfjs-node-gpu');
    await activate('tensorflow');
    return { threads: coreCount() };
  },
  tensorflow: async () => {
    loadTfjsNode('@tensorflow/tfjs-node');
    await activate('tensorflow');
    return { threads: coreCount() };
  },
  webgpu: async (_opts, _log, auto) => {
    const nodes = gpuDeviceNodes();
    // Skipped quietly: loading Dawn on a machine without a GPU prints Vulkan warnings to stderr.
    if (auto && nodes !== null && nodes.length === 0) throw new Error('skipped: no GPU device node (/dev/nvidia0, /dev/dri) on this machine');
    loadWebGpu({ hardwareOnly: auto });
    try {
      await activate('webgpu');
    } catch (err) {
      throw new Error(webGpuFailureReason() ?? (err instanceof Error ? err.message : String(err)), { cause: err });
    }
    return { threads: 1, detail: webGpuAdapterDescription() };
  },
  wasm: async (opts, log) => {
    const wanted = Math.max(1, Math.floor(opts.threads ?? 1));
    let threads = 1;
    let detail: string | undefined;
    if (tf.findBackend('wasm') == null) {
      const dir = prepareWasm();
      if (wanted > 1) {
        try {
          threads = await registerThreadedWasm(dir, wanted);
          if (threads < wanted) detail = `XNNPACK started ${threads} of ${wanted} threads`;
        } catch (err) {
          detail = `multithreaded wasm could not start (${err instanceof Error ? err.message : String(err)}); running single-threaded`;
        }
      }
    } else {
      threads = getWasmThreadsCount();
      if (threads !== wanted) detail = `wasm is already initialised in this process with ${threads} thread(s)`;
    }
    if (detail) log(`backend: ${detail}`);
    await activate('wasm');
    registerFastConvGradients('wasm');
    registerHostKernels('wasm');
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
    return { threads, simd, detail };
  },
  cpu: async (opts, log) => {
    const threads = singleThreaded('cpu', opts, log);
    // Used at run time so that bundlers keep the package (and its backend registration).
    if (tf.findBackendFactory('cpu') == null) throw new Error(`@tensorflow/tfjs-backend-cpu ${version_cpu} did not register 'cpu'`);
    await activate('cpu');
    registerFastConvGradients('cpu');
    registerHostKernels('cpu');
    return { threads };
  },
};

/** Points the wasm backend at its binaries (must happen before its first initialisation); returns their folder. */
function prepareWasm(): string {
  const found = findWasmDir();
  if (found.dir === undefined) {
    throw new Error(`tfjs-backend-wasm binaries not found (set ${WASM_DIR_ENV} to their folder); looked in: ${found.rejected.join(', ')}`);
  }
  // The backend's own multithreaded start fails under Node (blob: worker URLs); threads are
  // started by wasmThreads.ts instead, so the backend's own path stays off.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  try {
    setWasmPaths(found.dir);
  } catch (err) {
    // Thrown when an earlier initialisation attempt aborted; the backend cannot be retried.
    throw new Error(`wasm backend cannot be initialised in this process: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return found.dir;
}
