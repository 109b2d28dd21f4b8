// A worker killed by a signal is reported as killed by that signal: out-of-memory only where its
// output says so, and never TensorFlow.js's start-up banner as the reason.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { deathOutcome, WorkerRun } from '../../../src/host/workerProcess';

const BANNER =
  '\n============================\nHi, looks like you are running TensorFlow.js in Node.js. To speed things up dramatically, install our node backend, visit https://github.com/tensorflow/tfjs-node for more details. \n============================\n';

test('a worker killed by SIGKILL is reported as killed by SIGKILL, without the banner', async () => {
  const [spec] = expandGrid(validateConfig({ name: 'k', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } }));
  const worker = new WorkerRun({
    workerPath: path.resolve('test/fixtures/workers/bannerWorker.js'),
    spec,
    runDir: '/nonexistent/never-written',
    resume: 'resume',
    onMessage: (msg) => {
      if (msg.type === 'ready') setTimeout(() => process.kill(worker.pid!, 'SIGKILL'), 50);
    },
  });
  const outcome = await worker.done;
  assert.equal(outcome.state, 'failed');
  assert.ok(outcome.state === 'failed');
  assert.equal(outcome.category, 'killed');
  assert.match(
    outcome.message,
    /^the training worker was killed by SIGKILL \(by another process or by the system; on Linux `dmesg` shows whether the out-of-memory killer sent it\); finished epochs are kept, run it again to resume$/,
  );
});

test('out-of-memory only with evidence; other signals and exit codes as they are', () => {
  const heap = `${BANNER}<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n`;
  const oom = deathOutcome(null, 'SIGABRT', heap);
  assert.equal(oom.category, 'out-of-memory');
  assert.match(oom.message, /^the training worker ran out of memory and was killed by SIGABRT \(try a smaller batchSize/);
  assert.doesNotMatch(oom.message, /TensorFlow\.js|====/);
  assert.deepEqual(deathOutcome(null, 'SIGTERM', BANNER), {
    state: 'failed',
    category: 'killed',
    message: 'the training worker was killed by SIGTERM; finished epochs are kept, run it again to resume',
  });
  assert.deepEqual(deathOutcome(3, null, `${BANNER}Error: boom\n`), { state: 'failed', category: 'crash', message: 'the training worker exited with code 3:\nError: boom' });
});

test("with NODE_DEBUG=losslab the worker's stderr (step replay's notes) reaches the host's stderr; without, it stays in the tail", () => {
  const host = `const { expandGrid } = require('./src/core/config/grid');
    const { validateConfig } = require('./src/core/config/validate');
    const { WorkerRun } = require('./src/host/workerProcess');
    const [spec] = expandGrid(validateConfig({ name: 'k', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } }));
    const worker = new WorkerRun({ workerPath: 'test/fixtures/workers/bannerWorker.js', spec, runDir: '/nonexistent/never-written', resume: 'resume',
      onMessage: (msg) => { if (msg.type === 'ready') setTimeout(() => process.kill(worker.pid, 'SIGKILL'), 50); } });
    worker.done.then(() => undefined);`;
  const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', '-e', host], { env: { ...process.env, ...env }, encoding: 'utf8' }).stderr;
  assert.match(run({ NODE_DEBUG: 'losslab' }), /Hi, looks like you are running TensorFlow\.js/);
  assert.doesNotMatch(run({ NODE_DEBUG: '' }), /Hi, looks like/);
});
