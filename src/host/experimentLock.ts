/**
 * One writer per experiment folder: the CLI and the extension take this lock before they write
 * experiment.json or start a grid, so the same grid started twice cannot interleave its epochs.
 * Each run of it is locked again by whoever trains it (runLock.ts). The mechanism is folderLock.ts.
 */
import * as path from 'node:path';
import { FolderLockedError, holderText, lockFolder, type FolderLock, type LockHolder, type LockOptions } from './folderLock';

export { LOCK_DIR, LOCK_INFO, readLockHolder, type LockHolder, type LockOptions } from './folderLock';

/** The experiment folder is locked by another live process. */
export class ExperimentLockedError extends FolderLockedError {
  override readonly name = 'ExperimentLockedError';

  constructor(experimentDir: string, holder: LockHolder | undefined, heartbeatAgeMs?: number) {
    super(experimentDir, holder, `experiment '${path.basename(experimentDir)}' is already running (${holderText(holder, heartbeatAgeMs)}) in ${experimentDir}; wait for it to end or stop it first`);
  }

  get experimentDir(): string {
    return this.dir;
  }
}

export interface ExperimentLock extends FolderLock {
  readonly experimentDir: string;
}

/** Takes the lock on `experimentDir` (creating the folder); throws ExperimentLockedError when a live process holds it. */
export function lockExperiment(experimentDir: string, options: LockOptions = {}): ExperimentLock {
  const lock = lockFolder(experimentDir, options, (holder, age) => new ExperimentLockedError(path.resolve(experimentDir), holder, age));
  return { ...lock, experimentDir: lock.dir };
}
