// Prefetched batches are the Batcher's own, byte for byte: epoch after epoch, with a consumer
// slower than the thread, after an epoch given up part-way, and with the last batch short.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Batcher, type Batch } from '../../../src/core/data/batcher';
import { prefetchedBatches, type BatchOptions } from '../../../src/core/data/prefetch';
import type { ImageSplit } from '../../../src/core/data/types';
import { Rng } from '../../../src/core/util/rng';

const h = 6;
const w = 5;
const c = 3;
const count = 23; // three batches of 8, the last one 7 short
const split: ImageSplit = {
  images: Uint8Array.from({ length: count * h * w * c }, (_, i) => (i * 37) % 256),
  labels: Int32Array.from({ length: count }, (_, i) => i % 4),
  count,
};
const options: BatchOptions = { height: h, width: w, channels: c, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3], batchSize: 8, augment: { crop: true, padding: 2, flip: true }, shuffle: true };

/** A lost batch fails the test in seconds rather than the default two minutes. */
const TIMEOUT_MS = 5000;

const copy = (b: Batch) => ({ x: [...b.x], y: [...b.y] });

/** Each batch copied as it comes: a batch is valid only until the next is asked for. */
function collect(batches: Iterable<Batch>): { x: number[]; y: number[] }[] {
  const out = [];
  for (const b of batches) out.push(copy(b));
  return out;
}

const inline = (seed: number, batchSize = options.batchSize) => collect(new Batcher(split, { ...options, batchSize, rng: new Rng(seed) }).epoch());

test('prefetched epochs equal the inline Batcher, byte for byte, epoch after epoch', () => {
  const source = prefetchedBatches(split, options, TIMEOUT_MS);
  try {
    assert.equal(source.batchesPerEpoch, 3);
    for (const seed of [11, 12, 13]) {
      const got = collect(source.epoch(seed));
      assert.deepEqual(got, inline(seed), `seed ${seed}`);
      assert.equal(got.at(-1)!.y.length, 7, 'the last batch is short');
    }
  } finally {
    source.close();
  }
});

test('a slow consumer gets every batch, in order: the thread never overwrites a batch not yet taken', () => {
  const source = prefetchedBatches(split, { ...options, batchSize: 4 }, TIMEOUT_MS);
  try {
    const expected = inline(5, 4);
    let k = 0;
    for (const batch of source.epoch(5)) {
      const before = copy(batch);
      const until = performance.now() + 20; // the thread has time to run ahead and try this slot
      while (performance.now() < until);
      assert.deepEqual(copy(batch), before, `batch ${k} changed while in use`);
      assert.deepEqual(before, expected[k++]);
    }
    assert.equal(k, 6);
  } finally {
    source.close();
  }
});

test('an epoch given up after one batch leaves the next epoch exact', () => {
  const source = prefetchedBatches(split, options, TIMEOUT_MS);
  try {
    for (const _ of source.epoch(21)) break;
    assert.deepEqual(collect(source.epoch(22)), inline(22));
  } finally {
    source.close();
  }
});
