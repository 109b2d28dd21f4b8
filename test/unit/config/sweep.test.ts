// Sweeps: a numeric loss or training field written as a list or a range expands the grid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { problems } from './configProblems';
import { expandGrid, settingLabels } from '../../../src/core/config/grid';
import { decimals, expandLoss, rangeValues, sweepValues } from '../../../src/core/config/sweep';
import { parseConfigText, validateConfig } from '../../../src/core/config/validate';

const base = { name: 'sweep', dataset: { name: 'fashion-mnist' }, models: [{ name: 'simple-cnn' }], seeds: [1, 2] };

test('a range counts from + i·step, rounded to the step, and includes `to` when it lands on a step', () => {
  assert.deepEqual(rangeValues({ from: 0.5, to: 1.2, step: 0.1 }), [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2]);
  assert.deepEqual(rangeValues({ from: 0.1, to: 0.3, step: 0.1 }), [0.1, 0.2, 0.3]); // 0.1 + 2·0.1 = 0.30000000000000004
  assert.deepEqual(rangeValues({ from: 0, to: 1, step: 0.3 }), [0, 0.3, 0.6, 0.9]); // 1 is not on a step
  assert.deepEqual(rangeValues({ from: 0.05, to: 0.2, step: 0.05 }), [0.05, 0.1, 0.15, 0.2]);
  assert.deepEqual(rangeValues({ from: 0.35, to: 0.55, step: 0.1 }), [0.35, 0.45, 0.55]); // from's decimals count too
  assert.deepEqual(rangeValues({ from: 1e-5, to: 3e-5, step: 1e-5 }), [1e-5, 2e-5, 3e-5]);
  assert.deepEqual(rangeValues({ from: 10, to: 30, step: 10 }), [10, 20, 30]);
  assert.deepEqual(rangeValues({ from: 2, to: 2, step: 1 }), [2]);
  assert.deepEqual(rangeValues({ from: 2, to: 1, step: 1 }), []);
  assert.deepEqual(rangeValues({ from: 0, to: 1, step: 0 }), []);
  assert.equal(decimals(1e-5), 5);
  assert.equal(decimals(0.25), 2);
  assert.equal(decimals(3), 0);
  assert.deepEqual(sweepValues(0.9), [0.9]);
  assert.deepEqual(sweepValues([0.05, 0.1]), [0.05, 0.1]);
});

test('a loss sweep expands field by field, the first field outermost; focal alpha lists stay per-class weights', () => {
  assert.deepEqual(
    expandLoss({ name: 'am-softmax', s: [7.5, 10], m: { from: 0.3, to: 0.4, step: 0.1 } }).map((e) => [e.value, e.sweep.map((s) => `${s.field}=${s.value}`)]),
    [
      [{ name: 'am-softmax', s: 7.5, m: 0.3 }, ['s=7.5', 'm=0.3']],
      [{ name: 'am-softmax', s: 7.5, m: 0.4 }, ['s=7.5', 'm=0.4']],
      [{ name: 'am-softmax', s: 10, m: 0.3 }, ['s=10', 'm=0.3']],
      [{ name: 'am-softmax', s: 10, m: 0.4 }, ['s=10', 'm=0.4']],
    ],
  );
  assert.deepEqual(expandLoss({ name: 'focal', gamma: 2, alpha: [0.25, 0.75] }), [{ value: { name: 'focal', gamma: 2, alpha: [0.25, 0.75] }, sweep: [] }]);
  assert.deepEqual(expandLoss({ name: 'ce' }), [{ value: { name: 'ce' }, sweep: [] }]);
});

