import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heatmaps, sweepGrid, sweptFields, unitPosition } from '../../../src/core/results/sweepGrid';
import type { SweepRunInput } from '../../../src/core/results/sweepSeries';

const m = (value: number) => ({ scope: 'loss' as const, field: 'm', value });
const lr = (value: number) => ({ scope: 'training' as const, field: 'lr', value });
const run = (runId: string, mv: number, lrv: number, acc: number | undefined): SweepRunInput => ({
  runId,
  lossLabel: `Scaled-BN m=${mv} · lr=${lrv}`,
  modelLabel: 'VGG-16',
  sweep: [m(mv), lr(lrv)],
  acc,
});

// m ∈ {0.8, 0.9}, lr ∈ {0.01, 0.1}, two seeds of (0.9, 0.1), one run unfinished, CE beside.
const runs: SweepRunInput[] = [
  run('a', 0.9, 0.1, 70),
  run('b', 0.9, 0.1, 74),
  run('c', 0.8, 0.1, 60),
  run('d', 0.8, 0.01, 50),
  run('e', 0.9, 0.01, undefined),
  { runId: 'ce', lossLabel: 'CE · lr=0.1', modelLabel: 'VGG-16', sweep: [lr(0.1)], acc: 65 },
];

test('swept fields: those with two or more values, values ascending', () => {
  assert.deepEqual(sweptFields(runs), [
    { key: 'loss:m', label: 'm', values: [0.8, 0.9] },
    { key: 'training:lr', label: 'training.lr', values: [0.01, 0.1] },
  ]);
  assert.deepEqual(
    sweptFields([run('x', 0.9, 0.1, 1), run('y', 0.8, 0.1, 2)]).map((f) => f.key),
    ['loss:m'],
    'one lr value is no sweep of lr',
  );
});

test('grid: one setting per value pair, mean over seeds; runs lacking a field or an accuracy left out', () => {
  const grid = sweepGrid(runs)!;
  assert.deepEqual(
    grid.settings.map((s) => [s.rest, s.values, s.acc, s.n]),
    [
      ['Scaled-BN', [0.9, 0.1], 72, 2],
      ['Scaled-BN', [0.8, 0.1], 60, 1],
      ['Scaled-BN', [0.8, 0.01], 50, 1],
    ],
  );
  assert.deepEqual(grid.accRange, [50, 72]);
  assert.equal(sweepGrid([run('x', 0.9, 0.1, 1), run('y', 0.8, 0.1, 2)]), undefined, 'a one-field sweep has no grid');
});

test('heatmap: cells at (column of m, row of lr); a second model gets its own map', () => {
  const [map] = heatmaps(sweepGrid(runs));
  assert.equal(map.rest, 'Scaled-BN');
  assert.deepEqual(map.cells, [
    { col: 1, row: 1, acc: 72, n: 2 },
    { col: 0, row: 1, acc: 60, n: 1 },
    { col: 0, row: 0, acc: 50, n: 1 },
  ]);
  const resnet = runs.filter((r) => r.runId !== 'ce').map((r) => ({ ...r, runId: `${r.runId}2`, modelLabel: 'ResNet-18' }));
  assert.deepEqual(
    heatmaps(sweepGrid([...runs, ...resnet])).map((h) => h.rest),
    ['VGG-16: Scaled-BN', 'ResNet-18: Scaled-BN'],
  );
});

test('three fields make no heatmap (parallel coordinates instead)', () => {
  const three = runs.slice(0, 4).map((r, i) => ({ ...r, sweep: [...r.sweep!, { scope: 'training' as const, field: 'weightDecay', value: i % 2 }] }));
  const grid = sweepGrid(three)!;
  assert.equal(grid.fields.length, 3);
  assert.deepEqual(heatmaps(grid), []);
});

test('unit position: 0 at the low end, 1 at the high end, 0.5 for a one-point range', () => {
  assert.equal(unitPosition(50, 50, 72), 0);
  assert.equal(unitPosition(61, 50, 72), 0.5);
  assert.equal(unitPosition(72, 50, 72), 1);
  assert.equal(unitPosition(3, 3, 3), 0.5);
});
