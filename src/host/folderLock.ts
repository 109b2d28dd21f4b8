/**
 * One writer per folder: the lock behind the experiment lock and the run lock.
 *
 * proper-lockfile makes the lock (an atomic mkdir of `<folder>/.losslab.lock`) and keeps its mtime
 * fresh as a heartbeat. Beside it, `.losslab.lock.json` names the holder (pid, host, since, who).
 * Staleness is ours, not proper-lockfile's age rule: a holder on this host is gone only when its
 * process is, so a suspended (Ctrl-Z) or busy holder keeps its lock however long it sleeps; a holder
 * on another host, whose pid means nothing here, is gone once its heartbeat has been silent for
 * `stale` ms.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';
import { readJsonIfExists, writeJsonAtomic } from '../core/results/atomicFile';
import { HOST, processAlive } from '../core/results/processAlive';

export const LOCK_DIR = '.losslab.lock';
export const LOCK_INFO = '.losslab.lock.json';
/** How often a holder touches its lock folder. */
const HEARTBEAT_MS = 5_000;
/** Heartbeat silence after which a holder on another host counts as gone: long enough for NFS attribute caches (up to 60 s). */
const STALE_MS = 120_000;
/** proper-lockfile must never judge or lose a lock by age itself: a resumed holder would be told it lost it. */
const NEVER = 1e15;
/** A takeover left half done by a killed process is cleared after this long. */
const TAKEOVER_STALE_MS = 30_000;

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Who holds it, for the message: "losslab run", "VS Code". */
  by?: string;
  /** The process that started the holder (a training worker's host), for the message. */
  parentPid?: number;
}

export interface FolderLock {
  readonly dir: string;
  /** Releases the lock; safe to call more than once. */
  release(): void;
}

export interface LockOptions {
  /** Named in the message another process gets. */
  by?: string;
  parentPid?: number;
  /** Heartbeat silence after which a holder on another host is gone (ms, default STALE_MS). */
  stale?: number;
  /** Holders the caller knows to be dead whatever their heartbeat says (an earlier attempt of the same SLURM task). */
  gone?: (holder: LockHolder) => boolean;
  /** The lock was lost while held (its folder removed by hand or taken over): default, ignored after a warning on stderr. */
  onCompromised?: (err: Error) => void;
}

/**
 * The staleness rule. A holder on this host is gone exactly when its process is (whatever its
 * heartbeat's age); elsewhere, or when no holder is named, when its heartbeat is older than `staleMs`.
 */
export function holderGone(holder: LockHolder | undefined, heartbeatAgeMs: number, staleMs: number, alive: (pid: number) => boolean = processAlive, here: string = HOST): boolean {
  if (holder && holder.host === here) return !alive(holder.pid);
  return heartbeatAgeMs > staleMs;
}

/** "losslab run, pid 12 on host node1, since 2026-…": the holder as messages name it. */
export function holderText(holder: LockHolder | undefined, heartbeatAgeMs?: number): string {
  if (!holder) return 'another process';
  const parent = holder.parentPid ? ` (started by pid ${holder.parentPid})` : '';
  const heard = holder.host !== HOST && heartbeatAgeMs !== undefined ? `, last heartbeat ${Math.round(heartbeatAgeMs / 1000)} s ago` : '';
  return `${holder.by ? `${holder.by}, ` : ''}pid ${holder.pid}${parent} on host ${holder.host}, since ${holder.since}${heard}`;
}

/** The folder is locked by a live holder. */
export class FolderLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | undefined,
    message: string,
  ) {
    super(message);
  }
}

export function readLockHolder(dir: string): LockHolder | undefined {
  try {
    const info = readJsonIfExists<LockHolder>(path.join(dir, LOCK_INFO));
    return info && typeof info.pid === 'number' && typeof info.host === 'string' ? info : undefined;
  } catch {
    return undefined; // torn or unreadable: no holder to name
  }
}