test('the grid runs every combination: losses × swept loss values × swept training values × seeds; ids and labels show only the swept values', () => {
  const cfg = validateConfig({
    ...base,
    losses: [{ name: 'ce' }, { name: 'scaled-bn', m: { from: 0.8, to: 0.9, step: 0.1 } }],
    training: { lr: [0.05, 0.1], epochs: 2, milestones: [1] },
  });
  const runs = expandGrid(cfg);
  assert.deepEqual(
    runs.map((r) => [r.runId, r.lossLabel]),
    [
      ['simple-cnn-w1__ce-lr0.05__seed1', 'CE · lr=0.05'],
      ['simple-cnn-w1__ce-lr0.05__seed2', 'CE · lr=0.05'],
      ['simple-cnn-w1__ce-lr0.1__seed1', 'CE · lr=0.1'],
      ['simple-cnn-w1__ce-lr0.1__seed2', 'CE · lr=0.1'],
      ['simple-cnn-w1__scaled-bn-m0.8-lr0.05__seed1', 'Scaled-BN m=0.8 · lr=0.05'],
      ['simple-cnn-w1__scaled-bn-m0.8-lr0.05__seed2', 'Scaled-BN m=0.8 · lr=0.05'],
      ['simple-cnn-w1__scaled-bn-m0.8-lr0.1__seed1', 'Scaled-BN m=0.8 · lr=0.1'],
      ['simple-cnn-w1__scaled-bn-m0.8-lr0.1__seed2', 'Scaled-BN m=0.8 · lr=0.1'],
      ['simple-cnn-w1__scaled-bn-m0.9-lr0.05__seed1', 'Scaled-BN m=0.9 · lr=0.05'],
      ['simple-cnn-w1__scaled-bn-m0.9-lr0.05__seed2', 'Scaled-BN m=0.9 · lr=0.05'],
      ['simple-cnn-w1__scaled-bn-m0.9-lr0.1__seed1', 'Scaled-BN m=0.9 · lr=0.1'],
      ['simple-cnn-w1__scaled-bn-m0.9-lr0.1__seed2', 'Scaled-BN m=0.9 · lr=0.1'],
    ],
  );
  // each run gets plain numbers, and says which values were swept
  const run = runs[6];
  assert.deepEqual(run.loss, { name: 'scaled-bn', m: 0.8, eval: 'running', momentum: 0.1, eps: 0.00001 });
  assert.equal(run.training.lr, 0.1);
  assert.equal(run.training.epochs, 2);
  assert.deepEqual(run.sweep, [
    { scope: 'loss', field: 'm', value: 0.8 },
    { scope: 'training', field: 'lr', value: 0.1 },
  ]);
  assert.deepEqual(runs[0].sweep, [{ scope: 'training', field: 'lr', value: 0.05 }]);
  for (const r of runs) assert.match(r.runId, /^[A-Za-z0-9._-]+$/);
  assert.equal(new Set(runs.map((r) => r.runId)).size, runs.length);
  assert.deepEqual(settingLabels(cfg), ['CE · lr=0.05', 'CE · lr=0.1', 'Scaled-BN m=0.8 · lr=0.05', 'Scaled-BN m=0.8 · lr=0.1', 'Scaled-BN m=0.9 · lr=0.05', 'Scaled-BN m=0.9 · lr=0.1']);
});

test('a swept optional field is named in ids and labels even at its default; a config without sweeps keeps its ids', () => {
  const cfg = validateConfig({ ...base, seeds: [1], losses: [{ name: 'scaled-bn', m: 0.9, momentum: [0.1, 0.2] }] });
  assert.deepEqual(
    expandGrid(cfg).map((r) => [r.runId, r.lossLabel]),
    [
      ['simple-cnn-w1__scaled-bn-m0.9-mom0.1__seed1', 'Scaled-BN m=0.9 momentum=0.1'],
      ['simple-cnn-w1__scaled-bn-m0.9-mom0.2__seed1', 'Scaled-BN m=0.9 momentum=0.2'],
    ],
  );
  const plain = validateConfig({ ...base, seeds: [1], losses: [{ name: 'scaled-bn', m: 0.9 }], training: { lr: 0.05 } });
  const [run] = expandGrid(plain);
  assert.equal(run.runId, 'simple-cnn-w1__scaled-bn-m0.9__seed1');
  assert.equal(run.lossLabel, 'Scaled-BN m=0.9');
  assert.equal(run.sweep, undefined);
});

test('integer training fields sweep with integer ranges', () => {
  const cfg = validateConfig({ ...base, seeds: [1], losses: [{ name: 'ce' }], training: { epochs: { from: 10, to: 30, step: 10 }, milestones: [] } });
  assert.deepEqual(
    expandGrid(cfg).map((r) => [r.runId, r.training.epochs]),
    [
      ['simple-cnn-w1__ce-epochs10__seed1', 10],
      ['simple-cnn-w1__ce-epochs20__seed1', 20],
      ['simple-cnn-w1__ce-epochs30__seed1', 30],
    ],
  );
});

