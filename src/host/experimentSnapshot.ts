/**
 * Turns an experiment folder (as src/core/results reads it) into what the tree and the
 * results panel show, overlaid with what the host knows live: runs still waiting in
 * the queue and runs whose worker is up. No vscode here: the extension, the report and
 * unit tests share it.
 */
import { datasetLabel, expandGrid } from '../core/config/grid';
import type { RunSpec } from '../core/config/types';
import { lossRank, outputsLabel } from '../core/losses/registry';
import { readExperiment, type ExperimentRecord, type ReadOptions, type RunRecord } from '../core/results/runReader';
import { currentConfig } from '../core/results/currentConfig';
import { staleReason, staleRuns, staleSummary, type FieldChange } from '../core/results/staleness';
import { finalAccuracy, runDiverged, tableFromExperiment } from '../core/results/table';
import type { SearchRecord } from '../core/search/record';
import { runSearchView } from '../core/search/summary';
import type { RunState } from '../core/results/types';
import { runDetails, specDetails } from './runDetails';
import { stateLabel, type ExperimentSnapshot, type RunSnapshot, type RunView, type RunViewState } from '../protocol/webview';

/** Runs of a grid the host is running now: waiting for a worker, or with one. */
export interface LiveRuns {
  pending: ReadonlySet<string>;
  active: ReadonlySet<string>;
  /** Stale runs Run is training on to the config's epochs (Extend), while queued or running. */
  extending?: ReadonlySet<string>;
}

const NO_LIVE: LiveRuns = { pending: new Set(), active: new Set() };

export function runStateText(state: RunViewState, epoch: number, epochs: number): string {
  return state === 'running' ? `running epoch ${epoch}/${epochs}` : stateLabel(state);
}

/** Why a grid run has no folder while nothing is about to start it. */
const NOT_STARTED_REASON = 'the grid ended before this run began; run the experiment again to train it';

function seedOf(record: RunRecord): number {
  return record.spec?.seed ?? record.summary?.seed ?? Number(/seed(\d+)$/.exec(record.runId)?.[1] ?? 0);
}

function diskState(record: RunRecord): RunState {
  if (record.status) return record.status.state;
  if (record.summary) return 'done';
  return record.metrics.length > 0 ? 'stopped' : 'queued';
}

/** The state to show: the queue and live workers win over a status file an earlier attempt left. */
function liveState(runId: string, state: RunState, live: LiveRuns): RunState {
  if (live.pending.has(runId)) return 'queued';
  // A done run is running again only when it is being extended; else its worker is just exiting.
  if (live.active.has(runId) && (state !== 'done' || live.extending?.has(runId))) return 'running';
  return state;
}

export function runView(record: RunRecord, live: LiveRuns = NO_LIVE, search?: SearchRecord): RunView {
  const spec = record.spec;
  const [modelPart, lossPart] = record.runId.split('__');
  const finished = record.status?.epoch ?? record.metrics.length;
  const epochs = record.status?.epochs ?? spec?.training.epochs ?? record.metrics.length;
  const state = liveState(record.runId, diskState(record), live);
  const epoch = state === 'running' ? Math.min(finished + 1, Math.max(epochs, 1)) : finished;
  const reason = state === 'failed' || state === 'stopped' ? record.status?.reason : undefined;
  // A diverged run's last accuracy is no result: not sorted by, not charted against its swept value.
  const acc = runDiverged(record) ? undefined : finalAccuracy(record)?.acc;
  return {
    runId: record.runId,
    lossLabel: spec?.lossLabel ?? record.summary?.loss ?? lossPart ?? record.runId,
    ...(spec ? { lossName: spec.loss.name, lossRank: lossRank(spec.loss.name), outputsLabel: outputsLabel(spec.loss) } : {}),
    modelLabel: spec?.modelLabel ?? record.summary?.model ?? modelPart ?? record.runId,
    datasetLabel: spec ? datasetLabel(spec.dataset) : '',
    seed: seedOf(record),
    state,
    epoch,
    epochs,
    stateText: runStateText(state, epoch, epochs),
    ...(reason ? { reason } : {}),
    ...(acc !== undefined ? { finalAcc: acc } : {}),
    ...(spec?.sweep?.length ? { sweep: spec.sweep } : {}),
    ...(spec?.search ? { search: runSearchView(spec.search, search) } : {}),
    ...runDetails(record),
  };
}

