/**
 * What the report builder (src/report, Node) inlines into report.html for the report's
 * script (webview/report.ts, browser): the same run snapshots the results panel draws,
 * and which canvases to draw them on. Only JSON crosses; the page checks the version.
 */
import type { SearchRecord } from '../core/search/record';
import type { RunSnapshot } from './webview';

export const REPORT_DATA_VERSION = 1;

/** Canvas ids of one model's four training-curve charts. */
interface CurveFigureIds {
  testAcc: string;
  trainAcc: string;
  trainLoss: string;
  testLoss: string;
}

/** One set of training curves: the runs of one model (and dataset). */
interface ReportCurveGroup {
  title: string;
  runIds: string[];
  canvases: CurveFigureIds;
}

/** The paper's Figs. 2–3 for one model: one or two runs (CE next to scaled BN when both exist). */
interface ReportDiagnosticGroup {
  title: string;
  runIds: string[];
  /** Canvas ids; a figure whose runs have no such data is left out (undefined). */
  logits?: string;
  norms?: string;
}

export interface ReportData {
  version: number;
  runs: RunSnapshot[];
  curves: ReportCurveGroup[];
  diagnostics: ReportDiagnosticGroup[];
  /** The sweep charts (core/results/sweepSeries.ts): the canvas of each swept field's chart, by its key (`loss:m`). */
  sweeps?: { key: string; canvas: string }[];
  /** A search's Tuning section: search.json, and per study the canvas of its trials' curves and of each searched field. */
  tuning?: { search: SearchRecord; studies: { key: string; curves: string; params: { field: string; canvas: string }[] }[] };
}

/** Id of the inlined `<script type="application/json">` holding the ReportData. */
export const REPORT_DATA_ELEMENT = 'report-data';

/**
 * `<body data-report-state>`: 'ready' once every chart is drawn, 'error' (with
 * data-report-error) when the script failed. Screenshots wait for one of the two.
 */
export const REPORT_STATE_ATTRIBUTE = 'data-report-state';
export const REPORT_ERROR_ATTRIBUTE = 'data-report-error';

/** Figures to export as PNG carry `data-png="<file name>"`. */
export const REPORT_PNG_ATTRIBUTE = 'data-png';

/** Set by the report's script on each `data-png` figure once drawn: points plotted (table rows for the table). */
export const REPORT_FIGURE_POINTS_ATTRIBUTE = 'data-figure-points';

/**
 * Webview → extension, when the PNGs are drawn in a VS Code webview instead of headless
 * Chromium: by the results panel in view (inside its `reportCapture` message), else by the
 * figure-capture script (webview/reportCapture.ts) the extension adds to report.html. One
 * message per figure, then `done` (or `error`).
 */
export type ReportCaptureMessage =
  { type: 'figure'; file: string; kind: string; points: number; dataUrl: string } | { type: 'skipped'; file: string; reason: string } | { type: 'done' } | { type: 'error'; message: string };

/** Whether `v` is a ReportCaptureMessage (the results panel's are checked as all its messages are). */
export function isReportCapture(v: unknown): v is ReportCaptureMessage {
  if (typeof v !== 'object' || v === null) return false;
  const m = v as Record<string, unknown>;
  const text = (k: string) => typeof m[k] === 'string';
  switch (m.type) {
    case 'figure':
      return text('file') && text('kind') && typeof m.points === 'number' && text('dataUrl');
    case 'skipped':
      return text('file') && text('reason');
    case 'done':
      return true;
    case 'error':
      return text('message');
    default:
      return false;
  }
}

/** What an Open Report webview keeps across a reload (webview state): the report file it shows. */
interface ReportPanelState {
  reportHtml: string;
}

/** The report file a restored Open Report webview showed; undefined for anything else. */
export function parseReportPanelState(state: unknown): string | undefined {
  const file = (state as Partial<ReportPanelState> | null | undefined)?.reportHtml;
  return typeof file === 'string' && file.endsWith('.html') ? file : undefined;
}

/** The script Open Report adds to the page so that VS Code can restore it after a reload: it records the file. */
export function reportPanelStateScript(reportHtml: string): string {
  const state: ReportPanelState = { reportHtml };
  return `acquireVsCodeApi().setState(${JSON.stringify(state).replace(/</g, '\\u003c')});`;
}
