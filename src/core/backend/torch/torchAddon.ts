// Loads the native engine (the Node-API addon over libtorch, native/torch/losslab_torch.cc)
// built for the libtorch this machine has, or says exactly why it cannot.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ADDON_API_VERSION, ADDON_FILE, addonDir, describeLibtorch, Libtorch, locateLibtorch } from './libtorch';
import { runtimeRequire } from '../../runtimeRequire';
import { tracedNative } from './callTrace';

type Id = number;

/** The addon's exports (see losslab_torch.cc); tensor ids index its tensor table. */
export interface TorchNative {
  apiVersion: number;
  torchVersion: string;
  unaryOps: string[];
  binaryOps: string[];
  reduceOps: string[];
  /** cacheMiB: the caching CPU allocator's limit; 0 keeps ATen's own allocator, negative its default (2 GiB). */
  init(meta: Int32Array, threads: number, device: string, cacheMiB: number): TorchDeviceInfo;
  fromBuffer(values: Float32Array | Int32Array | Uint8Array, shape: number[], dtype: number): Id;
  toBuffer(id: Id): Float32Array | Int32Array | Uint8Array;
  free(id: Id): void;
  liveCount(): number;
  /** Bytes the caching CPU allocator holds for reuse. */
  cachedBytes(): number;
  describeTensor(id: Id): void;
  unary(op: number, x: Id, alpha?: number): Id;
  binary(op: number, a: Id, b: Id): Id;
  /** dy · step(x), TensorFlow.js' ReLU gradient, in one pass. */
  reluGrad(dy: Id, x: Id): Id;
  addN(ids: Id[]): Id;
  cast(x: Id, dtype: number): Id;
  clip(x: Id, lo: number, hi: number): Id;
  fill(shape: number[], value: number, dtype: number): Id;
  select(cond: Id, a: Id, b: Id): Id;
  reshape(x: Id, shape: number[]): Id;
  permute(x: Id, perm: number[]): Id;
  slice(x: Id, begin: number[], size: number[]): Id;
  concat(ids: Id[], axis: number): Id;
  pad(x: Id, paddings: number[], value: number): Id;
  tile(x: Id, reps: number[]): Id;
  reverse(x: Id, dims: number[]): Id;
  reduce(op: number, x: Id, axes: number[], keepDims: boolean): Id;
  argReduce(isMax: boolean, x: Id, axis: number): Id;
  softmax(x: Id, dim: number): Id;
  matmul(a: Id, b: Id, transposeA: boolean, transposeB: boolean): Id;
  conv2d(x: Id, w: Id, strides: number[], pads: number[], dilations: number[]): Id;
  conv2dGradInput(dy: Id, w: Id, inputShape: number[], strides: number[], pads: number[], dilations: number[]): Id;
  conv2dGradFilter(x: Id, dy: Id, filterShape: number[], strides: number[], pads: number[], dilations: number[]): Id;
  maxPool(x: Id, filter: number[], strides: number[], pads: number[], dilations: number[]): Id;
  /** `y` is maxPool's output for `x`: its saved indices spare a second pooling pass. */
  maxPoolGrad(dy: Id, x: Id, y: Id, filter: number[], strides: number[], pads: number[], dilations: number[]): Id;
  oneHot(indices: Id, depth: number, on: number, off: number, dtype: number): Id;
  gather(x: Id, indices: Id, axis: number): Id;
  batchNormForward(x: Id, gamma: Id, beta: Id, eps: number): Id[];
  batchNormBackward(dy: Id, x: Id, mean: Id, variance: Id, gamma: Id, eps: number): Id[];
  sgdStep(weights: Id[], grads: Id[], buffers: Id[], lr: number, momentum: number, decays: number[]): void;
  /** Waits for the device's queued kernels; a no-op on the CPU. */
  synchronize(): void;
}

export interface TorchDeviceInfo {
  torchVersion: string;
  /** 'cpu', 'cuda:0' or 'mps'. */
  device: string;
  /** Whether a CUDA device is usable. */
  cuda: boolean;
  /** CUDA devices libtorch sees (0 without a GPU, or in a CPU build). */
  cudaDevices: number;
  /** Whether the engine was compiled with its CUDA code paths (a CUDA libtorch and the CUDA headers). */
  cudaBuilt: boolean;
  /** On a CUDA device with the CUDA code paths: its name and memory. */
  deviceName?: string;
  deviceMemoryBytes?: number;
  mps: boolean;
  /** e.g. 8700 for cuDNN 8.7.0; 0 without CUDA. */
  cudnnVersion: number;
  threads: number;
}

export interface LoadedAddon {
  native: TorchNative;
  libtorch: Libtorch;
  file: string;
}

/** Why the native engine is not there, phrased for the backend chain and the CLI. */
class TorchUnavailableError extends Error {}

const BUILD_HINT = "run 'npx losslab build-native' (or 'npm run build:native', or \"Loss Lab: Build Native Engine\" in VS Code)";

/** Whether a reason the engine did not load is one a (re)build fixes: each such message ends with BUILD_HINT. */
export const fixedByBuild = (why: string): boolean => why.endsWith(BUILD_HINT);

let loaded: LoadedAddon | undefined;

export function loadTorchAddon(env: NodeJS.ProcessEnv = process.env): LoadedAddon {
  if (loaded) return loaded;
  const { found, rejected } = locateLibtorch(env);
  if (!found) {
    throw new TorchUnavailableError(`libtorch not found: ${rejected.join('; ')}. Install PyTorch (pip install torch) or Debian's libtorch-dev, or set LIBTORCH to an unpacked libtorch`);
  }
  const file = path.join(addonDir(found, env), ADDON_FILE);
  if (!fs.existsSync(file)) {
    throw new TorchUnavailableError(`the native engine is not built for ${describeLibtorch(found)}: ${BUILD_HINT}`);
  }
  let native: TorchNative;
  try {
    native = tracedNative(runtimeRequire()(file) as TorchNative);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new TorchUnavailableError(`the native engine at ${file} failed to load (${why}); rebuild it: ${BUILD_HINT}`);
  }
  if (native.apiVersion !== ADDON_API_VERSION) {
    throw new TorchUnavailableError(`the native engine at ${file} is from another Loss Lab version (API ${native.apiVersion}, need ${ADDON_API_VERSION}): ${BUILD_HINT}`);
  }
  loaded = { native, libtorch: found, file };
  return loaded;
}
