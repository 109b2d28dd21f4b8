/**
 * What a hyperparameter search leaves in its experiment folder (`search.json`): one study per model
 * and loss entry, its trials and the rungs they reached, and the configuration each study chose for
 * the final stage. The search driver writes it (atomically); the CLI's tables, the panel's Tuning
 * section and the report read it. Accuracies here are validation accuracies only: the test split
 * never reaches a search decision.
 */

export const SEARCH_FILE = 'search.json';

/** A searched field's value in one trial. */
export type SearchParamValue = number | string | boolean;

/** Searched values of a trial, keyed by where they live in the run's config: `loss.m`, `loss.options.gamma`, `training.lr`. */
export type SearchParams = Record<string, SearchParamValue>;

/**
 * `running`: training towards its next rung; `paused`: at a rung, waiting for a promotion;
 * `pruned`: stopped at a rung for good (never ranked, kept on disk); `complete`: trained all epochs;
 * `failed`: diverged or crashed (never ranked).
 */
export type TrialState = 'running' | 'paused' | 'pruned' | 'complete' | 'failed';

export interface RungResult {
  /** The rung's epoch (finished epochs). */
  epoch: number;
  /** Validation accuracy (%) after that epoch. */
  valAcc: number;
}

export interface TrialRecord {
  index: number;
  /** The trial's run folder name, ending in `__trial<index>`. */
  runId: string;
  params: SearchParams;
  state: TrialState;
  /** Epochs trained so far. */
  epochs: number;
  rungs: RungResult[];
}

export interface StudyRecord {
  /** Folder-safe, e.g. `simple-cnn-w1__scaled-bn`. */
  key: string;
  modelLabel: string;
  /** The loss entry's label without its searched values, e.g. "Scaled-BN". */
  lossLabel: string;
  /** The searched fields, as written in the config (`{ "log": [0.01, 0.3] }`, a list, …), keyed as in `SearchParams`. */
  space: Record<string, unknown>;
  trials: TrialRecord[];
  /** The trial the final stage trains again with each final seed, once tuning has ended. */
  chosen?: { trial: number; params: SearchParams; valAcc: number; epoch: number };
  /** Final-stage runs of the chosen configuration, one per final seed. */
  finalRunIds: string[];
}

export interface SearchBudget {
  /** Trials per study: the same for every loss, so the comparison is fair by construction. */
  trialsPerStudy: number;
  maxEpochs: number;
  /** Epochs at which trials are compared and the worst stopped (ascending, the last is `maxEpochs`). */
  rungs: number[];
  /** Keep the best 1/eta of each rung. */
  eta: number;
  finalSeeds: number[];
}

export interface SearchRecord {
  version: 1;
  stage: 'tuning' | 'final' | 'done';
  budget: SearchBudget;
  studies: StudyRecord[];
}

/** Epochs all trials of a study trained: the share of the budget it used. */
export function epochsUsed(study: StudyRecord): number {
  return study.trials.reduce((sum, t) => sum + t.epochs, 0);
}

/** A `search.json` as read from disk; undefined when the text is not one (damaged, or another version). */
export function parseSearchRecord(text: string): SearchRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<SearchRecord>;
  if (record.version !== 1 || !Array.isArray(record.studies) || typeof record.budget !== 'object' || record.budget === null) return undefined;
  return record as SearchRecord;
}
