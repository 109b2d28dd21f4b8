/**
 * Export buttons for the charts made at run time (the sweep charts, the heatmaps, the parallel
 * coordinates), and the sweep chart described for the SVG and data writers. The curve charts'
 * buttons are in the page itself (resultsHtml.ts).
 */
import type { Chart } from 'chart.js';
import { CHART_IMAGE_FORMATS, type ChartImageFormat } from '../src/protocol/webview';
import type { ChartData } from './chartData';
import { seriesExports, type ChartSaver, type SavableChart } from './chartExport';
import { chartSvg, type SvgChart } from './chartSvg';
import { axisOf } from './curveSvg';
import type { Point } from './series';

/** A colour we set as a string (never a gradient or a function); '' otherwise. */
const colourText = (c: unknown): string => (typeof c === 'string' ? c : '');

/** A chart's name in file names: lower case, dashes for anything else (the host accepts nothing more). */
export const figureFileName = (prefix: string, key: string): string => `${prefix}-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.replace(/-+$/, '').slice(0, 64);

/** A `.chart-actions` span with one button per format (PNG only for a canvas). */
export function exportButtons(saver: ChartSaver, target: () => SavableChart, formats: readonly ChartImageFormat[] = CHART_IMAGE_FORMATS): HTMLElement {
  const span = document.createElement('span');
  span.className = 'chart-actions';
  for (const format of formats) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'save-figure';
    button.dataset.format = format;
    button.textContent = format.toUpperCase();
    button.title = `Save this chart as ${format.toUpperCase()}${format === 'csv' || format === 'json' ? ' (the values drawn)' : ''}`;
    button.addEventListener('click', () => saver.saveChart(target(), format));
    span.append(button);
  }
  return span;
}

type LineChart = Chart<'line', Point[]>;

/** A chart the SVG writer already describes (the Tuning section's): its SVG, and its series as drawn for CSV and JSON. */
export function describedSavable(chart: Chart, describe: () => Omit<SvgChart, 'colours' | 'font'>, name: string): SavableChart {
  return {
    name,
    chart,
    svg: (colours, font) => chartSvg({ ...describe(), colours, font }),
    ...seriesExports(() => {
      const d = describe();
      return { title: d.title, x: d.x.title, y: d.y.title, values: 'as drawn', series: d.series.map((s) => ({ id: s.label, label: s.label, points: s.points })) };
    }),
  };
}

/** Every dataset of a line chart as drawn (the sweep's means and the edges of their bands). */
function lineChartData(chart: LineChart, title: string, x: string, y: string): ChartData {
  const series = chart.data.datasets.map((d) => ({ id: d.label ?? '', label: d.label ?? '', points: d.data }));
  return { title, x, y, values: 'final test accuracy (%), mean and mean ± std over seeds, as drawn', series };
}

/** A sweep chart for the SVG writer: each line, and between each `mean − std`, `mean + std` pair its band. */
export function sweepSavable(chart: LineChart, name: string, title: string, lineOf: WeakMap<object, string>, colourOf: (line: string) => string): SavableChart {
  const xTitle = (chart.options.scales?.x as { title?: { text?: string } } | undefined)?.title?.text ?? '';
  const yTitle = (chart.options.scales?.y as { title?: { text?: string } } | undefined)?.title?.text ?? '';
  return {
    name,
    chart,
    ...seriesExports(() => lineChartData(chart, title, xTitle, yTitle)),
    svg: (colours, font) => {
      const sets = chart.data.datasets;
      const isEdge = (label: string | undefined) => / mean [−+] std$/.test(label ?? '');
      const lines = sets.filter((d) => !isEdge(d.label));
      const bands = sets.flatMap((d, i) => (/ mean − std$/.test(d.label ?? '') && sets[i + 1] ? [{ colour: colourText(sets[i + 1].backgroundColor), lower: d.data, upper: sets[i + 1].data }] : []));
      const legend = [...new Set(lines.map((d) => lineOf.get(d) ?? d.label ?? ''))].map((label) => ({ label, colour: colourOf(label) }));
      return chartSvg({
        title,
        width: chart.width,
        height: chart.height,
        area: { ...chart.chartArea },
        x: axisOf(chart.scales.x, xTitle),
        y: axisOf(chart.scales.y, yTitle),
        series: lines.map((d) => ({
          label: d.label ?? '',
          colour: colourText(d.borderColor),
          width: Number(d.borderWidth ?? 1),
          dash: (d.borderDash as number[] | undefined) ?? [],
          pointRadius: typeof d.pointRadius === 'number' ? d.pointRadius : 0,
          points: d.data,
        })),
        bands,
        legend,
        colours,
        font,
      });
    },
  };
}
