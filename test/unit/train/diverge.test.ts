import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { selectBackend } from '../../../src/core/backend/selectBackend';
import type { LossConfig, RunSpec } from '../../../src/core/config/types';
import { openRunSink } from '../../../src/core/results/runSink';
import { readRun } from '../../../src/core/results/runReader';
import { NonFiniteLossError } from '../../../src/core/train/events';
import { trainRun } from '../../../src/core/train/trainer';
import { quadrantDataset } from '../helpers/quadrantDataset';
import { runSpec } from '../helpers/runSpec';

before(async () => {
  await selectBackend('wasm');
});

const syntheticDataset = () => quadrantDataset({ count: 64, seed: 1, brightness: 150 });

const spec = (loss: LossConfig, lr: number): RunSpec => runSpec({ runId: `diverge-${loss.name}`, loss, lossLabel: loss.name, seed: 3, training: { epochs: 3, lr, logEvery: 1 } });

test('lr 100 on CE: the loss explodes (finite, above 1e6) and the run fails as diverged, naming epoch, step, loss and lr', async () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-diverge-')), 'run');
  try {
    const s = spec({ name: 'ce' }, 100);
    const sink = openRunSink(dir, s);
    const err = await trainRun({ spec: s, dataset: syntheticDataset(), backend: 'wasm', sink }).then(
      () => assert.fail('a diverging run must not end as done'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof NonFiniteLossError, String(err));
    assert.ok(Number.isFinite(err.value) && err.value > 1e6, `loss ${err.value}`);
    assert.match(err.message, /^diverged at epoch 1, step \d+: loss \d\.\d\de\+\d+ \(above 1e\+6, training\.divergence\.maxLoss\); lower the learning rate \(training\.lr = 100\) or check the data/);
    sink.failed(err.message); // what the worker does with it
    const run = readRun(dir);
    assert.equal(run.status?.state, 'failed');
    assert.match(run.status?.reason ?? '', /^diverged at epoch 1/);
    assert.equal(run.summary, undefined, 'no summary: never marked done');
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a NaN loss says so', () => {
  assert.match(new NonFiniteLossError(2, 7, NaN, 0.1).message, /^diverged at epoch 2, step 7: loss NaN; lower the learning rate \(training\.lr = 0\.1\)/);
});

test('lr 100 with scaled BN stays bounded and finishes: no false alarm', async () => {
  let finished = false;
  await trainRun({
    spec: spec({ name: 'scaled-bn', m: 0.9 }, 100),
    dataset: syntheticDataset(),
    backend: 'wasm',
    sink: { resumePoint: () => ({ epochs: [], checkpoint: null }), started() {}, epochFinished() {}, finished: () => void (finished = true) },
  });
  assert.ok(finished);
});
