/**
 * Runs grids through the Scheduler (one worker process per run, never training in the
 * extension host), logs what the workers say, and tells the UI what changed. The
 * results files stay the source of truth; events only say when to read them again.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runTitleIn } from '../../core/results/runTitle';
import type { ExperimentConfig, RunSpec } from '../../core/config/types';
import type { StepPoint } from '../../core/results/types';
import type { RunViewState } from '../../protocol/webview';
import { formatDatasetSummary } from '../../core/data/datasetSummary';
import { readRun } from '../../core/results/runReader';
import { writeExperimentManifest } from '../../core/results/runSink';
import { type ExperimentLock, ExperimentLockedError, lockExperiment } from '../../host/experimentLock';
import { Scheduler, type RunDriver } from '../../host/scheduler';
import { SearchRunner } from '../../host/search/searchRunner';
import { tuningText } from '../../core/search/progress';
import type { RunOutcome } from '../../host/workerProcess';
import type { FromWorker } from '../../protocol/worker';
import type { LiveRuns } from '../../host/experimentSnapshot';
import { GridProgressTracker, type EndedAs } from './gridProgress';
import { Strings } from '../strings';
import { fixedByBuild } from '../../core/backend/torch/torchAddon';

export interface RunResult {
  /** 'not-started': the grid was stopped before a worker took the run. */
  state: Exclude<RunViewState, 'queued' | 'running'>;
  category?: string;
  message?: string;
}

export interface GridResult {
  experimentDir: string;
  outcomes: Record<string, RunResult>;
  /** Someone stopped the whole grid (Stop Experiment). */
  stopped: boolean;
}

export interface GridJob {
  name: string;
  experimentDir: string;
  runs: RunSpec[];
  parallel: number;
  /** Train done runs again from scratch (the rerun of a finished run). */
  restart: boolean;
  /** Stale runs to train on to more epochs ('extend') or from scratch ('restart'); never kept as done. */
  stalePolicy?: ReadonlyMap<string, 'extend' | 'restart'>;
  /** Written as experiment.json when given (a whole grid; a single rerun leaves it alone). */
  manifest?: { config: ExperimentConfig; configPath: string };
}

export interface GridProgress {
  experimentDir: string;
  name: string;
  total: number;
  /** Runs that ended, by how: only done ones count as finished. */
  counts: Readonly<Record<EndedAs, number>>;
  /** Share of all epochs of the grid trained so far, 0..1. */
  fraction: number;
  detail: string;
}

export interface RunEnded {
  experimentDir: string;
  runId: string;
  /** How notifications name the run (core/results/runTitle.ts). */
  title: string;
  result: RunResult;
}

/** A step point a worker logged (already in the run's steps.jsonl). */
export interface StepLogged {
  experimentDir: string;
  runId: string;
  point: StepPoint;
}

class AlreadyRunningError extends Error {
  override name = 'AlreadyRunningError';
}

interface ActiveGrid {
  job: GridJob;
  /** The runs given to workers (done runs that are kept are not). */
  toRun: RunSpec[];
  scheduler: RunDriver;
  pending: Set<string>;
  active: Set<string>;
  progress: GridProgressTracker;
  stopped: boolean;
  done: Promise<GridResult>;
}

const isDone = (dir: string) => readRun(dir).status?.state === 'done';

