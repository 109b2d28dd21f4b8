/**
 * The prefetch thread (prefetch.ts): assembles each requested epoch's batches into the shared
 * slots in turn, waiting while the consumer still holds a slot, and drops an epoch given up on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Rng } from '../util/rng';
import { Batcher } from './batcher';
import { CONTROL, type EpochRequest, type PrefetchThreadData } from './prefetch';

const data = workerData as PrefetchThreadData;
const { control, xs, ys } = data;
const split = { images: data.images, labels: data.labels, count: data.count };

class EpochDropped extends Error {}

/** Waits until the consumer has freed `slot` from this generation's earlier batch. */
function claimSlot(slot: number, generation: number): void {
  for (;;) {
    if (Atomics.load(control, CONTROL.stop) === generation) throw new EpochDropped();
    if (Atomics.load(control, CONTROL.state(slot)) !== generation) return;
    Atomics.wait(control, CONTROL.state(slot), generation);
  }
}

function assemble({ seed, generation }: EpochRequest): void {
  const batcher = new Batcher(split, { ...data.options, rng: new Rng(seed) });
  let k = 0;
  const target = (batchIndex: number) => {
    const slot = batchIndex % xs.length;
    claimSlot(slot, generation);
    return { x: xs[slot], y: ys[slot] };
  };
  for (const batch of batcher.epoch(target)) {
    const slot = k++ % xs.length;
    control[CONTROL.size(slot)] = batch.size;
    Atomics.store(control, CONTROL.state(slot), generation);
    Atomics.notify(control, CONTROL.state(slot));
  }
}

parentPort!.on('message', (request: EpochRequest) => {
  try {
    assemble(request);
  } catch (err) {
    if (err instanceof EpochDropped) return;
    data.errors.postMessage(err instanceof Error ? err.message : String(err));
    Atomics.store(control, CONTROL.error, 1);
    for (let s = 0; s < xs.length; s++) Atomics.notify(control, CONTROL.state(s));
  }
});
