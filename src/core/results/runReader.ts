/**
 * Reads run folders back for tables, charts and resuming. Runs may be
 * unfinished, interrupted mid-write or from an older version, so nothing here
 * throws on a damaged file: it keeps what is readable and says what was not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSpec } from '../config/types';
import type { DatasetSummary } from '../data/types';
import { readSearchRecord } from '../search/readSearch';
import { readJsonIfExists, readJsonLines } from './atomicFile';
import { processGone } from './processAlive';
import { runTitle } from './runTitle';
import {
  EXPERIMENT_FILE,
  RUN_FILES,
  type EpochMetrics,
  type ExperimentManifest,
  type ExperimentRecord,
  type LogitHistograms,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type StepPoint,
  type WeightNorms,
} from './types';

// Defined beside the other result types so the webview can use them without this reader's fs.
export type { ExperimentRecord, RunRecord } from './types';

function readOptionalJson<T>(file: string, warnings: string[], unreadable?: string[]): T | undefined {
  try {
    return readJsonIfExists<T>(file);
  } catch (e) {
    warnings.push(`${path.basename(file)}: unreadable (${(e as Error).message.split('\n')[0]}); ignored`);
    unreadable?.push(path.basename(file));
    return undefined;
  }
}

const isEpochMetrics = (v: unknown): v is EpochMetrics => typeof v === 'object' && v !== null && Number.isInteger((v as EpochMetrics).epoch) && typeof (v as EpochMetrics).testAcc === 'number';

const isStepPoint = (v: unknown): v is StepPoint =>
  typeof v === 'object' &&
  v !== null &&
  Number.isInteger((v as StepPoint).epoch) &&
  Number.isInteger((v as StepPoint).step) &&
  Number.isInteger((v as StepPoint).stepsPerEpoch) &&
  Number.isInteger((v as StepPoint).globalStep) &&
  typeof (v as StepPoint).loss === 'number' &&
  typeof (v as StepPoint).acc === 'number' &&
  typeof (v as StepPoint).wallSeconds === 'number';

/**
 * The records of a JSON-lines log of the run, in order, with warnings for lines that are not
 * complete records. `before(a, b)`: a comes strictly before b; a record that does not come after
 * the one before it (a resumed run redoing an epoch) replaces the records from it on.
 */
function readRunLog<T>(dir: string, file: string, what: string, isRecord: (v: unknown) => v is T, before: (a: T, b: T) => boolean, warnings: string[]): { records: T[]; replaced: T[] } {
  let lines: ReturnType<typeof readJsonLines<unknown>>;
  try {
    lines = readJsonLines<unknown>(path.join(dir, file));
  } catch (e) {
    warnings.push(`${file}: unreadable (${(e as Error).message}); ignored`);
    return { records: [], replaced: [] };
  }
  const { values, badLines } = lines;
  for (const bad of badLines) {
    warnings.push(bad.last ? `${file}: line ${bad.line} is incomplete (the run was interrupted while writing it); kept the complete lines` : `${file}: line ${bad.line} is not valid JSON; skipped`);
  }
  const records: T[] = [];
  const replaced: T[] = [];
  for (const value of values) {
    if (!isRecord(value)) {
      warnings.push(`${file}: skipped a line that is not ${what}`);
      continue;
    }
    while (records.length > 0 && !before(records[records.length - 1], value)) replaced.push(records.pop()!);
    records.push(value);
  }
  return { records, replaced };
}

/** Complete epoch lines of metrics.jsonl, with warnings for the lines that are not. */
export function readMetrics(dir: string, warnings: string[]): EpochMetrics[] {
  const { records, replaced } = readRunLog(dir, RUN_FILES.metrics, 'an epoch record', isEpochMetrics, (a, b) => a.epoch < b.epoch, warnings);
  // The last record of an epoch wins (a resumed run redoing it); the writer never leaves two behind, so two are worth a word.
  const repeated = new Set(replaced.map((m) => m.epoch));
  if (repeated.size > 0) {
    const list = [...repeated].sort((a, b) => a - b).join(', ');
    warnings.push(
      `${RUN_FILES.metrics}: epoch${repeated.size === 1 ? '' : 's'} ${list} recorded more than once (two writers at once, or an interrupted rewrite); kept the last record of each (resuming the run rewrites the file that way)`,
    );
  }
  return records;
}

