/**
 * The report's figures drawn with the results panel's own chart classes (CurveCharts,
 * DiagnosticCharts, SweepCharts, TuningCharts) from the report's data, in a fixed light theme:
 * by the report page's script (report.ts), and by the results panel when it draws a report's
 * PNGs for Export Report (panelReport.ts). No VS Code API here.
 */
import { REPORT_DATA_VERSION, REPORT_FIGURE_POINTS_ATTRIBUTE, REPORT_PNG_ATTRIBUTE, type ReportData } from '../src/protocol/report';
import type { MetricKey } from './series';
import { CurveCharts } from './curves';
import { DiagnosticCharts } from './diagnostics';
import { SweepCharts } from './sweepCharts';
import { TuningCharts } from './tuningCharts';
import type { Theme } from './theme';

/** A light, print-friendly theme: the report is a document to share, not a VS Code view. */
const REPORT_THEME: Theme = {
  foreground: '#24292f',
  muted: '#57606a',
  grid: 'rgba(0, 0, 0, 0.1)',
  fontFamily: '"DejaVu Sans", "Liberation Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif',
  // Tableau 10: distinct on white and in greyscale print.
  palette: ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#e377c2'],
  highContrast: false,
};

/** Finds an element of the report's page by id (the page's document, or the panel's copy of it). */
export type ElementById = (id: string) => Element | null;

/** Draws every chart of the report on its canvas, found by `byId`. */
export function drawReport(data: ReportData, byId: ElementById): void {
  const canvas = (id: string): HTMLCanvasElement => {
    const el = byId(id);
    if (!(el instanceof HTMLCanvasElement)) throw new Error(`the report has no canvas #${id}`);
    return el;
  };
  const runById = new Map(data.runs.map((r) => [r.runId, r]));
  const runsOf = (ids: readonly string[]) => ids.map((id) => runById.get(id)).filter((r) => r !== undefined);
  for (const group of data.curves) {
    const ids: Partial<Record<MetricKey, string>> = group.canvases;
    // The report shows the four curves; the panel's other series get detached canvases, never shown.
    // Coloured from every run: a loss has one colour in all models' charts, the sweep charts' too.
    new CurveCharts(REPORT_THEME, (metric) => (ids[metric] ? canvas(ids[metric]) : document.createElement('canvas'))).reset(runsOf(group.runIds), data.runs);
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
export function markFigurePoints(root: ParentNode): void {
  root.querySelectorAll(`[${REPORT_PNG_ATTRIBUTE}]`).forEach((el) => {
    const charts = Array.from(el.querySelectorAll('canvas')).reduce((a, c) => a + Number(c.getAttribute('data-points') || 0), 0);
    const rows = Number(el.querySelector('table[data-rows]')?.getAttribute('data-rows') || 0);
    el.setAttribute(REPORT_FIGURE_POINTS_ATTRIBUTE, String(charts + rows));
  });
}

/** The report's inlined data (its JSON element's text), checked; throws saying what is wrong. */
export function parseReportData(text: string | null | undefined): ReportData {
  if (!text) throw new Error('the report holds no data');
  const data = JSON.parse(text) as ReportData;
  if (data.version !== REPORT_DATA_VERSION) throw new Error(`report data version ${data.version}, expected ${REPORT_DATA_VERSION}`);
  return data;
}
