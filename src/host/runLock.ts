/**
 * One writer per run folder: whoever trains a run (the training worker, whichever host started it:
 * `losslab run`, `losslab run-one` in a SLURM task, VS Code) holds this lock from before it opens the
 * folder until it has written its end state; a host writing what a dead worker could not takes it too.
 */
import * as path from 'node:path';
import { FolderLockedError, holderText, liveLockHolder, lockFolder, readLockHolder, type FolderLock, type LockHolder, type LockOptions } from './folderLock';

/** The run folder is locked by another live process. */
export class RunLockedError extends FolderLockedError {
  override readonly name = 'RunLockedError';

  constructor(runDir: string, holder: LockHolder | undefined, heartbeatAgeMs?: number) {
    super(runDir, holder, `run '${path.basename(runDir)}' is already being trained (${holderText(holder, heartbeatAgeMs)}) in ${runDir}; nothing was changed: wait for it to end or stop it first`);
  }
}

/**
 * The holders an earlier attempt of the same SLURM task left, when `by` names one: SLURM runs one
 * attempt of a task at a time, so a holder of the same task died with its node, however fresh its
 * heartbeat (it is not on this host, so its pid cannot be asked).
 */
export function earlierAttemptOf(by: string | undefined): ((holder: LockHolder) => boolean) | undefined {
  if (!by || !/\(SLURM task \d+(_\d+)?\)$/.test(by)) return undefined;
  return (holder) => holder.by === by;
}

/** How a SLURM task names itself as a run's holder. */
export const slurmTaskHolder = (task: string) => `losslab run-one (SLURM task ${task})`;

/**
 * Frees the lock SLURM task `task` left on `runDir`, once SLURM says that task has ended: its
 * node died with it (NODE_FAIL), so its heartbeat is fresh but nothing will ever release it.
 * A lock anyone else holds is left alone.
 */
export function releaseEndedTaskLock(runDir: string, task: string): void {
  const by = slurmTaskHolder(task);
  if (readLockHolder(runDir)?.by !== by) return;
  try {
    lockRun(runDir, { by: 'losslab run', gone: (holder) => holder.by === by }).release();
  } catch (e) {
    if (!(e instanceof RunLockedError)) throw e;
  }
}

/** Takes the lock on `runDir` (creating the folder); throws RunLockedError when a live process holds it. */
export function lockRun(runDir: string, options: LockOptions = {}): FolderLock {
  return lockFolder(runDir, options, (holder, age) => new RunLockedError(path.resolve(runDir), holder, age));
}

/** Who trains `runDir` now, as messages name it; undefined when no live process does. */
export function runHolderText(runDir: string): string | undefined {
  const live = liveLockHolder(runDir);
  return live && holderText(live.holder, live.heartbeatAgeMs);
}

/**
 * Runs `write` holding the run's lock; skips it (undefined) while another live process holds the
 * lock, e.g. one that took the run over from a dead worker and whose status must not be overwritten.
 */
export function whileRunLocked<T>(runDir: string, by: string, write: () => T): T | undefined {
  let lock: FolderLock | undefined;
  try {
    lock = lockRun(runDir, { by });
  } catch (e) {
    if (e instanceof RunLockedError) return undefined;
    // Cannot even lock (a full disk, no permission): the write reports that fault itself.
  }
  try {
    return write();
  } finally {
    lock?.release();
  }
}
