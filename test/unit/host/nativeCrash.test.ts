// A worker killed by SIGSEGV (SIGBUS, SIGILL) while it ran the native engine: the outcome names the
// engine and 'losslab build-native --force', not "run it again to resume", and a marker beside the
// addon makes `auto` pass the engine over until a rebuild.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { clearNativeCrash, crashMarkerFile, recordedNativeCrash, TORCH_LOADING, TORCH_ON_CPU } from '../../../src/core/backend/torch/crashMarker';
import { EngineWatch } from '../../../src/host/nativeCrash';
import { WorkerRun } from '../../../src/host/workerProcess';

const [spec] = expandGrid(validateConfig({ name: 'n', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } }));

/** A native-engine folder of its own, with an (empty) addon folder for the libtorch this machine has. */
function engineDir(): NodeJS.ProcessEnv {
  const env = { ...process.env, LOSSLAB_NATIVE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-crash-engine-')) };
  fs.mkdirSync(path.dirname(crashMarkerFile(env)!), { recursive: true });
  return env;
}

function runCrashing(env: NodeJS.ProcessEnv, extra: NodeJS.ProcessEnv = {}) {
  return new WorkerRun({
    workerPath: path.resolve('test/fixtures/workers/nativeCrashWorker.js'),
    spec,
    runDir: '/nonexistent/never-written',
    resume: 'resume',
    env: { ...env, ...extra },
    onMessage: () => undefined,
  }).done;
}

test('a native crash names the engine and build-native --force, and marks the engine as crashed', async () => {
  const env = engineDir();
  try {
    for (const signal of ['SIGSEGV', 'SIGBUS', 'SIGILL']) {
      const outcome = await runCrashing(env, { LOSSLAB_TEST_SIGNAL: signal });
      assert.ok(outcome.state === 'failed');
      assert.equal(outcome.category, 'crash');
      assert.equal(
        outcome.message,
        `the native engine (torch backend) crashed the training worker with ${signal}: the engine is likely damaged or built for another libtorch; rebuild it with 'losslab build-native --force'; until then backend auto trains on wasm. Finished epochs are kept`,
      );
      assert.doesNotMatch(outcome.message, /run it again to resume/);
      const crash = recordedNativeCrash(env);
      assert.equal(crash?.signal, signal);
      assert.equal(crash?.runId, spec.runId);
    }
    clearNativeCrash(path.dirname(crashMarkerFile(env)!));
    assert.equal(recordedNativeCrash(env), undefined);
  } finally {
    fs.rmSync(env.LOSSLAB_NATIVE_DIR!, { recursive: true, force: true });
  }
});

test('a crash on another backend is no native crash: no marker, the usual message', async () => {
  const env = engineDir();
  try {
    const outcome = await runCrashing(env, { LOSSLAB_TEST_BACKEND: 'wasm' });
    assert.ok(outcome.state === 'failed');
    assert.equal(outcome.category, 'killed');
    assert.match(outcome.message, /^the training worker was killed by SIGSEGV; finished epochs are kept, run it again to resume$/);
    assert.equal(recordedNativeCrash(env), undefined);
  } finally {
    fs.rmSync(env.LOSSLAB_NATIVE_DIR!, { recursive: true, force: true });
  }
});

test("the host follows which backend a worker is in while 'auto' tries them", () => {
  const log = (message: string) => ({ type: 'log' as const, runId: 'r', level: 'info' as const, message });
  const backend = (name: string) => ({ type: 'backend' as const, runId: 'r', backend: name, gpu: false, unavailable: [], detail: '' });
  const watch = new EngineWatch('auto');
  assert.equal(watch.torch, false);
  watch.seen(log(TORCH_LOADING));
  assert.equal(watch.torch, true, 'a crash now is in the engine');
  watch.seen(log(TORCH_ON_CPU));
  assert.equal(watch.torch, false, 'it was left for the GPU backends');
  watch.seen(log(TORCH_LOADING));
  watch.seen(log('backend: torch unavailable: the native engine is not built'));
  assert.equal(watch.torch, false);
  watch.seen(backend('torch (cpu)'));
  assert.equal(watch.torch, true);
  watch.seen(backend('wasm'));
  assert.equal(watch.torch, false);
  assert.equal(new EngineWatch('torch').torch, true, 'asked for by name, it loads before any message');
});
