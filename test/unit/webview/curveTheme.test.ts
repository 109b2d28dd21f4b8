// The curves drawn by Chart.js itself (headlessChart.ts):
// after a theme switch every line and the dots of its points have the new theme's colour, also once a
// hovered point is let go. Chart.js' update('none') keeps the colours a line's points resolved
// before, so a restyle that ends in one leaves them in the old theme.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chart } from 'chart.js';
import type { RunSnapshot } from '../../../src/protocol/webview';
import type { Theme } from '../../../webview/theme';
import { epoch } from '../helpers/runFixtures';
import type { CurveController } from '../../../webview/curveController';
import { fakeCanvas } from './headlessChart';

const theme = (palette: string[]): Theme => ({ foreground: '#000000', muted: '#777777', grid: '#dddddd', fontFamily: 'sans-serif', palette, highContrast: false });
const LIGHT = theme(['#0000ff', '#ff0000']);
const DARK = theme(['#88aaff', '#ffaa88']);

const snapshot = (runId: string, lossLabel: string) =>
  ({
    runId,
    lossLabel,
    lossRank: lossLabel === 'CE' ? 0 : 1,
    modelLabel: 'CNN',
    datasetLabel: 'MNIST',
    seed: 1,
    state: 'done',
    epoch: 2,
    epochs: 2,
    stateText: 'done',
    metrics: [epoch(1, 0.5), epoch(2, 0.6)],
  }) as unknown as RunSnapshot;

/** Each visible dataset of a run's line: its own colour and the colour its points' dots are drawn in (curveController.ts). */
function colours(chart: Chart) {
  return chart.data.datasets
    .map((d, i) => ({ d, meta: chart.getDatasetMeta(i) }))
    .filter(({ d }) => d.data.length > 0 && d.label?.includes('CE') && !d.label.includes('mean'))
    .map(({ meta }) => ({
      line: (meta.dataset as unknown as { options: { borderColor: string } }).options.borderColor,
      points: [(meta.controller as unknown as CurveController).dotStyle()?.backgroundColor],
    }));
}

test('a theme switch recolours every line and its points; a hovered point let go keeps the new colour', async () => {
  const { CurveCharts } = await import('../../../webview/curves');
  const curves = new CurveCharts(LIGHT, () => fakeCanvas() as unknown as HTMLCanvasElement);
  curves.reset([snapshot('ce', 'CE'), snapshot('bn', 'Scaled-BN m=0.9')]);
  const chart = curves.chart('testAcc');
  assert.deepEqual(colours(chart), [{ line: '#0000ff', points: ['#0000ff'] }], 'CE in the first colour of the light palette');

  curves.setTheme(DARK);
  assert.deepEqual(colours(chart), [{ line: '#88aaff', points: ['#88aaff'] }], 'after the switch');

  // The curves keep no element per point: a pointer over the plot, then gone, as Chart.js hands them to the read-out.
  const events = chart as unknown as { _eventHandler(e: object): void };
  const { left, top } = chart.chartArea;
  events._eventHandler({ type: 'mousemove', x: left + 1, y: top + 1, native: { type: 'mousemove', buttons: 0 } });
  assert.ok(chart.getActiveElements().length > 0, 'the read-out hovers the points at the pointer');
  events._eventHandler({ type: 'mouseout', x: left + 1, y: top + 1, native: { type: 'mouseout' } });
  curves.highlight('ce');
  curves.highlight(undefined);
  assert.deepEqual(colours(chart), [{ line: '#88aaff', points: ['#88aaff'] }], 'after hovering a point and a highlight');
});
