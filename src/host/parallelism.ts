/**
 * How many runs of a grid train at once when neither the caller nor the config says.
 * wasm and cpu runs get one run per `threads` cores: on 2 cores two single-threaded runs
 * finish the quick grid 1.92× faster than one at a time, where one run on 2 threads is only
 * 1.3–1.5× faster (BENCHMARKS.md). The other GPU backends get 1 (the runs would share one device), and
 * so does tfjs-node on the CPU, whose TensorFlow already spreads one run over every core.
 * torch runs on CUDA where an NVIDIA device is visible, `runsPerGpu` on each GPU: a small network
 * uses a fraction of a modern GPU, so by default one run per 16 GiB of its memory (at most 4),
 * each lane of the scheduler on its own GPU in turn; on MPS on Apple silicon one at a time; else on
 * the CPU like wasm: on 2 cores two single-threaded runs beat one run on 2 threads (BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { gpuDeviceNodes } from '../core/backend/optionalBackends';
import type { BackendName } from '../core/config/types';
import { plural } from '../core/util/format';

export interface Machine {
  cores: number;
  /** GPU device nodes present (/dev/nvidia0, /dev/dri), where the platform has them. */
  gpuNodes: readonly string[];
  /** Apple silicon: libtorch computes on its GPU (MPS). */
  appleGpu?: boolean;
  /** Memory of each NVIDIA GPU in MiB, as nvidia-smi lists them; empty where it lists none. */
  cudaGpuMiB?: readonly number[];
}

/** Each NVIDIA GPU's memory (MiB) from nvidia-smi; [] when it is missing or fails. */
function nvidiaGpuMemory(): number[] {
  const r = spawnSync('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], { encoding: 'utf8', timeout: 5000 });
  if (r.status !== 0 || !r.stdout) return [];
  return r.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
}

let cached: Machine | undefined;

function thisMachine(): Machine {
  if (cached) return cached;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const gpuNodes = gpuDeviceNodes() ?? [];
  const cudaGpuMiB = gpuNodes.includes('/dev/nvidia0') ? nvidiaGpuMemory() : [];
  cached = { cores, gpuNodes, appleGpu: process.platform === 'darwin' && process.arch === 'arm64', cudaGpuMiB };
  return cached;
}

/** NVIDIA GPUs torch can train on: those nvidia-smi lists, or one where only its device node is known. */
function cudaGpuCount(machine: Machine): number {
  return machine.cudaGpuMiB?.length || (machine.gpuNodes.includes('/dev/nvidia0') ? 1 : 0);
}

/** GiB of GPU memory per run when `runsPerGpu` is not set: the paper's ResNet-50 at batch 128 trains in about 10. */
const GIB_PER_RUN = 16;
const MAX_DEFAULT_RUNS_PER_GPU = 4;

/** Runs sharing each GPU when the config does not say: one per 16 GiB of the smallest GPU, 1 to 4. */
export function defaultRunsPerGpu(machine: Machine): number {
  const smallest = Math.min(...(machine.cudaGpuMiB ?? []));
  if (!Number.isFinite(smallest)) return 1;
  return Math.min(MAX_DEFAULT_RUNS_PER_GPU, Math.max(1, Math.floor(smallest / 1024 / GIB_PER_RUN)));
}

type ParallelConfig = { backend?: BackendName; threads?: number; runsPerGpu?: number };

/** torch, or auto (which takes it first), where an NVIDIA GPU is visible: the runs train on CUDA. */
function onCuda(backend: BackendName | undefined, machine: Machine): boolean {
  return ((backend ?? 'auto') === 'auto' || backend === 'torch') && cudaGpuCount(machine) > 0;
}

/** Runs at once for a config that does not set `parallelRuns`. */
export function defaultParallelRuns(cfg: ParallelConfig, machine: Machine = thisMachine()): number {
  const backend = cfg.backend ?? 'auto';
  if (backend === 'tensorflow-gpu' || backend === 'webgpu' || backend === 'tensorflow') return 1;
  if (onCuda(backend, machine)) return cudaGpuCount(machine) * (cfg.runsPerGpu ?? defaultRunsPerGpu(machine));
  if ((backend === 'auto' || backend === 'torch') && machine.appleGpu) return cfg.runsPerGpu ?? 1;
  const threads = Math.max(1, Math.floor(cfg.threads ?? 1));
  return Math.max(1, Math.floor(machine.cores / threads));
}

/** The caller's choice, else the config's, else the machine's default; a short reason for logs. */
export function resolveParallelRuns(explicit: number | undefined, cfg: ParallelConfig & { parallelRuns?: number }, machine: Machine = thisMachine()): { parallel: number; source: string } {
  if (explicit !== undefined) return { parallel: explicit, source: 'set for this run' };
  if (cfg.parallelRuns !== undefined) return { parallel: cfg.parallelRuns, source: "the config's parallelRuns" };
  const parallel = defaultParallelRuns(cfg, machine);
  if (onCuda(cfg.backend, machine)) {
    const per = cfg.runsPerGpu ?? defaultRunsPerGpu(machine);
    return { parallel, source: `default: ${plural(cudaGpuCount(machine), 'GPU')}, ${plural(per, 'run')} on each${cfg.runsPerGpu === undefined ? ' (one per 16 GiB of its memory)' : ''}` };
  }
  return { parallel, source: `default: ${plural(machine.cores, 'core')}, ${plural(cfg.threads ?? 1, 'thread')} per run` };
}

/**
 * The CUDA device of each scheduler lane: lane i trains on GPU i mod the GPU count, so every GPU gets
 * its share of the runs. None with one GPU (the default device), when no run may use torch, or when
 * LOSSLAB_TORCH_DEVICE already picks the device.
 */
export function laneDevices(runs: readonly { backend: BackendName }[], lanes: number, machine: Machine = thisMachine(), env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const gpus = cudaGpuCount(machine);
  if (gpus < 2 || env.LOSSLAB_TORCH_DEVICE || !runs.some((r) => onCuda(r.backend, machine))) return undefined;
  return Array.from({ length: lanes }, (_, i) => `cuda:${i % gpus}`);
}
