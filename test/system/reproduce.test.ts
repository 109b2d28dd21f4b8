import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { reproduceCommand } from '../../src/cli/reproduceCommand';
import { formatDuration } from '../../src/core/util/duration';
import { readRun } from '../../src/core/results/runReader';
import { FASHION_MNIST, requireBuild, tempDir, WORKER } from './helpers';

before(requireBuild);

const CONFIG = {
  name: 'repro',
  dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1],
  training: { epochs: 3, batchSize: 128, lr: 0.05, milestones: [2], augment: { crop: false, padding: 4, flip: false }, logEvery: 1 },
  backend: 'wasm',
};

test(
  'reproduce measures one epoch, prints the estimate, stops when not confirmed, and resumes the probe when confirmed',
  { skip: !existsSync(FASHION_MNIST) && 'dataset-fashion-mnist not installed' },
  async () => {
    const dir = tempDir('losslab-repro-');
    const configPath = path.join(dir, 'repro.losslab.json');
    writeFileSync(configPath, JSON.stringify(CONFIG));
    const lines: string[] = [];
    const opts = { preset: configPath, examplesDir: dir, workerPath: WORKER, outputDir: path.join(dir, 'runs'), parallel: 1, yes: false, estimateOnly: false, out: (t: string) => lines.push(t) };
    const questions: string[] = [];

    const code = await reproduceCommand({ ...opts, confirm: async (q) => (questions.push(q), false) }, () => undefined);
    assert.equal(code, 0);
    assert.equal(questions.length, 1, 'asked before committing to the rest');
    const probeDir = path.join(dir, 'runs', 'repro', 'simple-cnn-w0.25__ce__seed1');
    const probe = readRun(probeDir);
    assert.deepEqual(
      probe.metrics.map((m) => m.epoch),
      [1],
      'exactly the probe epoch was trained',
    );
    assert.ok(probe.hasCheckpoint);
    const seconds = probe.metrics[0].seconds;
    // 2 runs × 3 epochs × measured seconds, less the probe's finished epoch, 1 lane.
    const text = lines.join('\n');
    assert.match(text, /simple-cnn-w0.25 .* × 5 epochs left \(2 runs × 3 epochs\)/);
    assert.ok(text.includes(`1 run at a time: about ${formatDuration(5 * seconds)} (1 finished epoch not counted)`), text);
    assert.ok(!existsSync(path.join(dir, 'runs', 'repro', 'simple-cnn-w0.25__scaled-bn-m0.9__seed1', 'metrics.jsonl')), 'the second run was not started');
    assert.ok(!text.includes('not a GPU backend'), "a config of the user's own is not told it needs a GPU");
    assert.ok(seconds > 0);

    const tables: string[] = [];
    const code2 = await reproduceCommand({ ...opts, yes: true }, (d) => tables.push(d));
    assert.equal(code2, 0);
    const resumed = readRun(probeDir);
    assert.deepEqual(
      resumed.metrics.map((m) => m.epoch),
      [1, 2, 3],
    );
    assert.equal(resumed.metrics[0].seconds, seconds, 'epoch 1 was resumed from the probe, not trained again');
    assert.equal(readRun(path.join(dir, 'runs', 'repro', 'simple-cnn-w0.25__scaled-bn-m0.9__seed1')).status?.state, 'done');
    assert.equal(tables.length, 1);
  },
);

test('reproduce names the presets when given an unknown one', async () => {
  await assert.rejects(
    reproduceCommand({ preset: 'imagenet', examplesDir: '/nonexistent', workerPath: WORKER, yes: true, estimateOnly: false }, () => undefined),
    /unknown preset 'imagenet': choose cifar100, tiny-imagenet, facescrub/,
  );
});
