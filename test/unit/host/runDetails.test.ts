import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRun } from '../../../src/core/results/runReader';
import { readSnapshot } from '../../../src/host/experimentSnapshot';
import { flattenConfig, runDetails } from '../../../src/host/runDetails';
import { parseToWebview } from '../../../src/protocol/webview';
import { experimentConfig, tempRoot, writeExperiment } from './experimentFiles';

test('a config flattens into dotted fields; lists are joined, labels and ids left out, odd values dropped', () => {
  assert.deepEqual(
    flattenConfig({
      runId: 'x',
      lossLabel: 'CE',
      model: { name: 'resnet18', width: 0.5 },
      loss: { name: 'focal', gamma: 2, alpha: [0.25, 0.75] },
      training: { lr: 0.1, milestones: [2, 4], augment: { flip: true }, divergence: null, odd: [{ a: 1 }], nan: Number.NaN },
      seed: 3,
    }),
    {
      'model.name': 'resnet18',
      'model.width': 0.5,
      'loss.name': 'focal',
      'loss.gamma': 2,
      'loss.alpha': '0.25, 0.75',
      'training.lr': 0.1,
      'training.milestones': '2, 4',
      'training.augment.flip': true,
      seed: 3,
    },
  );
  for (const junk of [null, 'config', 42, [1, 2]]) assert.deepEqual(flattenConfig(junk), {}, JSON.stringify(junk));
});

test('a finished run: best accuracy, wall time and backend from summary.json, its config from config.json', (t) => {
  const root = tempRoot(t);
  const config = experimentConfig('details', { losses: [{ name: 'scaled-bn', m: 0.8 }], training: { epochs: 3, milestones: [2], lr: [0.05, 0.1] } });
  const { dir, specs } = writeExperiment(root, config, {});
  const [first, second] = specs;
  writeExperiment(root, config, {
    [first.runId]: { accs: [0.5, 0.8, 0.7], state: 'done', backend: 'torch', wallSeconds: 75.5 },
    [second.runId]: { accs: [0.4, 0.6], state: 'stopped', seconds: 3.25, backend: 'wasm' },
  });
  const done = runDetails(readRun(path.join(dir, first.runId)));
  assert.equal(done.bestAcc, 0.8);
  assert.equal(done.wallSeconds, 75.5);
  assert.equal(done.backend, 'torch', "the backend it ran on, not the config's 'auto'");
  assert.equal(done.config?.['loss.m'], 0.8);
  assert.equal(done.config?.['training.lr'], 0.05);
  assert.equal(done.config?.['training.epochs'], 3);
  assert.equal(done.config?.seed, 1);
  // Unfinished: no summary, so the best finished epoch and the epochs' own times (2 × 3.25 s).
  const stopped = runDetails(readRun(path.join(dir, second.runId)));
  assert.deepEqual([stopped.bestAcc, stopped.wallSeconds, stopped.backend, stopped.config?.['training.lr']], [0.6, 6.5, 'wasm', 0.1]);
});

test('the snapshot carries the details through the protocol; a run without files has its config and nothing measured', (t) => {
  const root = tempRoot(t);
  const config = experimentConfig('snap', { losses: [{ name: 'ce' }], seeds: [1, 2] });
  const { dir, specs } = writeExperiment(root, config, {});
  writeExperiment(root, config, { [specs[0].runId]: { accs: [0.3, 0.5, 0.6], state: 'done' } });
  fs.rmSync(path.join(dir, specs[1].runId), { recursive: true, force: true });
  const snapshot = readSnapshot(dir);
  assert.ok(parseToWebview({ type: 'init', version: 1, snapshot }), 'the snapshot passes the webview parser');
  const [ran, notRun] = snapshot.runs;
  assert.deepEqual([ran.bestAcc, ran.wallSeconds, ran.backend], [0.6, 10, 'wasm']);
  assert.equal(notRun.state, 'not-started');
  assert.deepEqual([notRun.bestAcc, notRun.wallSeconds, notRun.config?.seed], [undefined, undefined, 2]);
});
