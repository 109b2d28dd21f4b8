// A sweep line is coloured as its loss setting is in the curves: CE's flat line keeps CE's colour
// even where CE is not the chart's first line, and a swept loss takes its first value's colour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepCharts } from '../../../src/core/results/sweepSeries';
import { CurveStore } from '../../../webview/curveStore';
import { settingColours, sweepLineColours } from '../../../webview/sweepColours';
import type { RunSnapshot, RunView } from '../../../src/protocol/webview';

const PALETTE = ['blue', 'red', 'green', 'orange'];
const m = (value: number) => [{ scope: 'loss' as const, field: 'm', value }];
// Grid order as the panel receives it: the swept loss first, CE last. lossRank: the built-in order (CE first).
const runs = [
  { runId: 'bn8', lossLabel: 'Scaled-BN m=0.8', lossRank: 1, sweep: m(0.8), acc: 85 },
  { runId: 'bn9', lossLabel: 'Scaled-BN m=0.9', lossRank: 1, sweep: m(0.9), acc: 88 },
  { runId: 'ce', lossLabel: 'CE', lossRank: 0, acc: 80 },
];
const asViews = (list: readonly object[]) => list as unknown as RunView[];

test("each sweep line has its loss setting's colour in the curves, not its place in the chart", () => {
  const store = new CurveStore();
  store.reset(runs.map((r) => ({ ...r, modelLabel: 'Simple CNN', seed: 1, metrics: [] }) as unknown as RunSnapshot));
  const curveColour = (loss: string) => PALETTE[store.groupColour(loss) % PALETTE.length];
  const [chart] = sweepCharts(runs);
  assert.deepEqual(
    chart.lines.map((l) => l.label),
    ['Scaled-BN', 'CE'],
  );
  const colours = sweepLineColours(chart.lines, (id) => runs.find((r) => r.runId === id)?.lossLabel, curveColour, PALETTE);
  assert.deepEqual(
    [...colours],
    [
      ['Scaled-BN', 'red'],
      ['CE', 'blue'],
    ],
  );
  // The report's fallback follows the same rule.
  const fallback = sweepLineColours(chart.lines, (id) => runs.find((r) => r.runId === id)?.lossLabel, settingColours(asViews(runs), PALETTE), PALETTE);
  assert.deepEqual([...fallback], [...colours]);
});

test('where the palette wraps (more settings than colours), two lines of one chart still differ', () => {
  // Five settings, four colours: m=0.5 (the built-in order puts Scaled-BN before Focal) and Focal share blue in the curves.
  const many = [0.5, 0.6, 0.7, 0.8].map((v) => ({ runId: `bn${v}`, lossLabel: `Scaled-BN m=${v}`, lossRank: 1, sweep: m(v), acc: 85 }));
  const all = [...many, { runId: 'focal', lossLabel: 'Focal', lossRank: 8, acc: 80 }];
  const colourOf = settingColours(asViews(all), PALETTE);
  assert.equal(colourOf('Focal'), colourOf('Scaled-BN m=0.5'));
  const [chart] = sweepCharts(all);
  const colours = sweepLineColours(chart.lines, (id) => all.find((r) => r.runId === id)?.lossLabel, colourOf, PALETTE);
  assert.deepEqual(
    [...colours],
    [
      ['Scaled-BN', 'blue'],
      ['Focal', 'red'],
    ],
  );
});
