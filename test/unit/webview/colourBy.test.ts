import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourFields, colourOrder, colourValue } from '../../../webview/colourBy';
import type { RunView } from '../../../src/protocol/webview';
import { lossRank } from '../../../src/core/losses/registry';
import { settingColours } from '../../../webview/sweepColours';

const view = (runId: string, lossLabel: string, seed: number, config: RunView['config']): RunView => ({
  runId,
  lossLabel,
  modelLabel: 'VGG-16',
  datasetLabel: 'CIFAR-10',
  seed,
  state: 'done',
  epoch: 1,
  epochs: 1,
  stateText: 'done',
  config,
});

const runs = [
  view('a', 'CE · lr=0.1', 1, { 'training.lr': 0.1, 'loss.name': 'ce', 'training.epochs': 1 }),
  view('b', 'CE · lr=0.01', 1, { 'training.lr': 0.01, 'loss.name': 'ce', 'training.epochs': 1 }),
  view('c', 'Scaled-BN m=0.9 · lr=0.1', 2, { 'training.lr': 0.1, 'loss.name': 'scaled-bn', 'loss.m': 0.9, 'training.epochs': 1 }),
];

test('fields offered: the loss always, then only what differs between runs', () => {
  assert.deepEqual(colourFields(runs), [
    { key: 'loss', label: 'loss setting' },
    { key: 'seed', label: 'seed' },
    { key: 'config:loss.m', label: 'loss.m' },
    { key: 'config:loss.name', label: 'loss.name' },
    { key: 'config:training.lr', label: 'training.lr' },
  ]);
});

test('a run’s group: the label shown in the legend, "—" for a field its config lacks', () => {
  assert.equal(colourValue(runs[0], 'loss'), 'CE · lr=0.1');
  assert.equal(colourValue(runs[2], 'seed'), 'seed 2');
  assert.equal(colourValue(runs[0], 'config:training.lr'), 'training.lr=0.1');
  assert.equal(colourValue(runs[0], 'config:loss.m'), 'loss.m=—');
});

test('palette order: numbers ascending whatever order the runs come in, then text', () => {
  assert.deepEqual(
    [...colourOrder(runs, 'config:training.lr')],
    [
      ['training.lr=0.01', 0],
      ['training.lr=0.1', 1],
    ],
  );
  assert.deepEqual(
    [...colourOrder([...runs].reverse(), 'config:training.lr')],
    [
      ['training.lr=0.01', 0],
      ['training.lr=0.1', 1],
    ],
  );
  assert.deepEqual(
    [...colourOrder(runs, 'loss')].map(([, i]) => i),
    [0, 1, 2],
  );
  assert.deepEqual(
    [...colourOrder(runs, 'config:loss.m')],
    [
      ['loss.m=0.9', 0],
      ['loss.m=—', 1],
    ],
  );
});

test('a loss setting keeps its colour whatever order the runs come in: panel, Compare Experiments, sweeps and report alike', () => {
  const setting = (runId: string, lossLabel: string, lossName: string): RunView => ({ ...view(runId, lossLabel, 1, {}), lossName, lossRank: lossRank(lossName) });
  // One run per setting, in a grid's order that is not the canonical one.
  const grid = [
    setting('pedcc', 'PEDCC', 'pedcc'),
    setting('mine', 'My focal', 'custom'),
    setting('bn9', 'Scaled-BN m=0.9', 'scaled-bn'),
    setting('ce', 'CE', 'ce'),
    setting('bn10', 'Scaled-BN m=10', 'scaled-bn'),
    setting('bn5', 'Scaled-BN m=0.5', 'scaled-bn'),
  ];
  // Built-in losses in the registry's order, a loss's settings by their numbers, custom ones last.
  const expected = [
    ['CE', 0],
    ['Scaled-BN m=0.5', 1],
    ['Scaled-BN m=0.9', 2],
    ['Scaled-BN m=10', 3],
    ['PEDCC', 4],
    ['My focal', 5],
  ];
  const permutations = (list: readonly RunView[]): RunView[][] =>
    list.length <= 1 ? [[...list]] : list.flatMap((first, i) => permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [first, ...rest]));
  for (const order of permutations(grid))
    assert.deepEqual(
      [...colourOrder(order, 'loss')].sort((a, b) => a[1] - b[1]),
      expected,
      order.map((r) => r.runId).join(),
    );
  // Compare Experiments: the same settings from two experiments, runs interleaved and renamed.
  const compared = grid.flatMap((r) => [
    { ...r, runId: `b/${r.runId}`, experiment: 'b', seed: 2 },
    { ...r, runId: `a/${r.runId}`, experiment: 'a' },
  ]);
  assert.deepEqual(
    [...colourOrder(compared, 'loss')].sort((a, b) => a[1] - b[1]),
    expected,
  );
  // The sweep charts' and the report's fallback colour by the same order.
  const palette = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  const colourOf = settingColours([...grid].reverse(), palette);
  for (const [label, i] of expected) assert.equal(colourOf(label as string), palette[i as number], String(label));
});
