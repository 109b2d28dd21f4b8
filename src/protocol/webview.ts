/**
 * Messages between the extension host and the results webview. Only JSON crosses.
 * Both sides import this file and validate what they receive with the parsers below.
 * Handshake: the webview posts `ready`; the host answers with `init` and posts nothing before.
 */
import type { SweepValue } from '../core/config/types';
import type { ComparisonTable } from '../core/results/table';
import type { SearchRecord } from '../core/search/record';
import { isSearchRecord, TRIAL_STATES } from '../core/search/shape';
import type { RunSearchView } from '../core/search/summary';
import { RUN_STATES, type EpochMetrics, type LogitHistograms, type StepPoint, type WeightNorms } from '../core/results/types';
import { isReportCapture, type ReportCaptureMessage } from './report';

export const WEBVIEW_PROTOCOL_VERSION = 1;

export const EXPORT_FORMATS = ['csv', 'md', 'latex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a chart saves as: an image, or the data drawn (CSV, JSON). */
export const CHART_IMAGE_FORMATS = ['png', 'svg', 'csv', 'json'] as const;
export type ChartImageFormat = (typeof CHART_IMAGE_FORMATS)[number];

/** The curve charts' x axis: epochs (fractional for step points), the global step, or training wall time in seconds. */
export const CURVE_X_AXES = ['epoch', 'step', 'wall'] as const;
export type CurveXAxis = (typeof CURVE_X_AXES)[number];

/** A chart's name in a saved file's name ("train-loss"): lower-case letters, digits and dashes. */
const CHART_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * A run's state in every view (tree, panel, notifications): the states of its status.json,
 * and 'not-started' for a run of the grid that has no folder because the grid ended first.
 */
const RUN_VIEW_STATES = ['not-started', ...RUN_STATES] as const;
export type RunViewState = (typeof RUN_VIEW_STATES)[number];

/** How a state reads in running text ("2 stopped, 2 not started"). */
export const stateLabel = (state: RunViewState): string => (state === 'not-started' ? 'not started' : state);

/** What the tree, the status line and the charts need to know about one run. */
export interface RunView {
  runId: string;
  lossLabel: string;
  /** The loss's name in the config (`ce`, `scaled-bn`, `custom`, …): what code compares, never the label; absent when the run has no config. */
  lossName?: string;
  /** The loss's place among the built-in losses, custom ones last (core/losses/registry.ts lossRank): the loss settings' colour order; absent when the run has no config. */
  lossRank?: number;
  /** What the loss's Fig. 2 histogram holds ("logits W·f + b", "s·cos θ"); absent when the run has no config. */
  outputsLabel?: string;
  modelLabel: string;
  datasetLabel: string;
  seed: number;
  state: RunViewState;
  /** The epoch in progress while running, else the finished epochs. */
  epoch: number;
  epochs: number;
  /** "not started", "queued", "running epoch 2/3", "done", "failed", "stopped". */
  stateText: string;
  reason?: string;
  /** Final (or, while unfinished, last) test accuracy as a fraction. */
  finalAcc?: number;
  /** The values of the config's swept fields this run takes (its sweep chart's x); absent when nothing is swept. */
  sweep?: SweepValue[];
  /** The run's settings from its config.json, flattened ("loss.m": 0.9, "training.lr": 0.1): the run table's config columns, Compare Runs' diff. */
  config?: Record<string, ConfigValue>;
  /** Best test accuracy over its epochs, as a fraction. */
  bestAcc?: number;
  /** Training wall time in seconds: summary.json's, else the sum over its finished epochs. */
  wallSeconds?: number;
  /** The backend it ran on (summary.json, status.json), else the one its config asks for. */
  backend?: string;
  /** Its experiment's name, in a panel showing several experiments (its runId is then `<experiment>/<run id>`). */
  experiment?: string;
  /** Why the run no longer matches the experiment's config (core/results/staleness.ts); absent when it does. */
  stale?: string;
  /** Its place in a hyperparameter search (a trial, or a final-stage run); absent outside one. */
  search?: RunSearchView;
}

/** One flattened config value; lists are joined ("2, 4"). */
export type ConfigValue = string | number | boolean;

export interface RunSnapshot extends RunView {
  metrics: EpochMetrics[];
  /** Step-level training points (steps.jsonl); absent for runs recorded before they existed. */
  steps?: StepPoint[];
  /** Step points the host holds but left out (a finished run with many): the page asks for them with `steps`. */
  stepInfo?: StepInfo;
  logits?: LogitHistograms;
  weightNorms?: WeightNorms;
}

export interface StepInfo {
  count: number;
  stepsPerEpoch: number;
}

/** One run's step points in answer to a `steps` request. */
export interface RunSteps {
  runId: string;
  steps: StepPoint[];
}

export interface ExperimentSnapshot {
  /** The experiment folder; in a panel comparing experiments, the first of `dirs`. */
  dir: string;
  /** Every experiment folder a panel comparing several shows (Compare Experiments); absent for one. */
  dirs?: string[];
  name: string;
  description?: string;
  runs: RunSnapshot[];
  table: ComparisonTable;
  /** search.json of a hyperparameter search: the panel's Tuning section (one experiment only; absent otherwise). */
  search?: SearchRecord;
  warnings: string[];
}

export type ToWebview =
  | { type: 'init'; version: number; snapshot: ExperimentSnapshot }
  | ({ type: 'runState' } & RunView)
  | { type: 'epoch'; runId: string; metrics: EpochMetrics }
  /** A step-level training point while an epoch runs. */
  | { type: 'step'; runId: string; point: StepPoint }
  | { type: 'diagnostics'; runId: string; logits?: LogitHistograms; weightNorms?: WeightNorms }
  | { type: 'table'; table: ComparisonTable }
  /** search.json changed (or went away, or was damaged: no `search`). */
  | { type: 'search'; search?: SearchRecord }
  /** What could not be read changed (a file damaged or repaired since `init`). */
  | { type: 'warnings'; warnings: string[] }
  /** Pick the runs of the logit and weight-norm figures (Compare Runs). */
  | { type: 'select'; runIds: string[] }
  /** Compare Runs: show these runs' curves together (highlighted, the others hidden) and their config diff; empty: compare nothing. */
  | { type: 'focus'; runIds: string[] }
  /** The outcome of an `export` or `copy` request. */
  | { type: 'notice'; requestId: number; ok: boolean; message: string }
  /** The answer to a `steps` request. */
  | { type: 'steps'; requestId: number; runs: RunSteps[] }
  /** Export Report: draw this report page's figures out of sight and answer with `reportCapture` messages. */
  | { type: 'drawReport'; requestId: number; html: string };

/** How loud a line the webview asks the host to log is. */
const LOG_LEVELS = ['info', 'warn', 'error'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export type FromWebview =
  | { type: 'ready'; version: number }
  | { type: 'export'; requestId: number; format: ExportFormat }
  | { type: 'copy'; requestId: number; format: ExportFormat }
  /**
   * Save one chart as an image: the host asks where (showSaveDialog), writes it and answers with a
   * `notice`. `data`: a `data:image/png;base64,` URL for PNG, the SVG document's text for SVG.
   */
  | { type: 'saveChart'; requestId: number; format: ChartImageFormat; chart: string; data: string }
  | { type: 'log'; level: LogLevel; message: string }
  /**
   * The step points of runs whose `init` left them out, between global steps `from` and `to` (all
   * without them), decimated to `buckets` (about the chart's width in pixels).
   */
  | { type: 'steps'; requestId: number; runIds: string[]; buckets: number; from?: number; to?: number }
  /** A figure (or the end) of a `drawReport` request. */
  | { type: 'reportCapture'; requestId: number; capture: ReportCaptureMessage };

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isOptional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const isFormat = (v: unknown): v is ExportFormat => EXPORT_FORMATS.includes(v as ExportFormat);

const isMetrics = (v: unknown) => isObject(v) && Number.isInteger(v.epoch) && isNumber(v.testAcc) && isNumber(v.trainLoss);
const isStepPoint = (v: unknown) =>
  isObject(v) &&
  Number.isInteger(v.epoch) &&
  Number.isInteger(v.step) &&
  Number.isInteger(v.stepsPerEpoch) &&
  Number.isInteger(v.globalStep) &&
  isNumber(v.loss) &&
  isNumber(v.acc) &&
  isNumber(v.wallSeconds);
const isHistogram = (v: unknown) => isObject(v) && Array.isArray(v.edges) && Array.isArray(v.counts) && v.edges.length === v.counts.length + 1;
const isLogits = (v: unknown) => isObject(v) && isHistogram(v.before) && isOptional(v.after, isHistogram);
const isNorms = (v: unknown) => isObject(v) && Array.isArray(v.norms) && v.norms.every(isNumber);
const isSweep = (v: unknown) => Array.isArray(v) && v.every((s) => isObject(s) && (s.scope === 'loss' || s.scope === 'training') && isString(s.field) && isNumber(s.value));
const isConfigValue = (v: unknown) => isString(v) || typeof v === 'boolean' || (isNumber(v) && Number.isFinite(v));
const isConfig = (v: unknown) => isObject(v) && Object.values(v).every(isConfigValue);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isRunSearch = (v: unknown) =>
  isObject(v) &&
  (v.stage === 'trial' || v.stage === 'final') &&
  Number.isInteger(v.trial) &&
  isOptional(v.trialState, (s) => TRIAL_STATES.includes(s as string)) &&
  isOptional(v.rung, (r) => isObject(r) && Number.isInteger(r.reached) && Number.isInteger(r.of) && Number.isInteger(r.epoch));
const isTable = (v: unknown) => isObject(v) && Array.isArray(v.rows) && Array.isArray(v.columns) && Array.isArray(v.cells) && v.cells.length === v.rows.length;

function isRunView(v: Fields): boolean {
  return (
    isString(v.runId) &&
    isString(v.lossLabel) &&
    isOptional(v.lossName, isString) &&
    isOptional(v.outputsLabel, isString) &&
    isString(v.modelLabel) &&
    isString(v.datasetLabel) &&
    isNumber(v.seed) &&
    RUN_VIEW_STATES.includes(v.state as RunViewState) &&
    isNumber(v.epoch) &&
    isNumber(v.epochs) &&
    isString(v.stateText) &&
    isOptional(v.reason, isString) &&
    isOptional(v.finalAcc, isNumber) &&
    isOptional(v.sweep, isSweep) &&
    isOptional(v.config, isConfig) &&
    isOptional(v.bestAcc, isNumber) &&
    isOptional(v.wallSeconds, isNumber) &&
    isOptional(v.backend, isString) &&
    isOptional(v.experiment, isString) &&
    isOptional(v.search, isRunSearch)
  );
}

const isSteps = (s: unknown) => Array.isArray(s) && s.every(isStepPoint);
const isStepInfo = (v: unknown) => isObject(v) && Number.isInteger(v.count) && Number.isInteger(v.stepsPerEpoch);

const isRunSnapshot = (v: unknown) =>
  isObject(v) &&
  isRunView(v) &&
  Array.isArray(v.metrics) &&
  v.metrics.every(isMetrics) &&
  isOptional(v.steps, isSteps) &&
  isOptional(v.stepInfo, isStepInfo) &&
  isOptional(v.logits, isLogits) &&
  isOptional(v.weightNorms, isNorms);

const isSnapshot = (v: unknown) =>
  isObject(v) &&
  isString(v.dir) &&
  isOptional(v.dirs, isStringList) &&
  isString(v.name) &&
  Array.isArray(v.runs) &&
  v.runs.every(isRunSnapshot) &&
  isTable(v.table) &&
  isOptional(v.search, isSearchRecord) &&
  Array.isArray(v.warnings);

/** Checks a message from the host; null for anything else (another version, or garbage). */
export function parseToWebview(msg: unknown): ToWebview | null {
  if (!isObject(msg)) return null;
  const ok = ((): boolean => {
    switch (msg.type) {
      case 'init':
        return msg.version === WEBVIEW_PROTOCOL_VERSION && isSnapshot(msg.snapshot);
      case 'runState':
        return isRunView(msg);
      case 'epoch':
        return isString(msg.runId) && isMetrics(msg.metrics);
      case 'step':
        return isString(msg.runId) && isStepPoint(msg.point);
      case 'diagnostics':
        return isString(msg.runId) && isOptional(msg.logits, isLogits) && isOptional(msg.weightNorms, isNorms);
      case 'table':
        return isTable(msg.table);
      case 'search':
        return isOptional(msg.search, isSearchRecord);
      case 'warnings':
        return isStringList(msg.warnings);
      case 'select':
      case 'focus':
        return isStringList(msg.runIds);
      case 'notice':
        return isNumber(msg.requestId) && typeof msg.ok === 'boolean' && isString(msg.message);
      case 'steps':
        return isNumber(msg.requestId) && Array.isArray(msg.runs) && msg.runs.every((r) => isObject(r) && isString(r.runId) && isSteps(r.steps));
      case 'drawReport':
        return Number.isInteger(msg.requestId) && isString(msg.html);
      default:
        return false;
    }
  })();
  return ok ? (msg as ToWebview) : null;
}

/** Checks a message from the webview; null for anything else. */
export function parseFromWebview(msg: unknown): FromWebview | null {
  if (!isObject(msg)) return null;
  const ok = ((): boolean => {
    switch (msg.type) {
      case 'ready':
        return msg.version === WEBVIEW_PROTOCOL_VERSION;
      case 'export':
      case 'copy':
        return Number.isInteger(msg.requestId) && isFormat(msg.format);
      case 'saveChart':
        return Number.isInteger(msg.requestId) && CHART_IMAGE_FORMATS.includes(msg.format as ChartImageFormat) && isString(msg.chart) && CHART_NAME.test(msg.chart) && isString(msg.data);
      case 'log':
        return LOG_LEVELS.includes(msg.level as LogLevel) && isString(msg.message);
      case 'steps':
        return (
          Number.isInteger(msg.requestId) && isStringList(msg.runIds) && Number.isInteger(msg.buckets) && (msg.buckets as number) > 0 && isOptional(msg.from, isNumber) && isOptional(msg.to, isNumber)
        );
      case 'reportCapture':
        return Number.isInteger(msg.requestId) && isReportCapture(msg.capture);
      default:
        return false;
    }
  })();
  return ok ? (msg as FromWebview) : null;
}

/** Persisted by the webview (vscode.setState) and handed back to the panel serializer after a reload. */
export interface WebviewState {
  experimentDir: string;
  /** Runs shown in the logit and weight-norm figures. */
  selection?: string[];
  /** Weight of the curves' exponential moving average, 0 (off) to below 1. */
  smoothing?: number;
  /** Curve charts whose y axis someone switched, by metric ('trainLoss': true = log scale). */
  logAxes?: Record<string, boolean>;
  /** The curve charts' x axis (epoch when absent). */
  xAxis?: CurveXAxis;
  /** Runs someone unticked in the run list. */
  hiddenRuns?: string[];
  /** The run list's filter text: only matching runs are drawn. */
  runFilter?: string;
  /** How far the panel was scrolled (px). */
  scrollY?: number;
  /** The run table's sort column and direction, and its text filter. */
  runTable?: RunTableState;
  /** The runs Compare Runs picked (curves together, config diff). */
  focus?: string[];
  /** Every experiment folder the panel shows when it compares several (experimentDir is the first). */
  experimentDirs?: string[];
  /** What the curves are coloured by (webview/colourBy.ts; the loss setting when absent). */
  colourBy?: string;
  /** The run drawn grey and dashed in every curve chart. */
  baseline?: string;
  /** The other recorded series shown beside the curves ('lr', 'imagesPerSec', 'seconds'). */
  extraMetric?: string;
}

export interface RunTableState {
  /** A column key of webview/runTableModel.ts. */
  sortKey?: string;
  descending?: boolean;
  filter?: string;
}

function parseRunTableState(v: unknown): RunTableState | undefined {
  if (!isObject(v)) return undefined;
  return {
    ...(isString(v.sortKey) ? { sortKey: v.sortKey } : {}),
    ...(typeof v.descending === 'boolean' ? { descending: v.descending } : {}),
    ...(isString(v.filter) ? { filter: v.filter } : {}),
  };
}

export function parseWebviewState(state: unknown): WebviewState | undefined {
  if (!isObject(state) || !isString(state.experimentDir)) return undefined;
  const selection = Array.isArray(state.selection) ? state.selection.filter(isString) : undefined;
  const smoothing = isNumber(state.smoothing) && state.smoothing >= 0 && state.smoothing < 1 ? state.smoothing : undefined;
  const logAxes = isObject(state.logAxes) ? Object.fromEntries(Object.entries(state.logAxes).filter(([, v]) => typeof v === 'boolean')) : undefined;
  const xAxis = CURVE_X_AXES.includes(state.xAxis as CurveXAxis) ? (state.xAxis as CurveXAxis) : undefined;
  const hiddenRuns = Array.isArray(state.hiddenRuns) ? state.hiddenRuns.filter(isString) : undefined;
  const runFilter = isString(state.runFilter) ? state.runFilter : undefined;
  const scrollY = isNumber(state.scrollY) && Number.isFinite(state.scrollY) && state.scrollY >= 0 ? state.scrollY : undefined;
  const runTable = parseRunTableState(state.runTable);
  const focus = Array.isArray(state.focus) ? state.focus.filter(isString) : undefined;
  // Only a list that starts with experimentDir describes this panel; anything else is dropped.
  const dirs = isStringList(state.experimentDirs) && state.experimentDirs.length > 1 && state.experimentDirs[0] === state.experimentDir ? state.experimentDirs : undefined;
  const text = (v: unknown) => (isString(v) && v !== '' ? v : undefined);
  const [colourBy, baseline, extraMetric] = [text(state.colourBy), text(state.baseline), text(state.extraMetric)];
  return {
    experimentDir: state.experimentDir,
    ...(colourBy ? { colourBy } : {}),
    ...(baseline ? { baseline } : {}),
    ...(extraMetric ? { extraMetric } : {}),
    ...(selection ? { selection } : {}),
    ...(smoothing !== undefined ? { smoothing } : {}),
    ...(logAxes ? { logAxes: logAxes as Record<string, boolean> } : {}),
    ...(xAxis ? { xAxis } : {}),
    ...(hiddenRuns ? { hiddenRuns } : {}),
    ...(runFilter !== undefined ? { runFilter } : {}),
    ...(scrollY !== undefined ? { scrollY } : {}),
    ...(runTable ? { runTable } : {}),
    ...(focus?.length ? { focus } : {}),
    ...(dirs ? { experimentDirs: dirs } : {}),
  };
}
