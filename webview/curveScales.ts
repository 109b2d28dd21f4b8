/** The curve charts' axes: x on the chosen axis (whole epochs, steps or wall time), y linear or log. */
import type { Chart, Scale, Tick } from 'chart.js';
import { formatDuration } from '../src/core/util/duration';
import type { CurveXAxis } from '../src/protocol/webview';
import { epochTicks, logTickLabels } from './axes';
import { tickLabels, widenFlatRange } from './tickFormat';
import { axis } from './chartTheme';
import { CURVE_CHARTS } from './curveMetrics';
import type { MetricKey } from './series';
import type { Theme } from './theme';
import { xAxisTitle } from './xAxis';

/** One chart's scales; `isZoomed` is asked when ticks are built, as zooming changes which ticks fit. */
export function curveScales(theme: Theme, metric: MetricKey, mode: CurveXAxis, log: boolean, isZoomed: () => boolean) {
  const x = {
    ...axis(theme, xAxisTitle(mode), 'linear', mode === 'step'),
    // Whole epochs, in every chart; zoomed in between two, Chart.js' own fractional ticks.
    afterBuildTicks: (scale: Scale) => {
      if (mode !== 'epoch') return;
      const whole = epochTicks(scale.min, scale.max);
      if (whole.length >= 2 || (whole.length === 1 && !isZoomed())) scale.ticks = whole.map((value) => ({ value }));
    },
    ...(mode === 'wall' ? { ticks: { color: theme.foreground, callback: (value: number | string) => formatDuration(Number(value)) } } : {}),
  };
  const yTitle = CURVE_CHARTS[metric].y;
  const y = axis(theme, log ? `${yTitle} (log scale)` : yTitle, log ? 'logarithmic' : 'linear');
  if (!log) {
    const linear = (_value: number | string, index: number, ticks: Tick[]) => tickLabels(ticks.map((t) => t.value))[index];
    // Runs after Chart.js' own data limits, which widen only an exactly flat range.
    const afterDataLimits = (scale: Scale) => Object.assign(scale, widenFlatRange(scale.min, scale.max));
    return { x, y: { ...y, afterDataLimits, ticks: { ...y.ticks, callback: linear } } };
  }
  // Chart.js labels the top fifth of a log axis' ticks whatever their spacing: narrow ranges overlapped.
  const callback = (_value: number | string, index: number, ticks: Tick[]) => logTickLabels(ticks.map((t) => t.value))[index];
  return { x, y: { ...y, ticks: { ...y.ticks, callback } } };
}

/** The x axis' drawn range on the canvas (data-x-min, data-x-max), for tests and tools, as data-points is. */
export function markXRange(chart: Chart<'line', unknown[]>): void {
  const x = chart.scales.x;
  if (!x) return;
  chart.canvas.setAttribute('data-x-min', String(x.min));
  chart.canvas.setAttribute('data-x-max', String(x.max));
}
