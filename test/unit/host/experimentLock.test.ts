import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { ExperimentLockedError, LOCK_DIR, LOCK_INFO, lockExperiment, readLockHolder } from '../../../src/host/experimentLock';
import { runCommand } from '../../../src/cli/runCommand';
import { reportError } from '../../../src/cli/cli';
import { validateConfig } from '../../../src/core/config/validate';
import { EXPERIMENT_FILE } from '../../../src/core/results/types';
import { HOST } from '../../../src/core/results/processAlive';

const host = HOST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-lock-'));

/** Starts a process that takes the lock on `dir` and holds it; resolves once it has. */
async function holdLockElsewhere(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lockHolder.fixture.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  while (!out.includes('locked')) {
    const [chunk] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => assert.fail('the lock holder exited'))])) as [string];
    out += chunk;
  }
  return child;
}

test('a second writer is refused with the holder named; release lets the next one in', () => {
  const dir = path.join(tempDir(), 'exp');
  try {
    const lock = lockExperiment(dir, { by: 'losslab run' });
    assert.deepEqual(readLockHolder(dir)?.pid, process.pid);
    assert.throws(
      () => lockExperiment(dir),
      (e: unknown) => e instanceof ExperimentLockedError && new RegExp(`^experiment 'exp' is already running \\(losslab run, pid ${process.pid} on host ${host}, since \\d{4}-`).test(e.message),
    );
    lock.release();
    lock.release();
    assert.ok(!fs.existsSync(path.join(dir, LOCK_DIR)) && !fs.existsSync(path.join(dir, LOCK_INFO)), 'nothing left behind');
    lockExperiment(dir).release();
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a lock held by another live process is refused; once that process is killed (-9) it is taken over at once', async () => {
  const dir = path.join(tempDir(), 'exp');
  const child = await holdLockElsewhere(dir);
  try {
    assert.throws(
      () => lockExperiment(dir),
      (e: unknown) => e instanceof ExperimentLockedError && e.message.includes(`(fixture, pid ${child.pid} on host ${HOST}, since `),
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    assert.ok(fs.existsSync(path.join(dir, LOCK_DIR)), 'the killed process left its lock');
    const lock = lockExperiment(dir, { stale: 60_000 }); // not by age: its process is gone
    assert.equal(readLockHolder(dir)?.pid, process.pid);
    lock.release();
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('losslab run of an experiment already running says so in one line and writes nothing', async () => {
  const out = tempDir();
  const experimentDir = path.join(out, 'twice');
  const child = await holdLockElsewhere(experimentDir);
  try {
    const config = validateConfig({ name: 'twice', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 1, milestones: [1] } });
    const err = await runCommand({ configPath: 'twice.losslab.json', config, outputDir: out, resume: 'resume', workerPath: '/nonexistent' }, () => undefined).then(
      () => assert.fail('expected the lock to refuse'),
      (e: unknown) => e,
    );
    const { text, code } = reportError(err);
    assert.equal(code, 1);
    assert.match(text, new RegExp(`^losslab: experiment 'twice' is already running \\(fixture, pid ${child.pid} on host ${host}, since [^)]+\\) in .*twice; wait for it to end or stop it first\\n$`));
    assert.ok(!fs.existsSync(path.join(experimentDir, EXPERIMENT_FILE)), 'experiment.json untouched');
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit').catch(() => undefined);
    fs.rmSync(out, { recursive: true, force: true });
  }
});
