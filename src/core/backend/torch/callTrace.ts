// A log of the engine's native calls, kept while a training step is recorded for replay
// (stepReplay.ts). Every addon function goes through `tracedNative`, so kernels, storage and the
// SGD update are all seen; outside a recording the cost is one null check per call.
import type { TorchNative } from './torchAddon';

/** What an argument is: a tensor slot, a list of them, an optional one (-1: none), bytes uploaded, or a plain value. */
type ArgKind = 'id' | 'ids' | 'optId' | 'bytes' | 'value';

interface Signature {
  args: readonly ArgKind[];
  /** 'host': the call hands a tensor's values to JavaScript; 'query': it reads engine state, not tensors. */
  result: 'id' | 'ids' | 'none' | 'host' | 'query';
}

type Fn = (...args: never[]) => unknown;
/** Every addon function but init: a new one fails to compile until its signature is here. */
export type TracedName = Exclude<{ [K in keyof TorchNative]: TorchNative[K] extends Fn ? K : never }[keyof TorchNative], 'init'>;

const sig = (result: Signature['result'], ...args: ArgKind[]): Signature => ({ args, result });
const v = 'value';

export const SIGNATURES: Record<TracedName, Signature> = {
  fromBuffer: sig('id', 'bytes', v, v),
  toBuffer: sig('host', 'id'),
  free: sig('none', 'id'),
  liveCount: sig('query'),
  cachedBytes: sig('query'),
  describeTensor: sig('query', 'id'),
  unary: sig('id', v, 'id', v),
  binary: sig('id', v, 'id', 'id'),
  reluGrad: sig('id', 'id', 'id'),
  addN: sig('id', 'ids'),
  cast: sig('id', 'id', v),
  clip: sig('id', 'id', v, v),
  fill: sig('id', v, v, v),
  select: sig('id', 'id', 'id', 'id'),
  reshape: sig('id', 'id', v),
  permute: sig('id', 'id', v),
  slice: sig('id', 'id', v, v),
  concat: sig('id', 'ids', v),
  pad: sig('id', 'id', v, v),
  tile: sig('id', 'id', v),
  reverse: sig('id', 'id', v),
  reduce: sig('id', v, 'id', v, v),
  argReduce: sig('id', v, 'id', v),
  softmax: sig('id', 'id', v),
  matmul: sig('id', 'id', 'id', v, v),
  conv2d: sig('id', 'id', 'id', v, v, v),
  conv2dGradInput: sig('id', 'id', 'id', v, v, v, v),
  conv2dGradFilter: sig('id', 'id', 'id', v, v, v, v),
  maxPool: sig('id', 'id', v, v, v, v),
  maxPoolGrad: sig('id', 'id', 'id', 'id', v, v, v, v),
  oneHot: sig('id', 'id', v, v, v, v),
  gather: sig('id', 'id', 'id', v),
  batchNormForward: sig('ids', 'id', 'optId', 'optId', v),
  batchNormBackward: sig('ids', 'id', 'id', 'id', 'id', 'optId', v),
  sgdStep: sig('none', 'ids', 'ids', 'ids', v, v, v),
  synchronize: sig('none'),
};

export interface TracedCall {
  fn: TracedName;
  /** Copies of the arguments as they were passed (callers may reuse their arrays). */
  args: unknown[];
  result: unknown;
}

/** The recording in progress, if any (one addon per process, hence one log). */
let log: TracedCall[] | null = null;

export function startTrace(): void {
  log = [];
}

export function stopTrace(): TracedCall[] {
  const calls = log ?? [];
  log = null;
  return calls;
}

const copy = (a: unknown): unknown => (Array.isArray(a) ? a.map(copy) : ArrayBuffer.isView(a) ? (a as Uint8Array).slice() : a);

/** The addon with each function logging itself while a trace is on. */
export function tracedNative(native: TorchNative): TorchNative {
  const traced: Record<string, unknown> = { ...native };
  for (const name of Object.keys(SIGNATURES) as TracedName[]) {
    const fn = (native as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>)[name];
    if (typeof fn !== 'function') continue; // an engine of another API version: the loader refuses it
    traced[name] = (...args: unknown[]) => {
      const result = fn.apply(native, args);
      log?.push({ fn: name, args: args.map(copy), result: copy(result) });
      return result;
    };
  }
  return traced as unknown as TorchNative;
}