/** Milliseconds since the holder's last heartbeat; undefined when there is no lock. */
function heartbeatAge(lockPath: string): number | undefined {
  try {
    return Math.max(0, Date.now() - fs.statSync(lockPath).mtimeMs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The live holder of `dir`'s lock, or undefined when it is free or its holder is gone. */
export function liveLockHolder(dir: string, staleMs = STALE_MS, gone?: (holder: LockHolder) => boolean): { holder: LockHolder | undefined; heartbeatAgeMs: number } | undefined {
  const age = heartbeatAge(path.join(dir, LOCK_DIR));
  if (age === undefined) return undefined;
  const holder = readLockHolder(dir);
  return holderGone(holder, age, staleMs) || (holder && gone?.(holder)) ? undefined : { holder, heartbeatAgeMs: age };
}

/**
 * Takes the lock on `dir` (creating the folder); `refuse` makes the error thrown when a live holder
 * has it. A gone holder's lock is taken over, under a second mkdir so two newcomers cannot both do it.
 */
export function lockFolder(dir: string, options: LockOptions, refuse: (holder: LockHolder | undefined, heartbeatAgeMs: number) => FolderLockedError): FolderLock {
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, LOCK_DIR);
  const staleMs = options.stale ?? STALE_MS;
  const lockOptions = {
    lockfilePath: lockPath,
    realpath: false,
    stale: NEVER,
    update: Math.max(1_000, Math.min(HEARTBEAT_MS, staleMs / 4)),
    onCompromised: options.onCompromised ?? ((err: Error) => process.stderr.write(`warning: lost the lock on ${dir}: ${err.message}\n`)),
  };
  const take = (): (() => void) | undefined => {
    try {
      return lockfile.lockSync(dir, lockOptions);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
      throw e;
    }
  };
  let release = take();
  // Twice at most: the holder may release or die between our looks.
  for (let attempt = 0; !release && attempt < 2; attempt++) {
    const live = liveLockHolder(dir, staleMs, options.gone);
    if (live) throw refuse(live.holder, live.heartbeatAgeMs);
    takeOver(dir, staleMs, options.gone);
    release = take();
  }
  if (!release) {
    const live = liveLockHolder(dir, staleMs, options.gone);
    throw refuse(live?.holder ?? readLockHolder(dir), live?.heartbeatAgeMs ?? 0);
  }
  const holder: LockHolder = {
    pid: process.pid,
    host: HOST,
    since: new Date().toISOString(),
    ...(options.by ? { by: options.by } : {}),
    ...(options.parentPid ? { parentPid: options.parentPid } : {}),
  };
  try {
    writeJsonAtomic(path.join(dir, LOCK_INFO), holder);
  } catch (e) {
    release();
    throw e;
  }
  let released = false;
  const doRelease = release;
  return {
    dir,
    release() {
      if (released) return;
      released = true;
      const info = readLockHolder(dir);
      if (info?.pid === process.pid && info.host === HOST) fs.rmSync(path.join(dir, LOCK_INFO), { force: true });
      try {
        doRelease();
      } catch {
        // already released or compromised: nothing left to undo
      }
    },
  };
}

/**
 * Removes a gone holder's lock. Only one newcomer may: it first makes `<lock>.takeover`, then looks
 * again (the lock may have changed hands meanwhile); the holder's name goes before its folder, so a
 * newcomer never sees a fresh lock with the old name.
 */
function takeOver(dir: string, staleMs: number, gone?: (holder: LockHolder) => boolean): void {
  const guard = path.join(dir, `${LOCK_DIR}.takeover`);
  try {
    fs.mkdirSync(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another newcomer is at it; a guard left by a killed one is cleared for the next try.
    const age = heartbeatAge(guard);
    if (age !== undefined && age > TAKEOVER_STALE_MS) fs.rmSync(guard, { recursive: true, force: true });
    return;
  }
  try {
    if (liveLockHolder(dir, staleMs, gone) || heartbeatAge(path.join(dir, LOCK_DIR)) === undefined) return;
    fs.rmSync(path.join(dir, LOCK_INFO), { force: true });
    fs.rmSync(path.join(dir, LOCK_DIR), { recursive: true, force: true });
  } finally {
    fs.rmSync(guard, { recursive: true, force: true });
  }
}
