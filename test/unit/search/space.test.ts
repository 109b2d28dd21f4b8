// A search config's studies, trials and final runs, checked against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid, settingLabels } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { SEARCH_BASE } from './searchFixtures';
import { finalSpecs, searchBudget, searchSettings, studiesOf, trialParams, trialSpec } from '../../../src/core/search/space';

test('defaults: 8 trials, seed 0, ASHA from 1 epoch with eta 3, five final seeds 1..5', () => {
  const cfg = validateConfig({ ...SEARCH_BASE, search: {} });
  assert.deepEqual(searchSettings(cfg), { trials: 8, seed: 0, minEpochs: 1, eta: 3, finalSeeds: [1, 2, 3, 4, 5] });
  assert.deepEqual(cfg.seeds, [1, 2, 3, 4, 5], 'the seeds tables pair are the final seeds');
  assert.deepEqual(searchBudget(cfg).rungs, [1, 3, 9]);
  const unpruned = validateConfig({ ...SEARCH_BASE, search: { prune: false, finalSeeds: [7, 9] } });
  assert.deepEqual(searchBudget(unpruned).rungs, [9]);
  assert.deepEqual(searchSettings(unpruned).finalSeeds, [7, 9]);
});

test('one study per model × loss entry, named without its searched fields; fixed fields stay', () => {
  const cfg = validateConfig(SEARCH_BASE);
  const studies = studiesOf(cfg);
  assert.deepEqual(
    studies.map((s) => [s.key, s.lossLabel]),
    [
      ['simple-cnn-w0.25__ce', 'CE'],
      ['simple-cnn-w0.25__am-softmax-s30', 'AM-Softmax s=30'],
      ['simple-cnn-w0.25__custom-focal-alpha_1_2_', 'custom:focal alpha=[1,2]'],
    ],
  );
  assert.deepEqual(
    studies.map((s) => s.params.map((p) => p.key)),
    [
      ['training.batchSize', 'training.lr'],
      ['loss.m', 'training.batchSize', 'training.lr'],
      ['loss.options.gamma', 'training.batchSize', 'training.lr'],
    ],
    "a custom loss's list option is a value, not a choice",
  );
  assert.deepEqual(settingLabels(cfg), ['CE', 'AM-Softmax s=30', 'custom:focal alpha=[1,2]']);
});

test('a trial takes its drawn values into its spec, trains with search.seed, and is the same drawn in any order', () => {
  const cfg = validateConfig(SEARCH_BASE);
  const am = studiesOf(cfg)[1];
  const spec = trialSpec(cfg, am, 2);
  const params = spec.search!.params;
  assert.equal(spec.runId, 'simple-cnn-w0.25__am-softmax-s30__trial2');
  assert.equal(spec.seed, 0);
  assert.deepEqual(spec.search, { stage: 'trial', study: am.key, trial: 2, params });
  assert.equal((spec.loss as { m: number }).m, params['loss.m']);
  assert.equal((spec.loss as { s: number }).s, 30);
  assert.equal(spec.training.lr, params['training.lr']);
  assert.ok([64, 128].includes(spec.training.batchSize));
  assert.ok((params['loss.m'] as number) >= 0.2 && (params['loss.m'] as number) <= 0.5);
  assert.ok((params['training.lr'] as number) >= 0.01 && (params['training.lr'] as number) <= 0.3);
  assert.equal(spec.training.epochs, 9, 'a trial is specified to all epochs; ASHA pauses it at its rungs');
  const later = [3, 1, 0, 2].map((i) => trialParams(am, i, 0));
  assert.deepEqual(later[3], params, 'trial 2 drawn last equals trial 2 drawn first');
  assert.notDeepEqual(trialParams(am, 2, 1), params, 'another search.seed draws other trials');
  const custom = trialSpec(cfg, studiesOf(cfg)[2], 0);
  assert.deepEqual(Object.keys((custom.loss as { options: object }).options).sort(), ['alpha', 'gamma']);
  assert.equal((custom.loss as { options?: Record<string, unknown> }).options?.gamma, custom.search!.params['loss.options.gamma']);
  assert.deepEqual(
    expandGrid(cfg).map((r) => /trial\d+$/.exec(r.runId)?.[0]),
    Array.from({ length: 12 }, (_, i) => `trial${i % 4}`),
    "a search's grid is its trials",
  );
});

test('final runs: the chosen values with each final seed, labelled by the loss alone so rows pair by seed', () => {
  const cfg = validateConfig({ ...SEARCH_BASE, search: { trials: 4, finalSeeds: 2 } });
  const am = studiesOf(cfg)[1];
  const finals = finalSpecs(cfg, am, 3, { 'loss.m': 0.35, 'training.lr': 0.05, 'training.batchSize': 64 });
  assert.deepEqual(
    finals.map((r) => [r.runId, r.lossLabel, r.seed, (r.loss as { m: number }).m, r.training.lr, r.training.batchSize, r.search?.stage, r.search?.trial]),
    [
      ['simple-cnn-w0.25__am-softmax-s30__seed1', 'AM-Softmax s=30', 1, 0.35, 0.05, 64, 'final', 3],
      ['simple-cnn-w0.25__am-softmax-s30__seed2', 'AM-Softmax s=30', 2, 0.35, 0.05, 64, 'final', 3],
    ],
  );
});
