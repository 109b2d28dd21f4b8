/**
 * A chart's data as CSV or JSON: what is drawn, one row per point. The header says which values
 * these are (as recorded, or smoothed as drawn), so a file read later is not mistaken for the
 * other. Pure, unit-tested; shared by the curve charts and the sweep charts.
 */
import { csvField } from '../src/core/results/tableExport';
import type { SweepGrid } from '../src/core/results/sweepGrid';
import type { Point } from './series';

interface ChartDataSeries {
  /** The run's id (or the sweep line's label). */
  id: string;
  label: string;
  points: readonly Point[];
}

export interface ChartData {
  title: string;
  x: string;
  y: string;
  /** Which values these are: "recorded" or "EMA-smoothed (weight 0.6), as drawn". */
  values: string;
  series: readonly ChartDataSeries[];
}

/** How the curves' values are described for a smoothing weight. */
export function smoothingNote(weight: number): string {
  return weight > 0 ? `EMA-smoothed (weight ${weight}), as drawn` : 'recorded (no smoothing), as drawn';
}

/** Enough digits for analysis without float noise. */
const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(10))) : '');

/** Comment lines saying what the file holds, then `id,label,x,y`, one line per point (tidy form, for pandas or a spreadsheet). */
export function chartCsv(data: ChartData): string {
  const lines = [`# ${data.title}`, `# x: ${data.x}; y: ${data.y}; values: ${data.values}`, ['id', 'label', data.x, data.y].map(csvField).join(',')];
  for (const s of data.series) for (const p of s.points) lines.push([csvField(s.id), csvField(s.label), num(p.x), num(p.y)].join(','));
  return `${lines.join('\n')}\n`;
}

/** The same as one JSON document: the header's fields and each series' points as [x, y]. */
export function chartJson(data: ChartData): string {
  const series = data.series.map((s) => ({ id: s.id, label: s.label, points: s.points.map((p) => [p.x, Number.isFinite(p.y) ? p.y : null]) }));
  return `${JSON.stringify({ title: data.title, x: data.x, y: data.y, values: data.values, series }, null, 2)}\n`;
}

/** A sweep grid's settings as CSV: one line per setting, a column per swept field, its mean accuracy and run count. */
export function gridCsv(grid: SweepGrid): string {
  const lines = ['# Final test accuracy (%) per setting, mean over seeds', ['setting', ...grid.fields.map((f) => f.label), 'test accuracy (%)', 'runs'].map(csvField).join(',')];
  for (const s of grid.settings) lines.push([csvField(s.rest), ...s.values.map(num), num(s.acc), String(s.n)].join(','));
  return `${lines.join('\n')}\n`;
}

/** The same as JSON: the swept fields with their values, and each setting with its run ids. */
export function gridJson(grid: SweepGrid): string {
  return `${JSON.stringify({ title: 'Final test accuracy (%) per setting, mean over seeds', fields: grid.fields, settings: grid.settings }, null, 2)}\n`;
}
