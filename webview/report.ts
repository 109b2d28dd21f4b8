/**
 * The exported report's script (dist/report.js, inlined into report.html). It draws the
 * figures with the results panel's own chart classes (CurveCharts, DiagnosticCharts) from
 * the data inlined next to it, in a fixed light theme, then marks the page ready so the
 * PNG export (src/report/renderPngs.ts) can take its screenshots. No VS Code API here.
 */
import Chart from 'chart.js/auto';
import {
  REPORT_DATA_ELEMENT,
  REPORT_DATA_VERSION,
  REPORT_ERROR_ATTRIBUTE,
  REPORT_FIGURE_POINTS_ATTRIBUTE,
  REPORT_PNG_ATTRIBUTE,
  REPORT_STATE_ATTRIBUTE,
  type ReportData,
} from '../src/protocol/report';
import type { MetricKey } from './series';
import { CurveCharts } from './curves';
import { DiagnosticCharts } from './diagnostics';
import { SweepCharts } from './sweepCharts';
import { TuningCharts } from './tuningCharts';
import type { Theme } from './theme';

/** A light, print-friendly theme: the report is a document to share, not a VS Code view. */
export const REPORT_THEME: Theme = {
  foreground: '#24292f',
  muted: '#57606a',
  grid: 'rgba(0, 0, 0, 0.1)',
  fontFamily: '"DejaVu Sans", "Liberation Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif',
  // Tableau 10: distinct on white and in greyscale print.
  palette: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#e377c2'],
  highContrast: false,
};

const canvas = (id: string): HTMLCanvasElement => {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLCanvasElement)) throw new Error(`the report has no canvas #${id}`);
  return el;
};

function draw(data: ReportData): void {
  const byId = new Map(data.runs.map((r) => [r.runId, r]));
  const runsOf = (ids: readonly string[]) => ids.map((id) => byId.get(id)).filter((r) => r !== undefined);
  for (const group of data.curves) {
    const ids: Record<MetricKey, string> = group.canvases;
    new CurveCharts(REPORT_THEME, (metric) => canvas(ids[metric])).reset(runsOf(group.runIds));
  }
  const sweepCanvases = new Map((data.sweeps ?? []).map((s) => [s.key, s.canvas]));
  if (sweepCanvases.size > 0) new SweepCharts(REPORT_THEME, (key) => (sweepCanvases.has(key) ? canvas(sweepCanvases.get(key)!) : undefined)).reset(data.runs);
  if (data.tuning) {
    const studies = new Map(data.tuning.studies.map((s) => [s.key, s]));
    const find = (study: string, field?: string) => {
      const ids = studies.get(study);
      const id = field === undefined ? ids?.curves : ids?.params.find((p) => p.field === field)?.canvas;
      return id ? canvas(id) : undefined;
    };
    new TuningCharts(REPORT_THEME, find).reset(data.tuning.search, data.runs);
  }
  for (const group of data.diagnostics) {
    // The panel's run pickers are not part of the report: detached, never shown.
    const select = () => document.createElement('select');
    // A figure the group has no data for gets a detached canvas, drawn and discarded.
    const logits = group.logits ? canvas(group.logits) : document.createElement('canvas');
    const norms = group.norms ? canvas(group.norms) : document.createElement('canvas');
    new DiagnosticCharts(REPORT_THEME, select(), select(), () => undefined, { logits, norms }).reset(runsOf(group.runIds), group.runIds);
  }
}

/** Each exported figure says how much it shows, so a renderer can skip the empty ones. */
function markFigurePoints(): void {
  document.querySelectorAll(`[${REPORT_PNG_ATTRIBUTE}]`).forEach((el) => {
    const charts = Array.from(el.querySelectorAll('canvas')).reduce((a, c) => a + Number(c.getAttribute('data-points') || 0), 0);
    const rows = Number(el.querySelector('table[data-rows]')?.getAttribute('data-rows') || 0);
    el.setAttribute(REPORT_FIGURE_POINTS_ATTRIBUTE, String(charts + rows));
  });
}

function main(): void {
  const body = document.body;
  try {
    const text = document.getElementById(REPORT_DATA_ELEMENT)?.textContent;
    if (!text) throw new Error('the report holds no data');
    const data = JSON.parse(text) as ReportData;
    if (data.version !== REPORT_DATA_VERSION) throw new Error(`report data version ${data.version}, expected ${REPORT_DATA_VERSION}`);
    // Canvases at twice the CSS size at least: crisp when zoomed, printed or exported as PNG.
    Chart.defaults.devicePixelRatio = Math.max(2, window.devicePixelRatio || 1);
    draw(data);
    markFigurePoints();
    body.setAttribute(REPORT_STATE_ATTRIBUTE, 'ready');
  } catch (e) {
    body.setAttribute(REPORT_ERROR_ATTRIBUTE, e instanceof Error ? e.message : String(e));
    body.setAttribute(REPORT_STATE_ATTRIBUTE, 'error');
    throw e;
  }
}

main();
