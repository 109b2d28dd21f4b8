// The sweep chart saved as SVG: each line's mean through its points at the pixels the scales give,
// the swept line's band as one filled area, a flat line's ± std as two dotted edges, one legend entry a line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chart } from 'chart.js';
import { sweepCharts } from '../../../src/core/results/sweepSeries';
import { chartSvg } from '../../../webview/chartSvg';
import type { Point } from '../../../webview/series';
import { lineDatasets } from '../../../webview/sweepCharts';
import { describeSweep } from '../../../webview/sweepSvg';

const m = (value: number) => [{ scope: 'loss' as const, field: 'm', value }];
const runs = [
  { runId: 'ce1', lossLabel: 'CE', acc: 82 },
  { runId: 'ce2', lossLabel: 'CE', acc: 84 },
  { runId: 'a1', lossLabel: 'Scaled-BN m=0.8', sweep: m(0.8), acc: 84 },
  { runId: 'a2', lossLabel: 'Scaled-BN m=0.8', sweep: m(0.8), acc: 86 },
  { runId: 'b1', lossLabel: 'Scaled-BN m=1', sweep: m(1), acc: 88 },
  { runId: 'b2', lossLabel: 'Scaled-BN m=1', sweep: m(1), acc: 88 },
];

test('a sweep chart as SVG: means at the right pixels, one filled band, dotted flat edges, a legend entry a line', () => {
  const [model] = sweepCharts(runs);
  const lineOf = new WeakMap<object, string>();
  const colours = new Map([
    ['CE', '#1f77b4'],
    ['Scaled-BN', '#d62728'],
  ]);
  const datasets = model.lines.flatMap((line) => lineDatasets(line, model.xs, colours.get(line.label)!, lineOf));
  // Plot area 400 × 200 px from (50, 10): x 0.8–1.0 (2000 px per unit), y 80–90 (20 px per %).
  const scale = (min: number, max: number) => ({ type: 'linear', min, max, ticks: [{ value: min, label: String(min) }] });
  const chart = {
    data: { datasets },
    scales: { x: scale(0.8, 1), y: scale(80, 90) },
    width: 460,
    height: 250,
    chartArea: { left: 50, top: 10, right: 450, bottom: 210 },
    isDatasetVisible: () => true,
  } as unknown as Chart<'line', Point[]>;
  const described = describeSweep({ chart, title: model.title, xLabel: 'm', yLabel: 'final test accuracy (%)', lineOf, colours });
  assert.deepEqual(described.legend, [
    { label: 'CE', colour: '#1f77b4' },
    { label: 'Scaled-BN', colour: '#d62728' },
  ]);
  const svg = chartSvg({ ...described, colours: { background: '#fff', foreground: '#000', muted: '#666', grid: '#ddd' }, font: 'sans-serif' });
  // Scaled-BN's mean: 85 % at m=0.8 and 88 % at m=1 → (50, 110) and (450, 50).
  assert.match(svg, /<path data-run="Scaled-BN" d="M50 110 L450 50" stroke="#d62728"/);
  // CE flat at 83 % ± 1.41 (two seeds, 82 and 84) across the chart, its edges dotted.
  assert.match(svg, /<path data-run="CE" d="M50 150 L450 150" stroke="#1f77b4" stroke-width="2" stroke-dasharray="6 3"/);
  const dotted = svg.match(/<path data-run="CE mean [−+] std" d="[^"]+" stroke="[^"]+" stroke-width="1" stroke-dasharray="2 3"/g) ?? [];
  assert.equal(dotted.length, 2, svg);
  const bands = svg.match(/<g class="bands"[^>]*>\n([\s\S]*?)\n?<\/g>/)![1].match(/<path /g) ?? [];
  assert.equal(bands.length, 1, 'only the swept line is filled');
});
