// The child side of the benchmark: one backend, one case, in a fresh process (so that peak RSS
// belongs to that case alone and a wasm build with another thread count can start).
import * as tf from '@tensorflow/tfjs-core';
import { BackendInfo, selectBackend } from '../src/core/backend/selectBackend';
import { buildNetwork } from '../src/core/train/network';
import { TorchBackend } from '../src/core/backend/torch/torchBackend';
import type { TorchNative } from '../src/core/backend/torch/torchAddon';
import { fastPaths } from '../src/core/backend/fastPaths';
import { Sgd } from '../src/core/train/sgd';
import { trainStep } from '../src/core/train/step';
import type { BackendTarget, BenchCase } from './cases';
import { KernelProfiler, ProfileRow } from './kernelProfile';

export interface MeasureRequest {
  target: BackendTarget;
  /** Absent: only load the backend and report it. */
  benchCase?: BenchCase;
  profile?: boolean;
}

export interface MeasureResult {
  backend: { kind: string; name: string; threads: number; simd?: boolean; detail?: string; device?: string };
  /** µs per kernel call through the tfjs engine (an Add of two 1-element tensors and its dispose): the fixed cost every kernel pays. */
  dispatchMicros?: number;
  trainableParams?: number;
  stepMs?: number[];
  medianStepMs?: number;
  /** Median process CPU time (user + system) per timed step: on a shared machine, what load changes least. */
  medianCpuMs?: number;
  imagesPerSec?: number;
  /** Resident set size after each step (MiB): flat once warm when nothing leaks. */
  rssMiBPerStep?: number[];
  peakRssMiB?: number;
  /** Live tensors after the warm-up and after the last step: equal when nothing leaks. */
  tensors?: [number, number];
  profile?: ProfileRow[];
  /** Reads of tensor values back to the host inside one training step (each one waits for a GPU): 0 is the target. */
  hostReadsPerStep?: number;
  /** Kernel calls in one training step, each paying `dispatchMicros`: their product is the step's overhead floor. */
  kernelCallsPerStep?: number;
  error?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Deterministic inputs: the values do not change the work done per step. */
function inputs(c: BenchCase): { x: tf.Tensor4D; y: tf.Tensor1D } {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const x = Float32Array.from({ length: c.batch * c.size * c.size * c.channels }, () => next() * 2 - 1);
  const y = Int32Array.from({ length: c.batch }, () => Math.floor(next() * c.classes));
  return { x: tf.tensor4d(x, [c.batch, c.size, c.size, c.channels]), y: tf.tensor1d(y, 'int32') };
}

/** The engine's fixed cost per kernel call: a ResNet-18 step is ~1,500 calls, so on a fast device this decides the ratio. */
function dispatchMicros(): number {
  const a = tf.tensor1d([1]);
  const b = tf.tensor1d([2]);
  const once = () => tf.add(a, b).dispose();
  for (let i = 0; i < 2000; i++) once();
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) once();
  const micros = ((performance.now() - t0) * 1000) / n;
  tf.dispose([a, b]);
  return Math.round(micros * 100) / 100;
}

/**
 * µs per call of the torch addon itself (an Add of two 1-element tensors and its free): what each
 * call of a replayed step pays, since replay calls the addon without the tfjs engine.
 */
