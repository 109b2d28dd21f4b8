// The words of the Tuning section and the run table, against the fixture's hand-worked numbers (test/fixtures/searchExperiment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetText, chosenText, lastRung, paramsText, runSearchView, sameBudgetText } from '../../../src/core/search/summary';
import { searchRecord } from '../../fixtures/searchExperiment';

const record = searchRecord();
const [ce, bn] = record.studies;

test('budget used per study: trials run of the budget, epochs trained of the most they could have', () => {
  assert.equal(budgetText(record.budget, ce), '4 of 4 trials run · 11 of at most 16 epochs used (4 × 4)');
  assert.equal(budgetText(record.budget, bn), '3 of 4 trials run · 10 of at most 16 epochs used (4 × 4)');
  assert.equal(
    sameBudgetText(record.budget),
    'Every loss had the same budget: 4 trials of up to 4 epochs, compared at epochs 1, 2, 4 where the best 1/2 went on; the chosen configuration then trained with 2 seeds (1, 2).',
  );
});

test('the chosen configuration with its validation accuracy; none while tuning goes on', () => {
  assert.equal(chosenText(ce), 'trial 1: training.lr = 0.1 — 80% validation accuracy at epoch 4');
  assert.equal(chosenText(bn), 'trial 1: loss.m = 0.9, loss.eval = batch — 85% validation accuracy at epoch 4');
  assert.equal(chosenText({ ...ce, chosen: undefined }), undefined);
  assert.equal(paramsText({ 'training.lr': 0.1 + 0.2 }), 'training.lr = 0.3', 'no float noise');
});

test("a run's place in the search: a trial's state and the rung it reached, a final run's chosen trial", () => {
  assert.deepEqual(lastRung(ce.trials[3]), { epoch: 1, valAcc: 45 });
  assert.equal(lastRung({ ...ce.trials[0], rungs: [] }), undefined);
  const role = (trial: number) => ({ stage: 'trial' as const, study: ce.key, trial, params: {} });
  assert.deepEqual(runSearchView(role(0), record), { stage: 'trial', trial: 0, trialState: 'complete', rung: { reached: 3, of: 3, epoch: 4 } });
  assert.deepEqual(runSearchView(role(2), record), { stage: 'trial', trial: 2, trialState: 'pruned', rung: { reached: 1, of: 3, epoch: 1 } });
  assert.deepEqual(runSearchView(role(3), record), { stage: 'trial', trial: 3, trialState: 'failed', rung: { reached: 1, of: 3, epoch: 1 } });
  assert.deepEqual(runSearchView(role(9), record), { stage: 'trial', trial: 9 }, 'a trial search.json does not list yet');
  assert.deepEqual(runSearchView(role(0), undefined), { stage: 'trial', trial: 0 }, 'no search.json');
  assert.deepEqual(runSearchView({ stage: 'final', study: bn.key, trial: 1, params: {} }, record), { stage: 'final', trial: 1 });
});
