/**
 * Zoom and pan on the curves' x axis, from chartjs-plugin-zoom (kept by the Chart.js
 * organisation; with hammerjs, which it uses for panning, about 36 kB minified). Only the
 * results panel loads it: the exported report's charts, inlined into report.html, stay without.
 * As TensorBoard: drag to zoom, Alt + wheel to zoom (a plain wheel keeps scrolling the panel),
 * Shift + drag to pan, double-click or "Reset zoom" for the whole range.
 */
import zoomPlugin from 'chartjs-plugin-zoom';
import type { Chart } from 'chart.js';
import type { CurveInteractions } from './curves';
import type { Theme } from './theme';
import { withAlpha } from './theme';

export function zoomInteractions(theme: () => Theme, listeners: Pick<CurveInteractions, 'onHighlight' | 'onLossToggled' | 'requestSteps'>): CurveInteractions {
  return {
    ...listeners,
    plugins: [zoomPlugin],
    pluginOptions: (onZoomed) => ({
      zoom: {
        zoom: {
          mode: 'x',
          wheel: { enabled: true, modifierKey: 'alt' },
          drag: { enabled: true, threshold: 5, backgroundColor: withAlpha(theme().palette[0], 0.15), borderColor: theme().palette[0], borderWidth: 1 },
          onZoomComplete: ({ chart }: { chart: Chart }) => onZoomed(chart.isZoomedOrPanned()),
        },
        pan: { enabled: true, mode: 'x', modifierKey: 'shift', onPanComplete: ({ chart }: { chart: Chart }) => onZoomed(chart.isZoomedOrPanned()) },
      },
    }),
  };
}
