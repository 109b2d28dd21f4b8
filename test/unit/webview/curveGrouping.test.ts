import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurveStore } from '../../../webview/curveStore';
import { CurveDatasets, type LineDataset } from '../../../webview/curveDatasets';
import type { RunView } from '../../../src/protocol/webview';
import type { Theme } from '../../../webview/theme';

const view = (runId: string, lossLabel: string, lr: number, modelLabel = 'VGG-16'): RunView => ({
  runId,
  lossLabel,
  modelLabel,
  datasetLabel: 'CIFAR-10',
  seed: 1,
  state: 'done',
  epoch: 1,
  epochs: 1,
  stateText: 'done',
  config: { 'training.lr': lr },
});
const runs = [view('a', 'CE · lr=0.1', 0.1), view('b', 'Scaled-BN · lr=0.01', 0.01), view('c', 'Scaled-BN · lr=0.1', 0.1, 'ResNet-18')];
const theme: Theme = { foreground: '#000', muted: '#888888', grid: '#ccc', fontFamily: 'sans', palette: ['#111111', '#222222', '#333333'], highContrast: false };

function setUp() {
  const store = new CurveStore({ colourBy: 'config:training.lr' });
  store.reset(runs.map((r) => ({ ...r, metrics: [] })));
  const datasets = new CurveDatasets(store, () => theme);
  const pushed = new Map<string, LineDataset[]>();
  for (const r of runs) {
    store.add(r);
    datasets.addRun(r, (metric, ...sets) => pushed.set(`${r.runId}:${metric}`, [...(pushed.get(`${r.runId}:${metric}`) ?? []), ...sets]));
  }
  return { store, datasets, pushed };
}

test('colour by lr: runs of one lr share a colour in every chart, lr ascending through the palette', () => {
  const { datasets, pushed } = setUp();
  for (const metric of ['testAcc', 'lr'] as const) {
    assert.equal(pushed.get(`a:${metric}`)![0].borderColor, '#222222', 'lr=0.1 is the second value: palette[1]');
    assert.equal(pushed.get(`c:${metric}`)![0].borderColor, '#222222');
    assert.equal(pushed.get(`b:${metric}`)![0].borderColor, '#111111', 'lr=0.01: palette[0]');
  }
  assert.equal(datasets.lossOf.get(pushed.get('a:testAcc')![0]), 'training.lr=0.1', 'the legend entry');
});

test('switching back to the loss: regrouped, recoloured, and a legend click toggles the new group', () => {
  const { store, datasets, pushed } = setUp();
  store.setColourBy('loss');
  datasets.regroup();
  assert.deepEqual(
    ['a', 'b', 'c'].map((id) => pushed.get(`${id}:testAcc`)![0].borderColor),
    ['#111111', '#222222', '#333333'],
  );
  assert.deepEqual(store.runsOf('Scaled-BN · lr=0.01'), ['b']);
  store.setColourBy('config:training.lr');
  assert.deepEqual(store.toggleLoss('training.lr=0.1'), { runIds: ['a', 'c'], hide: true });
});

test('the baseline: grey, dashed, its own legend entry, drawn even when hidden or out of focus', () => {
  const { store, datasets, pushed } = setUp();
  store.setHidden(['b']);
  store.setFocus(['a']);
  assert.equal(store.isHidden('b'), true);
  store.baseline = 'b';
  datasets.regroup();
  assert.equal(store.isHidden('b'), false);
  assert.equal(store.isHidden('c'), true, 'focus still hides the others');
  const line = pushed.get('b:trainLoss')![0];
  assert.equal(line.borderColor, '#888888');
  assert.deepEqual(line.borderDash, [12, 4]);
  assert.match(datasets.lossOf.get(line)!, /^baseline: /);
  store.baseline = undefined;
  datasets.regroup();
  assert.equal(line.borderColor, '#111111');
  assert.deepEqual(line.borderDash, [], 'back to its model’s dash');
  assert.deepEqual(pushed.get('c:trainLoss')![0].borderDash, [6, 3], 'the second model keeps its dash');
});
