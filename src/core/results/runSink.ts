/**
 * The results store as the trainer and the hosts use it: `openRunSink` gives a
 * training worker the trainer's `RunSink` (core/train/events.ts, matched
 * structurally so results does not depend on train) plus its end states; the
 * `mark*` functions let a host record what a dead worker could not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandGrid } from '../config/grid';
import type { ExperimentConfig, RunSpec } from '../config/types';
import type { DatasetSummary } from '../data/types';
import { readJsonIfExists, writeJsonAtomic } from './atomicFile';
import { fileFaultText } from './fileFaults';
import { RunWriter, type ExistingResultsPolicy } from './runStore';
import { EXPERIMENT_FILE, RUN_FILES, type EpochMetrics, type ExperimentManifest, type LogitHistograms, type RunStatus, type RunSummary, type StepPoint, type WeightNorms } from './types';

export { RunAlreadyDoneError, RunDamagedError, RunExistsError, type ExistingResultsPolicy } from './runStore';

export interface RunSinkHandle {
  readonly dir: string;
  /** Finished epochs and the checkpoint after the last of them; no checkpoint means start from epoch 1. */
  resumePoint(): { epochs: EpochMetrics[]; checkpoint: Uint8Array | null };
  /** Records what the run trains and evaluates on (dataset.json). */
  datasetLoaded(summary: DatasetSummary): void;
  started(backend: string): void;
  epochFinished(metrics: EpochMetrics, checkpoint: Uint8Array): void;
  /** Appends a step-level point to steps.jsonl. */
  stepLogged(point: StepPoint): void;
  /** Writes the final files and marks the run done; its last checkpoint stays, so that more epochs can be trained on (policy 'extend'). */
  finished(summary: RunSummary, logits: LogitHistograms, weightNorms: WeightNorms | null): void;
  /** Never throws: returns why the status could not be written (a full disk), or undefined. */
  stopped(reason: string): string | undefined;
  /** Never throws: returns why the status could not be written (a full disk), or undefined. */
  failed(message: string): string | undefined;
}

/** Opens `runDir` for `spec`; throws RunAlreadyDoneError / RunExistsError when the policy forbids touching earlier results. */
export function openRunSink(runDir: string, spec: RunSpec, policy: ExistingResultsPolicy = 'resume'): RunSinkHandle {
  const writer = new RunWriter(runDir);
  const epochs = writer.open(spec, policy);
  return {
    dir: runDir,
    resumePoint() {
      const checkpoint = epochs.length > 0 ? writer.readCheckpoint() : undefined;
      return checkpoint ? { epochs: [...epochs], checkpoint } : { epochs: [], checkpoint: null };
    },
    datasetLoaded(summary) {
      writer.writeDataset(summary);
    },
    started(backend) {
      writer.setStatus({ state: 'running', backend });
    },
    epochFinished(metrics, checkpoint) {
      writer.appendEpoch(metrics);
      writer.writeCheckpoint(checkpoint);
      writer.setStatus({ state: 'running', epoch: metrics.epoch });
    },
    stepLogged(point) {
      writer.appendStep(point);
    },
    finished(summary, logits, weightNorms) {
      writer.writeLogits(logits);
      if (weightNorms) writer.writeWeightNorms(weightNorms);
      writer.writeSummary(summary);
      writer.setStatus({ state: 'done', epoch: summary.epochs });
    },
    // Called on error paths: never throw (a full disk must not turn a failure into a crash), and never undo a 'done'.
    stopped(reason) {
      return recordEndState(() => writer.state !== 'done' && writer.setStatus({ state: 'stopped', reason }));
    },
    failed(message) {
      return recordEndState(() => writer.state !== 'done' && writer.setStatus({ state: 'failed', reason: message }));
    },
  };
}

/** Runs a status write on an error path: undefined when it worked, else why not (one line, e.g. the disk is full). */
function recordEndState(write: () => unknown): string | undefined {
  try {
    write();
    return undefined;
  } catch (e) {
    return fileFaultText(e) ?? (e instanceof Error ? e.message : String(e));
  }
}

/** Records an end state from outside the worker; a run already done (or failed/stopped) keeps its status. */
function markRun(runDir: string, state: 'failed' | 'stopped', reason: string): string | undefined {
  return recordEndState(() => {
    const status = readJsonIfExists<RunStatus>(path.join(runDir, RUN_FILES.status));
    if (status && status.state !== 'queued' && status.state !== 'running') return;
    const spec = readJsonIfExists<RunSpec>(path.join(runDir, RUN_FILES.config));
    fs.mkdirSync(runDir, { recursive: true });
    const next: RunStatus = { epoch: 0, epochs: spec?.training.epochs ?? 0, ...status, state, reason, updatedAt: new Date().toISOString() };
    writeJsonAtomic(path.join(runDir, RUN_FILES.status), next);
  });
}

/** Never throws: returns why the status could not be written (a full disk), or undefined. */
export function markRunFailed(runDir: string, message: string): string | undefined {
  return markRun(runDir, 'failed', message);
}

/** Never throws: returns why the status could not be written, or undefined. */
export function markRunStopped(runDir: string, reason: string): string | undefined {
  return markRun(runDir, 'stopped', reason);
}

/** Replaces a stopped run's reason with a more telling one (why it will not go on); never throws. */
export function restateStopReason(runDir: string, reason: string): string | undefined {
  return recordEndState(() => {
    const status = readJsonIfExists<RunStatus>(path.join(runDir, RUN_FILES.status));
    if (status?.state !== 'stopped') return;
    writeJsonAtomic(path.join(runDir, RUN_FILES.status), { ...status, reason, updatedAt: new Date().toISOString() } satisfies RunStatus);
  });
}

/** Writes `<experimentDir>/experiment.json` so tables can order rows and columns as the config does. */
export function writeExperimentManifest(experimentDir: string, config: ExperimentConfig, configPath?: string): void {
  fs.mkdirSync(experimentDir, { recursive: true });
  const manifest: ExperimentManifest = {
    config,
    ...(configPath ? { configPath: path.resolve(configPath) } : {}),
    runIds: expandGrid(config).map((r) => r.runId),
    writtenAt: new Date().toISOString(),
  };
  writeJsonAtomic(path.join(experimentDir, EXPERIMENT_FILE), manifest);
}
