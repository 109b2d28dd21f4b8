import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { LocalExecutor } from '../../../src/host/localExecutor';

test('the local executor behind the Executor interface: submit, poll while running, cancel, then every outcome', async () => {
  const runs = expandGrid(
    validateConfig({ name: 'l', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], seeds: [1, 2, 3], training: { epochs: 1, milestones: [1] } }),
  );
  const executor = new LocalExecutor({
    workerPath: path.resolve('test/fixtures/workers/quickWorker.js'),
    experimentDir: mkdtempSync(path.join(tmpdir(), 'losslab-local-')),
    parallel: 3,
    resume: 'resume',
  });
  assert.deepEqual(
    (await executor.submit(runs)).submitted,
    runs.map((r) => r.runId),
  );
  // A failed assertion must not leave seed 3's worker training forever (the test file would never exit).
  const stopAll = () => executor.cancel(runs.map((r) => r.runId)).catch(() => undefined);
  try {
    await checkLifecycle(executor, runs);
  } finally {
    await stopAll();
  }
});

async function checkLifecycle(executor: LocalExecutor, runs: ReturnType<typeof expandGrid>): Promise<void> {
  await assert.rejects(executor.submit(runs), /already runs a grid/);
  // Seeds 1 and 2 end at once; seed 3 trains until it is cancelled.
  // Worker start-up takes seconds on a loaded machine: wait on the state, not a fixed count of polls.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && (await executor.poll()).filter((s) => s.state === 'running').length !== 1) await new Promise((r) => setTimeout(r, 20));
  const running = await executor.poll();
  assert.deepEqual(
    running.map((s) => s.state),
    ['done', 'failed', 'running'],
  );
  assert.equal(running[1].detail, 'no such folder');
  await executor.cancel([runs[2].runId]);
  const outcomes = await executor.finished;
  assert.equal(outcomes.get(runs[2].runId)?.state, 'stopped');
  assert.deepEqual(
    (await executor.poll()).map((s) => s.label),
    ['DONE', 'FAILED', 'STOPPED'],
  );
}
