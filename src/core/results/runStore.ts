/**
 * Writes one run's folder. Order matters for crash safety: an epoch's metrics
 * line is appended before its checkpoint is replaced, and the status follows
 * both, so after a crash the checkpoint never runs ahead of the metrics (a
 * resumed run may redo one epoch; its new line then replaces the old one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSpec } from '../config/types';
import type { DatasetSummary } from '../data/types';
import { appendLine, readJsonIfExists, writeFileAtomic, writeJsonAtomic } from './atomicFile';
import { HOST } from './processAlive';
import { readMetrics, readRun, readSteps, stepBefore, type RunRecord } from './runReader';
import { extendBlocker, specChanges } from './staleness';
import { RUN_FILES, type EpochMetrics, type LogitHistograms, type RunState, type RunStatus, type RunSummary, type StepPoint, type WeightNorms } from './types';
import { percent } from '../util/format';

export { readExperiment, readRun, type RunRecord } from './runReader';

/**
 * What to do when the run folder already holds results: continue them, start over (force), or refuse;
 * 'extend' continues them also when the run is done and the spec asks only for more epochs (staleness.ts extendBlocker).
 */
export type ExistingResultsPolicy = 'resume' | 'restart' | 'refuse' | 'extend';

/** The folder holds results that this request would overwrite or mix with. */
export class RunExistsError extends Error {
  override name = 'RunExistsError';
}

/** Files of the run cannot be read (status.json, config.json): what it holds is unknown, so it is not trained over without 'restart'. */
export class RunDamagedError extends RunExistsError {
  override name = 'RunDamagedError';
}

/** What of a damaged run can still be read, for the message that refuses to train over it. */
function intactParts(run: RunRecord): string {
  const parts: string[] = [];
  if (run.spec) parts.push(RUN_FILES.config);
  if (run.metrics.length)
    parts.push(`${run.metrics.length} finished epoch${run.metrics.length === 1 ? '' : 's'} in ${RUN_FILES.metrics} (last test accuracy ${percentOrUnknown(run.metrics.at(-1)?.testAcc)})`);
  if (run.summary) parts.push(`${RUN_FILES.summary} (final test accuracy ${percent(run.summary.finalTestAcc)})`);
  if (run.hasCheckpoint) parts.push(RUN_FILES.checkpoint);
  return parts.length ? parts.join(', ') : 'nothing readable';
}

/** A finished run was asked to train again without 'restart'. */
export class RunAlreadyDoneError extends RunExistsError {
  override name = 'RunAlreadyDoneError';
}

/** Status changes a writer may make; 'done' is final until a restart clears the folder. */
const NEXT_STATES: Record<RunState, readonly RunState[]> = {
  queued: ['running', 'failed', 'stopped'],
  running: ['running', 'done', 'failed', 'stopped'],
  failed: ['queued', 'running'],
  stopped: ['queued', 'running'],
  done: [],
};

/**
 * Fields of a RunSpec (or dotted paths in it) that may change between a run and its resumption without changing its results' meaning.
 * training.logEvery only sets how often step points are recorded (runs from before its default became "about 20 per epoch" say 10).
 */
const RESUMABLE_CHANGES = new Set(['backend', 'threads', 'training.divergence', 'training.logEvery']);
const resumable = (difference: string) => RESUMABLE_CHANGES.has(difference.split('.')[0]) || RESUMABLE_CHANGES.has(difference.split('.').slice(0, 2).join('.'));

/** Dotted paths where two JSON values differ (at most `limit`). */
function differences(a: unknown, b: unknown, prefix = '', limit = 5): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return [prefix || '(whole config)'];
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k, limit)).slice(0, limit);
}

const percentOrUnknown = (acc: number | undefined) => (acc === undefined ? '?' : percent(acc));

export class RunWriter {
  private status: RunStatus | undefined;
  private lastEpoch = 0;
  /** The last step point in steps.jsonl (undefined: none). */
  private lastStep: StepPoint | undefined;

  constructor(readonly dir: string) {}

  /** The state this writer last wrote (undefined before `open`). */
  get state(): RunState | undefined {
    return this.status?.state;
  }

