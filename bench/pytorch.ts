// The PyTorch side of the benchmark: finds a Python with torch (Debian's python3-torch),
// optionally installs it, and runs bench/pytorch_step.py for one case.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchCase } from './cases';

export { findTorchPython } from '../src/host/torchPython';

export interface TorchResult {
  torch: string;
  threads: number;
  trainableParams: number;
  stepMs: number;
  /** Median process CPU time per timed step (Python's time.process_time). */
  cpuMs?: number;
  imagesPerSec: number;
  peakRssMiB: number;
}

/** apt-get install python3-torch (root, Debian/Ubuntu); only with --install-torch. */
export function installTorch(log: (m: string) => void): boolean {
  log('installing python3-torch with apt-get (--install-torch)...');
  const r = spawnSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

function torchScript(): string {
  // dist/bench.js → bench/pytorch_step.py in the repository.
  return path.join(__dirname, '..', 'bench', 'pytorch_step.py');
}

/** PyTorch's training step on the same case: on the CPU with `threads`, or on `device` ('cuda', 'mps'). */
export function runTorch(python: string, c: BenchCase, threads: number, device = 'cpu'): TorchResult | { error: string } {
  const args = [
    torchScript(),
    '--model',
    c.model.name,
    '--width',
    String(c.model.width),
    '--loss',
    c.loss.name,
    '--m',
    String(c.loss.name === 'scaled-bn' ? c.loss.m : 1),
    '--size',
    String(c.size),
    '--channels',
    String(c.channels),
    '--classes',
    String(c.classes),
    '--batch',
    String(c.batch),
    '--threads',
    String(threads),
    '--warmup',
    String(c.warmup),
    '--steps',
    String(c.steps),
    '--device',
    device,
  ];
  // OMP/MKL pools would otherwise start one thread per core whatever set_num_threads says.
  const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  const r = spawnSync(python, args, { encoding: 'utf8', env });
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').slice(-2).join(' ') };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchResult;
}
