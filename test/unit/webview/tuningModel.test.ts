// The Tuning section's charts as data, against the fixture's hand-worked numbers (test/fixtures/searchExperiment.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics } from '../../../src/core/results/types';
import { paramScatters, studyViews, trialLines } from '../../../webview/tuningModel';
import { searchRecord } from '../../fixtures/searchExperiment';

const record = searchRecord();
const [ce, bn] = record.studies;
const noRuns = () => undefined;
const epoch = (e: number, valAcc?: number): EpochMetrics => ({
  epoch: e,
  trainLoss: 1,
  trainAcc: 0.5,
  testLoss: 1,
  testAcc: 0.5,
  ...(valAcc !== undefined ? { valAcc } : {}),
  lr: 0.1,
  seconds: 1,
  imagesPerSec: 1,
});

test('trial curves: pruned and failed faint, the chosen trial drawn last, each from its rungs when no run is read', () => {
  const lines = trialLines(ce, noRuns);
  assert.deepEqual(
    lines.map((l) => [l.trial, l.emphasis, l.label]),
    [
      [2, 'faint', 'trial 2 (pruned)'],
      [3, 'faint', 'trial 3 (failed)'],
      [0, 'plain', 'trial 0 (complete)'],
      [1, 'chosen', 'trial 1 (complete)'],
    ],
  );
  assert.deepEqual(lines.find((l) => l.trial === 0)!.points, [
    { x: 1, y: 40 },
    { x: 2, y: 55 },
    { x: 4, y: 70 },
  ]);
});

test("trial curves: every epoch of the trial's metrics.jsonl, valAcc in percent; epochs without valAcc left out", () => {
  const metrics = new Map([[ce.trials[0].runId, [epoch(1, 0.4), epoch(2, 0.55), epoch(3), epoch(4, 0.7)]]]);
  const line = trialLines(ce, (id) => metrics.get(id)).find((l) => l.trial === 0)!;
  assert.deepEqual(
    line.points.map((p) => [p.x, Number(p.y.toFixed(9))]),
    [
      [1, 40],
      [2, 55],
      [4, 70],
    ],
  );
});

test('scatter: each trial at its last rung against the searched value; log x for a log distribution', () => {
  const [lr] = paramScatters(ce);
  assert.equal(lr.field, 'training.lr');
  assert.equal(lr.log, true);
  assert.equal(lr.categories, undefined);
  assert.deepEqual(
    lr.points.map((p) => [p.trial, p.x, p.y, p.emphasis]),
    [
      [0, 0.01, 70, 'plain'],
      [1, 0.1, 80, 'chosen'],
      [2, 0.3, 30, 'faint'],
      [3, 0.03, 45, 'faint'],
    ],
  );
  const [m, evalMode] = paramScatters(bn);
  assert.equal(m.log, false, 'a list of values is drawn on a linear axis');
  assert.deepEqual(
    m.points.map((p) => [p.x, p.y]),
    [
      [0.5, 78],
      [0.9, 85],
      [0.9, 60],
    ],
  );
  assert.deepEqual(evalMode.categories, ['batch', 'running'], 'words: a category axis, in order');
  assert.deepEqual(
    evalMode.points.map((p) => [p.x, p.y]),
    [
      [1, 78],
      [0, 85],
      [1, 60],
    ],
  );
});

test('scatter: a trial without a rung is not placed; a log field with a value ≤ 0 falls back to linear', () => {
  const early = { ...ce, trials: [...ce.trials, { ...ce.trials[0], index: 4, runId: 'x__trial4', rungs: [], state: 'running' as const }] };
  assert.equal(paramScatters(early)[0].points.length, 4);
  const zero = { ...ce, trials: ce.trials.map((t, i) => (i === 0 ? { ...t, params: { 'training.lr': 0 } } : t)) };
  assert.equal(paramScatters(zero)[0].log, false);
});

test('study views: title, chosen and budget words per study', () => {
  assert.deepEqual(
    studyViews(record, noRuns).map((s) => [s.key, s.title, s.chosen, s.budget, s.scatters.length]),
    [
      ['simple-cnn-w0.5__ce', 'Simple CNN ×0.5 · CE', 'trial 1: training.lr = 0.1 — 80% validation accuracy at epoch 4', '4 of 4 trials run · 11 of at most 16 epochs used (4 × 4)', 1],
      [
        'simple-cnn-w0.5__scaled-bn',
        'Simple CNN ×0.5 · Scaled-BN',
        'trial 1: loss.m = 0.9, loss.eval = batch — 85% validation accuracy at epoch 4',
        '3 of 4 trials run · 10 of at most 16 epochs used (4 × 4)',
        2,
      ],
    ],
  );
});
