import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requeueDecision } from '../../../../src/host/slurm/requeuePolicy';

test('a task requeues while it makes progress, up to maxRequeues (10 by default)', () => {
  assert.deepEqual(requeueDecision({ restarts: 0, epochsThisAttempt: 0 }), { requeue: true }, 'a first attempt preempted early still requeues');
  assert.deepEqual(requeueDecision({ restarts: 3, epochsThisAttempt: 2 }), { requeue: true });
  const capped = requeueDecision({ restarts: 10, epochsThisAttempt: 5 });
  assert.equal(capped.requeue, false);
  assert.match(!capped.requeue ? capped.why : '', /^not requeued: the task was requeued 10 times already \(executor.maxRequeues 10\)/);
  assert.equal(requeueDecision({ restarts: 2, maxRequeues: 2, epochsThisAttempt: 1 }).requeue, false);
  assert.equal(requeueDecision({ restarts: 0, maxRequeues: 0, epochsThisAttempt: 1 }).requeue, false, 'maxRequeues 0: never');
});

test('a requeued attempt that finished no epoch stops with one line instead of requeueing forever', () => {
  const d = requeueDecision({ restarts: 1, epochsThisAttempt: 0 });
  assert.equal(d.requeue, false);
  assert.match(!d.requeue ? d.why : '', /^not requeued: no epoch finished since the last requeue; raise executor.time or lower executor.signalMargin/);
});
