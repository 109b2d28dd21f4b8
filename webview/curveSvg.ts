/** A curve chart as the SVG writer (chartSvg.ts) needs it: its scales as drawn, and the visible runs and bands. */
import type { Chart, Scale } from 'chart.js';
import type { CurveXAxis } from '../src/protocol/webview';
import type { SvgChart } from './chartSvg';
import type { BandLines, LineDataset } from './curveDatasets';
import { CURVE_CHARTS } from './curveMetrics';
import { lineOwner } from './curveReadout';
import type { MetricKey, Point } from './series';
import { xAxisTitle } from './xAxis';

export interface CurveSvgInput {
  chart: Chart<'line', Point[]>;
  metric: MetricKey;
  xAxis: CurveXAxis;
  /** Every group's bands, in the order of the groups. */
  bands: readonly BandLines[];
  lossOf: WeakMap<object, string>;
  colour: (lossLabel: string) => string;
}

export function axisOf(scale: Scale, title: string) {
  return {
    type: scale.type === 'logarithmic' ? ('logarithmic' as const) : ('linear' as const),
    min: scale.min,
    max: scale.max,
    title,
    ticks: scale.ticks.map((t) => ({ value: t.value, label: Array.isArray(t.label) ? t.label.join(' ') : String(t.label ?? '') })),
  };
}

export function describeCurves({ chart, metric, xAxis, bands: allBands, lossOf, colour }: CurveSvgInput): Omit<SvgChart, 'colours' | 'font'> {
  const { x, y } = chart.scales;
  const visible: LineDataset[] = chart.data.datasets.filter((d, i) => chart.isDatasetVisible(i) && d.data.length > 0);
  const bands = allBands.flatMap((b) => (visible.includes(b[metric].upper) ? [b[metric]] : []));
  const yTitle = (chart.options.scales?.y as { title?: { text?: string } } | undefined)?.title?.text ?? CURVE_CHARTS[metric].y;
  const legend = [...new Set(visible.map((d) => lossOf.get(d)).filter((l): l is string => l !== undefined))];
  return {
    title: `${CURVE_CHARTS[metric].y} against ${xAxisTitle(xAxis)}`,
    width: chart.width,
    height: chart.height,
    area: { ...chart.chartArea },
    x: axisOf(x, xAxisTitle(xAxis)),
    y: axisOf(y, yTitle),
    // Faint raw lines first, as the canvas draws them behind the moving averages.
    series: visible
      .filter((d) => lineOwner.has(d))
      .sort((a, b) => (b.order ?? 0) - (a.order ?? 0))
      .map((d) => ({
        label: d.label ?? '',
        colour: typeof d.borderColor === 'string' ? d.borderColor : '', // we only set strings
        width: Number(d.borderWidth ?? 1),
        dash: (d.borderDash as number[] | undefined) ?? [],
        pointRadius: typeof d.pointRadius === 'number' ? d.pointRadius : 0,
        points: d.data,
      })),
    bands: bands.map((b) => ({ colour: typeof b.upper.backgroundColor === 'string' ? b.upper.backgroundColor : '', lower: b.lower.data, upper: b.upper.data })),
    legend: legend.map((label) => ({ label, colour: colour(label) })),
  };
}