export class GridRunner implements vscode.Disposable {
  private readonly grids = new Map<string, ActiveGrid>();
  private readonly changed = new vscode.EventEmitter<string>();
  private readonly progressed = new vscode.EventEmitter<GridProgress>();
  private readonly ended = new vscode.EventEmitter<RunEnded>();
  private readonly gridEnded = new vscode.EventEmitter<GridResult>();
  /** An experiment folder whose runs changed state or finished an epoch. */
  readonly onDidChangeRuns = this.changed.event;
  readonly onDidProgress = this.progressed.event;
  readonly onDidEndRun = this.ended.event;
  readonly onDidEndGrid = this.gridEnded.event;
  private readonly stepLogged = new vscode.EventEmitter<StepLogged>();
  /** A live step point, for an open results panel (it reaches the folder's files first; nothing else needs re-reading for it). */
  readonly onDidLogStep = this.stepLogged.event;
  private readonly engineMissing = new vscode.EventEmitter<string>();
  /** A run fell back from the torch engine because it is not built (or not for this libtorch): why. */
  readonly onNativeEngineMissing = this.engineMissing.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly workerPath: () => string,
    /** Extra environment for workers (LIBTORCH from lossLab.libtorchPath), read at each start. */
    private readonly workerEnv: () => NodeJS.ProcessEnv = () => ({}),
  ) {}

  isRunning(experimentDir: string): boolean {
    return this.grids.has(path.resolve(experimentDir));
  }

  get runningExperiments(): string[] {
    return [...this.grids.keys()];
  }

  live(experimentDir: string): LiveRuns {
    const grid = this.grids.get(path.resolve(experimentDir));
    if (!grid) return { pending: new Set(), active: new Set() };
    const extending = [...(grid.job.stalePolicy ?? [])].filter(([, policy]) => policy === 'extend').map(([runId]) => runId);
    return { pending: grid.pending, active: grid.active, extending: new Set(extending) };
  }

  progress(experimentDir: string): GridProgress | undefined {
    const grid = this.grids.get(path.resolve(experimentDir));
    return grid && this.progressOf(grid);
  }

  /** Runs the job's grid; resolves when every run has ended (done runs kept unless `restart`). */
  run(job: GridJob): Promise<GridResult> {
    const experimentDir = path.resolve(job.experimentDir);
    if (this.grids.has(experimentDir)) return Promise.reject(new AlreadyRunningError(Strings.alreadyRunning(job.name)));
    // One writer per experiment folder, shared with `losslab run` in a terminal.
    let lock: ExperimentLock | undefined;
    try {
      lock = lockExperiment(experimentDir, { by: 'VS Code', onCompromised: (err) => this.log.warn(`lost the lock on ${experimentDir}: ${err.message}`) });
      if (job.manifest) writeExperimentManifest(experimentDir, job.manifest.config, job.manifest.configPath);
    } catch (e) {
      lock?.release();
      return Promise.reject(e instanceof ExperimentLockedError ? new AlreadyRunningError(e.message) : e instanceof Error ? e : new Error(String(e)));
    }
    const search = job.manifest?.config.search ? job.manifest.config : undefined;
    // A search decides itself which trials to continue: it is given them all.
    const kept = job.restart || search ? [] : job.runs.filter((r) => !job.stalePolicy?.has(r.runId) && isDone(path.join(experimentDir, r.runId)));
    const toRun = job.runs.filter((r) => !kept.includes(r));
    for (const r of kept) this.log.info(Strings.log.skipped(r.runId));
    this.log.info(Strings.log.gridStart(toRun.length, job.name, job.parallel, experimentDir));

    const grid: ActiveGrid = {
      job: { ...job, experimentDir },
      toRun,
      pending: new Set(toRun.map((r) => r.runId)),
      active: new Set(),
      progress: new GridProgressTracker(toRun.length),
      stopped: false,
      scheduler: search
        ? new SearchRunner({
            config: search,
            workerPath: this.workerPath(),
            env: this.workerEnv(),
            experimentDir,
            parallel: job.parallel,
            by: 'VS Code',
            onMessage: (runId, msg) => this.onMessage(grid, runId, msg),
            // A trial that stopped at its rung while the search goes on is paused, not stopped.
            onRunEnd: (runId, outcome, stage) => this.onRunEnd(grid, runId, outcome, stage === 'trial' && outcome.state === 'stopped' && !grid.stopped ? 'paused' : undefined),
            onRecord: (record) => {
              if (record.stage !== 'tuning') grid.progress.pruned(record.studies.flatMap((s) => s.trials.filter((t) => t.state === 'pruned').map((t) => t.runId)));
              this.log.info(record.stage === 'tuning' ? tuningText(record.studies, record.budget) : Strings.log.searchStage(record.stage));
            },
          })
        : new Scheduler(toRun, {
            workerPath: this.workerPath(),
            env: this.workerEnv(),
            experimentDir,
            parallel: job.parallel,
            resume: job.restart ? 'restart' : 'resume',
            by: 'VS Code',
            ...(job.stalePolicy ? { resumeOf: job.stalePolicy } : {}),
            onMessage: (runId, msg) => this.onMessage(grid, runId, msg),
            onRunEnd: (runId, outcome) => this.onRunEnd(grid, runId, outcome),
          }),
      done: Promise.resolve({ experimentDir, outcomes: {}, stopped: false }),
    };
    this.grids.set(experimentDir, grid);
    grid.done = grid.scheduler
      .run()
      .finally(() => lock?.release())
      .then(() => this.finish(grid, kept, toRun));
    this.changed.fire(experimentDir);
    this.progressed.fire(this.progressOf(grid));
    return grid.done;
  }

  /** Stops one experiment's grid, or every grid. */
  stop(experimentDir?: string): boolean {
    const grids = experimentDir ? [this.grids.get(path.resolve(experimentDir))].filter((g) => g !== undefined) : [...this.grids.values()];
    for (const grid of grids) {
      grid.stopped = true;
      grid.pending.clear();
      grid.scheduler.stop();
      this.changed.fire(grid.job.experimentDir);
    }
    return grids.length > 0;
  }

  stopRun(experimentDir: string, runId: string): boolean {
    const grid = this.grids.get(path.resolve(experimentDir));
    if (!grid || !(grid.pending.has(runId) || grid.active.has(runId))) return false;
    grid.pending.delete(runId);
    grid.scheduler.stopRun(runId);
    this.changed.fire(grid.job.experimentDir);
    return true;
  }

  /** Stops everything; resolves once every worker has exited (each is killed within ~1.5 s). */
  async stopAll(): Promise<void> {
    const running = [...this.grids.values()].map((g) => g.done);
    this.stop();
    await Promise.all(running);
  }

  dispose(): void {
    this.stop();
    this.changed.dispose();
    this.progressed.dispose();
    this.ended.dispose();
    this.gridEnded.dispose();
    this.stepLogged.dispose();
  }

  private onMessage(grid: ActiveGrid, runId: string, msg: FromWorker): void {
    const dir = grid.job.experimentDir;
    if (grid.pending.delete(runId)) {
      grid.active.add(runId);
      this.changed.fire(dir);
    }
    switch (msg.type) {
      case 'ready':
        return;
      case 'backend':
        this.log.info(Strings.log.backend(runId, msg.backend, msg.detail.split('\n')[0].slice(0, 300)));
        if (msg.torchUnavailable && fixedByBuild(msg.torchUnavailable)) this.engineMissing.fire(msg.torchUnavailable);
        return;
      case 'dataset':
        for (const line of formatDatasetSummary(msg.summary)) this.log.info(Strings.log.info(runId, line.trim()));
        return;
      case 'log':
        if (msg.level === 'warn') this.log.warn(Strings.log.warn(runId, msg.message));
        else this.log.info(Strings.log.info(runId, msg.message));
        return;
      case 'train':
        this.onTrainEvent(grid, runId, msg.event);
        return;
      case 'stopped':
        this.log.info(Strings.log.stopped(runId));
        return;
      case 'failed':
        // Logged with the outcome, which also covers workers that die without a word.
        return;
      default: {
        const unexpected: never = msg;
        this.log.warn(Strings.log.ignoredMessage('worker', JSON.stringify(unexpected).slice(0, 200)));
      }
    }
  }

  private onTrainEvent(grid: ActiveGrid, runId: string, event: Extract<FromWorker, { type: 'train' }>['event']): void {
    const dir = grid.job.experimentDir;
    switch (event.type) {
      case 'started':
        this.log.info(Strings.log.started(runId, event.epochs, event.trainableParams, event.resumedFromEpoch));
        grid.progress.started(runId, event.resumedFromEpoch, event.epochs);
        this.changed.fire(dir);
        break;
      case 'step':
        grid.progress.step(
          runId,
          event.epoch,
          event.step,
          event.steps,
          this.epochsOf(grid, runId),
          Strings.progressDetail(runTitleIn(grid.job.runs, runId), event.epoch, this.epochsOf(grid, runId), event.imagesPerSec),
        );
        if (event.point) this.stepLogged.fire({ experimentDir: dir, runId, point: event.point });
        break;
      case 'epoch': {
        const m = event.metrics;
        this.log.info(Strings.log.epoch(runId, m.epoch, this.epochsOf(grid, runId), m.testAcc, m.trainLoss, m.imagesPerSec));
        grid.progress.epochDone(runId, m.epoch, this.epochsOf(grid, runId));
        this.changed.fire(dir);
        break;
      }
      case 'finished':
        this.log.info(Strings.log.finished(runId, event.summary.finalTestAcc, event.summary.wallSeconds));
        this.changed.fire(dir);
        break;
    }
    this.progressed.fire(this.progressOf(grid));
  }

  private onRunEnd(grid: ActiveGrid, runId: string, outcome: RunOutcome, endedAs?: EndedAs): void {
    grid.active.delete(runId);
    grid.pending.delete(runId);
    grid.progress.runEnded(runId, endedAs ?? (outcome.state === 'done' || outcome.state === 'stopped' ? outcome.state : 'failed'));
    if (outcome.state === 'failed') this.log.error(Strings.log.failed(runId, outcome.category, outcome.message));
    this.changed.fire(grid.job.experimentDir);
    this.progressed.fire(this.progressOf(grid));
    this.ended.fire({ experimentDir: grid.job.experimentDir, runId, title: runTitleIn(grid.job.runs, runId), result: toResult(outcome) });
  }

  private finish(grid: ActiveGrid, kept: RunSpec[], toRun: RunSpec[]): GridResult {
    const { experimentDir } = grid.job;
    this.grids.delete(experimentDir);
    const outcomes: Record<string, RunResult> = {};
    for (const spec of grid.job.runs) {
      const outcome = grid.scheduler.outcomes.get(spec.runId);
      if (outcome) outcomes[spec.runId] = toResult(outcome);
      else if (kept.includes(spec)) outcomes[spec.runId] = { state: 'done', message: 'already done; kept' };
      else if (toRun.includes(spec)) outcomes[spec.runId] = { state: 'not-started', message: 'the grid was stopped before this run began' };
    }
    const result = { experimentDir, outcomes, stopped: grid.stopped };
    this.changed.fire(experimentDir);
    this.gridEnded.fire(result);
    return result;
  }

  private epochsOf(grid: ActiveGrid, runId: string): number {
    // A search's final runs are not in its grid (its trials); they train as many epochs.
    return Math.max(1, (grid.job.runs.find((r) => r.runId === runId) ?? grid.job.runs[0])?.training.epochs ?? 1);
  }

  private progressOf(grid: ActiveGrid): GridProgress {
    return {
      experimentDir: grid.job.experimentDir,
      name: grid.job.name,
      total: grid.toRun.length,
      counts: { ...grid.progress.counts },
      fraction: grid.progress.fraction,
      detail: grid.progress.detail,
    };
  }
}

function toResult(outcome: RunOutcome): RunResult {
  switch (outcome.state) {
    case 'done':
      return { state: 'done' };
    case 'stopped':
      return { state: 'stopped' };
    case 'failed':
      return { state: 'failed', category: outcome.category, message: outcome.message };
  }
}