function addonMicros(native: TorchNative): number {
  const a = native.fromBuffer(new Float32Array([1]), [1], 0);
  const b = native.fromBuffer(new Float32Array([2]), [1], 0);
  const add = native.binaryOps.indexOf('Add');
  const once = () => native.free(native.binary(add, a, b));
  for (let i = 0; i < 2000; i++) once();
  const n = 20000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) once();
  const micros = ((performance.now() - t0) * 1000) / n;
  native.free(a);
  native.free(b);
  return Math.round(micros * 100) / 100;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function measure(req: MeasureRequest): Promise<MeasureResult> {
  let info: BackendInfo;
  try {
    info = await selectBackend(req.target.kind, { threads: req.target.threads || undefined });
  } catch (err) {
    return {
      backend: { kind: req.target.kind, name: '', threads: 0 },
      error:
        err instanceof Error
          ? err.message
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean)
              .join(' ')
          : String(err),
    };
  }
  const backend = { kind: info.kind, name: info.name, threads: info.threads, simd: info.simd, detail: info.detail, device: info.device };
  const c = req.benchCase;
  if (!c) return { backend, dispatchMicros: dispatchMicros() };

  const net = buildNetwork(c.model, c.loss, c.channels, c.classes, 1);
  const sgd = new Sgd(net.store.params, { momentum: 0.9, weightDecay: 5e-4, decayBiasAndBn: true });
  const { x, y } = inputs(c);
  const torch = tf.backend() instanceof TorchBackend ? (tf.backend() as TorchBackend) : null;
  // On torch the addon's calls are timed: a replayed step runs no tfjs kernels.
  const profiler = req.profile ? new KernelProfiler(info.name, torch?.native as unknown as Record<string, unknown>) : null;
  const stepMs: number[] = [];
  const cpuMs: number[] = [];
  const rss: number[] = [];
  let tensorsAfterWarmup = 0;
  for (let i = 0; i < c.warmup + c.steps; i++) {
    if (i === c.warmup) {
      tensorsAfterWarmup = tf.memory().numTensors;
      profiler?.start();
    }
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = trainStep(net, sgd, x, y, 0.05);
    // Reading the loss is the sync point on asynchronous backends (GPU); cheap elsewhere.
    await out.loss.data();
    await out.correct.data();
    const dt = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    tf.dispose([out.loss, out.correct]);
    if (i >= c.warmup) {
      stepMs.push(dt);
      cpuMs.push((cpu.user + cpu.system) / 1000);
      rss.push(mib(process.memoryUsage().rss));
    }
  }
  const profile = profiler?.stop(
    stepMs.reduce((a, b) => a + b, 0),
    c.steps,
  );
  const tensorsAtEnd = tf.memory().numTensors;
  // One more step, untimed, with every kernel (on torch: every addon call) and every read back to the host counted.
  const counter = new KernelProfiler(info.name, torch?.native as unknown as Record<string, unknown>);
  const backendImpl = tf.backend();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept unbound: called with apply on the backend, then put back
  const reads = { readSync: backendImpl.readSync, read: backendImpl.read };
  let hostReadsPerStep = 0;
  backendImpl.readSync = (...args) => (hostReadsPerStep++, reads.readSync.apply(backendImpl, args));
  backendImpl.read = (...args) => (hostReadsPerStep++, reads.read.apply(backendImpl, args));
  counter.start();
  const counted = trainStep(net, sgd, x, y, 0.05);
  // A free is counted with the call that made its tensor (addonMicros times the pair).
  const kernelCallsPerStep = counter
    .stop(1, 1)
    .filter((r) => r.kernel !== 'free')
    .reduce((a, r) => a + r.calls, 0);
  Object.assign(backendImpl, reads);
  await counted.loss.data();
  tf.dispose([counted.loss, counted.correct]);
  const med = median(stepMs);
  const result: MeasureResult = {
    backend,
    trainableParams: net.trainableCount,
    stepMs: stepMs.map((t) => Math.round(t * 10) / 10),
    medianStepMs: Math.round(med * 10) / 10,
    medianCpuMs: Math.round(median(cpuMs) * 10) / 10,
    imagesPerSec: Math.round((c.batch / med) * 1000 * 10) / 10,
    rssMiBPerStep: rss,
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    tensors: [tensorsAfterWarmup, tensorsAtEnd],
    profile,
    kernelCallsPerStep,
    hostReadsPerStep,
    dispatchMicros: torch && fastPaths.stepReplay ? addonMicros(torch.native) : dispatchMicros(),
  };
  tf.dispose([x, y]);
  sgd.dispose();
  net.store.dispose();
  return result;
}

/** How a bench child hands its result to the parent: one stdout line with this prefix, then the JSON. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

/** A child's result from its output, or an error naming its exit and the end of its stderr. */
export function childResult(req: MeasureRequest, stdout: string, stderr: string, exit: string): MeasureResult {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (line) return JSON.parse(line.slice(RESULT_PREFIX.length)) as MeasureResult;
  const why = stderr.trim().split('\n').slice(-3).join(' | ');
  return { backend: { kind: req.target.kind, name: '', threads: 0 }, error: `child exited ${exit}: ${why}` };
}
