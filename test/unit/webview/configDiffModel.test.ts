import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunView } from '../../../src/protocol/webview';
import { configDiff } from '../../../webview/configDiffModel';

const run = (runId: string, lossLabel: string, seed: number, config: RunView['config'], experiment?: string): RunView => ({
  runId,
  lossLabel,
  modelLabel: 'Simple CNN',
  datasetLabel: 'Fashion-MNIST',
  seed,
  state: 'done',
  epoch: 3,
  epochs: 3,
  stateText: 'done',
  config,
  ...(experiment ? { experiment } : {}),
});

test('the diff lists only fields that differ, a dash where a run lacks one, and counts the rest', () => {
  const diff = configDiff([
    run('ce', 'CE', 1, { 'loss.name': 'ce', 'training.lr': 0.1, 'training.epochs': 3, seed: 1 }),
    run('bn', 'Scaled-BN m=0.9', 1, { 'loss.name': 'scaled-bn', 'loss.m': 0.9, 'training.lr': 0.1, 'training.epochs': 3, seed: 1 }),
    run('bn2', 'Scaled-BN m=0.9', 2, { 'loss.name': 'scaled-bn', 'loss.m': 0.9, 'training.lr': 0.1, 'training.epochs': 5, seed: 2 }),
  ]);
  assert.deepEqual(diff.labels, ['CE · seed 1', 'Scaled-BN m=0.9 · seed 1', 'Scaled-BN m=0.9 · seed 2']);
  assert.deepEqual(diff.rows, [
    { field: 'loss.name', values: ['ce', 'scaled-bn', 'scaled-bn'] },
    { field: 'training.epochs', values: ['3', '3', '5'] },
    { field: 'seed', values: ['1', '1', '2'] },
    { field: 'loss.m', values: ['—', '0.9', '0.9'] },
  ]);
  assert.equal(diff.same, 1, 'training.lr');
});

test('runs with one config have no rows; runs of different experiments are labelled by experiment', () => {
  const config = { 'training.lr': 0.1, 'training.augment.flip': true };
  const diff = configDiff([run('a/x', 'CE', 1, config, 'a'), run('b/x', 'CE', 1, config, 'b')]);
  assert.deepEqual(diff.rows, []);
  assert.equal(diff.same, 2);
  assert.deepEqual(diff.labels, ['a: CE · seed 1', 'b: CE · seed 1']);
  assert.deepEqual(configDiff([run('old', 'CE', 1, undefined), run('new', 'CE', 2, { seed: 2 })]).rows, [{ field: 'seed', values: ['—', '2'] }]);
});
