import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyText, runDescription, shortRunLabels } from '../../../src/protocol/runText';

test('accuracy next to a run is labelled as test accuracy, never a bare percent', () => {
  assert.equal(runDescription({ stateText: 'running epoch 2/3', finalAcc: 0.812 }), 'running epoch 2/3 · test acc 81.20%');
  assert.equal(runDescription({ stateText: 'queued' }), 'queued');
  assert.equal(accuracyText(0.5), 'test acc 50.00%');
});

test('runs are named by loss, its parameters and seed; the model only when the experiment has several', () => {
  const run = (runId: string, lossLabel: string, modelLabel: string, seed: number) => ({ runId, lossLabel, modelLabel, seed });
  const one = shortRunLabels([run('simple-cnn-w1__scaled-bn-m0.9__seed2', 'Scaled-BN m=0.9', 'Simple CNN', 2), run('simple-cnn-w1__ce__seed1', 'CE', 'Simple CNN', 1)]);
  assert.deepEqual([...one.values()], ['Scaled-BN m=0.9 · seed 2', 'CE · seed 1']);
  const two = shortRunLabels([run('a', 'CE', 'Simple CNN', 1), run('b', 'CE', 'ResNet-18', 1)]);
  assert.deepEqual([...two.values()], ['Simple CNN · CE · seed 1', 'ResNet-18 · CE · seed 1']);
});
