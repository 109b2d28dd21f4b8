// Shared by the conv-gradient tests and the timing script: backend start-up, random conv
// geometries, and the stock cpu kernels as the reference.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, NamedAttrMap } from '@tensorflow/tfjs-core';
import { registerFastConvGradients } from '../../../src/core/backend/convGradKernels';
import { findWasmDir } from '../../../src/core/backend/wasmBinaries';
import { Rng } from '../../../src/core/util/rng';

export type Shape4 = [number, number, number, number];
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];
type ConvPad = 'same' | 'valid' | number | ExplicitPad;

export interface ConvCase {
  xShape: Shape4;
  filterShape: Shape4;
  strides: [number, number];
  pad: ConvPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export interface StockCpuKernels {
  filter: KernelFunc;
  input: KernelFunc;
}

let stock: StockCpuKernels | undefined;

/**
 * Starts cpu and wasm, captures the stock cpu gradient kernels (the reference) and only
 * then installs the fast kernels, both of them on both backends. Idempotent.
 */
export async function startBackends(): Promise<StockCpuKernels> {
  if (stock !== undefined) return stock;
  const filter = tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc;
  const input = tf.getKernel('Conv2DBackpropInput', 'cpu')?.kernelFunc;
  if (!filter || !input) throw new Error('stock cpu conv gradient kernels missing');
  const wasmDir = findWasmDir().dir;
  if (wasmDir === undefined) throw new Error('tfjs-backend-wasm binaries not found');
  setWasmPaths(wasmDir);
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to start');
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to start');
  // cpu keeps its stock input gradient by default; force ours so the maths is checked on both backends.
  registerFastConvGradients('cpu', { input: true });
  registerFastConvGradients('wasm');
  stock = { filter, input };
  return stock;
}

export function dyShapeOf(c: ConvCase): Shape4 {
  return tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode).outShape;
}

function commonAttrs(c: ConvCase): NamedAttrMap {
  const attrs: NamedAttrMap = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
  if (c.dimRoundingMode !== undefined) attrs.dimRoundingMode = c.dimRoundingMode;
  return attrs;
}

export function filterAttrs(c: ConvCase): NamedAttrMap {
  return { ...commonAttrs(c), filterShape: c.filterShape };
}

export function inputAttrs(c: ConvCase): NamedAttrMap {
  return { ...commonAttrs(c), inputShape: c.xShape };
}

export function describeCase(c: ConvCase): string {
  return `x=[${c.xShape}] w=[${c.filterShape}] s=[${c.strides}] pad=${JSON.stringify(c.pad)}` + (c.dimRoundingMode ? ` round=${c.dimRoundingMode}` : '');
}

/** Batch 1–3, sizes 5–9, channels 1–5, kernels 1×1/3×3/5×5/3×1/1×3, strides 1/2, all padding kinds. */
export function randomCases(count: number, seed: number): ConvCase[] {
  const rng = new Rng(seed);
  const pick = <T>(items: readonly T[]): T => items[rng.int(items.length)];
  const kernels: [number, number][] = [
    [1, 1],
    [3, 3],
    [5, 5],
    [3, 1],
    [1, 3],
  ];
  const cases: ConvCase[] = [];
  for (let i = 0; i < count; i++) {
    const [kh, kw] = pick(kernels);
    const xShape: Shape4 = [1 + rng.int(3), 5 + rng.int(5), 5 + rng.int(5), 1 + rng.int(5)];
    const filterShape: Shape4 = [kh, kw, xShape[3], 1 + rng.int(5)];
    const strides = pick<[number, number]>([
      [1, 1],
      [2, 2],
      [2, 2],
      [1, 2],
      [2, 1],
    ]);
    const kind = pick(['same', 'valid', 'number', 'explicit'] as const);
    const c: ConvCase = { xShape, filterShape, strides, pad: 'same' };
    if (kind === 'valid') c.pad = 'valid';
    if (kind === 'number') {
      c.pad = rng.int(3);
      c.dimRoundingMode = pick(['floor', 'ceil'] as const);
    }
    if (kind === 'explicit')
      c.pad = [
        [0, 0],
        [rng.int(4), rng.int(4)],
        [rng.int(4), rng.int(4)],
        [0, 0],
      ];
    cases.push(c);
  }
  return cases;
}

export function randomHost(shape: number[], rng: Rng): HostTensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return { values, shape };
}

/** Values held in JS, so each backend under test gets its own copy. */
export interface HostTensor {
  values: Float32Array;
  shape: number[];
}

function toTensors(inputs: Record<string, HostTensor>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.tensor(t.values, t.shape)]));
}

/** Runs a stock cpu kernel directly on the cpu backend and returns its values. */
export async function runStockCpu(kernel: KernelFunc, inputs: Record<string, HostTensor>, attrs: NamedAttrMap): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const backend = tf.backend();
  const moved = toTensors(inputs);
  const out = kernel({ inputs: moved, backend, attrs });
  if (Array.isArray(out)) throw new Error('unexpected multi-output kernel');
  const values = backend.readSync(out.dataId) as Float32Array;
  backend.disposeData(out.dataId);
  Object.values(moved).forEach((t) => t.dispose());
  return values;
}

/** Runs the kernel registered under `kernelName` on `backendName` through the engine. */
export async function runRegistered(backendName: string, kernelName: string, inputs: Record<string, HostTensor>, attrs: NamedAttrMap): Promise<HostTensor> {
  await tf.setBackend(backendName);
  const moved = toTensors(inputs);
  const out = tf.engine().runKernel<tf.Tensor>(kernelName, moved, attrs);
  const result = { values: out.dataSync() as Float32Array, shape: out.shape };
  out.dispose();
  Object.values(moved).forEach((t) => t.dispose());
  return result;
}

/** max |a − b| divided by max(|b|, 1e-3). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}
