import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridProgressTracker, progressPercent, runCountText } from '../../../../src/extension/run/gridProgress';

test('a grid is not at 100% while its last run is still in its last epoch', () => {
  const p = new GridProgressTracker(4);
  for (const id of ['a', 'b', 'c']) {
    p.started(id, 0, 2);
    p.epochDone(id, 2, 2);
    p.runEnded(id);
  }
  p.started('d', 0, 2);
  p.step('d', 2, 99, 100, 2, 'd epoch 2/2');
  assert.ok(progressPercent(p.fraction) < 100, `${progressPercent(p.fraction)}%`);
  p.epochDone('d', 2, 2); // its metrics are written; figures and summary still to come
  assert.equal(progressPercent(p.fraction), 99);
  p.runEnded('d');
  assert.equal(progressPercent(p.fraction), 100);
});

test('progress counts resumed epochs and steps within an epoch', () => {
  const p = new GridProgressTracker(2);
  p.started('a', 1, 4);
  assert.equal(p.fraction, 0.125);
  p.step('a', 2, 5, 10, 4, '');
  assert.equal(p.fraction, 0.1875);
});

test('the notification names a run still running, never one that has ended', () => {
  const p = new GridProgressTracker(2);
  p.started('a', 0, 1);
  p.started('b', 0, 1);
  p.step('b', 1, 1, 10, 1, 'b epoch 1/1');
  p.step('a', 1, 9, 10, 1, 'a epoch 1/1');
  assert.equal(p.detail, 'a epoch 1/1');
  p.runEnded('a');
  assert.equal(p.detail, 'b epoch 1/1');
  p.runEnded('b');
  assert.equal(p.detail, '');
});

test('percent is rounded down', () => {
  assert.equal(progressPercent(0.996), 99);
  assert.equal(progressPercent(1), 100);
  assert.equal(progressPercent(0), 0);
});

test('a stopped or failed run is not finished: the counts say how each ended, the share stays what it trained', () => {
  const p = new GridProgressTracker(2);
  p.started('a', 0, 2);
  p.epochDone('a', 2, 2);
  p.runEnded('a', 'done');
  p.started('b', 0, 2);
  p.step('b', 1, 5, 10, 2, 'b epoch 1/2'); // a quarter of its epochs
  p.runEnded('b', 'stopped');
  assert.deepEqual(p.counts, { done: 1, failed: 0, stopped: 1, paused: 0, pruned: 0 });
  assert.equal(p.fraction, (1 + 0.25) / 2, 'the stopped run adds what it trained, not a whole run');
  assert.equal(runCountText(p.counts, 2), '1/2 done · 1 stopped');
  assert.equal(runCountText({ done: 0, failed: 2, stopped: 1, paused: 0, pruned: 0 }, 3), '0/3 done · 1 stopped · 2 failed');
  assert.equal(runCountText({ done: 3, failed: 0, stopped: 0, paused: 0, pruned: 0 }, 3), '3/3 done');
});

test('a search trial paused at its rung counts as paused, then pruned once tuning ends; a promoted one is counted once', () => {
  const p = new GridProgressTracker(3);
  for (const id of ['t0', 't1', 't2']) {
    p.started(id, 0, 3);
    p.epochDone(id, 1, 3);
    p.runEnded(id, 'paused');
  }
  assert.equal(runCountText(p.counts, 3), '0/3 done · 3 paused');
  // t1 is promoted: it resumes from epoch 1 and ends done; it is no longer paused.
  p.started('t1', 1, 3);
  p.epochDone('t1', 3, 3);
  p.runEnded('t1', 'done');
  assert.equal(runCountText(p.counts, 3), '1/3 done · 2 paused');
  assert.equal(p.fraction, (1 / 3 + 1 + 1 / 3) / 3);
  p.pruned(['t0', 't2']);
  assert.deepEqual(p.counts, { done: 1, failed: 0, stopped: 0, paused: 0, pruned: 2 });
  assert.equal(runCountText(p.counts, 3), '1/3 done · 2 pruned');
});
