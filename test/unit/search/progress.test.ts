// The driver's decisions from run files, worked by hand, and the honesty check: test accuracy
// never reaches a decision, whatever the run files hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/results/types';
import type { SearchBudget } from '../../../src/core/search/record';
import { chooseTrial, nextLaneStep, rungResults, trialProgress, trialState, tuningText, unfinishedTarget, type TrialFiles } from '../../../src/core/search/progress';

const budget: SearchBudget = { trialsPerStudy: 3, maxEpochs: 3, rungs: [1, 3], eta: 3, finalSeeds: [1, 2] };

/** Epochs whose validation accuracies are `val` and whose test accuracies are `test` (fractions). */
function epochs(val: number[], test: number[] = val): EpochMetrics[] {
  return val.map((v, i) => ({ epoch: i + 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: test[i], valLoss: 1, valAcc: v, lr: 0.1, seconds: 1, imagesPerSec: 1 }));
}
const trial = (index: number, val: number[], test?: number[], state?: TrialFiles['state']): TrialFiles => ({ index, metrics: epochs(val, test), state: state ?? (val.length ? 'stopped' : undefined) });
const study = (trials: TrialFiles[], running: number[] = []) => ({ trials, running: new Set(running) });

test('rungs reached read validation accuracy in percent; a failed trial scores NaN at the rung it missed', () => {
  assert.deepEqual(rungResults(trial(0, [0.5, 0.6, 0.7]), [1, 3]), [
    { epoch: 1, valAcc: 50 },
    { epoch: 3, valAcc: 70 },
  ]);
  assert.deepEqual(trialProgress(trial(0, [0.5, 0.6], undefined, 'failed'), [1, 3], false).scores, [50, NaN]);
  assert.equal(trialState(trial(0, [0.5]), [1, 3], false, false), 'paused');
  assert.equal(trialState(trial(0, [0.5]), [1, 3], false, true), 'pruned');
  assert.equal(trialState(trial(0, [0.5, 0.6, 0.7], undefined, 'done'), [1, 3], false, true), 'complete');
});

test('a lane first finishes a trial interrupted between rungs, then promotes, then starts, then waits', () => {
  // Trial 0 was promoted and stopped after epoch 2: it goes on to epoch 3 before anything new.
  assert.equal(unfinishedTarget(trial(0, [0.5, 0.6]), [1, 3]), 3);
  assert.deepEqual(nextLaneStep([study([trial(0, [0.5, 0.6])])], budget), { action: 'train', study: 0, trial: 0, untilEpoch: 3 });
  assert.deepEqual(nextLaneStep([study([trial(0, [0.5]), trial(1, [0.7]), trial(2, [0.6])])], budget), { action: 'train', study: 0, trial: 1, untilEpoch: 3 });
  // The study with fewer trials starts next; the lowest free index.
  assert.deepEqual(nextLaneStep([study([trial(0, [0.5]), trial(1, [])], [1]), study([])], budget), { action: 'train', study: 1, trial: 0, untilEpoch: 1 });
  assert.deepEqual(nextLaneStep([study([trial(0, [0.5]), trial(1, [0.7]), trial(2, [], undefined)], [2])], budget), { action: 'wait' });
  assert.deepEqual(nextLaneStep([study([trial(0, [0.5]), trial(1, [0.7, 0.8, 0.9], undefined, 'done'), trial(2, [0.6])])], budget), { action: 'finished' });
  // Three trials that diverged in epoch 1: none is promoted.
  const failed = [0, 1, 2].map((i) => trial(i, [], undefined, 'failed'));
  assert.deepEqual(nextLaneStep([study(failed)], budget), { action: 'finished' });
});

test('the chosen trial: best at the highest rung any trial reached, ties to the lower index, NaN never', () => {
  assert.deepEqual(
    chooseTrial([
      { index: 0, scores: [90], running: false },
      { index: 1, scores: [50, 60], running: false },
    ]),
    { index: 1, rung: 1 },
  );
  assert.deepEqual(
    chooseTrial([
      { index: 0, scores: [70], running: false },
      { index: 1, scores: [70], running: false },
    ]),
    { index: 0, rung: 0 },
  );
  assert.deepEqual(
    chooseTrial([
      { index: 0, scores: [70, NaN], running: false },
      { index: 1, scores: [60], running: false },
    ]),
    { index: 0, rung: 0 },
  );
  assert.equal(chooseTrial([{ index: 0, scores: [NaN], running: false }]), undefined);
});

test('honesty: test accuracies planted to disagree with validation change no promotion and no choice', () => {
  // Validation ranks 1 > 2 > 0; test ranks the reverse. Every decision must follow validation.
  const val = [[0.5], [0.9], [0.7]];
  const test = [[0.99], [0.1], [0.5]];
  const trials = val.map((v, i) => trial(i, v, test[i]));
  assert.deepEqual(nextLaneStep([study(trials)], budget), { action: 'train', study: 0, trial: 1, untilEpoch: 3 });
  const top = [trial(0, [0.5, 0.6, 0.6], [0.99, 0.99, 0.99], 'done'), trial(1, [0.9, 0.9, 0.8], [0.1, 0.1, 0.1], 'done'), trial(2, [0.7], [0.5])];
  assert.deepEqual(chooseTrial(top.map((t) => trialProgress(t, budget.rungs, false))), { index: 1, rung: 1 });
  assert.deepEqual(
    top.map((t) => rungResults(t, budget.rungs).map((r) => r.valAcc)),
    [[50, 60], [90, 80], [70]],
    'search.json records validation accuracy only',
  );
});

test('progress line: trials started of the budget, then counts by state', () => {
  const trials = (states: string[]) => states.map((state, index) => ({ index, runId: '', params: {}, state, epochs: 1, rungs: [] }));
  assert.equal(
    tuningText([{ trials: trials(['running', 'paused', 'paused']) as never }, { trials: trials(['pruned', 'complete']) as never }], budget),
    'tuning: 5/6 trials · 1 running · 2 paused · 1 complete · 1 pruned',
  );
});