  file(name: keyof typeof RUN_FILES): string {
    return path.join(this.dir, RUN_FILES[name]);
  }

  /** What an earlier attempt left here; undefined when the folder holds no run. */
  existing(): RunRecord | undefined {
    if (![RUN_FILES.config, RUN_FILES.status, RUN_FILES.metrics].some((f) => fs.existsSync(path.join(this.dir, f)))) return undefined;
    return readRun(this.dir);
  }

  /**
   * Prepares the folder for `spec` and returns the finished epochs a resume
   * continues from ([] to start fresh). Refuses a done run unless `policy` is
   * 'restart', which deletes the earlier results first.
   */
  open(spec: RunSpec, policy: ExistingResultsPolicy = 'resume'): EpochMetrics[] {
    fs.mkdirSync(this.dir, { recursive: true });
    let prior = this.existing();
    if (prior && policy === 'restart') {
      this.clear();
      prior = undefined;
    }
    let epochs = prior?.metrics ?? [];
    if (prior) {
      const where = `run '${spec.runId}' in ${this.dir}`;
      const damaged = (prior.unreadable ?? []).filter((f) => f === RUN_FILES.status || f === RUN_FILES.config);
      if (damaged.length > 0) {
        throw new RunDamagedError(
          `${where} is damaged: ${damaged.join(' and ')} cannot be read, so it is not trained over; intact: ${intactParts(prior)}. ` +
            'Repair or delete the file, or run again with --restart (Start Over in VS Code) to train it from scratch',
        );
      }
      const extending = policy === 'extend' && prior.spec !== undefined && specChanges(prior.spec, spec).length > 0;
      if (extending) this.checkExtension(prior, spec, where);
      else if (prior.status?.state === 'done') {
        const acc = percentOrUnknown(prior.summary?.finalTestAcc ?? epochs.at(-1)?.testAcc);
        throw new RunAlreadyDoneError(`${where} is already done (${prior.status.epoch}/${prior.status.epochs} epochs, final test accuracy ${acc}); restart it (force) to train it again`);
      }
      if (policy === 'refuse' && epochs.length > 0) {
        throw new RunExistsError(`${where} already has ${epochs.length} finished epoch(s); resume or restart it`);
      }
      const changed = prior.spec ? differences(prior.spec, spec).filter((d) => !resumable(d)) : [];
      if (epochs.length > 0 && changed.length > 0 && !extending) {
        throw new RunExistsError(`${where} was started with a different config (changed: ${changed.join(', ')}); restart it to discard its ${epochs.length} finished epoch(s)`);
      }
      if (!prior.hasCheckpoint) epochs = []; // nothing to resume the weights from
      this.keepEpochs(epochs);
    }
    this.lastEpoch = epochs.at(-1)?.epoch ?? 0;
    // The epoch a resume redoes starts its step points afresh, like its metrics.
    if (prior) this.keepSteps(readSteps(this.dir, []).filter((p) => p.epoch <= this.lastEpoch));
    writeJsonAtomic(this.file('config'), spec);
    // Any earlier state is superseded here, including a 'running' left by a worker that died.
    this.writeStatus({ state: 'queued', epoch: this.lastEpoch, epochs: spec.training.epochs, backend: prior?.status?.backend });
    return epochs;
  }

  /**
   * A run trained on to more epochs: refused with the reason when the config changed otherwise or the schedule of
   * its trained epochs moved, or when it has no checkpoint to continue from; else its end files go (it is no longer done).
   */
  private checkExtension(prior: RunRecord, spec: RunSpec, where: string): void {
    const blocker = extendBlocker(prior.spec!, spec);
    if (blocker) throw new RunExistsError(`${where} cannot be extended: ${blocker}; retrain it (--restart, Start Over in VS Code)`);
    if (!prior.hasCheckpoint || prior.metrics.length === 0) {
      throw new RunExistsError(`${where} cannot be extended: it kept no checkpoint to train on from (runs finished before Loss Lab kept one); retrain it (--restart, Start Over in VS Code)`);
    }
    for (const name of [RUN_FILES.summary, RUN_FILES.logits, RUN_FILES.weightNorms]) fs.rmSync(path.join(this.dir, name), { force: true });
  }

