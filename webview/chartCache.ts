/**
 * Hovering redraws a chart for its read-out, and a highlight change redraws all four; drawing
 * 72 runs' lines again each time (in software, in VS Code's webview) costs hundreds of ms. This
 * plugin keeps a copy of the canvas as the last full draw left it, before anything drawn for the
 * pointer, and while nothing else changed (no update, no resize) a redraw pastes that copy in
 * place of the datasets, then draws `overlay` (highlight, hover line, hovered points) on it.
 * The read-out's tooltip is drawn after, by Chart.js, as always.
 */
import type { Chart, Plugin } from 'chart.js';

interface Cache {
  canvas: HTMLCanvasElement;
  /** Whether the copy still shows what a full draw would. */
  valid: boolean;
}

const caches = new WeakMap<Chart, Cache>();

/**
 * `overlay` draws whatever depends on the pointer or the highlight, on top of the datasets;
 * `pasted`: the datasets are the copy, so the hovered points Chart.js draws with them are not there.
 * `newCanvas` makes the copy's canvas (tests pass their own).
 */
export function cachedDatasets(overlay: (chart: Chart, pasted: boolean) => void, newCanvas = () => document.createElement('canvas')): Plugin<'line'> {
  const invalidate = (chart: Chart) => {
    const cache = caches.get(chart);
    if (cache) cache.valid = false;
  };
  return {
    id: 'lossLabCachedDatasets',
    afterUpdate: invalidate,
    resize: invalidate,
    beforeDatasetsDraw(chart) {
      const cache = caches.get(chart);
      if (!cache?.valid) return;
      const { ctx } = chart;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.drawImage(cache.canvas, 0, 0);
      ctx.restore();
      overlay(chart, true);
      // Cancelled: the copy stands for the datasets (and afterDatasetsDraw, which is skipped with them).
      return false;
    },
    afterDatasetsDraw(chart) {
      const cache = caches.get(chart) ?? { canvas: newCanvas(), valid: false };
      caches.set(chart, cache);
      // Chart.js draws hovered points with the datasets: a copy holding them would keep them after the pointer moved on.
      if (chart.getActiveElements().length === 0) {
        const source = chart.canvas;
        if (cache.canvas.width !== source.width || cache.canvas.height !== source.height) Object.assign(cache.canvas, { width: source.width, height: source.height });
        const copy = cache.canvas.getContext('2d')!;
        copy.clearRect(0, 0, source.width, source.height);
        copy.drawImage(source, 0, 0);
        cache.valid = true;
      }
      overlay(chart, false);
    },
  };
}
