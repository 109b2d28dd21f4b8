// Calls other kernels of one backend directly, below the engine, for use inside a kernel.
//
// A kernel may not call tf ops (the engine would record them on the gradient tape and
// count them as tensors), so composite kernels call the backend's own kernel functions on
// TensorInfos instead. Nothing below the engine is tracked or freed automatically, so this
// scope records every TensorInfo it hands out and frees all but the kernel's result.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

export class BackendKernelScope {
  private readonly intermediates: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `kernelName` of this backend; the output is freed by `finish` unless returned from it. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName);
    if (config === undefined) {
      throw new Error(`Kernel '${kernelName}' is not registered for backend '${this.backendName}'`);
    }
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) {
      out.forEach((info) => this.intermediates.push(info));
      throw new Error(`Kernel '${kernelName}' returned several outputs; expected one`);
    }
    this.intermediates.push(out);
    return out;
  }

  /**
   * The float32 values of `x`, for reading only. wasm's readSync copies through
   * `HEAPU8.slice`, which measured ~10 ms for 590 KB, so its zero-copy heap view is used
   * when the backend has one; cpu's readSync returns its stored array without copying.
   */
  hostValues(x: TensorInfo): Float32Array {
    const withHeap = this.backend as KernelBackend & { typedArrayFromHeap?: (info: TensorInfo) => Float32Array };
    if (typeof withHeap.typedArrayFromHeap === 'function') return withHeap.typedArrayFromHeap(x);
    return this.backend.readSync(x.dataId) as Float32Array;
  }

  /** Copies host values into a new float32 tensor of this backend. */
  write(values: Float32Array, shape: number[]): TensorInfo {
    const info: TensorInfo = { dataId: this.backend.write(values, shape, 'float32'), shape, dtype: 'float32' };
    this.intermediates.push(info);
    return info;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Slices only when the slice is not the whole tensor, to save a copy. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    const whole = begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i]);
    return whole ? x : this.run('Slice', { x }, { begin, size });
  }

  /**
   * Frees every intermediate except `result`. Reshape outputs share storage with their
   * input and the backends count references per dataId, so freeing each handed-out
   * TensorInfo once leaves exactly the result's reference alive.
   */
  finish(result: TensorInfo): TensorInfo {
    let kept = false;
    for (const info of this.intermediates) {
      if (info === result && !kept) {
        kept = true;
        continue;
      }
      this.backend.disposeData(info.dataId);
    }
    this.intermediates.length = 0;
    if (!kept) throw new Error('BackendKernelScope.finish: the result was not made in this scope');
    return result;
  }

  /** Frees everything, for the error path. */
  abandon(): void {
    for (const info of this.intermediates) this.backend.disposeData(info.dataId);
    this.intermediates.length = 0;
  }
}
