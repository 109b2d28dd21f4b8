// Confirmations name a run as the tree does, by its setting, model and seed, not by its folder name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { recordTitle } from '../../../src/core/results/runReader';
import { panelRunTitle, runTitle, runTitleIn } from '../../../src/core/results/runTitle';

test('a run is named by its loss setting, model and seed; by its folder when it has no config', () => {
  const [spec] = expandGrid(
    validateConfig({
      name: 't',
      dataset: { name: 'mnist' },
      models: [{ name: 'resnet18', width: 0.5 }],
      losses: [{ name: 'scaled-bn', m: 0.9 }],
      seeds: [3],
      training: { epochs: 1, milestones: [1] },
    }),
  );
  assert.equal(recordTitle({ runId: spec.runId, spec }), 'Scaled-BN m=0.9 · ResNet-18 ×0.5 · seed 3');
  assert.equal(runTitle(spec), 'Scaled-BN m=0.9 · ResNet-18 ×0.5 · seed 3', 'the same words the panel uses for a run view');
  assert.equal(recordTitle({ runId: 'orphan-folder' }), 'orphan-folder');
});

test('in a panel comparing experiments the experiment comes first; a grid names its runs by title, unknown ids as they are', () => {
  const run = { runId: 'simple-cnn-w1__ce__seed2', lossLabel: 'CE', modelLabel: 'Simple CNN', seed: 2 };
  assert.equal(panelRunTitle({ ...run, experiment: 'quick' }), 'quick: CE · Simple CNN · seed 2');
  assert.equal(panelRunTitle(run), 'CE · Simple CNN · seed 2');
  assert.equal(runTitleIn([run], 'simple-cnn-w1__ce__seed2'), 'CE · Simple CNN · seed 2');
  assert.equal(runTitleIn([run], 'other__ce__seed1'), 'other__ce__seed1');
});
