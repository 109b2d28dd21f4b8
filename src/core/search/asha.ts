/**
 * Asynchronous successive halving (ASHA, Li et al. 2020): every trial first trains to the lowest
 * rung; a trial moves up a rung when its validation accuracy is in the top 1/η of the trials that
 * reached its rung so far, so promotions happen as results arrive, without waiting for a whole rung.
 * Trials left below the top rung when the budget is spent are pruned: kept on disk, never ranked.
 */

/** One trial's progress: `scores[k]` is its validation accuracy at rung k, for each rung it completed. */
export interface TrialProgress {
  index: number;
  scores: readonly number[];
  /** Training towards its next rung now. */
  running: boolean;
}

export type AshaDecision = { action: 'promote'; index: number; rung: number } | { action: 'start' } | { action: 'wait' } | { action: 'finished' };

/**
 * The epochs at which trials are compared: minEpochs·η^k below `epochs`, then `epochs` itself
 * (the top rung, where the chosen configuration is read).
 */
export function rungEpochs(epochs: number, minEpochs: number, eta: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; r < epochs; r *= eta) rungs.push(Math.round(r));
  return [...new Set([...rungs, epochs])];
}

/** Higher score first (a NaN, from a diverged trial, last); the earlier trial wins a tie, so decisions do not depend on arrival order. */
const byScore = (rung: number) => (a: TrialProgress, b: TrialProgress) => {
  const [x, y] = [a.scores[rung], b.scores[rung]].map((s) => (Number.isNaN(s) ? -Infinity : s));
  return x > y ? -1 : x < y ? 1 : a.index - b.index;
};

/** Trials that completed rung k and are in its top ⌊n/η⌋, best first, not yet moved past it; a diverged trial (NaN) never moves. */
function promotable(trials: readonly TrialProgress[], rung: number, eta: number): TrialProgress[] {
  const reached = trials.filter((t) => t.scores.length > rung).sort(byScore(rung));
  return reached.slice(0, Math.floor(reached.length / eta)).filter((t) => t.scores.length === rung + 1 && !t.running && !Number.isNaN(t.scores[rung]));
}

/**
 * What a free worker does next: promote the best promotable trial of the highest rung, else start a
 * new trial while the budget lasts, else wait for running trials; finished when none run.
 */
export function nextDecision(trials: readonly TrialProgress[], rungCount: number, eta: number, budget: number): AshaDecision {
  for (let rung = rungCount - 2; rung >= 0; rung--) {
    const [best] = promotable(trials, rung, eta);
    if (best) return { action: 'promote', index: best.index, rung: rung + 1 };
  }
  if (trials.length < budget) return { action: 'start' };
  return trials.some((t) => t.running) ? { action: 'wait' } : { action: 'finished' };
}

/** Once the search is finished: the trials that stopped below the top rung. */
export function prunedTrials(trials: readonly TrialProgress[], rungCount: number): number[] {
  return trials.filter((t) => t.scores.length < rungCount).map((t) => t.index);
}

/** The trial whose configuration goes to the final stage: the best validation accuracy at the top rung. */
export function bestTrial(trials: readonly TrialProgress[], rungCount: number): number | undefined {
  return trials.filter((t) => t.scores.length >= rungCount).sort(byScore(rungCount - 1))[0]?.index;
}
