/**
 * One writer per run folder: whoever trains a run (the training worker, whichever host started it:
 * `losslab run`, `losslab run-one` in a SLURM task, VS Code) holds this lock from before it opens the
 * folder until it has written its end state; a host writing what a dead worker could not takes it too.
 */
import * as path from 'node:path';
import { FolderLockedError, holderText, liveLockHolder, lockFolder, type FolderLock, type LockHolder, type LockOptions } from './folderLock';

/** The run folder is locked by another live process. */
export class RunLockedError extends FolderLockedError {
  override readonly name = 'RunLockedError';

  constructor(runDir: string, holder: LockHolder | undefined, heartbeatAgeMs?: number) {
    super(runDir, holder, `run '${path.basename(runDir)}' is already being trained (${holderText(holder, heartbeatAgeMs)}) in ${runDir}; nothing was changed: wait for it to end or stop it first`);
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
