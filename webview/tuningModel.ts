/**
 * What the Tuning section draws for each study of a search (core/search/record.ts): every trial's
 * validation accuracy over epochs, and validation accuracy against each searched value. Pure, so
 * it is tested against hand-computed values; webview/tuningCharts.ts draws it.
 */
import type { SearchRecord, StudyRecord, TrialRecord } from '../src/core/search/record';
import { budgetText, chosenText, isFaint, isLogSpace, lastRung, paramText, searchedFields, studyTitle } from '../src/core/search/summary';
import type { EpochMetrics } from '../src/core/results/types';
import type { Point } from './series';

/** How a trial is drawn: the chosen one on top, pruned and failed ones faint, the rest plain. */
export type TrialEmphasis = 'chosen' | 'faint' | 'plain';

export interface TrialLine {
  trial: number;
  label: string;
  emphasis: TrialEmphasis;
  /** x: epoch, y: validation accuracy (%). */
  points: Point[];
}

export interface ParamScatter {
  /** The searched field as keyed in the trials' params (`loss.m`). */
  field: string;
  log: boolean;
  /** For a field of words or booleans: the values in order, each plotted at its index. */
  categories?: string[];
  /** x: the value (or its category's index), y: the validation accuracy (%) the trial is ranked by. */
  points: (Point & { trial: number; emphasis: TrialEmphasis })[];
}

export interface StudyView {
  key: string;
  title: string;
  lines: TrialLine[];
  scatters: ParamScatter[];
  /** The chosen configuration in words; undefined while tuning goes on. */
  chosen?: string;
  budget: string;
}

function trialEmphasis(study: StudyRecord, trial: TrialRecord): TrialEmphasis {
  if (study.chosen?.trial === trial.index) return 'chosen';
  return isFaint(trial.state) ? 'faint' : 'plain';
}

/**
 * A trial's validation accuracy per epoch: from its run's metrics.jsonl (every epoch), else from
 * the rungs search.json lists (a run folder not there, or not read yet).
 */
function trialPoints(trial: TrialRecord, metrics: readonly EpochMetrics[] | undefined): Point[] {
  const fromRun = (metrics ?? []).filter((m) => typeof m.valAcc === 'number').map((m) => ({ x: m.epoch, y: m.valAcc! * 100 }));
  if (fromRun.length > 0) return fromRun;
  return [...trial.rungs].sort((a, b) => a.epoch - b.epoch).map((r) => ({ x: r.epoch, y: r.valAcc }));
}

const trialLabel = (trial: TrialRecord) => `trial ${trial.index} (${trial.state})`;

export function trialLines(study: StudyRecord, metricsOf: (runId: string) => readonly EpochMetrics[] | undefined): TrialLine[] {
  const order: Record<TrialEmphasis, number> = { faint: 0, plain: 1, chosen: 2 };
  // The chosen trial last, so it is drawn over the others.
  return study.trials
    .map((trial) => ({ trial: trial.index, label: trialLabel(trial), emphasis: trialEmphasis(study, trial), points: trialPoints(trial, metricsOf(trial.runId)) }))
    .sort((a, b) => order[a.emphasis] - order[b.emphasis] || a.trial - b.trial);
}

export function paramScatters(study: StudyRecord): ParamScatter[] {
  const ranked = study.trials.flatMap((trial) => {
    const rung = lastRung(trial);
    return rung ? [{ trial, valAcc: rung.valAcc }] : [];
  });
  return searchedFields(study).map((field) => {
    const values = ranked.filter((r) => r.trial.params[field] !== undefined);
    const numeric = values.every((r) => typeof r.trial.params[field] === 'number');
    const categories = numeric ? undefined : [...new Set(values.map((r) => paramText(r.trial.params[field])))].sort();
    const points = values.map(({ trial, valAcc }) => {
      const value = trial.params[field];
      const x = categories ? categories.indexOf(paramText(value)) : (value as number);
      return { x, y: valAcc, trial: trial.index, emphasis: trialEmphasis(study, trial) };
    });
    // A log axis cannot show zero or less: such a field is drawn linear.
    const log = !categories && isLogSpace(study.space[field]) && points.every((p) => p.x > 0);
    return { field, log, ...(categories ? { categories } : {}), points };
  });
}

export function studyViews(record: SearchRecord, metricsOf: (runId: string) => readonly EpochMetrics[] | undefined): StudyView[] {
  return record.studies.map((study) => {
    const chosen = chosenText(study);
    return {
      key: study.key,
      title: studyTitle(study),
      lines: trialLines(study, metricsOf),
      scatters: paramScatters(study),
      ...(chosen ? { chosen } : {}),
      budget: budgetText(record.budget, study),
    };
  });
}
