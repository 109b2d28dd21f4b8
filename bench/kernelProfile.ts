// Per-kernel timing of training steps: every kernel registered for the backend is wrapped with
// a timer. Composite kernels (the conv gradients, the fused BN/SGD kernels) call other kernels
// of the same backend; each kernel is charged its self time (its own time minus that of the
// kernels it called), so the rows add up to the time spent in kernels. What remains of the
// step is JavaScript outside kernels: the engine (tape, tidy, bookkeeping) and our own code.
// Only meaningful on synchronous backends (wasm, cpu).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { SIGNATURES } from '../src/core/backend/torch/callTrace';

export interface ProfileRow {
  kernel: string;
  calls: number;
  /** Self time per step. */
  msPerStep: number;
  share: number;
}

export class KernelProfiler {
  private readonly originals: KernelConfig[] = [];
  private readonly selfMs = new Map<string, number>();
  private readonly calls = new Map<string, number>();
  private readonly childMs: number[] = [];
  private on = false;

  private readonly nativeOriginals: [string, unknown][] = [];

  /**
   * `native`: the torch engine's addon, whose calls are then timed instead of the kernels, so that
   * a replayed step (which skips the kernels) is profiled too; what remains is tfjs and our code.
   */
  constructor(
    private readonly backendName: string,
    private readonly native?: Record<string, unknown>,
  ) {
    if (native) {
      for (const name of Object.keys(SIGNATURES)) {
        const fn = native[name] as (...args: unknown[]) => unknown;
        this.nativeOriginals.push([name, fn]);
        native[name] = this.wrap(name, fn);
      }
      return;
    }
    for (const config of tf.getKernelsForBackend(backendName)) {
      this.originals.push(config);
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel({ ...config, kernelFunc: this.wrap(config.kernelName, config.kernelFunc) });
    }
  }

  start(): void {
    this.selfMs.clear();
    this.calls.clear();
    this.on = true;
  }

  /** Stops counting, restores the kernels and returns the rows, with "(outside kernels)" last. */
  stop(totalMs: number, steps: number): ProfileRow[] {
    this.on = false;
    for (const [name, fn] of this.nativeOriginals) this.native![name] = fn;
    for (const config of this.originals) {
      tf.unregisterKernel(config.kernelName, this.backendName);
      tf.registerKernel(config);
    }
    const inKernels = [...this.selfMs.values()].reduce((a, b) => a + b, 0);
    const rows = [...this.selfMs].map(([kernel, ms]) => ({ kernel, calls: (this.calls.get(kernel) ?? 0) / steps, msPerStep: ms / steps, share: ms / totalMs }));
    rows.sort((a, b) => b.msPerStep - a.msPerStep);
    rows.push({ kernel: '(outside kernels)', calls: 0, msPerStep: (totalMs - inKernels) / steps, share: (totalMs - inKernels) / totalMs });
    return rows.map((r) => ({ ...r, msPerStep: Math.round(r.msPerStep * 100) / 100, share: Math.round(r.share * 1000) / 1000 }));
  }

  private wrap<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
    return ((...args: Parameters<F>) => {
      if (!this.on) return fn(...args);
      this.childMs.push(0);
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        const total = performance.now() - t0;
        const children = this.childMs.pop()!;
        this.selfMs.set(name, (this.selfMs.get(name) ?? 0) + total - children);
        this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
        if (this.childMs.length) this.childMs[this.childMs.length - 1] += total;
      }
    }) as F;
  }
}