  /** Updates status.json; throws on a change the lifecycle does not allow (a bug in the caller). */
  setStatus(change: Partial<Omit<RunStatus, 'updatedAt'>>): void {
    const current = this.status ?? readJsonIfExists<RunStatus>(this.file('status'));
    const next = { ...(current ?? { state: 'queued', epoch: 0, epochs: 0 }), ...change };
    if (current && !NEXT_STATES[current.state].includes(next.state)) {
      throw new Error(`run ${path.basename(this.dir)}: status cannot change from '${current.state}' to '${next.state}'`);
    }
    if (next.state !== 'failed' && next.state !== 'stopped') delete next.reason;
    this.writeStatus(next);
  }

  private writeStatus(status: Omit<RunStatus, 'updatedAt'>): void {
    this.status = { ...status, updatedAt: new Date().toISOString(), pid: process.pid, host: HOST };
    if (this.status.backend === undefined) delete this.status.backend;
    writeJsonAtomic(this.file('status'), this.status);
  }

  /** Appends one finished epoch. Redoing an epoch (after resuming from an older checkpoint) replaces it and any later ones. */
  appendEpoch(metrics: EpochMetrics): void {
    if (metrics.epoch > this.lastEpoch + 1) {
      throw new Error(`run ${path.basename(this.dir)}: epoch ${metrics.epoch} cannot follow epoch ${this.lastEpoch}`);
    }
    if (metrics.epoch <= this.lastEpoch) this.keepEpochs(readMetrics(this.dir, []).filter((m) => m.epoch < metrics.epoch));
    appendLine(this.file('metrics'), metrics);
    this.lastEpoch = metrics.epoch;
  }

  /** Appends one step point; a point at or before the last one (an epoch redone) replaces the points from it on. */
  appendStep(point: StepPoint): void {
    if (this.lastStep && !stepBefore(this.lastStep, point)) this.keepSteps(readSteps(this.dir, []).filter((p) => stepBefore(p, point)));
    // Not flushed to disk line by line: a point lost in a crash costs nothing, and they come up to every step.
    appendLine(this.file('steps'), point, { fsync: false });
    this.lastStep = point;
  }

  /** Rewrites steps.jsonl with just these points (also drops a torn last line); writes nothing when there is no file and nothing to keep. */
  private keepSteps(points: readonly StepPoint[]): void {
    this.lastStep = points.at(-1);
    if (points.length === 0 && !fs.existsSync(this.file('steps'))) return;
    writeFileAtomic(this.file('steps'), points.map((p) => JSON.stringify(p) + '\n').join(''));
  }

  /** Rewrites metrics.jsonl with just these epochs (also drops a torn last line). */
  private keepEpochs(epochs: readonly EpochMetrics[]): void {
    writeFileAtomic(this.file('metrics'), epochs.map((m) => JSON.stringify(m) + '\n').join(''));
  }

  writeSummary(summary: RunSummary): void {
    writeJsonAtomic(this.file('summary'), summary);
  }

  writeLogits(histograms: LogitHistograms): void {
    writeJsonAtomic(this.file('logits'), histograms);
  }

  writeDataset(summary: DatasetSummary): void {
    writeJsonAtomic(this.file('dataset'), summary);
  }

  writeWeightNorms(norms: WeightNorms): void {
    writeJsonAtomic(this.file('weightNorms'), norms);
  }

  /** The trainer's resume state (its format is the trainer's business), replaced atomically. */
  writeCheckpoint(bytes: Uint8Array): void {
    writeFileAtomic(this.file('checkpoint'), bytes);
  }

  readCheckpoint(): Uint8Array | undefined {
    try {
      return new Uint8Array(fs.readFileSync(this.file('checkpoint')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Removes every run file (and leftover temporaries), keeping the folder and anything else in it. */
  private clear(): void {
    for (const name of Object.values(RUN_FILES)) fs.rmSync(path.join(this.dir, name), { force: true });
    for (const name of fs.readdirSync(this.dir)) if (name.startsWith('.') && name.endsWith('.tmp')) fs.rmSync(path.join(this.dir, name), { force: true });
    this.status = undefined;
    this.lastEpoch = 0;
    this.lastStep = undefined;
  }
}
