/**
 * The training data pipeline on its own: how many CIFAR-sized images per second batch assembly
 * (random crop, flip, normalise) gives on one core, and how long a step waits for its batch when
 * the prefetch thread assembles the next one while the step runs (target: about 0).
 */
import { Batcher } from '../src/core/data/batcher';
import { prefetchedBatches, type BatchOptions } from '../src/core/data/prefetch';
import type { ImageSplit } from '../src/core/data/types';
import { Rng } from '../src/core/util/rng';

export interface DataPipelineResult {
  /** Batch assembly alone, on the calling thread. */
  imagesPerSec: number;
  batchMs: number;
  /** Mean wait for a prefetched batch while a step of `stepMs` (busy) runs. */
  waits: { stepMs: number; waitMsPerStep: number }[];
}

const SIZE = 32;
const CHANNELS = 3;
const IMAGES = 10_000;
const BATCH = 128;

function syntheticCifar(): ImageSplit {
  const images = new Uint8Array(IMAGES * SIZE * SIZE * CHANNELS);
  let x = 12345;
  for (let i = 0; i < images.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    images[i] = x >>> 24;
  }
  return { images, labels: Int32Array.from({ length: IMAGES }, (_, i) => i % 100), count: IMAGES };
}

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

export function measureDataPipeline(): DataPipelineResult {
  const split = syntheticCifar();
  const options: BatchOptions = {
    height: SIZE,
    width: SIZE,
    channels: CHANNELS,
    mean: [0.507, 0.487, 0.441],
    std: [0.267, 0.256, 0.276],
    batchSize: BATCH,
    augment: { crop: true, padding: 4, flip: true },
    shuffle: true,
  };
  const batcher = new Batcher(split, { ...options, rng: new Rng(1) });
  for (const _ of batcher.epoch()); // warm-up: the JIT compiles the loops
  const start = performance.now();
  for (const _ of batcher.epoch());
  const seconds = (performance.now() - start) / 1000;
  const batchMs = (seconds * 1000) / batcher.batchesPerEpoch;

  const source = prefetchedBatches(split, options);
  const waits: DataPipelineResult['waits'] = [];
  try {
    for (const _ of source.epoch(1)); // starts the thread
    source.takeWaitSeconds();
    for (const stepMs of [0, batchMs * 1.5, batchMs * 4]) {
      for (const _ of source.epoch(2)) busy(stepMs);
      waits.push({ stepMs, waitMsPerStep: (source.takeWaitSeconds() * 1000) / source.batchesPerEpoch });
    }
  } finally {
    source.close();
  }
  return { imagesPerSec: IMAGES / seconds, batchMs, waits };
}

export function formatDataPipeline(r: DataPipelineResult): string[] {
  return [
    '',
    `Data pipeline (CIFAR-sized 32×32×3, batch ${BATCH}, crop 4 + flip + normalise): ${Math.round(r.imagesPerSec).toLocaleString('en-US')} img/s on one core (${r.batchMs.toFixed(2)} ms per batch)`,
    ...r.waits.map((w) => `  step of ${w.stepMs.toFixed(1).padStart(5)} ms: waits ${w.waitMsPerStep.toFixed(3)} ms per step for its prefetched batch`),
  ];
}
