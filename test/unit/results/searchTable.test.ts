// A search's comparison table: its final runs only, paired by seed, with what each loss was tuned to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../src/core/config/validate';
import { tableFromExperiment, toCsv } from '../../../src/core/results/table';
import { statisticsNotes } from '../../../src/core/results/tableNotes';
import { finalSpecs, studiesOf, trialSpec } from '../../../src/core/search/space';
import { record } from '../helpers/runFixtures';

const config = validateConfig({
  name: 'tuned',
  dataset: { name: 'fashion-mnist', validation: 0.2 },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: { uniform: [0.5, 1.2] } }],
  training: { epochs: 3, milestones: [2], lr: [0.05, 0.1] },
  search: { trials: 2, finalSeeds: 2 },
});
const [ce, bn] = studiesOf(config);

test('only final runs are compared; trials (whatever their test accuracy) are left out; each cell names its tuning', () => {
  const trials = [
    record(trialSpec(config, ce, 0), 'stopped', [0.99]),
    record(trialSpec(config, ce, 1), 'done', [0.99, 0.99, 0.99]),
    record(trialSpec(config, bn, 0), 'done', [0.99, 0.99, 0.99]),
    record(trialSpec(config, bn, 1), 'stopped', [0.99]),
  ];
  const finals = [
    ...finalSpecs(config, ce, 1, { 'training.lr': 0.1 }).map((s, i) => record(s, 'done', [0.5 + i / 10])),
    ...finalSpecs(config, bn, 0, { 'loss.m': 0.9, 'training.lr': 0.05 }).map((s, i) => record(s, 'done', [0.6 + i / 10])),
  ];
  const table = tableFromExperiment({ dir: '/r/tuned', name: 'tuned', manifest: { config, runIds: [], writtenAt: '' }, runs: [...trials, ...finals], warnings: [] });
  assert.deepEqual(table.rows, ['CE', 'Scaled-BN']);
  const [[ceCell], [bnCell]] = table.cells;
  assert.deepEqual(
    ceCell?.values.map((v) => Math.round(v)),
    [50, 60],
    'CE: its two final seeds, 50% and 60%',
  );
  assert.deepEqual(bnCell?.seeds, [1, 2]);
  assert.equal(bnCell?.vsBaseline?.diff.toFixed(6), (10).toFixed(6), 'Scaled-BN − CE paired by seed: +10 points');
  assert.deepEqual(ceCell?.tuning, { params: { 'training.lr': 0.1 }, trial: 1, trials: 2, epochsUsed: 4 });
  assert.deepEqual(bnCell?.tuning, { params: { 'loss.m': 0.9, 'training.lr': 0.05 }, trial: 0, trials: 2, epochsUsed: 4 });
  const csv = toCsv(table).split('\n');
  assert.ok(csv[0].endsWith(',diverged_runs,tuned,tuning_trials,tuning_epochs'), csv[0]);
  assert.ok(csv[2].endsWith(',"loss.m = 0.9, training.lr = 0.05",2,4'), csv[2]);
  const note = statisticsNotes(table).find((n) => n.startsWith('Tuned on the validation split'));
  assert.match(note ?? '', /CE on Simple CNN: training\.lr = 0\.1 \(trial 1; 2 trials, 4 epochs\); Scaled-BN on Simple CNN: loss\.m = 0\.9, training\.lr = 0\.05 \(trial 0; 2 trials, 4 epochs\)/);
});
