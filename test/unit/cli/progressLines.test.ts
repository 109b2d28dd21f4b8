// The CLI's per-epoch lines: a search trial is shown by its validation accuracy, the test number
// in labelled brackets; any other run by its test accuracy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyText, createProgressView } from '../../../src/cli/progress';
import type { EpochMetrics } from '../../../src/core/results/types';

const m: EpochMetrics = { epoch: 2, trainLoss: 1.2, trainAcc: 0.5, testLoss: 1.5, testAcc: 0.41, valLoss: 1.25, valAcc: 0.39, lr: 0.1, seconds: 3, imagesPerSec: 200 };

test('a trial reads validation first, its test accuracy bracketed and labelled; a final run reads test', () => {
  assert.equal(accuracyText(m, true), ' val 39.0% (loss 1.2500) [test 41.0% (loss 1.5000), not used for tuning]');
  assert.equal(accuracyText(m, false), ' val 39.0% (loss 1.2500) test 41.0% (loss 1.5000)');
  // Without a validation split there is nothing else to show.
  assert.equal(accuracyText({ ...m, valAcc: undefined, valLoss: undefined }, true), ' test 41.0% (loss 1.5000)');
});

test("the plain view's epoch line for a trial", () => {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (text: string | Uint8Array) => (lines.push(String(text)), true);
  try {
    createProgressView(false).event('s__trial0', { type: 'epoch', runId: 's__trial0', metrics: m }, true);
  } finally {
    process.stdout.write = write;
  }
  assert.match(lines.join(''), /s__trial0: epoch 2 train 50\.0% \(loss 1\.2000\) val 39\.0% \(loss 1\.2500\) \[test 41\.0% \(loss 1\.5000\), not used for tuning\] lr/);
});
