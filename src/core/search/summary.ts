/**
 * The words and numbers the panel's Tuning section, its run table and the report show of a search
 * (record.ts): the chosen configuration, the budget used, which rung a trial reached, and which
 * split each number comes from. Pure, so the panel (webview) and the report (Node) share it.
 */
import type { RunSearchRole } from '../config/types';
import { epochsUsed, type RungResult, type SearchBudget, type SearchParams, type SearchParamValue, type SearchRecord, type StudyRecord, type TrialRecord, type TrialState } from './record';

/** Where the Tuning section's accuracies come from: no test number ever decides a trial. */
export const TUNING_SPLIT_NOTE = 'Every accuracy in this section is on the validation split; the test split decided nothing here.';

/** The comparison table of a search experiment: only the final stage's runs, scored on test. */
export const FINAL_TABLE_NOTE = "The table compares the final-stage runs only (each loss's chosen configuration, one run per final seed), on the test split.";

/** A searched value as read: numbers without float noise (0.30000000000000004 → 0.3). */
export function paramText(value: SearchParamValue): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : String(value);
}

/** "loss.m = 0.3, training.lr = 0.05", in the record's order. */
export function paramsText(params: SearchParams): string {
  return Object.entries(params)
    .map(([field, value]) => `${field} = ${paramText(value)}`)
    .join(', ');
}

/** The searched fields: the study's space in its order, then any field a trial has that the space lacks. */
export function searchedFields(study: StudyRecord): string[] {
  const fields = Object.keys(study.space);
  for (const t of study.trials) for (const f of Object.keys(t.params)) if (!fields.includes(f)) fields.push(f);
  return fields;
}

/** The searched field is drawn on a log axis: its distribution in the config is `{ "log": [lo, hi] }`. */
export function isLogSpace(spec: unknown): boolean {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) && 'log' in spec;
}

/** The rung result a trial is ranked by: the last one it reached; none before its first rung. */
export function lastRung(trial: TrialRecord): RungResult | undefined {
  return trial.rungs.reduce<RungResult | undefined>((best, r) => (best === undefined || r.epoch > best.epoch ? r : best), undefined);
}

/** Trials whose curve is drawn faint: stopped for good at a rung, or broken. */
export const isFaint = (state: TrialState): boolean => state === 'pruned' || state === 'failed';

/** "trial 3: loss.m = 0.3 — 87.5% validation accuracy at epoch 9"; undefined while tuning goes on. */
export function chosenText(study: StudyRecord): string | undefined {
  const chosen = study.chosen;
  if (!chosen) return undefined;
  const params = paramsText(chosen.params);
  return `trial ${chosen.trial}${params ? `: ${params}` : ''} — ${paramText(chosen.valAcc)}% validation accuracy at epoch ${chosen.epoch}`;
}

/** "5 of 8 trials run · 42 of at most 72 epochs used (8 × 9)". */
export function budgetText(budget: SearchBudget, study: StudyRecord): string {
  const most = budget.trialsPerStudy * budget.maxEpochs;
  return `${study.trials.length} of ${budget.trialsPerStudy} trials run · ${epochsUsed(study)} of at most ${most} epochs used (${budget.trialsPerStudy} × ${budget.maxEpochs})`;
}

/** The fairness note under the studies: one budget for every loss. */
export function sameBudgetText(budget: SearchBudget): string {
  const seeds = budget.finalSeeds.length;
  return (
    `Every loss had the same budget: ${budget.trialsPerStudy} trials of up to ${budget.maxEpochs} epochs, ` +
    `compared at epochs ${budget.rungs.join(', ')} where the best 1/${budget.eta} went on; ` +
    `the chosen configuration then trained with ${seeds} seed${seeds === 1 ? '' : 's'} (${budget.finalSeeds.join(', ')}).`
  );
}

/** A study's heading: "Simple CNN · Scaled-BN". */
export const studyTitle = (study: StudyRecord): string => `${study.modelLabel} · ${study.lossLabel}`;

/** What the run table shows of a run's place in a search. */
export interface RunSearchView {
  stage: 'trial' | 'final';
  /** The trial's index; for a final run, the chosen trial's. */
  trial: number;
  /** The trial's state in search.json (trials only; absent when the record does not list it). */
  trialState?: TrialState;
  /** Rungs reached of the budget's rungs, and the epoch of the last one reached (trials only). */
  rung?: { reached: number; of: number; epoch: number };
}

/** A run's search role (its config) joined with what search.json says of its trial. */
export function runSearchView(role: RunSearchRole, record: SearchRecord | undefined): RunSearchView {
  if (role.stage === 'final') return { stage: 'final', trial: role.trial };
  const trial = record?.studies.find((s) => s.key === role.study)?.trials.find((t) => t.index === role.trial);
  const last = trial && lastRung(trial);
  const reached = trial ? new Set(trial.rungs.map((r) => r.epoch)).size : 0;
  return {
    stage: 'trial',
    trial: role.trial,
    ...(trial ? { trialState: trial.state } : {}),
    ...(last && record ? { rung: { reached, of: record.budget.rungs.length, epoch: last.epoch } } : {}),
  };
}
