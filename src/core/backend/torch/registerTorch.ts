// Creates the torch backend once per process (libtorch's thread pool and device are fixed at the
// first initialisation) and registers it with TensorFlow.js under 'torch'.
import * as tf from '@tensorflow/tfjs-core';
import { loadTorchAddon } from './torchAddon';
import type { Libtorch } from './libtorch';
import { TORCH_BACKEND, TorchBackend } from './torchBackend';
import { registerTorchKernels } from './torchKernels';

/** 'auto': CUDA where the loaded libtorch has it, else MPS (Apple GPU), else the CPU. */
export type TorchDevice = 'auto' | 'cpu' | 'cuda' | 'mps';
export const TORCH_DEVICE_ENV = 'LOSSLAB_TORCH_DEVICE';

export interface TorchEngine {
  backend: TorchBackend;
  libtorch: Libtorch;
  /** Set when the process asked for other threads or device than the engine started with. */
  mismatch?: string;
}

let engine: TorchEngine | undefined;

export function torchEngine(opts: { threads?: number; device?: TorchDevice } = {}): TorchEngine {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const device = opts.device ?? ((process.env[TORCH_DEVICE_ENV] as TorchDevice | undefined) || 'auto');
  if (engine) {
    const started = engine.backend.device.threads;
    return started === threads ? engine : { ...engine, mismatch: `libtorch is already initialised in this process with ${started} thread(s)` };
  }
  const { native, libtorch } = loadTorchAddon();
  registerTorchKernels(native);
  const backend = new TorchBackend(native, threads, device);
  tf.registerBackend(TORCH_BACKEND, () => backend, 0);
  engine = { backend, libtorch };
  return engine;
}

/** Facts recorded with each run trained on the torch backend (environment.ts), or undefined. */
export function torchRunFacts(): Record<string, string> | undefined {
  if (!engine || tf.getBackend() !== TORCH_BACKEND) return undefined;
  const d = engine.backend.device;
  const facts: Record<string, string> = { libtorch: d.torchVersion, libtorchSource: engine.libtorch.source, device: d.device };
  if (d.cudnnVersion) facts.cudnn = String(d.cudnnVersion);
  return facts;
}
