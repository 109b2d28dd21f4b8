// A run with a validation split evaluates every epoch on it as well as on test. The oracle: a run
// whose validation split is its test split must record valAcc = testAcc and valLoss = testLoss,
// exactly; a run without one records neither.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { ImageDataset } from '../../../src/core/data/types';
import type { EpochMetrics, RunSummary } from '../../../src/core/results/types';
import type { RunSink } from '../../../src/core/train/events';
import { trainRun } from '../../../src/core/train/trainer';
import { quadrantDataset } from '../helpers/quadrantDataset';
import { runSpec } from '../helpers/runSpec';

before(async () => {
  await selectBackend('cpu');
});

const spec = runSpec({ experiment: 'splits', runId: 'splits-run', seed: 2, training: { augment: { crop: false, padding: 0, flip: false } }, backend: 'cpu' });

async function train(dataset: ImageDataset): Promise<{ epochs: EpochMetrics[]; summary?: RunSummary }> {
  const epochs: EpochMetrics[] = [];
  let summary: RunSummary | undefined;
  const sink: RunSink = {
    resumePoint: () => ({ epochs: [], checkpoint: null }),
    started() {},
    epochFinished: (m) => void epochs.push(m),
    stepLogged() {},
    finished: (s) => void (summary = s),
  };
  await trainRun({ spec, dataset, backend: 'cpu', sink });
  return { epochs, summary };
}

test('validation is evaluated every epoch: the test split as validation gives the test numbers exactly', async () => {
  // Training and test images drawn apart (other noise, dimmer), so evaluating any other split would show.
  const test = quadrantDataset({ count: 48, seed: 9, brightness: 40 }).test;
  const ds = { ...quadrantDataset({ count: 64, seed: 5, brightness: 120 }), test };
  const { epochs, summary } = await train({ ...ds, validation: test });
  assert.ok(
    epochs.some((m) => m.testAcc !== m.trainAcc),
    'test and training accuracy differ',
  );
  assert.equal(epochs.length, 2);
  for (const m of epochs) {
    assert.equal(m.valAcc, m.testAcc, `epoch ${m.epoch} accuracy`);
    assert.equal(m.valLoss, m.testLoss, `epoch ${m.epoch} loss`);
  }
  assert.equal(summary!.finalValAcc, summary!.finalTestAcc);
  assert.equal(summary!.bestValAcc, summary!.bestTestAcc);
});

test('without a validation split nothing is recorded for it', async () => {
  const { epochs, summary } = await train(quadrantDataset({ count: 64, seed: 5, brightness: 120 }));
  assert.ok(epochs.every((m) => !('valAcc' in m) && !('valLoss' in m)));
  assert.ok(!('finalValAcc' in summary!));
});
