// A sweep line is coloured as its loss setting is in the curves: CE's flat line keeps CE's colour
// even where CE is not the chart's first line, and a swept loss takes its first value's colour.
import { test } from 'node:test';
import Chart from 'chart.js/auto';
import assert from 'node:assert/strict';
import { sweepCharts } from '../../../src/core/results/sweepSeries';
import { CurveStore } from '../../../webview/curveStore';
import { settingColours, sweepLineColours, sweepLineDashes } from '../../../webview/sweepColours';
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

// A grid over three models: a loss setting keeps one colour in all of them, and the models are
// told apart by the curves' dashes, which the legend names.
const MODELS = ['VGG-16', 'ResNet-18', 'ResNet-50'];
const grid = MODELS.flatMap((model, i) => [
  ...[0.8, 0.9].map((v) => ({ runId: `bn${v}-${i}`, lossLabel: `Scaled-BN m=${v}`, lossRank: 1, modelLabel: model, sweep: m(v), acc: 80 + i })),
  { runId: `ce-${i}`, lossLabel: 'CE', lossRank: 0, modelLabel: model, acc: 70 + i },
]);

test('over several models, the lines of one loss setting share its colour and each model has its dash', () => {
  const [chart] = sweepCharts(grid);
  const lossOf = (id: string) => grid.find((r) => r.runId === id)?.lossLabel;
  const colours = sweepLineColours(chart.lines, lossOf, settingColours(asViews(grid), PALETTE), PALETTE);
  assert.deepEqual(Object.fromEntries(colours), {
    'VGG-16: Scaled-BN': 'red',
    'VGG-16: CE': 'blue',
    'ResNet-18: Scaled-BN': 'red',
    'ResNet-18: CE': 'blue',
    'ResNet-50: Scaled-BN': 'red',
    'ResNet-50: CE': 'blue',
  });
  const dashes = sweepLineDashes(
    chart.lines,
    (id) => grid.find((r) => r.runId === id)?.modelLabel,
    (model) => MODELS.indexOf(model),
  );
  assert.deepEqual(Object.fromEntries(dashes), { 'VGG-16: Scaled-BN': 0, 'VGG-16: CE': 0, 'ResNet-18: Scaled-BN': 1, 'ResNet-18: CE': 1, 'ResNet-50: Scaled-BN': 2, 'ResNet-50: CE': 2 });
  const one = sweepCharts(grid.filter((r) => r.modelLabel === 'VGG-16'))[0];
  assert.equal(
    sweepLineDashes(
      one.lines,
      () => 'VGG-16',
      () => 0,
    ).size,
    0,
    'one model: no dashes',
  );
});

test('the sweep chart as drawn: a hue per loss, a dash per model, and legend entries for the dashes', async () => {
  const { fakeCanvas } = await import('./headlessChart');
  const { SweepCharts } = await import('../../../webview/sweepCharts');
  const canvas = fakeCanvas();
  const theme = { foreground: '#000000', muted: '#777777', grid: '#dddddd', fontFamily: 'sans-serif', palette: PALETTE, highContrast: false };
  const views = grid.map((r) => ({ ...r, finalAcc: r.acc / 100 }));
  new SweepCharts(theme, () => canvas as unknown as HTMLCanvasElement).reset(asViews(views));
  const chart = Chart.getChart(canvas as unknown as HTMLCanvasElement) as Chart<'line'>;
  const means = chart.data.datasets.filter((d) => !String(d.label).includes(' mean '));
  assert.deepEqual(
    means.map((d) => [d.label, d.borderColor, d.borderDash]),
    [
      ['VGG-16: Scaled-BN', 'red', []],
      ['VGG-16: CE', 'blue', []],
      ['ResNet-18: Scaled-BN', 'red', [6, 3]],
      ['ResNet-18: CE', 'blue', [6, 3]],
      ['ResNet-50: Scaled-BN', 'red', [2, 2]],
      ['ResNet-50: CE', 'blue', [2, 2]],
    ],
  );
  const legend = chart.options.plugins!.legend!.labels!.generateLabels!(chart);
  assert.deepEqual(
    legend.slice(-3).map((item) => [item.text, item.lineDash]),
    [
      ['VGG-16', []],
      ['ResNet-18', [6, 3]],
      ['ResNet-50', [2, 2]],
    ],
  );
  chart.destroy();
});