/** A grid run without a folder: queued while the host has it waiting or starting, else never started. */
function runWithoutFolder(spec: RunSpec, live: LiveRuns, search?: SearchRecord): RunSnapshot {
  const epochs = spec.training.epochs;
  const state: RunViewState = live.pending.has(spec.runId) || live.active.has(spec.runId) ? 'queued' : 'not-started';
  return {
    runId: spec.runId,
    lossLabel: spec.lossLabel,
    lossName: spec.loss.name,
    lossRank: lossRank(spec.loss.name),
    outputsLabel: outputsLabel(spec.loss),
    modelLabel: spec.modelLabel,
    datasetLabel: datasetLabel(spec.dataset),
    seed: spec.seed,
    state,
    epoch: 0,
    epochs,
    stateText: runStateText(state, 0, epochs),
    ...(state === 'not-started' ? { reason: NOT_STARTED_REASON } : {}),
    ...(spec.sweep?.length ? { sweep: spec.sweep } : {}),
    ...(spec.search ? { search: runSearchView(spec.search, search) } : {}),
    ...specDetails(spec),
    metrics: [],
  };
}

export function buildSnapshot(experiment: ExperimentRecord, live: LiveRuns = NO_LIVE): ExperimentSnapshot {
  const onDisk = new Map(experiment.runs.map((r) => [r.runId, r]));
  const gridSpecs = experiment.manifest ? expandGrid(experiment.manifest.config) : [];
  // Every run of the grid is listed: one without a folder is queued, or was never started (a stopped grid).
  const withoutFolder = gridSpecs.filter((s) => !onDisk.has(s.runId));
  const order = new Map(gridSpecs.map((s, i) => [s.runId, i]));
  const stale = staleRuns(currentConfig(experiment.manifest), experiment.runs);
  const epochsNow = new Map(gridSpecs.map((s) => [s.runId, s.training.epochs]));
  const runs: RunSnapshot[] = [
    ...experiment.runs.map((r) => ({
      ...staleOrExtending(runView(r, live, experiment.search), r, live, stale.get(r.runId), epochsNow.get(r.runId)),
      metrics: r.metrics,
      ...(r.steps?.length ? { steps: r.steps } : {}),
      ...(r.logits ? { logits: r.logits } : {}),
      ...(r.weightNorms ? { weightNorms: r.weightNorms } : {}),
    })),
    ...withoutFolder.map((s) => runWithoutFolder(s, live, experiment.search)),
  ];
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  runs.sort((a, b) => rank(a.runId) - rank(b.runId));
  const description = experiment.manifest?.config.description;
  return {
    dir: experiment.dir,
    name: experiment.name,
    ...(description ? { description } : {}),
    runs,
    table: tableFromExperiment(experiment),
    ...(experiment.search ? { search: experiment.search } : {}),
    warnings: [...experiment.warnings, ...experiment.runs.flatMap((r) => r.warnings.map((w) => `${r.runId}: ${w}`)), ...staleWarning(stale)],
  };
}

/** A stale run says why; while Extend trains it on, it says that instead ("extending · 3/5 epochs"), not "stale · done". */
function staleOrExtending(view: RunView, record: RunRecord, live: LiveRuns, changes: readonly FieldChange[] | undefined, epochsNow: number | undefined): RunView {
  const extending = live.extending?.has(record.runId) && (view.state === 'queued' || view.state === 'running');
  if (extending && epochsNow !== undefined) return { ...view, epochs: epochsNow, stateText: `extending · ${record.metrics.length}/${epochsNow} epochs` };
  return changes ? { ...view, stale: staleReason(changes) } : view;
}

/** One line for the whole experiment, beside the per-run markers. */
function staleWarning(stale: ReadonlyMap<string, readonly FieldChange[]>): string[] {
  return stale.size > 0 ? [staleSummary(stale)] : [];
}

/** `options.steps`: with each run's step points (the results panel draws them; the tree and tables do not). */
export function readSnapshot(experimentDir: string, live: LiveRuns = NO_LIVE, options: ReadOptions = {}): ExperimentSnapshot {
  return buildSnapshot(readExperiment(experimentDir, options), live);
}
