// Step-level points: every training.logEvery steps the trainer records the loss and
// accuracy of the batches since the previous point, weighted by batch size. The truth here is
// the same run logged at every step (logEvery 1), whose points are single batches.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { RunSpec } from '../../../src/core/config/types';
import type { EpochMetrics, RunSummary, StepPoint } from '../../../src/core/results/types';
import type { RunSink, TrainEvent } from '../../../src/core/train/events';
import { DEFAULT_POINTS_PER_EPOCH, resolveLogEvery } from '../../../src/core/train/stepLog';
import { trainRun } from '../../../src/core/train/trainer';
import { quadrantDataset } from '../helpers/quadrantDataset';
import { runSpec } from '../helpers/runSpec';

before(async () => {
  await selectBackend('wasm');
});

/** 56 images: with batches of 16 an epoch is 16, 16, 16 and 8 images. */
const dataset = () => quadrantDataset({ count: 56, seed: 7, brightness: 120 });

const BATCH_SIZES = [16, 16, 16, 8];

function spec(epochs: number, logEvery: number | undefined, batchSize = 16): RunSpec {
  return runSpec({ experiment: 'steps', runId: 'steps-run', seed: 5, training: { epochs, batchSize, ...(logEvery === undefined ? {} : { logEvery }) } });
}

class MemorySink implements RunSink {
  epochs: EpochMetrics[] = [];
  checkpoints: Uint8Array[] = [];
  points: StepPoint[] = [];
  summary: RunSummary | undefined;
  constructor(private readonly resumeFrom?: { epochs: EpochMetrics[]; checkpoint: Uint8Array }) {}
  resumePoint() {
    return this.resumeFrom ?? { epochs: [], checkpoint: null };
  }
  started() {}
  epochFinished(m: EpochMetrics, checkpoint: Uint8Array) {
    this.epochs.push(m);
    this.checkpoints.push(checkpoint);
  }
  stepLogged(point: StepPoint) {
    this.points.push(point);
  }
  finished(summary: RunSummary) {
    this.summary = summary;
  }
}

async function train(epochs: number, logEvery: number | undefined, resumeFrom?: { epochs: EpochMetrics[]; checkpoint: Uint8Array }, batchSize = 16) {
  const sink = new MemorySink(resumeFrom);
  const events: TrainEvent[] = [];
  await trainRun({ spec: spec(epochs, logEvery, batchSize), dataset: dataset(), backend: 'wasm', sink, onEvent: (e) => events.push(e) });
  return { sink, events };
}

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);

test('default logEvery: about 20 points per epoch, at least one step apart; an explicit value wins', () => {
  assert.equal(DEFAULT_POINTS_PER_EPOCH, 20);
  // [steps per epoch, steps between points]: round(steps / 20), never 0.
  const cases: [number, number][] = [
    [1, 1],
    [4, 1],
    [29, 1],
    [30, 2],
    [47, 2],
    [100, 5],
    [391, 20],
    [1000, 50],
    [1563, 78],
  ];
  for (const [steps, every] of cases) assert.equal(resolveLogEvery(undefined, steps), every, `${steps} steps per epoch`);
  for (const [steps] of cases) {
    const points = Math.ceil(steps / resolveLogEvery(undefined, steps));
    assert.ok(steps < 20 ? points === steps : points >= 14 && points <= 30, `${steps} steps → ${points} points`);
  }
  assert.equal(resolveLogEvery(7, 1000), 7);
  assert.equal(resolveLogEvery(1, 4), 1);
  assert.equal(resolveLogEvery(50, 4), 50, 'more than an epoch: one point per epoch, at its end');
});

test('each point is the batch-size-weighted mean of the batches since the previous point', async () => {
  const perBatch = (await train(2, 1)).sink.points; // logEvery 1: one point per batch, the truth
  assert.deepEqual(
    perBatch.map((p) => [p.epoch, p.step]),
    [
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 1],
      [2, 2],
      [2, 3],
      [2, 4],
    ],
  );
  const { sink, events } = await train(2, 2);
  // Windows: steps 1–2 (16 + 16 images) and 3–4 (16 + 8) of each epoch.
  assert.deepEqual(
    sink.points.map((p) => [p.epoch, p.step, p.globalStep, p.stepsPerEpoch]),
    [
      [1, 2, 2, 4],
      [1, 4, 4, 4],
      [2, 2, 6, 4],
      [2, 4, 8, 4],
    ],
  );
  sink.points.forEach((point, i) => {
    const window = perBatch.slice(2 * i, 2 * i + 2);
    const sizes = BATCH_SIZES.slice((2 * i) % 4, ((2 * i) % 4) + 2);
    const images = sizes[0] + sizes[1];
    close(point.loss, (window[0].loss * sizes[0] + window[1].loss * sizes[1]) / images, `point ${i + 1} loss`);
    close(point.acc, (window[0].acc * sizes[0] + window[1].acc * sizes[1]) / images, `point ${i + 1} acc`);
  });
  // The last window of an epoch mixes 16 and 8 images: its weighted mean is not the plain mean of the two batches.
  assert.ok(Math.abs(sink.points[1].loss - (perBatch[2].loss + perBatch[3].loss) / 2) > 1e-9, 'weighted by batch size');

  // The progress fields stay the epoch's running mean; the step event carries the same point the sink got.
  const steps = events.filter((e): e is Extract<TrainEvent, { type: 'step' }> => e.type === 'step');
  assert.deepEqual(
    steps.map((e) => e.point),
    sink.points,
  );
  const epoch1 = sink.epochs[0];
  close(steps[1].loss, epoch1.trainLoss, 'epoch 1 running mean at its last step');
  close(steps[1].acc, epoch1.trainAcc, 'epoch 1 running accuracy at its last step');
  close(steps[0].loss, sink.points[0].loss, 'the first window is the epoch so far');
});

test('without logEvery the trainer resolves the default: 56 steps per epoch → a point every 3 steps, and one at the epoch end', async () => {
  const { sink } = await train(1, undefined, undefined, 1);
  const expected = [...Array.from({ length: 18 }, (_, i) => 3 * (i + 1)), 56];
  assert.deepEqual(
    sink.points.map((p) => p.step),
    expected,
  );
  assert.ok(sink.points.every((p) => p.stepsPerEpoch === 56));
});

test('wall seconds grow point by point and count the sessions before a resume', async () => {
  const full = await train(2, 1);
  const walls = full.sink.points.map((p) => p.wallSeconds);
  for (let i = 1; i < walls.length; i++) assert.ok(walls[i] >= walls[i - 1], `point ${i + 1}: ${walls[i]} < ${walls[i - 1]}`);
  assert.ok(walls[walls.length - 1] <= full.sink.summary!.wallSeconds);

  // Epoch 1 took 1000 s in an earlier session: the resumed run's points start after it.
  const resumed = await train(2, 1, { epochs: [{ ...full.sink.epochs[0], seconds: 1000 }], checkpoint: full.sink.checkpoints[0] });
  assert.deepEqual(
    resumed.sink.points.map((p) => p.epoch),
    [2, 2, 2, 2],
  );
  for (const p of resumed.sink.points) assert.ok(p.wallSeconds > 1000 && p.wallSeconds < 1000 + full.sink.summary!.wallSeconds * 10, `wall ${p.wallSeconds}`);
  // Same weights, same batches: the redone epoch's points equal the uninterrupted run's.
  const learned = (p: StepPoint) => [p.epoch, p.step, p.globalStep, p.loss, p.acc];
  assert.deepEqual(resumed.sink.points.map(learned), full.sink.points.slice(4).map(learned));
});
