import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyColour, labelColour } from '../../../webview/accuracyScale';
import { HEATMAP_LAYOUT, heatmapSvg, tickLabel } from '../../../webview/heatmap';
import { axisPositions, PARALLEL_LAYOUT, parallelCoordsSvg } from '../../../webview/parallelCoords';
import type { SweepGrid } from '../../../src/core/results/sweepGrid';

const colours = { foreground: '#111111', muted: '#777777', font: 'sans-serif' };

test('accuracy scale: viridis ends and midpoint, halfway between stops, clamped', () => {
  assert.equal(accuracyColour(0), '#440154');
  assert.equal(accuracyColour(0.5), '#21918c');
  assert.equal(accuracyColour(1), '#fde725');
  // Halfway from (68,1,84) to (59,82,139): (63.5, 41.5, 111.5) → rounded 64, 42, 112.
  assert.equal(accuracyColour(0.125), '#402a70');
  assert.equal(accuracyColour(-1), '#440154');
  assert.equal(accuracyColour(2), '#fde725');
  assert.equal(labelColour('#fde725'), '#000000', 'dark text on yellow');
  assert.equal(labelColour('#440154'), '#ffffff', 'light text on purple');
});

test('tick labels drop float noise', () => {
  assert.equal(tickLabel(0.1 + 0.2), '0.3');
  assert.equal(tickLabel(0.0001), '0.0001');
});

const grid: SweepGrid = {
  fields: [
    { key: 'loss:m', label: 'm', values: [0.8, 0.9] },
    { key: 'training:lr', label: 'training.lr', values: [0.01, 0.1, 1] },
  ],
  settings: [
    { rest: 'Scaled-BN', values: [0.9, 0.1], acc: 72, n: 2, runIds: ['a', 'b'] },
    { rest: 'Scaled-BN', values: [0.8, 0.01], acc: 50, n: 1, runIds: ['d'] },
  ],
  accRange: [50, 72],
};

test('heatmap SVG: each cell where its values are, coloured by accuracy, labelled with it', () => {
  const svg = heatmapSvg(
    {
      rest: 'Scaled-BN <a&b>',
      x: grid.fields[0],
      y: grid.fields[1],
      cells: [
        { col: 1, row: 1, acc: 72, n: 2 },
        { col: 0, row: 0, acc: 50, n: 1 },
      ],
    },
    grid.accRange,
    colours,
  );
  const { cell, cellHeight, left, top } = HEATMAP_LAYOUT;
  // Three rows of lr; row 0 is at the bottom: y = top + (3 − 1 − row) × cellHeight.
  assert.match(svg, new RegExp(`<rect x="${left + cell}" y="${top + cellHeight}" width="${cell}" height="${cellHeight}" fill="#fde725"`));
  assert.match(svg, new RegExp(`<rect x="${left}" y="${top + 2 * cellHeight}" width="${cell}" height="${cellHeight}" fill="#440154"`));
  assert.match(svg, />72\.0</);
  assert.match(svg, />50\.0</);
  assert.match(svg, /m=0\.9, training\.lr=0\.1: 72\.00 % \(2 runs\)/);
  assert.match(svg, /Scaled-BN &lt;a&amp;b&gt;/, 'labels are escaped');
  assert.equal((svg.match(/<rect /g) ?? []).length, 2, 'an empty pair draws no cell');
});

test('parallel coordinates: a field by rank, accuracy linear; best line drawn last', () => {
  assert.deepEqual(axisPositions(grid, [0.9, 0.1], 72), [1, 0.5, 1]);
  assert.deepEqual(axisPositions(grid, [0.8, 0.01], 50), [0, 0, 0]);
  const svg = parallelCoordsSvg(grid, colours);
  const { left, axisGap, top, height } = PARALLEL_LAYOUT;
  const paths = [...svg.matchAll(/<path class="setting" d="([^"]+)"[^>]*stroke="([^"]+)"/g)].map((p) => [p[1], p[2]]);
  assert.deepEqual(paths, [
    [`M${left.toFixed(1)},${(top + height).toFixed(1)} L${(left + axisGap).toFixed(1)},${(top + height).toFixed(1)} L${(left + 2 * axisGap).toFixed(1)},${(top + height).toFixed(1)}`, '#440154'],
    [`M${left.toFixed(1)},${top.toFixed(1)} L${(left + axisGap).toFixed(1)},${(top + height / 2).toFixed(1)} L${(left + 2 * axisGap).toFixed(1)},${top.toFixed(1)}`, '#fde725'],
  ]);
  assert.equal((svg.match(/<g class="axis">/g) ?? []).length, 3, 'two fields and accuracy');
  assert.match(svg, /test accuracy \(%\)/);
});
