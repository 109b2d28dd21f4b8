// ASHA's decisions worked by hand (Li et al. 2020, Algorithm 2), and a simulated search whose
// trials have a known quality: the best one must reach the top rung, and every promotion is of a
// trial in the top 1/η of its rung when it moves (asynchrony lets the total run past 1/η: the paper's
// mispromotions, bounded by the √n argument of its section 3.3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestTrial, nextDecision, prunedTrials, rungEpochs, type TrialProgress } from '../../../src/core/search/asha';

const trial = (index: number, scores: number[], running = false): TrialProgress => ({ index, scores, running });

test('rungs: minEpochs·η^k below the epochs, then the epochs', () => {
  assert.deepEqual(rungEpochs(27, 1, 3), [1, 3, 9, 27]);
  assert.deepEqual(rungEpochs(10, 2, 2), [2, 4, 8, 10]);
  assert.deepEqual(rungEpochs(9, 1, 3), [1, 3, 9]);
  assert.deepEqual(rungEpochs(5, 5, 3), [5], 'no room for a lower rung');
});

test('a trial moves up only from the top 1/η of its rung, the highest rung first', () => {
  assert.deepEqual(nextDecision([], 3, 3, 9), { action: 'start' });
  // Two results at rung 0: ⌊2/3⌋ = 0 may move up, so start another.
  assert.deepEqual(nextDecision([trial(0, [0.5]), trial(1, [0.7])], 3, 3, 9), { action: 'start' });
  // Three: the best (0.7) moves to rung 1.
  const three = [trial(0, [0.5]), trial(1, [0.7]), trial(2, [0.6])];
  assert.deepEqual(nextDecision(three, 3, 3, 9), { action: 'promote', index: 1, rung: 1 });
  // Once it runs (or has moved up), nobody else from rung 0 qualifies until six have reported.
  assert.deepEqual(nextDecision([trial(0, [0.5]), trial(1, [0.7], true), trial(2, [0.6])], 3, 3, 9), { action: 'start' });
  // Rung 1 has three results: its best goes to rung 2 before rung 0's candidate moves.
  const deep = [trial(0, [0.9, 0.91]), trial(1, [0.8, 0.95]), trial(2, [0.85, 0.9]), ...[3, 4, 5, 6, 7, 8].map((i) => trial(i, [0.1 * (i - 2)]))];
  assert.deepEqual(nextDecision(deep, 3, 3, 9), { action: 'promote', index: 1, rung: 2 });
  // A tie goes to the earlier trial; a diverged trial (NaN) ranks last.
  assert.deepEqual(nextDecision([trial(0, [NaN]), trial(1, [0.6]), trial(2, [0.6])], 3, 3, 9), { action: 'promote', index: 1, rung: 1 });
});

test('the budget spent: wait while trials run, then finished, with the rest pruned', () => {
  const spent = [trial(0, [0.5]), trial(1, [0.7, 0.8, 0.9]), trial(2, [0.6], true)];
  assert.deepEqual(nextDecision(spent, 3, 3, 3), { action: 'wait' });
  const done = [trial(0, [0.5]), trial(1, [0.7, 0.8, 0.9]), trial(2, [0.6])];
  assert.deepEqual(nextDecision(done, 3, 3, 3), { action: 'finished' });
  assert.deepEqual(prunedTrials(done, 3), [0, 2]);
  assert.equal(bestTrial(done, 3), 1);
  assert.equal(bestTrial([trial(0, [0.5])], 3), undefined, 'nothing reached the top rung');
});

test("a simulated search with two workers: the best trial reaches the top, each promotion from its rung's top 1/η", () => {
  // Trial i has quality q(i), a permutation of 0..26; its score at any rung is its quality (learning curves never cross).
  const eta = 3;
  const rungs = rungEpochs(27, 1, eta).length;
  const budget = 27;
  const quality = (i: number) => (i * 11) % 27;
  const trials: { index: number; scores: number[]; running: boolean; target: number }[] = [];
  let finished = false;
  for (let step = 0; step < 1000 && !finished; step++) {
    // Each worker asks for work; then the running trial that started first reports.
    for (let worker = trials.filter((t) => t.running).length; worker < 2; worker++) {
      const d = nextDecision(trials, rungs, eta, budget);
      if (d.action === 'start') trials.push({ index: trials.length, scores: [], running: true, target: 0 });
      else if (d.action === 'promote') {
        const t = trials[d.index];
        assert.equal(t.scores.length, d.rung, 'promoted from the rung it finished');
        const reached = trials.filter((o) => o.scores.length >= d.rung);
        const better = reached.filter((o) => o.scores[d.rung - 1] > t.scores[d.rung - 1]).length;
        assert.ok(better < Math.floor(reached.length / eta), `trial ${t.index} ranks ${better + 1} of ${reached.length} at rung ${d.rung - 1}`);
        Object.assign(t, { running: true, target: d.rung });
      } else if (d.action === 'finished') finished = true;
    }
    const next = trials.find((t) => t.running);
    if (next) Object.assign(next, { scores: [...next.scores, quality(next.index)], running: false });
  }
  assert.ok(finished, 'the search ends');
  assert.equal(trials.length, budget);
  assert.ok(trials.filter((t) => t.scores.length === rungs).length >= 1);
  const best = trials.reduce((a, b) => (quality(b.index) > quality(a.index) ? b : a));
  assert.equal(bestTrial(trials, rungs), best.index);
  assert.equal(prunedTrials(trials, rungs).length, budget - trials.filter((t) => t.scores.length === rungs).length);
});
