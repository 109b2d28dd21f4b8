import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { estimateGrid } from '../../../src/core/train/gridEstimate';
import { formatDuration } from '../../../src/core/util/duration';

const grid = expandGrid(
  validateConfig(
    {
      name: 'est',
      dataset: { name: 'fashion-mnist' },
      models: [{ name: 'simple-cnn' }, { name: 'resnet18', width: 0.25 }],
      losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
      seeds: [1, 2, 3],
      training: { epochs: 10, milestones: [5] },
    },
    'test',
  ),
);

test('grid estimate: measured epoch × epochs × runs per model, spread over the parallel lanes', () => {
  const seconds = new Map([
    ['simple-cnn-w1', 12],
    ['resnet18-w0.25', 30],
  ]);
  const est = estimateGrid(grid, seconds, 2);
  // simple-cnn: 6 runs × 10 epochs × 12 s = 720; resnet18: 6 × 10 × 30 = 1800; (720 + 1800) / 2 lanes.
  assert.deepEqual(
    est.models.map((m) => [m.model, m.runs, m.epochsLeft, m.runSeconds]),
    [
      ['simple-cnn-w1', 6, 60, 720],
      ['resnet18-w0.25', 6, 60, 1800],
    ],
  );
  assert.equal(est.totalSeconds, 1260);
});

test('grid estimate: finished epochs (the probe, resumed runs) are not counted again', () => {
  const seconds = new Map([
    ['simple-cnn-w1', 12],
    ['resnet18-w0.25', 30],
  ]);
  const finished = new Map([
    [grid[0].runId, 1], // a probe epoch of simple-cnn
    [grid[6].runId, 10], // a finished resnet18 run
  ]);
  const est = estimateGrid(grid, seconds, 1, finished);
  assert.equal(est.finishedEpochs, 11);
  assert.equal(est.totalSeconds, 720 - 12 + 1800 - 300);
});

test('grid estimate: a model without a measured epoch is an error, not a zero', () => {
  assert.throws(() => estimateGrid(grid, new Map([['simple-cnn-w1', 1]]), 1), /resnet18-w0.25/);
});

test('durations read as a person would write them', () => {
  assert.equal(formatDuration(59), '59.0 s');
  assert.equal(formatDuration(61), '1 min 01 s');
  assert.equal(formatDuration(3725), '1 h 02 min');
  assert.equal(formatDuration(3 * 86400 + 5 * 3600 + 10), '3 d 05 h');
});
