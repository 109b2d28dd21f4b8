// A legend entry hidden by a click is drawn as hidden (struck through by Chart.js, faded here), also
// for the curves, whose bands stay visible (emptied) while their runs are hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chart } from 'chart.js';
import type { RunSnapshot } from '../../../src/protocol/webview';
import { groupLegend } from '../../../webview/chartTheme';
import { CurveStore } from '../../../webview/curveStore';
import type { Theme } from '../../../webview/theme';

const THEME: Theme = { foreground: '#111111', muted: '#888888', grid: '#eeeeee', fontFamily: 'sans-serif', palette: ['#1f77b4', '#d62728'], highContrast: false };
const run = (runId: string, lossLabel: string, seed: number) =>
  ({ runId, lossLabel, modelLabel: 'Simple CNN', datasetLabel: 'MNIST', seed, state: 'done', epoch: 1, epochs: 1, stateText: 'done', metrics: [] }) as RunSnapshot;

test("the curves' legend strikes through and fades a loss whose runs a click hid, though its band is not hidden", () => {
  const store = new CurveStore();
  const runs = [run('ce-1', 'CE', 1), run('ce-2', 'CE', 2), run('bn-1', 'Scaled-BN m=0.9', 1)];
  store.reset(runs);
  for (const r of runs) store.add(r);
  store.toggleLoss('CE');
  const groupOf = new WeakMap<object, string>();
  const datasets = [
    { label: 'ce-1', hidden: store.isHidden('ce-1') },
    { label: 'ce-2', hidden: store.isHidden('ce-2') },
    { label: 'CE mean − std' }, // the band: emptied, not hidden
    { label: 'bn-1', hidden: store.isHidden('bn-1') },
  ];
  datasets.forEach((d, i) => groupOf.set(d, i < 3 ? 'CE' : 'Scaled-BN m=0.9'));
  const chart = { data: { datasets } } as unknown as Chart;
  const legend = groupLegend(groupOf, () => '#000000', THEME, { toggle: () => undefined, isHidden: (loss) => store.isLossHidden(loss) });
  assert.deepEqual(
    legend.labels.generateLabels(chart).map((item) => [item.text, item.hidden, item.fontColor]),
    [
      ['CE', true, THEME.muted],
      ['Scaled-BN m=0.9', false, THEME.foreground],
    ],
  );
});

test('without a keeper (the sweep charts) an entry is hidden when all its datasets are', () => {
  const groupOf = new WeakMap<object, string>();
  const datasets = [{ hidden: true }, { hidden: true }, { hidden: false }];
  datasets.forEach((d, i) => groupOf.set(d, i < 2 ? 'CE' : 'Scaled-BN'));
  const legend = groupLegend(groupOf, () => '#000000', THEME);
  assert.deepEqual(
    legend.labels.generateLabels({ data: { datasets } } as unknown as Chart).map((item) => [item.text, item.hidden]),
    [
      ['CE', true],
      ['Scaled-BN', false],
    ],
  );
});
