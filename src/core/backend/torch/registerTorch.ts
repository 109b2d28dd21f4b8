// Creates the torch backend once per process (libtorch's thread pool and device are fixed at the
// first initialisation) and registers it with TensorFlow.js under 'torch'.
import * as tf from '@tensorflow/tfjs-core';
import { loadTorchAddon } from './torchAddon';
import type { Libtorch } from './libtorch';
import { TORCH_BACKEND, TorchBackend } from './torchBackend';
import { registerTorchKernels } from './torchKernels';

/** 'auto': CUDA where the loaded libtorch has it, else MPS (Apple GPU), else the CPU; cuda:N picks a GPU. */
export type TorchDevice = 'auto' | 'cpu' | 'cuda' | `cuda:${number}` | 'mps';
const TORCH_DEVICE_ENV = 'LOSSLAB_TORCH_DEVICE';

/** The device LOSSLAB_TORCH_DEVICE names (empty: auto); anything else is refused in one line, never read as the CPU. */
export function parseTorchDevice(value: string | undefined): TorchDevice {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '') return 'auto';
  if (v === 'auto' || v === 'cpu' || v === 'cuda' || v === 'mps') return v;
  if (/^cuda:\d{1,3}$/.test(v)) return v as TorchDevice;
  throw new Error(`${TORCH_DEVICE_ENV}='${value}' is not a device: use auto, cpu, cuda, cuda:N (N = 0, 1, …) or mps`);
}

export interface TorchEngine {
  backend: TorchBackend;
  libtorch: Libtorch;
  /** Set when the process asked for other threads or device than the engine started with. */
  mismatch?: string;
}

let engine: TorchEngine | undefined;

export function torchEngine(opts: { threads?: number; device?: TorchDevice } = {}): TorchEngine {
  const threads = Math.max(1, Math.floor(opts.threads ?? 1));
  const device = opts.device ?? parseTorchDevice(process.env[TORCH_DEVICE_ENV]);
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
  const facts: Record<string, string> = { libtorch: engine.libtorch.build ?? d.torchVersion, libtorchSource: engine.libtorch.source, device: d.device };
  if (d.deviceName) facts.deviceName = d.deviceName;
  if (d.cudnnVersion) facts.cudnn = String(d.cudnnVersion);
  return facts;
}