/** Orders step points by epoch, then step within it. */
export const stepBefore = (a: Pick<StepPoint, 'epoch' | 'step'>, b: Pick<StepPoint, 'epoch' | 'step'>): boolean => a.epoch < b.epoch || (a.epoch === b.epoch && a.step < b.step);

/** Complete step points of steps.jsonl in order; a point redone after a resume replaces the older ones from it on. */
export function readSteps(dir: string, warnings: string[]): StepPoint[] {
  return readRunLog(dir, RUN_FILES.steps, 'a step point', isStepPoint, stepBefore, warnings).records;
}

/** Reads a run folder's step points (readSteps, or a cache of it: core/results/stepsCache.ts). */
type StepsReader = (dir: string, warnings: string[]) => StepPoint[];

/** What to read beyond the run's small files. */
export interface ReadOptions {
  /** steps.jsonl too (true, or with this reader): about 20 lines per epoch per run, many times the rest, and only the results panel draws them. */
  steps?: boolean | StepsReader;
}

export function readRun(dir: string, options: ReadOptions = {}): RunRecord {
  const warnings: string[] = [];
  const unreadable: string[] = [];
  const file = (name: keyof typeof RUN_FILES) => path.join(dir, RUN_FILES[name]);
  const json = <T>(name: keyof typeof RUN_FILES) => readOptionalJson<T>(file(name), warnings, unreadable);
  const run: RunRecord = {
    dir,
    runId: path.basename(dir),
    spec: json<RunSpec>('config'),
    status: json<RunStatus>('status'),
    metrics: readMetrics(dir, warnings),
    ...(options.steps ? { steps: (options.steps === true ? readSteps : options.steps)(dir, warnings) } : {}),
    summary: json<RunSummary>('summary'),
    logits: json<LogitHistograms>('logits'),
    weightNorms: json<WeightNorms>('weightNorms'),
    dataset: json<DatasetSummary>('dataset'),
    hasCheckpoint: fs.existsSync(file('checkpoint')),
    warnings,
    unreadable,
  };
  const { status } = run;
  if (status && (status.state === 'running' || status.state === 'queued') && status.pid !== undefined && processGone(status.pid, status.host)) {
    const epochs = run.metrics.length;
    const kept = epochs > 0 ? `its ${epochs} finished epoch${epochs === 1 ? ' is' : 's are'} kept; run it again to resume` : 'run it again to start it';
    const reason = `interrupted: status.json says ${status.state}, but its process (pid ${status.pid}) is gone; ${kept}`;
    run.interrupted = { pid: status.pid, state: status.state };
    run.status = { ...status, state: 'stopped', reason };
    warnings.push(reason);
  }
  if (run.status?.state === 'done' && !run.summary) {
    warnings.push(`status is done but ${RUN_FILES.summary} is missing; using the last epoch's metrics`);
  }
  return run;
}

/** True for a folder that holds any run file (an experiment folder also holds other things). */
export function isRunDir(dir: string): boolean {
  return [RUN_FILES.config, RUN_FILES.status, RUN_FILES.metrics].some((f) => fs.existsSync(path.join(dir, f)));
}

export function readExperiment(experimentDir: string, options: ReadOptions = {}): ExperimentRecord {
  const warnings: string[] = [];
  const manifest = readOptionalJson<ExperimentManifest>(path.join(experimentDir, EXPERIMENT_FILE), warnings);
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(experimentDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && isRunDir(path.join(experimentDir, d.name)))
      .map((d) => d.name);
  } catch (e) {
    warnings.push(`${experimentDir}: cannot list runs (${(e as Error).message})`);
  }
  const gridOrder = new Map((manifest?.runIds ?? []).map((id, i) => [id, i]));
  const rank = (name: string) => gridOrder.get(name) ?? Number.MAX_SAFE_INTEGER;
  names.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const search = readSearchRecord(experimentDir, warnings);
  return {
    dir: experimentDir,
    name: path.basename(experimentDir),
    manifest,
    runs: names.map((name) => readRun(path.join(experimentDir, name), options)),
    ...(search ? { search } : {}),
    warnings,
  };
}

/** A run's title (runTitle.ts) from its config; the folder name when the run has no config. */
export function recordTitle(record: Pick<RunRecord, 'runId' | 'spec'>): string {
  return record.spec ? runTitle(record.spec) : record.runId;
}
