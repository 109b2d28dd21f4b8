// The trials table of `losslab run` and `losslab table`, from a search.json written by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { renderTable } from '../../../src/cli/tableCommand';
import { trialsTableText } from '../../../src/cli/trialsTable';
import type { SearchRecord } from '../../../src/core/search/record';

const RECORD: SearchRecord = {
  version: 1,
  stage: 'done',
  budget: { trialsPerStudy: 2, maxEpochs: 3, rungs: [1, 3], eta: 3, finalSeeds: [1, 2] },
  studies: [
    {
      key: 'simple-cnn-w1__scaled-bn',
      modelLabel: 'Simple CNN',
      lossLabel: 'Scaled-BN',
      space: { 'loss.m': { uniform: [0.5, 1.2] } },
      trials: [
        {
          index: 0,
          runId: 'simple-cnn-w1__scaled-bn__trial0',
          params: { 'loss.m': 0.9 },
          state: 'complete',
          epochs: 3,
          rungs: [
            { epoch: 1, valAcc: 50 },
            { epoch: 3, valAcc: 71.5 },
          ],
        },
        { index: 1, runId: 'simple-cnn-w1__scaled-bn__trial1', params: { 'loss.m': 0.6 }, state: 'pruned', epochs: 1, rungs: [{ epoch: 1, valAcc: 42.25 }] },
      ],
      chosen: { trial: 0, params: { 'loss.m': 0.9 }, valAcc: 71.5, epoch: 3 },
      finalRunIds: ['simple-cnn-w1__scaled-bn__seed1', 'simple-cnn-w1__scaled-bn__seed2'],
    },
  ],
};

test('one row per trial: params, the last rung reached, its validation accuracy and state; the chosen one marked', () => {
  assert.equal(
    trialsTableText(RECORD),
    [
      'Trials:',
      'study                   trial  params        rung reached  val acc  state',
      'Simple CNN · Scaled-BN  0      loss.m = 0.9  epoch 3       71.5%    complete (chosen)',
      'Simple CNN · Scaled-BN  1      loss.m = 0.6  epoch 1       42.25%   pruned',
      'Simple CNN · Scaled-BN: 2 of 2 trials run · 4 of at most 6 epochs used (2 × 3)',
      'Every loss had the same budget: 2 trials of up to 3 epochs, compared at epochs 1, 3 where the best 1/3 went on; the chosen configuration then trained with 2 seeds (1, 2).',
      'Every accuracy in this section is on the validation split; the test split decided nothing here.',
    ].join('\n'),
  );
});

test('losslab table of a search folder leads with its trials', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'losslab-trials-'));
  writeFileSync(path.join(dir, 'search.json'), JSON.stringify(RECORD));
  const runDir = path.join(dir, 'simple-cnn-w1__scaled-bn__seed1');
  mkdirSync(runDir);
  writeFileSync(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.6, lr: 0.1, seconds: 1, imagesPerSec: 1 })}\n`);
  const { text } = renderTable(dir);
  assert.ok(text.startsWith('Trials:\n'), text);
  assert.equal(renderTable(dir, 'csv').text.includes('Trials'), false, 'exports stay plain tables');
});
