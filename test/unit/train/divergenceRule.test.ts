// training.divergence: a batch loss above maxLoss, or an epoch whose mean loss is above
// factor × the starting loss, stops the run as diverged; each check can be set or turned off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import { expandGrid } from '../../../src/core/config/grid';
import { openRunSink } from '../../../src/core/results/runSink';
import { ConfigError } from '../../../src/core/config/configError';
import { validateConfig } from '../../../src/core/config/validate';
import type { ImageDataset } from '../../../src/core/data/types';
import { checkBatchLoss, checkEpochLoss, divergenceRule } from '../../../src/core/train/divergence';
import { LossGrowthError, NonFiniteLossError } from '../../../src/core/train/events';
import { trainRun } from '../../../src/core/train/trainer';
import { runSpec } from '../helpers/runSpec';

const AT = { epoch: 3, step: 5, lr: 0.5 };

test('the rule: defaults, partial settings and off', () => {
  assert.deepEqual(divergenceRule({}), { maxLoss: 1e6, factor: 100 });
  assert.deepEqual(divergenceRule({ divergence: { factor: 10 } }), { maxLoss: 1e6, factor: 10 });
  assert.deepEqual(divergenceRule({ divergence: { maxLoss: false } }), { maxLoss: null, factor: 100 });
  assert.deepEqual(divergenceRule({ divergence: false }), { maxLoss: null, factor: null });
});

test('a batch above maxLoss stops the run; with the check off only NaN or infinity does', () => {
  assert.throws(() => checkBatchLoss(divergenceRule({ divergence: { maxLoss: 50 } }), 51, AT), /: diverged at epoch 3, step 5: loss 51 \(above 50, training\.divergence\.maxLoss\)/);
  checkBatchLoss(divergenceRule({ divergence: false }), 1e30, AT);
  assert.throws(() => checkBatchLoss(divergenceRule({ divergence: false }), NaN, AT), NonFiniteLossError);
  assert.throws(() => checkBatchLoss(divergenceRule({ divergence: false }), Infinity, AT), /loss Infinity; lower the learning rate \(training\.lr = 0\.5\)/);
});

test('an epoch mean above factor × the starting loss stops the run, naming both and the factor', () => {
  const rule = divergenceRule({ divergence: { factor: 10 } });
  checkEpochLoss(rule, 23, 2.3, AT); // exactly 10 ×: not above
  assert.throws(
    () => checkEpochLoss(rule, 23.1, 2.3, AT),
    (e: unknown) =>
      e instanceof LossGrowthError &&
      e instanceof NonFiniteLossError && // the worker's 'non-finite-loss' category
      e.message ===
        'diverged at epoch 3: its mean training loss 23.1 is above 10 × the starting loss 2.3 (training.divergence.factor); lower the learning rate (training.lr = 0.5) or raise the factor (finished epochs are kept)',
  );
  checkEpochLoss(divergenceRule({ divergence: { factor: false } }), 1e5, 2.3, AT);
});

test('the schema takes false, numbers or false per check, and refuses a factor of 1 or less', () => {
  const base = { name: 'd', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }] };
  for (const divergence of [false, {}, { factor: 10 }, { maxLoss: false, factor: 1000 }]) validateConfig({ ...base, training: { divergence } });
  assert.equal(validateConfig(base).training.divergence, undefined, 'no default written into configs: older runs resume unchanged');
  for (const divergence of [true, { factor: 1 }, { factor: 0.5 }, { maxLoss: 0 }, { limit: 5 }])
    assert.throws(() => validateConfig({ ...base, training: { divergence } }), ConfigError, JSON.stringify(divergence));
});

/** 32 random 8×8 images in 4 classes: nothing to learn, so only the learning rate decides the loss. */
function noise(): ImageDataset {
  const n = 32;
  const images = new Uint8Array(n * 64).map((_, i) => (i * 2654435761) >>> 24);
  const split = { images, labels: Int32Array.from({ length: n }, (_, i) => i % 4), count: n };
  return { name: 'noise', height: 8, width: 8, channels: 1, numClasses: 4, train: split, test: split, mean: [0.5], std: [0.3], source: 'test' };
}

test('in training: with maxLoss off, lr 100 on CE still stops in epoch 1, by the growth check or a non-finite loss', async () => {
  await selectBackend('wasm');
  const spec = runSpec({ experiment: 't', runId: 'growth', training: { epochs: 3, batchSize: 8, lr: 100, logEvery: 1, divergence: { maxLoss: false } } });
  const epochs: number[] = [];
  const err = await trainRun({
    spec,
    dataset: noise(),
    backend: 'wasm',
    sink: { resumePoint: () => ({ epochs: [], checkpoint: null }), started() {}, epochFinished: (m) => void epochs.push(m.epoch), finished: () => assert.fail('must not finish') },
  }).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof NonFiniteLossError, String(err));
  assert.equal(err.epoch, 1);
  assert.match(err.message, /^diverged at epoch 1/);
  assert.doesNotMatch(err.message, /maxLoss/);
  assert.deepEqual(epochs, []);
});

test('changing training.divergence does not stop a run from resuming (it decides only when to stop)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-divergence-'));
  try {
    const base = { name: 'd', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 3, milestones: [2] } };
    const [before] = expandGrid(validateConfig(base));
    const [after] = expandGrid(validateConfig({ ...base, training: { ...base.training, divergence: { factor: 10 } } }));
    const [otherLr] = expandGrid(validateConfig({ ...base, training: { ...base.training, lr: 0.5 } }));
    const sink = openRunSink(dir, before);
    sink.epochFinished({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 1 }, new Uint8Array([1]));
    sink.stopped('test');
    assert.equal(openRunSink(dir, after).resumePoint().epochs.length, 1);
    assert.throws(() => openRunSink(dir, otherLr), /different config \(changed: training\.lr\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
