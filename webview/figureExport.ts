/**
 * Export buttons for the charts made at run time (the sweep charts, the heatmaps, the parallel
 * coordinates), and a chart the SVG writer describes saved as SVG, CSV and JSON. The curve charts'
 * buttons are in the page itself (resultsHtml.ts).
 */
import type { Chart } from 'chart.js';
import { CHART_IMAGE_FORMATS, type ChartImageFormat } from '../src/protocol/webview';
import { seriesExports, type ChartSaver, type SavableChart } from './chartExport';
import { chartSvg, type SvgChart } from './chartSvg';

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
