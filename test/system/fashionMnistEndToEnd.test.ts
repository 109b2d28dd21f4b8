// An acceptance protocol: simple-cnn with each loss on a 6,000-image Fashion-MNIST
// subset, 3 epochs, batch 128, lr 0.05 ×0.1 from epoch 3, flip only; ≥55% on the first 2,000
// test images, on the torch engine (CI builds it). (The same protocol in PyTorch, 3 seeds: CE 76–79%, scaled-BN m=0.9 77–80%,
// AM-Softmax 75–76%, PEDCC 65–73%.) Runs through the real worker processes, two at a time.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readExperiment } from '../../src/core/results/runReader';
import { tableFromExperiment } from '../../src/core/results/table';
import { toConsole } from '../../src/core/results/tableExport';
import { writeExperimentManifest } from '../../src/core/results/runSink';
import { validateConfig } from '../../src/core/config/validate';
import { Scheduler } from '../../src/host/scheduler';
import { FASHION_MNIST, gridOf, requireBuild, tempDir, WORKER } from './helpers';

before(requireBuild);

const CONFIG = {
  name: 'acceptance',
  dataset: { name: 'fashion-mnist', trainSubset: 6000, testSubset: 2000 },
  models: [{ name: 'simple-cnn', width: 1 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }, { name: 'am-softmax', s: 7.5, m: 0.35 }, { name: 'pedcc', s: 7.5, m: 0.35 }],
  seeds: [1],
  training: { epochs: 3, batchSize: 128, lr: 0.05, milestones: [2], gamma: 0.1, augment: { crop: false, padding: 4, flip: true } },
  backend: 'torch',
};

/** The lowest of PyTorch's 3 seeds on this protocol (above), less 3 points: the torch engine must train as well. */
const PYTORCH_FLOOR: Record<string, number> = { ce: 0.73, 'scaled-bn': 0.74, 'am-softmax': 0.72, pedcc: 0.62 };

test(
  'every loss reaches ≥ 55% test accuracy on the acceptance protocol, with all results files written',
  { skip: !existsSync(FASHION_MNIST) && 'Debian dataset-fashion-mnist is not installed' },
  async () => {
    const experimentDir = path.join(tempDir('losslab-accept-'), 'acceptance');
    writeExperimentManifest(experimentDir, validateConfig(CONFIG), undefined);
    const runs = gridOf(CONFIG);
    const scheduler = new Scheduler(runs, { workerPath: WORKER, experimentDir, parallel: 2, resume: 'refuse' });
    const outcomes = await scheduler.run();
    for (const [runId, outcome] of outcomes) assert.equal(outcome.state, 'done', `${runId}: ${JSON.stringify(outcome)}`);

    const experiment = readExperiment(experimentDir);
    process.stdout.write(`${toConsole(tableFromExperiment(experiment))}\n`);
    for (const run of experiment.runs) {
      assert.equal(run.metrics.length, 3, `${run.runId}: three epochs recorded`);
      assert.deepEqual(
        run.metrics.map((m) => m.lr.toPrecision(3)),
        ['0.0500', '0.0500', '0.00500'],
      );
      assert.ok(run.summary, `${run.runId}: summary written`);
      assert.ok(run.summary.finalTestAcc >= 0.55, `${run.runId}: final test accuracy ${run.summary.finalTestAcc}`);
      const floor = PYTORCH_FLOOR[run.spec!.loss.name];
      assert.ok(run.summary.finalTestAcc >= floor, `${run.runId}: ${run.summary.finalTestAcc} on torch, PyTorch's lowest seed less 3 points is ${floor}`);
      assert.match(run.status?.backend ?? '', /^torch/);
      assert.equal(run.status?.state, 'done');
      assert.ok(run.logits && run.logits.before.counts.reduce((a, b) => a + b, 0) === 2000 * 10, `${run.runId}: logit histogram covers 2000×10 outputs`);
      if (run.spec?.loss.name === 'scaled-bn') assert.ok(run.logits.after, 'scaled-bn records the histogram after the BN');
      if (run.spec?.loss.name !== 'pedcc') assert.equal(run.weightNorms?.norms.length, 10, `${run.runId}: one weight norm per class`);
      assert.ok(run.hasCheckpoint, 'a finished run keeps its last checkpoint (to be extended by more epochs)');
    }
  },
);
