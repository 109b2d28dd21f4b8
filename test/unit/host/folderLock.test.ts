import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { HOST } from '../../../src/core/results/processAlive';
import { holderGone, LOCK_DIR, LOCK_INFO, readLockHolder, type LockHolder } from '../../../src/host/folderLock';
import { ExperimentLockedError, lockExperiment } from '../../../src/host/experimentLock';
import { earlierAttemptOf, lockRun, releaseEndedTaskLock, runHolderText, RunLockedError, whileRunLocked } from '../../../src/host/runLock';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-folderlock-'));
const HOUR = 3_600_000;
const holder = (pid: number, host: string): LockHolder => ({ pid, host, since: new Date().toISOString() });

/** A pid that was just in use on this host and is not any more. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** Pretends the lock's holder has not touched it for `ms`. */
const ageLock = (dir: string, ms: number) => fs.utimesSync(path.join(dir, LOCK_DIR), new Date(Date.now() - ms), new Date(Date.now() - ms));

test('staleness: a live holder on this host never is, a dead one is at once, one elsewhere after heartbeat silence', () => {
  assert.equal(holderGone(holder(process.pid, HOST), 10 * HOUR, 120_000), false, 'alive here, however old its heartbeat');
  assert.equal(holderGone(holder(deadPid(), HOST), 0, 120_000), true, 'gone here, however fresh its heartbeat');
  assert.equal(holderGone(holder(process.pid, 'elsewhere'), 119_000, 120_000), false, 'elsewhere, heard from within the threshold');
  assert.equal(holderGone(holder(process.pid, 'elsewhere'), 121_000, 120_000), true, 'elsewhere, silent past the threshold');
  assert.equal(holderGone(undefined, 1_000, 120_000), false, 'unnamed (its name not written yet): by heartbeat');
  assert.equal(holderGone(undefined, 121_000, 120_000), true);
});

test('a holder suspended with SIGSTOP keeps its lock however old its heartbeat; once killed it is taken over at once', async () => {
  const dir = path.join(tempDir(), 'exp');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'lockHolder.fixture.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    child.stdout.setEncoding('utf8');
    let out = '';
    while (!out.includes('locked')) out += ((await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => assert.fail('the holder exited'))])) as [string])[0];
    child.kill('SIGSTOP');
    ageLock(dir, HOUR);
    assert.throws(
      () => lockExperiment(dir, { stale: 2_000 }),
      (e: unknown) => e instanceof ExperimentLockedError && e.holder?.pid === child.pid && e.message.includes(`(fixture, pid ${child.pid} on host ${HOST}, since `),
    );
    assert.equal(readLockHolder(dir)?.pid, child.pid, 'its name is left as it was');
    child.kill('SIGKILL');
    await once(child, 'exit');
    const lock = lockExperiment(dir);
    assert.equal(readLockHolder(dir)?.pid, process.pid);
    lock.release();
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a SLURM task takes over at once the lock an earlier attempt of itself left on a dead node; another task does not', () => {
  const dir = path.join(tempDir(), 'run-1');
  try {
    fs.mkdirSync(path.join(dir, LOCK_DIR), { recursive: true });
    fs.writeFileSync(path.join(dir, LOCK_INFO), JSON.stringify({ pid: 4242, host: 'node7', since: '2026-01-01T00:00:00.000Z', by: 'losslab run-one (SLURM task 12_3)' }));
    ageLock(dir, 5_000);
    const other = 'losslab run-one (SLURM task 13_0)';
    assert.throws(() => lockRun(dir, { by: other, gone: earlierAttemptOf(other) }), RunLockedError);
    assert.equal(earlierAttemptOf('losslab run'), undefined, 'outside SLURM nothing is presumed dead');
    const same = 'losslab run-one (SLURM task 12_3)';
    const lock = lockRun(dir, { by: same, gone: earlierAttemptOf(same) });
    assert.equal(readLockHolder(dir)?.pid, process.pid);
    assert.equal(readLockHolder(dir)?.host, HOST);
    lock.release();
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test("the lock of a SLURM task that has ended (its node died) is freed for the resubmission; another holder's is not", () => {
  const dir = path.join(tempDir(), 'run-1');
  try {
    fs.mkdirSync(path.join(dir, LOCK_DIR), { recursive: true });
    fs.writeFileSync(path.join(dir, LOCK_INFO), JSON.stringify({ pid: 4242, host: 'node7', since: '2026-01-01T00:00:00.000Z', by: 'losslab run-one (SLURM task 12_3)' }));
    releaseEndedTaskLock(dir, '12_4');
    assert.equal(readLockHolder(dir)?.by, 'losslab run-one (SLURM task 12_3)', 'not the ended task: left alone');
    releaseEndedTaskLock(dir, '12_3');
    assert.equal(readLockHolder(dir), undefined);
    assert.equal(fs.existsSync(path.join(dir, LOCK_DIR)), false);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a holder on another host keeps its lock while its heartbeat is fresh and loses it after silence', () => {
  const dir = path.join(tempDir(), 'run-1');
  try {
    fs.mkdirSync(path.join(dir, LOCK_DIR), { recursive: true });
    fs.writeFileSync(path.join(dir, LOCK_INFO), JSON.stringify({ pid: process.pid, host: 'node7', since: '2026-01-01T00:00:00.000Z', by: 'losslab run-one (SLURM task 12_3)' }));
    ageLock(dir, 30_000);
    assert.throws(
      () => lockRun(dir),
      (e: unknown) =>
        e instanceof RunLockedError &&
        e.message ===
          `run 'run-1' is already being trained (losslab run-one (SLURM task 12_3), pid ${process.pid} on host node7, since 2026-01-01T00:00:00.000Z, last heartbeat 30 s ago) in ${dir}; nothing was changed: wait for it to end or stop it first`,
    );
    assert.equal(
      whileRunLocked(dir, 'test', () => 'written'),
      undefined,
      'a host does not write over a live holder',
    );
    assert.match(runHolderText(dir) ?? '', /^losslab run-one \(SLURM task 12_3\), pid \d+ on host node7, /);
    ageLock(dir, 10 * 60_000);
    const lock = lockRun(dir, { by: 'test' });
    assert.deepEqual(readLockHolder(dir)?.host, HOST);
    lock.release();
    assert.ok(!fs.existsSync(path.join(dir, LOCK_DIR)) && !fs.existsSync(path.join(dir, LOCK_INFO)), 'nothing left behind');
    assert.equal(
      whileRunLocked(dir, 'test', () => 'written'),
      'written',
    );
    assert.equal(runHolderText(dir), undefined);
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
