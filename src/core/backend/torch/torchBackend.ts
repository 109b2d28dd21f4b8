// The `torch` TensorFlow.js backend: tensors live in libtorch (the addon's tensor table) and are
// copied to JavaScript only when read. Kernels are in torchKernels.ts.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendTimingInfo, BackendValues, DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { TorchDeviceInfo, TorchNative } from './torchAddon';
import { fastPaths } from '../fastPaths';

export const TORCH_BACKEND = 'torch';
/** MiB of freed CPU blocks the engine keeps for reuse (default 2048; 0 = ATen's own allocator). */
const CACHE_ENV = 'LOSSLAB_TORCH_CACHE_MIB';

const DTYPE_CODES: Partial<Record<DataType, number>> = { float32: 0, int32: 1, bool: 2 };
const DTYPES: DataType[] = ['float32', 'int32', 'bool'];

interface Entry {
  /** The addon's tensor id; absent for strings, which stay in JavaScript. */
  id?: number;
  strings?: Uint8Array[];
  refCount: number;
}

export function dtypeCode(dtype: DataType): number {
  const code = DTYPE_CODES[dtype];
  if (code === undefined) throw new Error(`torch backend: dtype '${dtype}' is not supported`);
  return code;
}

function typedFor(values: BackendValues | null, size: number, dtype: DataType): Float32Array | Int32Array | Uint8Array {
  if (dtype === 'float32') return values instanceof Float32Array ? values : values ? Float32Array.from(values as ArrayLike<number>) : new Float32Array(size);
  if (dtype === 'int32') return values instanceof Int32Array ? values : values ? Int32Array.from(values as ArrayLike<number>) : new Int32Array(size);
  if (dtype === 'bool') return values instanceof Uint8Array ? values : values ? Uint8Array.from(values as ArrayLike<number>) : new Uint8Array(size);
  throw new Error(`torch backend: dtype '${dtype}' is not supported`);
}

export class TorchBackend extends tf.KernelBackend {
  /** Written by the addon after every op: [dtype, rank, d0, d1, ...]. */
  private readonly meta = new Int32Array(10);
  private readonly data = new WeakMap<DataId, Entry>();
  /** The entry holding each live addon slot: a replayed step checks the persistent tensors it reads are still there. */
  private readonly bySlot = new Map<number, Entry>();
  private dataIds = 0;
  private fallbackCpu?: MathBackendCPU;
  readonly device: TorchDeviceInfo;

  constructor(
    readonly native: TorchNative,
    threads: number,
    device: string,
  ) {
    super();
    const cacheMiB = fastPaths.cachingAllocator ? Number(process.env[CACHE_ENV] ?? -1) : 0;
    this.device = native.init(this.meta, threads, device, Number.isFinite(cacheMiB) ? cacheMiB : -1);
  }

  // ---- storage -------------------------------------------------------------------------------

  override write(values: BackendValues | null, shape: number[], dtype: DataType): DataId {
    const dataId = {};
    this.data.set(dataId, this.entryFrom(values, shape, dtype, 1));
    this.dataIds++;
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues | null, shape: number[], dtype: DataType, refCount: number): void {
    this.data.set(dataId, this.entryFrom(values, shape, dtype, refCount));
    this.dataIds++;
  }

  private entryFrom(values: BackendValues | null, shape: number[], dtype: DataType, refCount: number): Entry {
    if (dtype === 'string') return { strings: (values as Uint8Array[] | null) ?? [], refCount };
    const typed = typedFor(values, tf.util.sizeFromShape(shape), dtype);
    return this.track({ id: this.native.fromBuffer(typed, shape, dtypeCode(dtype)), refCount });
  }

  override readSync(dataId: DataId): BackendValues {
    const entry = this.entry(dataId);
    return entry.strings ?? this.native.toBuffer(entry.id!);
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const entry = this.data.get(dataId);
    if (!entry) return true;
    entry.refCount--;
    if (!force && entry.refCount > 0) return false;
    if (entry.id !== undefined) {
      this.native.free(entry.id);
      this.bySlot.delete(entry.id);
    }
    this.data.delete(dataId);
    this.dataIds--;
    return true;
  }

