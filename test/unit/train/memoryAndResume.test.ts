import * as tf from '@tensorflow/tfjs-core';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { LossConfig, RunSpec } from '../../../src/core/config/types';
import type { EpochMetrics, RunSummary } from '../../../src/core/results/types';
import type { RunSink } from '../../../src/core/train/events';
import { NonFiniteLossError } from '../../../src/core/train/events';
import { trainRun } from '../../../src/core/train/trainer';
import { quadrantDataset } from '../helpers/quadrantDataset';
import { runSpec } from '../helpers/runSpec';

before(async () => {
  await selectBackend('wasm');
});

const syntheticDataset = () => quadrantDataset({ count: 64, seed: 1, brightness: 150 });

function spec(loss: LossConfig, epochs: number, lr = 0.05): RunSpec {
  return runSpec({ runId: `t-${loss.name}`, loss, lossLabel: loss.name, seed: 3, training: { epochs, lr, augment: { crop: true, padding: 1, flip: true }, logEvery: 2 } });
}

class MemorySink implements RunSink {
  epochs: EpochMetrics[] = [];
  checkpoints: Uint8Array[] = [];
  tensorsAtEpochEnd: number[] = [];
  finishedCalls = 0;
  summary: RunSummary | undefined;
  constructor(private readonly resumeFrom?: { epochs: EpochMetrics[]; checkpoint: Uint8Array }) {}
  resumePoint() {
    return this.resumeFrom ?? { epochs: [], checkpoint: null };
  }
  started() {}
  epochFinished(m: EpochMetrics, checkpoint: Uint8Array) {
    this.epochs.push(m);
    this.checkpoints.push(checkpoint);
    this.tensorsAtEpochEnd.push(tf.memory().numTensors);
  }
  finished(summary: RunSummary) {
    this.finishedCalls++;
    this.summary = summary;
  }
}

const ds = syntheticDataset();
const losses: LossConfig[] = [
  { name: 'ce' },
  { name: 'scaled-bn', m: 0.9 },
  { name: 'am-softmax', s: 7.5, m: 0.35 },
  { name: 'pedcc', s: 7.5, m: 0.35, embedDim: 16 },
  { name: 'arcface', s: 16, m: 0.5 },
  { name: 'label-smoothing', epsilon: 0.1 },
  { name: 'focal', gamma: 2, alpha: 0.25 },
  { name: 'center', lambda: 0.1 },
];

for (const loss of losses) {
  test(`${loss.name}: tensor count stays flat across epochs and returns to the baseline after the run`, async () => {
    const baseline = tf.memory().numTensors;
    const sink = new MemorySink();
    await trainRun({ spec: spec(loss, 3), dataset: ds, backend: 'wasm', sink });
    assert.equal(sink.epochs.length, 3);
    assert.equal(new Set(sink.tensorsAtEpochEnd).size, 1, `tensors per epoch: ${sink.tensorsAtEpochEnd}`);
    assert.equal(tf.memory().numTensors, baseline);
  });
}

test('same seed, same backend → identical metrics; resuming from a checkpoint continues the same trajectory', async () => {
  const full = new MemorySink();
  await trainRun({ spec: spec({ name: 'scaled-bn', m: 0.9 }, 3), dataset: ds, backend: 'wasm', sink: full });
  const again = new MemorySink();
  await trainRun({ spec: spec({ name: 'scaled-bn', m: 0.9 }, 3), dataset: ds, backend: 'wasm', sink: again });
  const strip = (m: EpochMetrics) => ({ ...m, seconds: 0, imagesPerSec: 0 });
  assert.deepEqual(again.epochs.map(strip), full.epochs.map(strip));

  // The first session's epoch took 1000 s: the resumed run's wall time is both sessions'.
  const resumed = new MemorySink({ epochs: [{ ...full.epochs[0], seconds: 1000 }], checkpoint: full.checkpoints[0] });
  const baseline = tf.memory().numTensors;
  await trainRun({ spec: spec({ name: 'scaled-bn', m: 0.9 }, 3), dataset: ds, backend: 'wasm', sink: resumed });
  assert.deepEqual(
    resumed.epochs.map((m) => m.epoch),
    [2, 3],
  );
  assert.deepEqual(resumed.epochs.map(strip), full.epochs.slice(1).map(strip));
  assert.equal(tf.memory().numTensors, baseline, 'restoring a checkpoint leaks no tensors');
  const wall = resumed.summary!.wallSeconds;
  assert.ok(wall > 1000 && wall < 1000 + full.summary!.wallSeconds * 10, `wall time ${wall} s`);
});

test('center loss: resuming restores the centres it moved (they are in the checkpoint), so the trajectory continues unchanged', async () => {
  const loss: LossConfig = { name: 'center', lambda: 0.5, alpha: 0.5 };
  const full = new MemorySink();
  await trainRun({ spec: spec(loss, 3), dataset: ds, backend: 'wasm', sink: full });
  const resumed = new MemorySink({ epochs: full.epochs.slice(0, 1), checkpoint: full.checkpoints[0] });
  await trainRun({ spec: spec(loss, 3), dataset: ds, backend: 'wasm', sink: resumed });
  const strip = (m: EpochMetrics) => ({ ...m, seconds: 0, imagesPerSec: 0 });
  assert.deepEqual(resumed.epochs.map(strip), full.epochs.slice(1).map(strip));
});

test('a NaN loss stops the run with NonFiniteLossError naming epoch and step, finished epochs kept', async () => {
  const sink = new MemorySink();
  await assert.rejects(trainRun({ spec: spec({ name: 'ce' }, 3, 1e30), dataset: ds, backend: 'wasm', sink }), (err: unknown) => {
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.match(err.message, /epoch \d+, step \d+/);
    return true;
  });
  assert.equal(sink.finishedCalls, 0);
});
