// Host kernels for the wasm and cpu backends: loops in JavaScript over the tensors' own storage
// (hostArrays.ts), replacing chains of small tfjs ops whose per-op cost (allocation, a transpose
// before every reduction over non-inner axes, engine bookkeeping) dominated a training step.
//
//   LossLabBatchNormForward  x (.., C), [gamma, beta] → y, mean (C), variance (C, biased)
//   LossLabBatchNormBackward dy, x, mean, variance, [gamma] → dx, Σdy·x̂ (C), Σdy (C)
//   MaxPoolGrad              overrides the stock kernel for non-overlapping windows
//
// The batch norm loops themselves are in batchNormLoops.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { fastPaths } from './fastPaths';
import { batchNormBackwardLoop, batchNormForwardLoop } from './batchNormLoops';
import { hostOutputs, hostValues } from './hostArrays';

export const BN_FORWARD = 'LossLabBatchNormForward';
export const BN_BACKWARD = 'LossLabBatchNormBackward';
export type HostKernelBackend = 'wasm' | 'cpu';

type Args = Parameters<KernelFunc>[0];

function bnForwardKernel({ inputs, backend: b0, attrs }: Args): TensorInfo[] {
  const backend = b0 as KernelBackend;
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma?: TensorInfo; beta?: TensorInfo };
  const C = x.shape[x.shape.length - 1];
  const eps = (attrs as { eps: number }).eps;
  return hostOutputs(backend, [x.shape, [C], [C]], ([y, mean, variance]) => {
    const g = gamma ? hostValues(backend, gamma) : null;
    const b = beta ? hostValues(backend, beta) : null;
    batchNormForwardLoop(hostValues(backend, x), g, b, eps, y, mean, variance);
  });
}

function bnBackwardKernel({ inputs, backend: b0, attrs }: Args): TensorInfo[] {
  const backend = b0 as KernelBackend;
  const { dy, x, mean, variance, gamma } = inputs as Record<string, TensorInfo | undefined> as {
    dy: TensorInfo;
    x: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    gamma?: TensorInfo;
  };
  const C = x.shape[x.shape.length - 1];
  const eps = (attrs as { eps: number }).eps;
  return hostOutputs(backend, [x.shape, [C], [C]], ([dx, sumDyXHat, sumDy]) => {
    const v = (t: TensorInfo) => hostValues(backend, t);
    batchNormBackwardLoop(v(dy), v(x), v(mean), v(variance), gamma ? v(gamma) : null, eps, dx, sumDyXHat, sumDy);
  });
}

/** dx for max pooling with windows that do not overlap (stride ≥ window), unpadded; the first maximum gets the gradient. */
function maxPoolGradLoop(dy: Float32Array, x: Float32Array, xShape: number[], dyShape: number[], win: [number, number], stride: [number, number], dx: Float32Array): void {
  const [n, h, w, c] = xShape;
  const [, oh, ow] = dyShape;
  dx.fill(0);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const o = ((b * oh + oy) * ow + ox) * c;
        const base = ((b * h + oy * stride[0]) * w + ox * stride[1]) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = base + ch;
          let bestV = x[best];
          for (let i = 0; i < win[0]; i++) {
            for (let j = 0; j < win[1]; j++) {
              const at = base + (i * w + j) * c + ch;
              if (x[at] > bestV) {
                bestV = x[at];
                best = at;
              }
            }
          }
          dx[best] += dy[o + ch];
        }
      }
    }
  }
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

function makeMaxPoolGrad(stock: KernelConfig | undefined): KernelFunc {
  return (args: Args) => {
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const win = pair(attrs.filterSize);
    const stride = pair(attrs.strides);
    const valid = attrs.pad === 'valid' || attrs.pad === 0;
    const plain = fastPaths.maxPoolGrad && valid && stride[0] >= win[0] && stride[1] >= win[1] && input.shape.length === 4;
    if (!plain && stock) return stock.kernelFunc(args);
    if (!plain) throw new Error('MaxPoolGrad: only non-overlapping, unpadded windows are supported on this backend');
    const backend = args.backend as KernelBackend;
    return hostOutputs(backend, [input.shape], ([dx]) => {
      maxPoolGradLoop(hostValues(backend, dy), hostValues(backend, input), input.shape, dy.shape, win, stride, dx);
    })[0];
  };
}

const ours = new Set<KernelFunc>();

function register(kernelName: string, backendName: string, kernelFunc: KernelFunc): void {
  const existing = tf.getKernel(kernelName, backendName);
  if (existing && ours.has(existing.kernelFunc)) return;
  if (existing) tf.unregisterKernel(kernelName, backendName);
  ours.add(kernelFunc);
  tf.registerKernel({ kernelName, backendName, kernelFunc: kernelFunc });
}

/** The BN kernels (new names, so registering them early is harmless); done on first use. */
let bnRegistered = false;

function ensureBatchNormKernels(): void {
  if (bnRegistered) return;
  bnRegistered = true;
  for (const backendName of ['wasm', 'cpu']) {
    register(BN_FORWARD, backendName, bnForwardKernel);
    register(BN_BACKWARD, backendName, bnBackwardKernel);
  }
}

/**
 * wasm's Identity copies the tensor; tensors are immutable to tfjs, so sharing the storage with
 * a reference count (what cpu's Identity does) is equivalent and saves a copy of every tensor
 * that a gradient function saves (customGrad clones them).
 */
function makeSharedIdentity(stock: KernelConfig | undefined): KernelFunc {
  return (args: Args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (!fastPaths.sharedIdentity || x.dtype === 'string') return stock!.kernelFunc(args);
    (args.backend as KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

function override(kernelName: string, backendName: string, make: (stock: KernelConfig | undefined) => KernelFunc): void {
  const stock = tf.getKernel(kernelName, backendName);
  if (stock && ours.has(stock.kernelFunc)) return;
  register(kernelName, backendName, make(stock));
}

/** Everything in this module for one backend; call after the backend's package registered its kernels. */
export function registerHostKernels(backendName: HostKernelBackend): void {
  ensureBatchNormKernels();
  override('MaxPoolGrad', backendName, makeMaxPoolGrad);
  if (backendName === 'wasm') override('Identity', backendName, makeSharedIdentity);
}

/** True when the BN host kernels can run on the active backend. */
export function batchNormKernelsUsable(): boolean {
  if (!fastPaths.fusedBatchNorm) return false;
  ensureBatchNormKernels();
  return tf.getKernel(BN_FORWARD, tf.getBackend()) !== undefined;
}
