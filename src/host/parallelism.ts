/**
 * How many runs of a grid train at once when neither the caller nor the config says.
 * wasm and cpu runs get one run per `threads` cores: on 2 cores two single-threaded runs
 * finish the quick grid 1.92× faster than one at a time, where one run on 2 threads is only
 * 1.3–1.5× faster (BENCHMARKS.md). GPU backends get 1 (the runs would share one device), and
 * so does tfjs-node on the CPU, whose TensorFlow already spreads one run over every core.
 * torch runs on CUDA where an NVIDIA device is visible and on MPS on Apple silicon (1 there),
 * else on the CPU like wasm: on 2 cores two single-threaded runs beat one run on 2 threads
 * (BENCHMARKS.md).
 */
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
}

function thisMachine(): Machine {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { cores, gpuNodes: gpuDeviceNodes() ?? [], appleGpu: process.platform === 'darwin' && process.arch === 'arm64' };
}

/** Runs at once for a config that does not set `parallelRuns`. */
export function defaultParallelRuns(cfg: { backend?: BackendName; threads?: number }, machine: Machine = thisMachine()): number {
  const backend = cfg.backend ?? 'auto';
  if (backend === 'tensorflow-gpu' || backend === 'webgpu' || backend === 'tensorflow') return 1;
  // 'auto' takes a GPU backend first where a GPU is visible; torch computes on it.
  if ((backend === 'auto' || backend === 'torch') && (machine.gpuNodes.includes('/dev/nvidia0') || machine.appleGpu)) return 1;
  const threads = Math.max(1, Math.floor(cfg.threads ?? 1));
  return Math.max(1, Math.floor(machine.cores / threads));
}

/** The caller's choice, else the config's, else the machine's default; a short reason for logs. */
export function resolveParallelRuns(explicit: number | undefined, cfg: { backend?: BackendName; threads?: number; parallelRuns?: number }, machine: Machine = thisMachine()): { parallel: number; source: string } {
  if (explicit !== undefined) return { parallel: explicit, source: 'set for this run' };
  if (cfg.parallelRuns !== undefined) return { parallel: cfg.parallelRuns, source: "the config's parallelRuns" };
  const parallel = defaultParallelRuns(cfg, machine);
  return { parallel, source: `default: ${plural(machine.cores, 'core')}, ${plural(cfg.threads ?? 1, 'thread')} per run` };
}
