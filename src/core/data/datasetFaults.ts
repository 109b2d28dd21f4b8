/**
 * Turns what a loader can hit on a real disk into dataset errors: a file or folder it may not read
 * (EACCES), a file that is a folder, a class folder that is a dangling link. Each is one line naming
 * the path, never an internal error with a stack. Writes (the decode cache) keep their own report.
 */
import { fileFaultText, isErrnoError } from '../results/fileFaults';
import { DatasetError } from './errors';

const READ_CALLS = new Set(['open', 'read', 'scandir', 'stat', 'lstat', 'readlink', 'access', 'opendir']);

/**
 * The error as a DatasetError when it is a failed read of a dataset path; otherwise the error unchanged.
 * `file` names the path for errors that carry none (a read of a descriptor: EISDIR).
 */
export function asDatasetReadError(err: unknown, dataset: string, file?: string): unknown {
  if (err instanceof DatasetError || !isErrnoError(err)) return err;
  if (typeof err.path !== 'string' && file !== undefined) Object.assign(err, { path: file });
  if (typeof err.path !== 'string') return err;
  if (err.syscall !== undefined && !READ_CALLS.has(err.syscall)) return err;
  const text = fileFaultText(err) ?? err.message;
  return new DatasetError(err.path, `${dataset}: ${text}`);
}
