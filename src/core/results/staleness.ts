/**
 * Whether a run's results still answer the experiment's config: a run is stale when the spec it was
 * trained with (its config.json) differs from the spec the config gives it now (say epochs 4 → 5), in
 * a field that changes what its results mean. The one comparison behind the tree, the panel, the
 * report, `losslab status` and Run's offer to extend or retrain; and whether extending is possible.
 */
import * as path from 'node:path';
import { expandGrid } from '../config/grid';
import type { ExperimentConfig, RunSpec } from '../config/types';
import { currentLossModuleHash, readLossModuleRecord } from './lossModuleRecord';
import { readRun } from './runReader';

/** Spec fields that do not change what a run's results mean (how it ran, how it is named). */
const NOT_MEANING = ['backend', 'threads', 'experiment', 'lossLabel', 'modelLabel', 'sweep', 'training.divergence', 'training.logEvery'];

export interface FieldChange {
  /** Dotted path in the RunSpec, e.g. `training.epochs`. */
  field: string;
  was: unknown;
  now: unknown;
}

const ignored = (field: string) => NOT_MEANING.some((f) => field === f || field.startsWith(`${f}.`));

function changes(was: unknown, now: unknown, prefix: string, out: FieldChange[]): void {
  if (ignored(prefix) || JSON.stringify(was) === JSON.stringify(now)) return;
  const bothObjects = typeof was === 'object' && typeof now === 'object' && was !== null && now !== null && !Array.isArray(was) && !Array.isArray(now);
  if (!bothObjects) {
    out.push({ field: prefix, was, now });
    return;
  }
  const a = was as Record<string, unknown>;
  const b = now as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])]) changes(a[key], b[key], prefix ? `${prefix}.${key}` : key, out);
}

/** The fields, in spec order, where the run's spec differs from the current one; [] when the run is current. */
export function specChanges(run: RunSpec, current: RunSpec): FieldChange[] {
  const out: FieldChange[] = [];
  changes(run, current, '', out);
  return out;
}

/** The field a custom loss module's changed code is reported as: its content hash, not in the spec. */
export const LOSS_MODULE_FIELD = 'loss.module content';

/** A custom loss run whose module's files hash differently now than when it trained (unrecorded: unchanged). */
function lossModuleChange(spec: RunSpec, runDir: string | undefined): FieldChange | undefined {
  if (spec.loss.name !== 'custom' || !runDir) return undefined;
  const record = readLossModuleRecord(runDir);
  if (!record) return undefined;
  const now = currentLossModuleHash(record);
  return now === record.hash ? undefined : { field: LOSS_MODULE_FIELD, was: `sha256 ${record.hash.slice(0, 12)}`, now: `sha256 ${now.slice(0, 12)}` };
}

/** specChanges, and a change of the custom loss module's code recorded in `runDir`. */
function runChanges(run: RunSpec, current: RunSpec, runDir: string | undefined): FieldChange[] {
  const module = lossModuleChange(current, runDir);
  return [...specChanges(run, current), ...(module ? [module] : [])];
}

const valueText = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

/** "training.epochs 4 → 5, training.lr 0.1 → 0.05". */
export function changesText(list: readonly FieldChange[]): string {
  return list.map((c) => `${c.field} ${valueText(c.was)} → ${valueText(c.now)}`).join(', ');
}

/** Why a run is stale, in one line for tooltips, tables and reports. */
export function staleReason(list: readonly FieldChange[]): string {
  return `trained with a different config: ${changesText(list)}`;
}

/** Stale runs of an experiment: run id → its changes, for each run on disk whose spec differs from what `config` gives it. */
export function staleRuns(config: ExperimentConfig | undefined, runs: readonly { runId: string; spec?: RunSpec; dir?: string }[]): Map<string, FieldChange[]> {
  const stale = new Map<string, FieldChange[]>();
  if (!config) return stale;
  let current: Map<string, RunSpec>;
  try {
    current = new Map(expandGrid(config).map((s) => [s.runId, s]));
  } catch {
    return stale; // a manifest that no longer expands: nothing to compare against
  }
  for (const run of runs) {
    const now = current.get(run.runId);
    if (!run.spec || !now) continue;
    const list = runChanges(run.spec, now, run.dir);
    if (list.length > 0) stale.set(run.runId, list);
  }
  return stale;
}

/**
 * Why a run trained with `run` cannot be extended to `current` by training on from its last checkpoint
 * (undefined: it can). Only more epochs can be added, and the lr schedule of the epochs already trained
 * must stay as it was: a milestone m lowers the lr from epoch m + 1 on, so the milestones below the old
 * last epoch must be the same; those at or after it only shape the new epochs.
 */
export function extendBlocker(run: RunSpec, current: RunSpec): string | undefined {
  const list = specChanges(run, current);
  const oldEpochs = run.training.epochs;
  const newEpochs = current.training.epochs;
  if (newEpochs <= oldEpochs) return newEpochs < oldEpochs ? `the config now has fewer epochs (${oldEpochs} → ${newEpochs})` : undefined;
  const other = list.filter((c) => c.field !== 'training.epochs' && c.field !== 'training.milestones');
  if (other.length > 0) return `${changesText(other)} changed, which the finished epochs were not trained with`;
  const before = (ms: readonly number[]) => ms.filter((m) => m < oldEpochs);
  const wasSchedule = before(run.training.milestones);
  const nowSchedule = before(current.training.milestones);
  if (JSON.stringify(wasSchedule) !== JSON.stringify(nowSchedule)) {
    return `the milestones within the first ${oldEpochs} epochs moved ([${wasSchedule.join(', ')}] → [${nowSchedule.join(', ')}]), so the epochs trained had another lr schedule`;
  }
  return undefined;
}

/** One line about an experiment's stale runs, for warnings, reports and `losslab status`. */
/** `advice`: what to do about them, where running the experiment again is not the way (SLURM). */
export function staleSummary(stale: ReadonlyMap<string, readonly FieldChange[]>, advice = 'Run the experiment to extend or retrain them.'): string {
  const fields = [...new Set([...stale.values()].flatMap((list) => list.map((c) => c.field)))];
  const n = stale.size;
  return `${n} run${n === 1 ? ' is' : 's are'} stale: trained with another ${fields.join(', ')} than the experiment's config now has; their results do not answer it. ${advice}`;
}

export interface StaleRun {
  runId: string;
  changes: FieldChange[];
  /** Why it cannot be trained on to the new spec (extendBlocker, or no checkpoint); undefined: it can. */
  cannotExtend?: string;
}

/** The runs of a grid about to run whose folders hold results of another spec: what Run offers to extend or retrain. */
export function staleInGrid(experimentDir: string, runs: readonly RunSpec[]): StaleRun[] {
  return runs.flatMap((spec) => {
    const runDir = path.join(experimentDir, spec.runId);
    const record = readRun(runDir);
    if (!record.spec) return [];
    const list = runChanges(record.spec, spec, runDir);
    if (list.length === 0) return [];
    const moduleChanged = list.some((c) => c.field === LOSS_MODULE_FIELD) ? "its loss module's code changed, which the finished epochs were not trained with" : undefined;
    const blocker = moduleChanged ?? extendBlocker(record.spec, spec) ?? (record.hasCheckpoint && record.metrics.length > 0 ? undefined : 'it kept no checkpoint to train on from');
    return [{ runId: spec.runId, changes: list, ...(blocker ? { cannotExtend: blocker } : {}) }];
  });
}
