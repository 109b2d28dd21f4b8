// The state lines under the panel's title name runs as the tree does, with the experiment in front
// when the panel compares several, never by their folder names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunView } from '../../../src/protocol/webview';
import { statusLine } from '../../../webview/status';

const view = (extra: Partial<RunView> = {}): RunView => ({
  runId: 'simple-cnn-w1__scaled-bn-m0.9__seed1',
  lossLabel: 'Scaled-BN m=0.9',
  modelLabel: 'Simple CNN',
  datasetLabel: 'Fashion-MNIST',
  seed: 1,
  state: 'running',
  epoch: 2,
  epochs: 3,
  stateText: 'running epoch 2/3',
  ...extra,
});

test('a status line names the run by its setting, model and seed, then its state', () => {
  assert.equal(statusLine(view()), 'Scaled-BN m=0.9 · Simple CNN · seed 1: running epoch 2/3');
  assert.equal(
    statusLine(view({ experiment: 'quick', state: 'done', stateText: 'done', finalAcc: 0.8125, stale: 'trained with a different config: training.epochs 2 → 3' })),
    'quick: Scaled-BN m=0.9 · Simple CNN · seed 1: done · test acc 81.25% · stale (trained with a different config: training.epochs 2 → 3)',
  );
});
