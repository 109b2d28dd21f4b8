/**
 * One writer per experiment folder: the CLI and the extension take this lock before they write
 * experiment.json or start a run, so the same grid started twice cannot interleave its epochs.
 *
 * proper-lockfile makes the lock (an atomic mkdir of `<experiment>/.losslab.lock`, kept fresh
 * by its holder and taken over once stale, i.e. not refreshed for `stale` ms: a lock of a killed
 * process on another host or a network drive). Beside it, `.losslab.lock.json` names the holder
 * (pid, host, since), for the message and to take over at once a lock whose process is gone on
 * this host.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { readJsonIfExists, writeJsonAtomic } from '../core/results/atomicFile';
import { HOST, processGone } from '../core/results/processAlive';

export const LOCK_DIR = '.losslab.lock';
export const LOCK_INFO = '.losslab.lock.json';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Who holds it, for the message: "losslab run", "VS Code". */
  by?: string;
}

/** The experiment folder is locked by another live process. */
export class ExperimentLockedError extends Error {
  override readonly name = 'ExperimentLockedError';

  constructor(
    readonly experimentDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `${holder.by ? `${holder.by}, ` : ''}pid ${holder.pid}${holder.host === HOST ? '' : ` on ${holder.host}`}, since ${holder.since}`
      : 'by another process';
    super(`experiment '${path.basename(experimentDir)}' is already running (${who}) in ${experimentDir}; wait for it to end or stop it first`);
  }
}

export interface ExperimentLock {
  readonly experimentDir: string;
  /** Releases the lock; safe to call more than once. */
  release(): void;
}

export interface LockOptions {
  /** Named in the message another process gets. */
  by?: string;
  /** A lock not refreshed for this long is stale and taken over (ms, default 10 s; proper-lockfile's minimum is 2 s). */
  stale?: number;
  /** The lock was lost while held (its folder removed, or not refreshed in time): default, ignored after a warning on stderr. */
  onCompromised?: (err: Error) => void;
}

export function readLockHolder(experimentDir: string): LockHolder | undefined {
  try {
    const info = readJsonIfExists<LockHolder>(path.join(experimentDir, LOCK_INFO));
    return info && typeof info.pid === 'number' && typeof info.host === 'string' ? info : undefined;
  } catch {
    return undefined; // torn or unreadable: no holder to name
  }
}

/** Takes the lock on `experimentDir` (creating the folder); throws ExperimentLockedError when a live process holds it. */
export function lockExperiment(experimentDir: string, options: LockOptions = {}): ExperimentLock {
  const dir = path.resolve(experimentDir);
  fs.mkdirSync(dir, { recursive: true });
  const lockOptions = {
    lockfilePath: path.join(dir, LOCK_DIR),
    realpath: false,
    stale: options.stale ?? 10_000,
    onCompromised: options.onCompromised ?? ((err: Error) => process.stderr.write(`warning: lost the lock on ${dir}: ${err.message}\n`)),
  };
  const take = () => lockfile.lockSync(dir, lockOptions);
  let release: () => void;
  try {
    release = take();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    const holder = readLockHolder(dir);
    // Left by a process of this machine that is gone (kill -9, a crash): safe to take over now.
    if (!holder || !processGone(holder.pid, holder.host)) throw new ExperimentLockedError(dir, holder);
    fs.rmSync(lockOptions.lockfilePath, { recursive: true, force: true });
    try {
      release = take();
    } catch (e2) {
      if ((e2 as NodeJS.ErrnoException).code === 'ELOCKED') throw new ExperimentLockedError(dir, readLockHolder(dir));
      throw e2;
    }
  }
  const holder: LockHolder = { pid: process.pid, host: HOST, since: new Date().toISOString(), ...(options.by ? { by: options.by } : {}) };
  try {
    writeJsonAtomic(path.join(dir, LOCK_INFO), holder);
  } catch (e) {
    release();
    throw e;
  }
  let released = false;
  return {
    experimentDir: dir,
    release() {
      if (released) return;
      released = true;
      const info = readLockHolder(dir);
      if (info?.pid === process.pid && info.host === HOST) fs.rmSync(path.join(dir, LOCK_INFO), { force: true });
      try {
        release();
      } catch {
        // already released or compromised: nothing left to undo
      }
    },
  };
}
