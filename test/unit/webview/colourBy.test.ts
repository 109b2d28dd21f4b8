import { test } from 'node:test';
import assert from 'node:assert/strict';
import { colourFields, colourOrder, colourValue } from '../../../webview/colourBy';
import type { RunView } from '../../../src/protocol/webview';

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

test('palette order: numbers ascending whatever order the runs come in, text by first appearance', () => {
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
