import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asSentence, gridEndNotice, keptNotice, runFailedNotice } from '../../../../src/extension/run/gridNotice';
import type { RunResult } from '../../../../src/extension/run/gridRunner';

const runs = (...states: RunResult['state'][]): RunResult[] => states.map((state) => ({ state }));

test('a failure reads as a sentence before its hint', () => {
  const text = runFailedNotice('r1', '/data/fashion/train not found', 'dataset');
  assert.match(text, /^Loss Lab: run r1 failed: \/data\/fashion\/train not found\. Check the dataset's path/);
  assert.equal(asSentence('already a sentence.'), 'already a sentence.');
  assert.equal(asSentence('trailing space '), 'trailing space.');
});

test('a grid stopped while two runs trained and two waited says stopped, with the states the tree shows', () => {
  assert.equal(gridEndNotice('grid', runs('stopped', 'stopped', 'not-started', 'not-started'), true), "Loss Lab: 'grid' stopped: 2 runs stopped, 2 not started.");
  assert.equal(gridEndNotice('grid', runs('done', 'stopped', 'not-started'), true), "Loss Lab: 'grid' stopped: 1 run done, 1 stopped, 1 not started.");
});

test('a grid that ran to its end says finished, with its failures counted', () => {
  assert.equal(gridEndNotice('grid', runs('done', 'done', 'done', 'done'), false), "Loss Lab: 'grid' finished: 4 runs done.");
  assert.equal(gridEndNotice('grid', runs('done', 'failed'), false), "Loss Lab: 'grid' finished: 1 run done, 1 failed.");
});

test('after Keep, runs kept as they were are not reported as having run; the advice names Extend for stale ones', () => {
  const kept: RunResult = { state: 'done', message: 'already done; kept' };
  assert.equal(gridEndNotice('walk', [kept, kept, kept], false), undefined, 'nothing ran: no "finished: 3 runs done"');
  assert.equal(gridEndNotice('walk', [kept, kept, { state: 'done' }], false), "Loss Lab: 'walk' finished: 1 run done, 2 kept as they were.");
  assert.match(keptNotice(6, 6)!, /kept 6 runs .* 6 of them trained with another config.*choose Extend \(more epochs\) or Retrain/);
  assert.doesNotMatch(keptNotice(6, 6)!, /Start Over/);
  assert.match(keptNotice(2, 0)!, /Start Over/, 'runs kept because they were done: Start Over trains one again');
  assert.equal(keptNotice(0, 0), undefined);
});

test('no summary beside the errors when every run failed: each failure has its own notification', () => {
  assert.equal(gridEndNotice('grid', runs('failed'), false), undefined);
  assert.equal(gridEndNotice('grid', runs('failed', 'failed'), false), undefined);
});

test('a wrong config or loss module is not advised as a folder of another config', () => {
  const bad = runFailedNotice('r1', '/ws/losses/focal.ts:3:7: Unexpected token', 'config');
  assert.match(bad, /Fix the config or its loss module/);
  assert.doesNotMatch(bad, /different config|Start Over/);
  const changed = runFailedNotice('r1', 'r1 was started with a different config (changed: training.lr)', 'config-changed');
  assert.match(changed, /holds results of a different config; Start Over/);
});

test('a diverged run is advised an action that picks up the changed config, once', () => {
  const text = runFailedNotice('r1', 'diverged at epoch 2, step 5: loss NaN; lower the learning rate (training.lr = 5) or check the data (finished epochs are kept)', 'non-finite-loss');
  assert.match(text, /run the experiment again and choose Retrain/);
  assert.doesNotMatch(text, /Resume Run/, 'Resume Run reuses the old config and diverges again');
  assert.equal(text.match(/lower/gi)?.length, 2, 'the reason says lower the learning rate; the hint names the field once more, not the whole advice');
});
