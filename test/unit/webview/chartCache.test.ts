import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chart } from 'chart.js';
import { cachedDatasets } from '../../../webview/chartCache';

/** A canvas whose 2D context writes down what is drawn on it. */
function recordingCanvas(name: string) {
  const calls: string[] = [];
  const ctx = {
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    setTransform: () => calls.push('setTransform'),
    clearRect: () => calls.push('clearRect'),
    drawImage: (source: { name: string }) => calls.push(`drawImage ${source.name}`),
  };
  return { name, width: 300, height: 150, calls, getContext: () => ctx };
}

/** A chart as the plugin sees it: its canvas, its context and its hovered elements. */
function fakeChart(active: unknown[] = []) {
  const canvas = recordingCanvas('chart');
  return { canvas, ctx: canvas.getContext(), calls: canvas.calls, active, getActiveElements: () => active };
}

/** One draw as Chart.js runs it: datasets unless cancelled, then afterDatasetsDraw with them. */
function draw(plugin: ReturnType<typeof cachedDatasets>, chart: ReturnType<typeof fakeChart>): 'full' | 'pasted' {
  const c = chart as unknown as Chart<'line'>;
  const hooks = plugin as unknown as Record<string, (chart: Chart<'line'>, args?: unknown, options?: unknown) => unknown>;
  if (hooks.beforeDatasetsDraw(c, {}, {}) === false) return 'pasted';
  chart.calls.push('datasets');
  hooks.afterDatasetsDraw(c, {}, {});
  return 'full';
}

function setup() {
  const copies: ReturnType<typeof recordingCanvas>[] = [];
  const overlays: boolean[] = [];
  const plugin = cachedDatasets(
    (_chart, pasted) => overlays.push(pasted),
    () => {
      const copy = recordingCanvas('copy');
      copies.push(copy);
      return copy as unknown as HTMLCanvasElement;
    },
  );
  return { plugin, copies, overlays };
}

test('after a full draw a redraw pastes the copy instead of drawing the datasets, then the overlay', () => {
  const { plugin, copies, overlays } = setup();
  const chart = fakeChart();
  assert.equal(draw(plugin, chart), 'full');
  assert.equal(copies.length, 1);
  assert.deepEqual(copies[0].calls, ['clearRect', 'drawImage chart'], 'the copy is taken from the chart once its datasets are drawn');
  chart.calls.length = 0;
  assert.equal(draw(plugin, chart), 'pasted');
  assert.ok(chart.calls.includes('drawImage copy'));
  assert.ok(!chart.calls.includes('datasets'));
  assert.deepEqual(overlays, [false, true], 'the overlay goes over both, told which one it is on');
});

test('an update or a resize makes the next draw a full one', () => {
  for (const hook of ['afterUpdate', 'resize'] as const) {
    const { plugin } = setup();
    const chart = fakeChart();
    draw(plugin, chart);
    (plugin[hook] as (c: Chart<'line'>, args: unknown, options: unknown) => void)(chart as unknown as Chart<'line'>, {}, {});
    assert.equal(draw(plugin, chart), 'full', hook);
    assert.equal(draw(plugin, chart), 'pasted', `${hook}: copied again after the full draw`);
  }
});

test('a full draw with hovered points is not copied: the points would stay after the pointer moved on', () => {
  const { plugin, copies } = setup();
  const chart = fakeChart([{ datasetIndex: 0, index: 3 }]);
  draw(plugin, chart);
  assert.equal(draw(plugin, chart), 'full');
  chart.active.length = 0;
  draw(plugin, chart);
  assert.equal(draw(plugin, chart), 'pasted');
  assert.equal(copies.length, 1);
});
