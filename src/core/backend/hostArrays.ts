// Direct access to the float32 storage of tensors on the two backends whose data lives in this
// process: wasm (a view of the module's heap) and cpu (the backend's own typed array). Host
// kernels (fusedKernels.ts) and in-place updates (SGD, BN running statistics) read and write
// through these views instead of issuing one small tfjs op per arithmetic step.
//
// Rules: a wasm heap view is invalidated when the heap grows (any allocation may grow it), so
// take views after allocating every output and do not allocate while holding them.
import * as tf from '@tensorflow/tfjs-core';
import type { DataId, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

interface WasmLike extends KernelBackend {
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number): TensorInfo;
  dataIdMap: { get(dataId: DataId): { id: number; memoryOffset: number } };
  wasm: {
    tfjs: { disposeData(id: number): void; registerTensor(id: number, size: number, memoryOffset: number): void };
    HEAPU8: Uint8Array;
    /** The threaded build's (shared, growable) memory: HEAPU8 can lag behind it when a pool thread grew it. */
    wasmMemory?: { buffer: ArrayBufferLike }; // a WebAssembly.Memory, whose type only the DOM lib declares
  };
}
interface CpuLike extends KernelBackend {
  data: { get(dataId: DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

type HostBackendKind = 'wasm' | 'cpu';

/** Which host layout `backend` uses, or null for backends whose data is elsewhere (GPU, libtensorflow). */
function hostKind(backend: KernelBackend): HostBackendKind | null {
  if (typeof (backend as Partial<WasmLike>).typedArrayFromHeap === 'function') return 'wasm';
  return tf.findBackend('cpu') === backend ? 'cpu' : null;
}

/** The active backend when it keeps tensors in host memory. */
export function activeHostBackend(): KernelBackend | null {
  const backend = tf.backend();
  return hostKind(backend) ? backend : null;
}

/** The float32 values of `info`, without a copy; writing to them changes the tensor. */
export function hostValues(backend: KernelBackend, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') throw new Error(`host kernel: expected float32, got ${info.dtype}`);
  if (hostKind(backend) === 'wasm') {
    const { wasm, dataIdMap } = backend as WasmLike;
    const buffer = wasm.wasmMemory?.buffer ?? wasm.HEAPU8.buffer;
    return new Float32Array(buffer, dataIdMap.get(info.dataId).memoryOffset, tf.util.sizeFromShape(info.shape));
  }
  const values = (backend as CpuLike).data.get(info.dataId).values;
  if (!(values instanceof Float32Array)) throw new Error('host kernel: tensor has no float32 storage');
  return values;
}

/** Allocates float32 outputs on `backend`; `fill` writes them (wasm: into the heap, cpu: arrays it then owns). */
export function hostOutputs(backend: KernelBackend, shapes: number[][], fill: (outs: Float32Array[]) => void): TensorInfo[] {
  if (hostKind(backend) === 'wasm') {
    const infos = shapes.map((s) => (backend as WasmLike).makeOutput(s, 'float32'));
    fill(infos.map((i) => hostValues(backend, i)));
    return infos;
  }
  const arrays = shapes.map((s) => new Float32Array(tf.util.sizeFromShape(s)));
  fill(arrays);
  return arrays.map((values, k) => (backend as CpuLike).makeTensorInfo(shapes[k], 'float32', values));
}

/**
 * Call after changing a tensor's values in place. The wasm backend caches XNNPACK operators
 * (with the weights packed inside) per input tensor id, e.g. a conv per filter: re-registering
 * the id drops those caches, as disposing the tensor would, so the next op sees the new values.
 */
export function hostWritten(backend: KernelBackend, info: TensorInfo): void {
  if (hostKind(backend) !== 'wasm') return;
  const wasm = backend as WasmLike;
  const { id, memoryOffset } = wasm.dataIdMap.get(info.dataId);
  wasm.wasm.tfjs.disposeData(id);
  wasm.wasm.tfjs.registerTensor(id, tf.util.sizeFromShape(info.shape), memoryOffset);
}
