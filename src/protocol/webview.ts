/**
 * Messages between the extension host and the results webview. Only JSON crosses.
 * Both sides import this file and validate what they receive with the parsers below.
 * Handshake: the webview posts `ready`; the host answers with `init` and posts nothing before.
 */
import type { SweepValue } from '../core/config/types';
import type { ComparisonTable } from '../core/results/table';
import type { EpochMetrics, LogitHistograms, RunState, StepPoint, WeightNorms } from '../core/results/types';

export const WEBVIEW_PROTOCOL_VERSION = 1;

export type ExportFormat = 'csv' | 'md' | 'latex';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'md', 'latex'];

/**
 * A run's state in every view (tree, panel, notifications): the states of its status.json,
 * and 'not-started' for a run of the grid that has no folder because the grid ended first.
 */
export type RunViewState = RunState | 'not-started';

/** How a state reads in running text ("2 stopped, 2 not started"). */
export const stateLabel = (state: RunViewState): string => (state === 'not-started' ? 'not started' : state);

/** What the tree, the status line and the charts need to know about one run. */
export interface RunView {
  runId: string;
  lossLabel: string;
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
  /** Why the run no longer matches the experiment's config (core/results/staleness.ts); absent when it does. */
  stale?: string;
}

export interface RunSnapshot extends RunView {
  metrics: EpochMetrics[];
  /** Step-level training points (steps.jsonl); absent for runs recorded before they existed. */
  steps?: StepPoint[];
  logits?: LogitHistograms;
  weightNorms?: WeightNorms;
}

export interface ExperimentSnapshot {
  dir: string;
  name: string;
  description?: string;
  runs: RunSnapshot[];
  table: ComparisonTable;
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
  /** Pick the runs of the logit and weight-norm figures (Compare Runs). */
  | { type: 'select'; runIds: string[] }
  /** The outcome of an `export` or `copy` request. */
  | { type: 'notice'; requestId: number; ok: boolean; message: string };

export type FromWebview =
  | { type: 'ready'; version: number }
  | { type: 'export'; requestId: number; format: ExportFormat }
  | { type: 'copy'; requestId: number; format: ExportFormat }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

const RUN_STATES: readonly RunViewState[] = ['not-started', 'queued', 'running', 'done', 'failed', 'stopped'];

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isOptional = (v: unknown, check: (x: unknown) => boolean) => v === undefined || check(v);
const isFormat = (v: unknown): v is ExportFormat => EXPORT_FORMATS.includes(v as ExportFormat);

const isMetrics = (v: unknown) => isObject(v) && Number.isInteger(v.epoch) && isNumber(v.testAcc) && isNumber(v.trainLoss);
const isStepPoint = (v: unknown) =>
  isObject(v) && Number.isInteger(v.epoch) && Number.isInteger(v.step) && Number.isInteger(v.stepsPerEpoch) && Number.isInteger(v.globalStep) && isNumber(v.loss) && isNumber(v.acc) && isNumber(v.wallSeconds);
const isHistogram = (v: unknown) => isObject(v) && Array.isArray(v.edges) && Array.isArray(v.counts) && v.edges.length === v.counts.length + 1;
const isLogits = (v: unknown) => isObject(v) && isHistogram(v.before) && isOptional(v.after, isHistogram);
const isNorms = (v: unknown) => isObject(v) && Array.isArray(v.norms) && v.norms.every(isNumber);
const isSweep = (v: unknown) => Array.isArray(v) && v.every((s) => isObject(s) && (s.scope === 'loss' || s.scope === 'training') && isString(s.field) && isNumber(s.value));
const isTable = (v: unknown) => isObject(v) && Array.isArray(v.rows) && Array.isArray(v.columns) && Array.isArray(v.cells) && v.cells.length === v.rows.length;

function isRunView(v: Fields): boolean {
  return (
    isString(v.runId) &&
    isString(v.lossLabel) &&
    isString(v.modelLabel) &&
    isString(v.datasetLabel) &&
    isNumber(v.seed) &&
    RUN_STATES.includes(v.state as RunViewState) &&
    isNumber(v.epoch) &&
    isNumber(v.epochs) &&
    isString(v.stateText) &&
    isOptional(v.reason, isString) &&
    isOptional(v.finalAcc, isNumber) &&
    isOptional(v.sweep, isSweep)
  );
}

const isRunSnapshot = (v: unknown) =>
  isObject(v) &&
  isRunView(v) &&
  Array.isArray(v.metrics) &&
  v.metrics.every(isMetrics) &&
  isOptional(v.steps, (s) => Array.isArray(s) && s.every(isStepPoint)) && isOptional(v.logits, isLogits) && isOptional(v.weightNorms, isNorms);

const isSnapshot = (v: unknown) =>
  isObject(v) && isString(v.dir) && isString(v.name) && Array.isArray(v.runs) && v.runs.every(isRunSnapshot) && isTable(v.table) && Array.isArray(v.warnings);

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
      case 'select':
        return Array.isArray(msg.runIds) && msg.runIds.every(isString);
      case 'notice':
        return isNumber(msg.requestId) && typeof msg.ok === 'boolean' && isString(msg.message);
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
      case 'log':
        return ['info', 'warn', 'error'].includes(msg.level as string) && isString(msg.message);
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
}

export function parseWebviewState(state: unknown): WebviewState | undefined {
  if (!isObject(state) || !isString(state.experimentDir)) return undefined;
  const selection = Array.isArray(state.selection) ? state.selection.filter(isString) : undefined;
  const smoothing = isNumber(state.smoothing) && state.smoothing >= 0 && state.smoothing < 1 ? state.smoothing : undefined;
  const logAxes = isObject(state.logAxes) ? Object.fromEntries(Object.entries(state.logAxes).filter(([, v]) => typeof v === 'boolean')) : undefined;
  return {
    experimentDir: state.experimentDir,
    ...(selection ? { selection } : {}),
    ...(smoothing !== undefined ? { smoothing } : {}),
    ...(logAxes ? { logAxes: logAxes as Record<string, boolean> } : {}),
  };
}