  override incRef(dataId: DataId): void {
    this.entry(dataId).refCount++;
  }

  override refCount(dataId: DataId): number {
    return this.data.get(dataId)?.refCount ?? 0;
  }

  override numDataIds(): number {
    return this.dataIds;
  }

  /** Tensors alive in libtorch: equal to numDataIds() minus strings unless something leaks. */
  nativeTensorCount(): number {
    return this.native.liveCount();
  }

  override memory(): { unreliable: boolean; reasons: string[] } {
    return { unreliable: true, reasons: ['tensors live in libtorch; the engine counts their bytes, libtorch may cache more'] };
  }

  override timerAvailable(): boolean {
    return true;
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const t0 = performance.now();
    f();
    return { kernelMs: performance.now() - t0 };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    // Entries are freed by the engine's disposeData; the addon's table goes with the process.
  }

  // ---- for kernels ---------------------------------------------------------------------------

  private entry(dataId: DataId): Entry {
    const entry = this.data.get(dataId);
    if (!entry) throw new Error('torch backend: tensor data not found (disposed, or from another backend)');
    return entry;
  }

  /** The addon id of a kernel input. */
  id(info: TensorInfo): number {
    const id = this.entry(info.dataId).id;
    if (id === undefined) throw new Error(`torch backend: a ${info.dtype} tensor has no native storage`);
    return id;
  }

  private track(entry: Entry): Entry {
    this.bySlot.set(entry.id!, entry);
    return entry;
  }

  /** The tfjs data entry holding a slot: the same object as long as that tensor lives. */
  holderOf(slot: number): object | undefined {
    return this.bySlot.get(slot);
  }

  /** The addon slot of a tensor on this backend, or undefined (disposed, a string, another backend's). */
  slotOf(info: TensorInfo): number | undefined {
    return this.data.get(info.dataId)?.id;
  }

  /** A tensor over a slot the addon filled outside TensorFlow.js' kernels (a replayed step). */
  adopt(id: number, shape: number[], dtype: DataType): tf.Tensor {
    const dataId = {};
    this.data.set(dataId, this.track({ id, refCount: 1 }));
    this.dataIds++;
    return tf.engine().makeTensorFromDataId(dataId, shape, dtype, this);
  }

  /** Wraps an id the addon just returned (its shape and dtype are in `meta`). */
  out(id: number): TensorInfo {
    const m = this.meta;
    const shape = Array.from(m.subarray(2, 2 + m[1]));
    const dataId = {};
    this.data.set(dataId, this.track({ id, refCount: 1 }));
    this.dataIds++;
    return { dataId, shape, dtype: DTYPES[m[0]] };
  }

  /** Wraps several ids of one multi-output op. */
  outs(ids: number[]): TensorInfo[] {
    return ids.map((id) => {
      this.native.describeTensor(id);
      return this.out(id);
    });
  }

  /** The input itself, shared (tensors are immutable to tfjs), as cpu's Identity does. */
  share(info: TensorInfo): TensorInfo {
    this.incRef(info.dataId);
    return { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
  }

  /** A private cpu backend for the kernels libtorch does not run here (torchKernels.ts's fallback). */
  cpu(): MathBackendCPU {
    this.fallbackCpu ??= new MathBackendCPU();
    return this.fallbackCpu;
  }

  /**
   * torch.optim.SGD's step over all parameters in one native call, updating weights and momentum
   * buffers in place (sgd.ts). `decays[i]` is the weight decay of parameter i.
   */
  sgdUpdate(weights: TensorInfo[], grads: TensorInfo[], buffers: TensorInfo[], lr: number, momentum: number, decays: number[]): void {
    this.native.sgdStep(
      weights.map((w) => this.id(w)),
      grads.map((g) => this.id(g)),
      buffers.map((b) => this.id(b)),
      lr,
      momentum,
      decays,
    );
  }
}

/** The active backend when it can run SGD's update natively (sgd.ts), else null. */
export function nativeSgdBackend(): TorchBackend | null {
  const backend = tf.backend();
  return backend instanceof TorchBackend ? backend : null;
}
