/** A sweep chart as the SVG writer (chartSvg.ts) needs it: its scales as drawn, each line's mean, band and flat edges. */
import type { Chart } from 'chart.js';
import type { SvgChart } from './chartSvg';
import { axisOf } from './curveSvg';
import type { Point } from './series';

export interface SweepSvgInput {
  chart: Pick<Chart<'line', Point[]>, 'data' | 'scales' | 'width' | 'height' | 'chartArea' | 'isDatasetVisible'>;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Dataset → its line's label (the legend's groups). */
  lineOf: WeakMap<object, string>;
  colours: ReadonlyMap<string, string>;
}

const text = (v: unknown) => (typeof v === 'string' ? v : ''); // we only set strings

export function describeSweep({ chart, title, xLabel, yLabel, lineOf, colours }: SweepSvgInput): Omit<SvgChart, 'colours' | 'font'> {
  const sets = chart.data.datasets;
  const shown = sets.flatMap((d, i) => (chart.isDatasetVisible(i) ? [{ d, i }] : []));
  // A band's upper edge fills down to the dataset before it (sweepCharts.ts); drawn lines have a colour.
  const bands = shown.filter(({ d, i }) => d.fill === '-1' && i > 0).map(({ d, i }) => ({ colour: text(d.backgroundColor), lower: sets[i - 1].data, upper: d.data }));
  const drawn = shown.filter(({ d }) => text(d.borderColor) !== 'transparent' && Number(d.borderWidth ?? 0) > 0);
  const legend = [...new Set(shown.map(({ d }) => lineOf.get(d)).filter((l): l is string => l !== undefined))];
  return {
    title,
    width: chart.width,
    height: chart.height,
    area: { ...chart.chartArea },
    x: axisOf(chart.scales.x, xLabel),
    y: axisOf(chart.scales.y, yLabel),
    series: drawn.map(({ d }) => ({
      label: d.label ?? '',
      colour: text(d.borderColor),
      width: Number(d.borderWidth ?? 1),
      dash: (d.borderDash as number[] | undefined) ?? [],
      pointRadius: typeof d.pointRadius === 'number' ? d.pointRadius : 0,
      points: d.data,
    })),
    bands,
    legend: legend.map((label) => ({ label, colour: colours.get(label) ?? '' })),
  };
}
