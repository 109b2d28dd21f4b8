import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartSvg, pathData, type SvgChart } from '../../../webview/chartSvg';

// Plot area 400 × 200 px from (50, 10); x linear 0–4 (100 px per unit), y log 0.1–10 (100 px per decade).
const chart: SvgChart = {
  title: 'train loss against epoch',
  width: 460,
  height: 250,
  area: { left: 50, top: 10, right: 450, bottom: 210 },
  x: { type: 'linear', min: 0, max: 4, title: 'epoch', ticks: [0, 1, 2, 3, 4].map((v) => ({ value: v, label: String(v) })) },
  y: { type: 'logarithmic', min: 0.1, max: 10, title: 'train loss (log scale)', ticks: [0.1, 1, 10].map((v) => ({ value: v, label: String(v) })) },
  series: [
    {
      label: 'CE · VGG-16 · seed 1',
      colour: '#3794ff',
      width: 1.5,
      dash: [],
      pointRadius: 0,
      points: [
        { x: 0, y: 10 },
        { x: 2, y: 1 },
        { x: 4, y: 0.1 },
      ],
    },
    {
      label: 'Scaled-BN <m=0.9> & co',
      colour: '#f14c4c',
      width: 1.5,
      dash: [6, 3],
      pointRadius: 2,
      points: [
        { x: 1, y: 1 },
        { x: 2, y: 0 },
        { x: 3, y: 1 },
      ],
    },
  ],
  bands: [
    {
      colour: 'rgba(55, 148, 255, 0.18)',
      lower: [
        { x: 1, y: 0.1 },
        { x: 3, y: 0.1 },
      ],
      upper: [
        { x: 1, y: 10 },
        { x: 3, y: 10 },
      ],
    },
  ],
  legend: [{ label: 'CE', colour: '#3794ff' }],
  colours: { background: '#ffffff', foreground: '#000000', muted: '#555555', grid: '#dddddd' },
  font: 'sans-serif',
};

const runPaths = (svg: string) => [...svg.matchAll(/<path data-run="([^"]*)" d="([^"]*)" stroke="([^"]*)"/g)].map((m) => ({ run: m[1], d: m[2], stroke: m[3] }));

test('one path per run, its coordinates on the chart’s scales (linear x, log y), hand-computed', () => {
  const svg = chartSvg(chart);
  const paths = runPaths(svg);
  assert.equal(paths.length, 2);
  // x 0, 2, 4 → 50, 250, 450 px; y 10, 1, 0.1 → 10, 110, 210 px.
  assert.deepEqual(paths[0], { run: 'CE · VGG-16 · seed 1', d: 'M50 10 L250 110 L450 210', stroke: '#3794ff' });
  // 0 cannot be drawn on a log axis: the line breaks there, as on the canvas.
  assert.deepEqual(paths[1], { run: 'Scaled-BN &lt;m=0.9&gt; &amp; co', d: 'M150 110 M350 110', stroke: '#f14c4c' });
  assert.match(svg, /stroke-dasharray="6 3"/);
  // Markers where the canvas draws them (pointRadius 2), on the same pixels; none for the 0 on the log axis.
  assert.match(svg, /<g data-markers="Scaled-BN &lt;m=0.9&gt; &amp; co" fill="#f14c4c" stroke="none"><circle cx="150" cy="110" r="2"\/><circle cx="350" cy="110" r="2"\/><\/g>/);
  assert.doesNotMatch(svg, /data-markers="CE/, 'no markers for a series drawn without points');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="460" height="250" viewBox="0 0 460 250">/);
  assert.match(svg, /<\/svg>\n$/);
});

test('the band is a closed area from its upper edge back along its lower one', () => {
  const svg = chartSvg(chart);
  const band = /<g class="bands"[^>]*>\n<path d="([^"]*)" fill="([^"]*)"/.exec(svg);
  assert.ok(band, svg);
  assert.equal(band[1], 'M150 10 L350 10 L350 210 L150 210 Z');
  assert.equal(band[2], 'rgba(55, 148, 255, 0.18)');
});

test('ticks become grid lines and labels at their pixels; titles and legend are text', () => {
  const svg = chartSvg(chart);
  assert.match(svg, /<line x1="250" y1="10" x2="250" y2="210"\/>/, 'x tick 2');
  assert.match(svg, /<line x1="50" y1="110" x2="450" y2="110"\/>/, 'y tick 1');
  assert.match(svg, /<text x="44" y="114" text-anchor="end">1<\/text>/);
  assert.match(svg, />epoch<\/text>/);
  assert.match(svg, /rotate\(-90\)" text-anchor="middle">train loss \(log scale\)<\/text>/);
  assert.match(svg, /<text x="68" y="12" fill="#000000">CE<\/text>/);
});

test('a linear y axis maps bottom to top; NaN breaks a line', () => {
  const linear = { ...chart, y: { ...chart.y, type: 'linear' as const, min: 0, max: 100 } };
  assert.equal(
    pathData(linear, [
      { x: 0, y: 0 },
      { x: 1, y: 50 },
      { x: 2, y: NaN },
      { x: 3, y: 100 },
      { x: 4, y: 25 },
    ]),
    'M50 210 L150 110 M350 10 L450 160',
  );
});
