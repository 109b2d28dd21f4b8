/**
 * A search's state rebuilt from its run files (the source of truth for epochs and accuracies) and
 * what a free lane does next. Only validation accuracy is read here: the test split never reaches
 * a decision, whatever the run files hold.
 */
import type { EpochMetrics, RunState } from '../results/types';
import { nextDecision, type TrialProgress } from './asha';
import type { RungResult, SearchBudget, StudyRecord, TrialRecord, TrialState } from './record';

/** What the driver knows of one trial: read from its run folder. */
export interface TrialFiles {
  index: number;
  metrics: readonly Pick<EpochMetrics, 'epoch' | 'valAcc'>[];
  /** status.json's state; undefined when the run has not written one. */
  state?: RunState;
}

/** Validation accuracy (%) at each rung the trial finished; a failed trial scores NaN at the rung it did not reach. */
export function rungResults(trial: TrialFiles, rungs: readonly number[]): RungResult[] {
  const reached: RungResult[] = [];
  for (const epoch of rungs) {
    const m = trial.metrics.find((x) => x.epoch === epoch);
    if (!m) break;
    reached.push({ epoch, valAcc: typeof m.valAcc === 'number' ? m.valAcc * 100 : NaN });
  }
  return reached;
}

export function trialProgress(trial: TrialFiles, rungs: readonly number[], running: boolean): TrialProgress {
  const scores = rungResults(trial, rungs).map((r) => r.valAcc);
  if (trial.state === 'failed' && !running && scores.length < rungs.length) scores.push(NaN);
  return { index: trial.index, scores, running };
}

/** The epoch a trial must still reach before any new decision: it was promoted (or started) and interrupted on the way. */
export function unfinishedTarget(trial: TrialFiles, rungs: readonly number[]): number | undefined {
  if (trial.state === 'failed' || trial.state === 'done') return undefined;
  const epochs = trial.metrics.length;
  if (rungs.includes(epochs)) return undefined;
  return rungs.find((r) => r > epochs);
}

export type LaneStep = { action: 'train'; study: number; trial: number; untilEpoch: number } | { action: 'wait' } | { action: 'finished' };

export interface StudyFiles {
  /** Trials started so far (their folders exist), by index. */
  trials: readonly TrialFiles[];
  running: ReadonlySet<number>;
}

/**
 * A free lane's next step over all studies: first a trial interrupted on its way to a rung, then
 * ASHA's best promotion, then a new trial in the study with the fewest, else wait or finish.
 */
export function nextLaneStep(studies: readonly StudyFiles[], budget: SearchBudget): LaneStep {
  const { rungs, eta, trialsPerStudy } = budget;
  for (const [s, study] of studies.entries()) {
    for (const t of study.trials) {
      const target = study.running.has(t.index) ? undefined : unfinishedTarget(t, rungs);
      if (target !== undefined) return { action: 'train', study: s, trial: t.index, untilEpoch: target };
    }
  }
  const decisions = studies.map((study) =>
    nextDecision(
      study.trials.map((t) => trialProgress(t, rungs, study.running.has(t.index))),
      rungs.length,
      eta,
      trialsPerStudy,
    ),
  );
  const promoted = decisions.findIndex((d) => d.action === 'promote');
  if (promoted >= 0) {
    const d = decisions[promoted] as Extract<(typeof decisions)[number], { action: 'promote' }>;
    return { action: 'train', study: promoted, trial: d.index, untilEpoch: rungs[d.rung] };
  }
  const starts = decisions.flatMap((d, s) => (d.action === 'start' ? [s] : [])).sort((a, b) => studies[a].trials.length - studies[b].trials.length || a - b);
  if (starts.length > 0) {
    const s = starts[0];
    const taken = new Set(studies[s].trials.map((t) => t.index));
    let index = 0;
    while (taken.has(index)) index++;
    return { action: 'train', study: s, trial: index, untilEpoch: rungs[0] };
  }
  return decisions.some((d) => d.action === 'wait') ? { action: 'wait' } : { action: 'finished' };
}

/**
 * The configuration the final stage trains: the best validation accuracy at the highest rung any
 * trial reached (a search too small for ASHA to promote still chooses); ties go to the lower index.
 */
export function chooseTrial(trials: readonly TrialProgress[]): { index: number; rung: number } | undefined {
  const scored = trials.flatMap((t) => t.scores.map((score, rung) => ({ index: t.index, rung, score }))).filter((x) => !Number.isNaN(x.score));
  if (scored.length === 0) return undefined;
  const top = Math.max(...scored.map((x) => x.rung));
  const best = scored.filter((x) => x.rung === top).sort((a, b) => b.score - a.score || a.index - b.index)[0];
  return { index: best.index, rung: top };
}

/** A trial's state for search.json; `settled`: tuning has ended, so a trial left below the top rung is pruned. */
export function trialState(trial: TrialFiles, rungs: readonly number[], running: boolean, settled: boolean): TrialState {
  if (running) return 'running';
  if (trial.state === 'failed') return 'failed';
  if (rungResults(trial, rungs).length === rungs.length) return 'complete';
  return settled ? 'pruned' : 'paused';
}

export function trialRecord(trial: TrialFiles, runId: string, params: TrialRecord['params'], rungs: readonly number[], running: boolean, settled: boolean): TrialRecord {
  return { index: trial.index, runId, params, state: trialState(trial, rungs, running, settled), epochs: trial.metrics.length, rungs: rungResults(trial, rungs) };
}

/** "tuning: 14/24 trials · 3 pruned" and its parts, for progress lines. */
export function tuningText(studies: readonly Pick<StudyRecord, 'trials'>[], budget: SearchBudget): string {
  const trials = studies.flatMap((s) => s.trials);
  const count = (state: TrialState) => trials.filter((t) => t.state === state).length;
  const parts = [`tuning: ${trials.length}/${budget.trialsPerStudy * studies.length} trials`];
  for (const state of ['running', 'paused', 'complete', 'pruned', 'failed'] as const) if (count(state) > 0) parts.push(`${count(state)} ${state}`);
  return parts.join(' · ');
}
