import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { WorkerRun } from '../../src/host/workerProcess';
import { FASHION_MNIST, gridOf, learned, requireBuild, runToEnd, RESUME_CONFIG, tempDir, WORKER } from './helpers';

before(requireBuild);

const CONFIG = RESUME_CONFIG;

test('a worker killed mid-epoch leaves every finished epoch readable; re-running resumes and finishes', { skip: !existsSync(FASHION_MNIST) && 'dataset-fashion-mnist not installed' }, async () => {
  const [spec] = gridOf(CONFIG);
  const runDir = path.join(tempDir('losslab-kill-'), spec.runId);
  let killed = false;
  const first: WorkerRun = new WorkerRun({
    workerPath: WORKER,
    spec,
    runDir,
    resume: 'refuse',
    onMessage: (msg) => {
      if (!killed && msg.type === 'train' && msg.event.type === 'step' && msg.event.epoch === 2 && msg.event.step === 3) {
        killed = true;
        process.kill(first.pid!, 'SIGKILL');
      }
    },
  });
  const outcome = await first.done;
  assert.ok(killed, 'the worker reached epoch 2');
  assert.equal(outcome.state, 'failed');

  const partial = readRun(runDir, { steps: true });
  assert.deepEqual(
    partial.metrics.map((m) => m.epoch),
    [1],
    'epoch 1 is on disk, nothing of epoch 2',
  );
  assert.ok(partial.hasCheckpoint);
  assert.equal(partial.summary, undefined);
  // 1024 images in batches of 128, a point every step: epoch 1's 8 points, then epoch 2's until the kill.
  const steps = (run: ReturnType<typeof readRun>) => (run.steps ?? []).map((p) => `${p.epoch}.${p.step}`);
  const epochSteps = (e: number) => Array.from({ length: 8 }, (_, i) => `${e}.${i + 1}`);
  assert.deepEqual(steps(partial).slice(0, 11), [...epochSteps(1), '2.1', '2.2', '2.3']);

  const events: number[] = [];
  const livePoints: unknown[] = [];
  const second = new WorkerRun({
    workerPath: WORKER,
    spec,
    runDir,
    resume: 'resume',
    onMessage: (msg) => {
      if (msg.type === 'train' && msg.event.type === 'started') events.push(msg.event.resumedFromEpoch);
      if (msg.type === 'train' && msg.event.type === 'step') livePoints.push(msg.event.point);
    },
  });
  assert.deepEqual(await second.done, { state: 'done' });
  assert.deepEqual(events, [1], 'resumed after epoch 1');
  const done = readRun(runDir, { steps: true });
  assert.deepEqual(
    done.metrics.map((m) => m.epoch),
    [1, 2, 3],
  );
  assert.equal(done.status?.state, 'done');
  // The interrupted epoch's points were dropped and redone: each step once, in order.
  assert.deepEqual(steps(done), [...epochSteps(1), ...epochSteps(2), ...epochSteps(3)]);
  assert.deepEqual(done.steps?.slice(8), livePoints, 'the worker sends the host the points it wrote');
  assert.deepEqual(done.warnings, []);

  const refused = new WorkerRun({ workerPath: WORKER, spec, runDir, resume: 'resume', onMessage: () => {} });
  const again = await refused.done;
  assert.equal(again.state, 'failed');
  assert.equal((again as { category: string }).category, 'already-done');
});

for (const backend of ['wasm', 'torch']) {
  test(`${backend}: a run killed mid-epoch and resumed ends bit for bit as the same run uninterrupted`, async () => {
    assert.ok(existsSync(FASHION_MNIST), 'needs Debian dataset-fashion-mnist');
    const [spec] = gridOf({ ...CONFIG, backend });
    const root = tempDir(`losslab-resume-${backend}-`);
    await runToEnd(spec, path.join(root, 'straight'));
    await runToEnd(spec, path.join(root, 'resumed'), { epoch: 2, step: 3 });
    const straight = readRun(path.join(root, 'straight'), { steps: true });
    const resumed = readRun(path.join(root, 'resumed'), { steps: true });
    assert.match(straight.status?.backend ?? '', new RegExp(`^${backend}`), 'trained on the backend asked for');
    assert.deepEqual(resumed.metrics.map(learned), straight.metrics.map(learned));
    const learnedPoint = (p: { epoch: number; step: number; globalStep: number; loss: number; acc: number }) => [p.epoch, p.step, p.globalStep, p.loss, p.acc];
    assert.deepEqual(resumed.steps?.map(learnedPoint), straight.steps?.map(learnedPoint), 'the redone epoch records the same points');
    assert.equal(straight.steps?.length, 3 * 8);
    assert.equal(resumed.summary?.finalTestAcc, straight.summary?.finalTestAcc);
  });
}
