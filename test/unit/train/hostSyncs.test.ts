// On a GPU every read of a tensor's values waits for the device: the trainer reads nothing per
// step, and once per logEvery window reads every loss and correct count of the window together.
// Counted on the torch engine (its readSync and read are its only ways back to the host).
import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { EpochMetrics, RunSummary } from '../../../src/core/results/types';
import type { RunSink, TrainEvent } from '../../../src/core/train/events';
import { trainRun } from '../../../src/core/train/trainer';
import { quadrantDataset } from '../helpers/quadrantDataset';
import { runSpec } from '../helpers/runSpec';

before(async () => {
  await selectBackend('torch');
});

const LOG_EVERY = 5;
/** 160 images in batches of 16: 10 steps an epoch, two windows of 5. */
const spec = runSpec({
  experiment: 'syncs',
  runId: 'syncs-run',
  loss: { name: 'scaled-bn', m: 0.9 },
  lossLabel: 'Scaled-BN',
  seed: 3,
  training: { augment: { crop: true, padding: 1, flip: true }, logEvery: LOG_EVERY },
  backend: 'torch',
});

const sink = (): RunSink => ({
  resumePoint: () => ({ epochs: [] as EpochMetrics[], checkpoint: null }),
  started() {},
  epochFinished() {},
  stepLogged() {},
  finished(_s: RunSummary) {},
});

test('training reads the device once per logEvery window and never between', async () => {
  const backend = tf.backend();
  let reads = 0;
  const readSync = backend.readSync.bind(backend);
  const read = backend.read.bind(backend);
  backend.readSync = (id: object) => {
    reads++;
    return readSync(id);
  };
  backend.read = (id: object) => {
    reads++;
    return read(id);
  };
  const atStep: { epoch: number; step: number; reads: number }[] = [];
  try {
    await trainRun({
      spec,
      dataset: quadrantDataset({ count: 160, seed: 11, brightness: 120 }),
      backend: 'torch',
      sink: sink(),
      onEvent: (e: TrainEvent) => {
        if (e.type === 'step') atStep.push({ epoch: e.epoch, step: e.step, reads });
      },
    });
  } finally {
    backend.readSync = readSync;
    backend.read = read;
  }
  assert.deepEqual(
    atStep.map((s) => `${s.epoch}.${s.step}`),
    ['1.5', '1.10', '2.5', '2.10'],
  );
  // Between two points of one epoch lie LOG_EVERY training steps and nothing else.
  for (const epoch of [1, 2]) {
    const [first, second] = atStep.filter((s) => s.epoch === epoch);
    assert.equal(second.reads - first.reads, 1, `epoch ${epoch}: reads for ${LOG_EVERY} steps (0 per step, 1 per window)`);
  }
});
