/**
 * Training batches for each epoch, assembled ahead of the step that uses them. With prefetching
 * (the default) a thread crops, flips and normalises batch k + 1 while the step for batch k runs, so a
 * fast device never waits for the CPU; the batches are the very ones the Batcher would give inline
 * (same generator, same draws), so results do not change. `LOSSLAB_PREFETCH=0` assembles them inline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { runtimeRequire } from '../runtimeRequire';
import { Rng } from '../util/rng';
import { Batcher, type Batch, type BatcherOptions } from './batcher';
import { sharedSplit } from './split';
import type { ImageSplit } from './types';

/** What a batch source needs: the Batcher's options, whose random draws come from each epoch's seed. */
export type BatchOptions = Omit<BatcherOptions, 'rng'>;

export interface BatchSource {
  readonly batchesPerEpoch: number;
  readonly batchSize: number;
  /** One epoch's batches, drawn with `seed`; each batch is valid until the next is asked for. */
  epoch(seed: number): Iterable<Batch>;
  /** Seconds the consumer waited for a batch since the last call: ~0 when assembly keeps ahead of the step. */
  takeWaitSeconds(): number;
  close(): void;
}

/** Slots of batches assembled ahead: one being used by the step, one being written. */
const DEPTH = 2;
/** How long the consumer waits for one batch before it calls the thread lost. */
const BATCH_TIMEOUT_MS = 120_000;

/** Shared control words: per slot the generation whose batch it holds (0: free), per slot its size, then STOP and ERROR. */
export interface ControlLayout {
  state: (slot: number) => number;
  size: (slot: number) => number;
  stop: number;
  error: number;
  length: number;
}
export const CONTROL: ControlLayout = { state: (s) => s, size: (s) => DEPTH + s, stop: 2 * DEPTH, error: 2 * DEPTH + 1, length: 2 * DEPTH + 2 };

/** What the thread receives once: the split and the slots live in shared memory. */
export interface PrefetchThreadData {
  images: Uint8Array;
  labels: Int32Array;
  count: number;
  options: BatchOptions;
  xs: Float32Array[];
  ys: Int32Array[];
  control: Int32Array;
  errors: MessagePort;
}

/** One epoch to assemble; `generation` tells its batches from those of an epoch given up on. */
export interface EpochRequest {
  seed: number;
  generation: number;
}

/** Batches assembled on the calling thread, as they are asked for. */
function inlineBatches(split: ImageSplit, options: BatchOptions): BatchSource {
  const batcher = new Batcher(split, { ...options, rng: new Rng(0) });
  return {
    batchesPerEpoch: batcher.batchesPerEpoch,
    batchSize: batcher.batchSize,
    epoch: (seed) => new Batcher(split, { ...options, rng: new Rng(seed) }).epoch(),
    takeWaitSeconds: () => 0,
    close: () => {},
  };
}

/** The thread's script: the bundle beside this one, or the TypeScript source through tsx (tests). */
function startThread(data: PrefetchThreadData): Worker {
  const bundled = path.join(__dirname, 'prefetchThread.js');
  const transferList = [data.errors];
  if (fs.existsSync(bundled)) return new Worker(bundled, { workerData: data, transferList });
  const source = path.join(__dirname, 'prefetchThread.ts');
  const tsx = runtimeRequire().resolve('tsx/cjs');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, { eval: true, workerData: data, transferList });
}

/** Batches assembled by a thread, up to DEPTH ahead of the consumer. */
export function prefetchedBatches(split: ImageSplit, options: BatchOptions, timeoutMs = BATCH_TIMEOUT_MS): BatchSource {
  const { batchesPerEpoch, batchSize } = new Batcher(split, { ...options, rng: new Rng(0) }); // validates the options here, where errors name the run
  const imageSize = options.height * options.width * options.channels;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.length * 4));
  const xs = Array.from({ length: DEPTH }, () => new Float32Array(new SharedArrayBuffer(batchSize * imageSize * 4)));
  const ys = Array.from({ length: DEPTH }, () => new Int32Array(new SharedArrayBuffer(batchSize * 4)));
  const x = new Float32Array(batchSize * imageSize);
  const y = new Int32Array(batchSize);
  const { port1, port2 } = new MessageChannel();
  const data: PrefetchThreadData = {
    ...sharedSplit(split),
    options,
    xs,
    ys,
    control,
    errors: port2,
  };
  let thread: Worker | undefined;
  let generation = 0;
  let waitedMs = 0;

  const threadError = (): Error => {
    const message = receiveMessageOnPort(port1)?.message as string | undefined;
    return new Error(`batch assembly failed: ${message ?? 'the prefetch thread stopped'}`);
  };

  /** Blocks until `slot` holds this generation's batch. */
  const awaitSlot = (slot: number, gen: number): void => {
    const start = performance.now();
    for (;;) {
      const state = Atomics.load(control, CONTROL.state(slot));
      if (state === gen) break;
      if (Atomics.load(control, CONTROL.error)) throw threadError();
      if (performance.now() - start > timeoutMs) throw new Error(`batch assembly failed: no batch from the prefetch thread in ${timeoutMs / 1000} s`);
      Atomics.wait(control, CONTROL.state(slot), state, 1000);
    }
    waitedMs += performance.now() - start;
  };

  function* epoch(seed: number): Generator<Batch, void, undefined> {
    thread ??= startThread(data);
    thread.unref();
    const gen = ++generation;
    thread.postMessage({ seed, generation: gen } satisfies EpochRequest);
    let k = 0;
    try {
      for (; k < batchesPerEpoch; k++) {
        const slot = k % DEPTH;
        awaitSlot(slot, gen);
        const size = control[CONTROL.size(slot)];
        // Copied out of shared memory (a memcpy): backends take plain arrays only (Node-API's ArrayBuffer
        // refuses a shared one), and the slot is free for the thread again while this batch trains.
        x.set(xs[slot].subarray(0, size * imageSize));
        y.set(ys[slot].subarray(0, size));
        Atomics.store(control, CONTROL.state(slot), 0);
        Atomics.notify(control, CONTROL.state(slot));
        yield { x: x.subarray(0, size * imageSize), y: y.subarray(0, size), size };
      }
    } finally {
      if (k < batchesPerEpoch) {
        // Given up part-way (a stop, a diverged loss): the thread drops the rest of this epoch.
        Atomics.store(control, CONTROL.stop, gen);
        for (let s = 0; s < DEPTH; s++) Atomics.notify(control, CONTROL.state(s));
      }
    }
  }

  return {
    batchesPerEpoch,
    batchSize,
    epoch,
    takeWaitSeconds() {
      const s = waitedMs / 1000;
      waitedMs = 0;
      return s;
    },
    close() {
      port1.close();
      void thread?.terminate();
      thread = undefined;
    },
  };
}

/** Prefetched unless `LOSSLAB_PREFETCH=0`. */
export function trainingBatches(split: ImageSplit, options: BatchOptions): BatchSource {
  return process.env.LOSSLAB_PREFETCH === '0' ? inlineBatches(split, options) : prefetchedBatches(split, options);
}
