// How a search config is checked: each problem once, at its JSON pointer, in one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problems } from '../config/configProblems';
import { SEARCH_BASE } from './searchFixtures';
import { validateConfig } from '../../../src/core/config/validate';

const without = <T extends object>(o: T, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

test('a sound search config has no problems', () => {
  assert.doesNotThrow(() => validateConfig(SEARCH_BASE, 'cfg.json'));
});

test('a search needs a validation split, one number of epochs, and no seeds of its own', () => {
  assert.deepEqual(problems({ ...SEARCH_BASE, dataset: { name: 'fashion-mnist' } }), [
    'cfg.json: /search: a search tunes on a validation split, never on test: add dataset.validation, e.g. "validation": 0.1',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, training: { ...SEARCH_BASE.training, epochs: [9, 12] } }), [
    'cfg.json: /training/epochs: a search trains to one number of epochs, its budget (allowed: a number, not a sweep or a distribution)',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, seeds: [1, 2] }), ['cfg.json: /seeds: a search trains its trials with search.seed and its final runs with search.finalSeeds: remove seeds']);
  assert.deepEqual(problems({ ...SEARCH_BASE, search: { prune: { minEpochs: 12 } } }), [
    'cfg.json: /search/prune/minEpochs: the first rung (12 epochs) is after the last epoch (allowed: 1 to training.epochs = 9)',
  ]);
});

test('a distribution without a search, or an unsound one, is named at its place', () => {
  assert.deepEqual(problems({ ...without(SEARCH_BASE, 'search'), losses: [{ name: 'ce' }], training: { epochs: 9, milestones: [6], lr: { log: [0.01, 0.3] } } }), [
    'cfg.json: /training/lr: training.lr: a distribution is drawn from by a search only (allowed: a number, a list or a range; or add a "search" block)',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, losses: [{ name: 'scaled-bn', m: { log: [0, 1] } }] }), ['cfg.json: /losses/0/m: m: "log" needs positive bounds, got [0, 1]']);
  assert.deepEqual(problems({ ...SEARCH_BASE, losses: [{ name: 'custom', module: 'f.ts', options: { gamma: { uniform: [2, 1] } } }] }), [
    'cfg.json: /losses/0/options/gamma: options.gamma: "uniform" needs low < high, got [2, 1]',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, training: { ...SEARCH_BASE.training, logEvery: { int: [1, 5] } } }), [
    'cfg.json: /training/logEvery: training.logEvery cannot be searched (allowed: a number)',
  ]);
});

test("a distribution or a list that reaches outside its field's own bounds is named at its place", () => {
  // scaled-bn's m is > 0 and ≤ 100 (the schema); training.lr the same; momentum is ≤ 1.
  assert.deepEqual(problems({ ...SEARCH_BASE, losses: [{ name: 'scaled-bn', m: { uniform: [-1, 2] } }] }), [
    'cfg.json: /losses/0/m: m: the range of "uniform" reaches -1, which is too small for this field (allowed: number > 0 and ≤ 100)',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, losses: [{ name: 'scaled-bn', m: { uniform: [0.5, 200] } }] }), [
    'cfg.json: /losses/0/m: m: the range of "uniform" reaches 200, which is too large for this field (allowed: number > 0 and ≤ 100)',
  ]);
  assert.deepEqual(problems({ ...SEARCH_BASE, training: { ...SEARCH_BASE.training, momentum: { uniform: [0.5, 1.5] } } }), [
    'cfg.json: /training/momentum: training.momentum: the range of "uniform" reaches 1.5, which is too large for this field (allowed: number ≥ 0 and < 1)',
  ]);
  // Within the bounds, and a custom loss's options (no schema bounds): no problem.
  assert.doesNotThrow(() =>
    validateConfig({
      ...SEARCH_BASE,
      losses: [
        { name: 'scaled-bn', m: { uniform: [0.5, 1.2] } },
        { name: 'custom', module: 'f.ts', options: { gamma: { uniform: [-3, 3] } } },
      ],
    }),
  );
});

test('two entries that differ only in what they search are one study twice', () => {
  assert.deepEqual(
    problems({
      ...SEARCH_BASE,
      losses: [
        { name: 'scaled-bn', m: { uniform: [0.5, 1] } },
        { name: 'scaled-bn', m: [0.7, 0.9] },
      ],
    }),
    ["cfg.json: /losses/1: duplicate loss 'Scaled-BN' (same as /losses/0); it would run the same runs twice"],
  );
});
