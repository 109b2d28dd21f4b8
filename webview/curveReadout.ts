/**
 * Hovering the curves, as TensorBoard does: every run's value at the x nearest the pointer, a
 * vertical line there, and the run whose line passes under the pointer.
 */
import Chart from 'chart.js/auto';
import { Interaction, PointElement, type InteractionItem, type InteractionModeFunction, type TooltipItem } from 'chart.js';
import type { CurveXAxis } from '../src/protocol/webview';
import { closestRows, readoutAt } from './readout';
import { pixelOf } from './curveController';
import { nearestLine } from './curvePaths';
import type { Point } from './series';
import { formatX } from './xAxis';

declare module 'chart.js' {
  interface InteractionModeMap {
    runReadout: InteractionModeFunction;
  }
}

/** Which run a line belongs to, and whether it is the recorded line or its moving average (for the read-out). */
export const lineOwner = new WeakMap<object, { runId: string; label: string; smoothed: boolean }>();

/** The lines the read-out reads: per visible run its drawn curve (the moving average while smoothing is on). */
function readoutLines(chart: Chart): { datasetIndex: number; points: Point[] }[] {
  const byRun = new Map<string, { datasetIndex: number; points: Point[]; smoothed: boolean }>();
  chart.data.datasets.forEach((d, datasetIndex) => {
    const owner = lineOwner.get(d);
    if (!owner || !chart.isDatasetVisible(datasetIndex) || d.data.length === 0) return;
    const seen = byRun.get(owner.runId);
    if (!seen || (owner.smoothed && !seen.smoothed)) byRun.set(owner.runId, { datasetIndex, points: d.data as Point[], smoothed: owner.smoothed });
  });
  return [...byRun.values()];
}

/** The x each chart's read-out snapped to, where its vertical line goes. */
const readoutX = new WeakMap<Chart, number>();
/** How many runs each chart's read-out has a value for, and how many of them it lists. */
const readoutRows = new WeakMap<Chart, { total: number; shown: number }>();

/** The read-out's last line when it lists only some runs: "+3 more". */
export function moreRowsText(total: number, shown: number): string {
  return total > shown ? `+${total - shown} more` : '';
}

/** How many runs the read-out lists besides the highlighted one: the nearest the pointer, in a small box that stays inside the chart (a list of 72 would run off it). */
const READOUT_ROWS = 6;

/** Per chart, the runs the read-out lists whatever their distance (the highlighted one). */
export const readoutKeeps = new WeakMap<Chart, (runId: string) => boolean>();

/** TensorBoard's read-out at the x nearest the pointer, highest value first: the runs nearest the pointer, and the highlighted one. */
Interaction.modes.runReadout = (chart, event) => {
  const x = chart.scales.x?.getValueForPixel(event.x ?? NaN);
  if (x === undefined || !Number.isFinite(x)) return [];
  const readout = readoutAt(
    readoutLines(chart).map((l) => ({ key: l.datasetIndex, points: l.points })),
    x,
  );
  if (readout) readoutX.set(chart, readout.x);
  const y = chart.scales.y;
  const keep = readoutKeeps.get(chart);
  const rows = closestRows(
    readout?.rows ?? [],
    (row) => Math.abs((y?.getPixelForValue(row.y) ?? 0) - (event.y ?? 0)),
    READOUT_ROWS,
    (row) => keep?.(lineOwner.get(chart.data.datasets[row.key])?.runId ?? '') ?? false,
  );
  readoutRows.set(chart, { total: readout?.rows.length ?? 0, shown: rows.length });
  // The curves keep no element per point: the read-out's rows get one each, where their point is drawn.
  const at = (row: { x: number; y: number }) => new PointElement({ x: chart.scales.x.getPixelForValue(row.x), y: y?.getPixelForValue(row.y) ?? NaN });
  return rows.map((row): InteractionItem => ({ datasetIndex: row.key, index: row.index, element: at(row) }));
};

/** A vertical line at the x the read-out shows. */
export function drawHoverLine(chart: Chart): void {
  const active = chart.tooltip?.getActiveElements() ?? [];
  const snapped = readoutX.get(chart);
  if (active.length === 0 || snapped === undefined) return;
  const x = chart.scales.x.getPixelForValue(snapped);
  const { ctx, chartArea } = chart;
  ctx.save();
  ctx.strokeStyle = Chart.defaults.color as string;
  ctx.globalAlpha = 0.5;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x, chartArea.top);
  ctx.lineTo(x, chartArea.bottom);
  ctx.stroke();
  ctx.restore();
}

/** How close (px) the pointer must come to a line to highlight its run. */
const HIGHLIGHT_DISTANCE = 6;

/** The run whose drawn line passes within a few pixels of (x, y), if any. */
export function lineNear(chart: Chart, x: number | null, y: number | null): string | undefined {
  if (x === null || y === null) return undefined;
  const lines = readoutLines(chart).map((line) => ({ key: lineOwner.get(chart.data.datasets[line.datasetIndex])!.runId, points: line.points }));
  return nearestLine(lines, pixelOf(chart.scales.x), pixelOf(chart.scales.y), x, y, HIGHLIGHT_DISTANCE);
}

/** A value as the read-out shows it: four significant digits. */
function formatValue(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

/** The read-out's tooltip; `recorded` finds a run's recorded value at a point of its line. */
export function readoutTooltip(xAxis: () => CurveXAxis, recorded: (runId: string, index: number) => number | undefined) {
  return {
    titleFont: { size: 11 },
    bodyFont: { size: 11 },
    footerFont: { size: 11, weight: 'normal' as const },
    padding: 4,
    boxWidth: 8,
    boxHeight: 8,
    callbacks: {
      footer: (items: TooltipItem<'line'>[]) => {
        const rows = items.length ? readoutRows.get(items[0].chart) : undefined;
        return rows ? moreRowsText(rows.total, rows.shown) : '';
      },
      // The x the read-out snapped to; a run's own nearest point may sit a little off it.
      title: (items: TooltipItem<'line'>[]) => (items.length ? formatX(readoutX.get(items[0].chart) ?? items[0].parsed.x ?? NaN, xAxis()) : ''),
      label: (item: TooltipItem<'line'>) => {
        const owner = lineOwner.get(item.dataset);
        const value = `${owner?.label ?? item.dataset.label}: ${formatValue(item.parsed.y ?? NaN)}`;
        // While smoothing, the recorded value beside the average, as TensorBoard shows both.
        const raw = owner?.smoothed ? recorded(owner.runId, item.dataIndex) : undefined;
        return raw === undefined ? value : `${value} (recorded ${formatValue(raw)})`;
      },
    },
  };
}