test('sweep problems name the field and say what is wrong', () => {
  const cfg = (losses: unknown[], training: unknown = {}) => ({ ...base, losses, training });
  assert.deepEqual(problems(cfg([{ name: 'scaled-bn', m: [] }])), ['cfg.json: /losses/0/m: m: empty list (allowed: at least one value, or a single number)']);
  assert.deepEqual(problems(cfg([{ name: 'scaled-bn', m: { from: 0.5, to: 1, step: 0 } }])), ['cfg.json: /losses/0/m/step: m: step 0 of the range is not positive (allowed: step > 0)']);
  assert.deepEqual(problems(cfg([{ name: 'scaled-bn', m: { from: 0.5, to: 1, step: -0.1 } }])), ['cfg.json: /losses/0/m/step: m: step -0.1 of the range is not positive (allowed: step > 0)']);
  assert.deepEqual(problems(cfg([{ name: 'scaled-bn', m: { from: 1.2, to: 0.5, step: 0.1 } }])), [
    'cfg.json: /losses/0/m: m: the range from 1.2 to 0.5 is empty, from is greater than to (allowed: from ≤ to)',
  ]);
  assert.deepEqual(problems(cfg([{ name: 'arcface', s: 16, m: { from: 1, to: 2, step: 0.25 } }])), [
    "cfg.json: /losses/0/m: m: the range from 1 to 2 step 0.25 yields values outside the field's bounds (1.75, 2) (allowed: number ≥ 0 and ≤ 1.5)",
  ]);
  assert.deepEqual(problems(cfg([{ name: 'am-softmax', s: [7.5, 0], m: 0.35 }])), ['cfg.json: /losses/0/s/1: s = 0 in the list is too small (allowed: number > 0 and ≤ 1000)']);
  assert.deepEqual(problems(cfg([{ name: 'ce' }], { lr: [0.1, 0.1] })), ['cfg.json: /training/lr/1: training.lr = 0.1 is listed twice; it would run the same runs twice']);
  assert.deepEqual(problems(cfg([{ name: 'ce' }], { momentum: { from: 0.5, to: 1, step: 0.25 } })), [
    "cfg.json: /training/momentum: training.momentum: the range from 0.5 to 1 step 0.25 yields a value outside the field's bounds (1) (allowed: number ≥ 0 and < 1)",
  ]);
  assert.deepEqual(problems(cfg([{ name: 'ce' }], { lr: { from: 0.001, to: 10, step: 0.001 } })), [
    'cfg.json: /training/lr/step: training.lr: the range from 0.001 to 10 step 0.001 has 10000 values (allowed: at most 1000; a larger step)',
  ]);
  assert.deepEqual(problems(cfg([{ name: 'ce' }], { batchSize: [64, 12.5] })), ['cfg.json: /training/batchSize/1: expected integer, got number 12.5']);
  assert.deepEqual(problems(cfg([{ name: 'ce' }], { lr: { from: 0.1, to: 0.2 } })), ["cfg.json: /training/lr: missing required field 'step' (allowed: number)"]);
  // a single number out of bounds is still the schema's message
  assert.deepEqual(problems(cfg([{ name: 'scaled-bn', m: 200 }])), ['cfg.json: /losses/0/m: 200 is too large (allowed: number > 0 and ≤ 100)']);
});

test('overlapping sweeps are duplicates, and the baseline takes one value', () => {
  assert.deepEqual(
    problems({
      ...base,
      losses: [
        { name: 'scaled-bn', m: [0.8, 0.9] },
        { name: 'scaled-bn', m: 0.9 },
      ],
    }),
    ["cfg.json: /losses/1: duplicate loss 'Scaled-BN m=0.9' (same as /losses/0); it would run the same runs twice"],
  );
  assert.deepEqual(problems({ ...base, losses: [{ name: 'ce' }, { name: 'scaled-bn', m: [0.8, 0.9] }], baseline: { name: 'scaled-bn', m: [0.8, 0.9] } }), [
    'cfg.json: /baseline/m: the baseline is one loss: m takes one value here (allowed: a number; sweep it in losses)',
  ]);
  // a baseline that is one of the swept values is fine
  validateConfig({ ...base, losses: [{ name: 'ce' }, { name: 'scaled-bn', m: [0.8, 0.9] }], baseline: { name: 'scaled-bn', m: 0.9 } });
});

test('the sweep example config is valid and runs the paper choice of m next to CE', () => {
  const cfg = parseConfigText(readFileSync('examples/sweep-scaled-bn-m.losslab.json', 'utf8'));
  const labels = settingLabels(cfg);
  assert.deepEqual(labels, ['CE', 'Scaled-BN m=0.5', 'Scaled-BN m=0.6', 'Scaled-BN m=0.7', 'Scaled-BN m=0.8', 'Scaled-BN m=0.9', 'Scaled-BN m=1', 'Scaled-BN m=1.1', 'Scaled-BN m=1.2']);
  assert.equal(expandGrid(cfg).length, labels.length * cfg.seeds.length * cfg.models.length);
});

test('swept epochs are checked against the milestones at their smallest value', () => {
  assert.deepEqual(problems({ ...base, losses: [{ name: 'ce' }], training: { epochs: [5, 20], milestones: [10] } }), [
    'cfg.json: /training/milestones/0: milestone 10 is after the last epoch (allowed: 1 to training.epochs = 5)',
  ]);
  validateConfig({ ...base, losses: [{ name: 'ce' }], training: { epochs: { from: 10, to: 30, step: 10 }, milestones: [5] } });
});
