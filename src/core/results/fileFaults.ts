/**
 * One line for a failed file operation, naming the file: what the CLI prints and what a worker
 * records as a run's failure for a full disk or a permission problem, instead of a stack trace.
 */

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device; free some space and run the same command again (finished epochs are kept)',
  EDQUOT: 'disk quota exceeded; free some space and run the same command again (finished epochs are kept)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
};

/** Faults of the machine rather than of Loss Lab: a worker reports them as category 'file'. */
const MACHINE_FAULTS: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS']);

const WRITES = new Set(['write', 'mkdir', 'rename', 'unlink', 'rmdir', 'copyfile', 'fsync', 'appendfile', 'ftruncate', 'symlink']);

export type ErrnoError = NodeJS.ErrnoException & { code: string };

export function isErrnoError(err: unknown): err is ErrnoError {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

/** "cannot write '<file>': no space left on the device; …"; undefined for an error that is not an errno error with a path (or, with `machineOnly`, not a machine fault). */
export function fileFaultText(err: unknown, machineOnly = false): string | undefined {
  if (!isErrnoError(err)) return undefined;
  const { code, syscall } = err;
  if (machineOnly && !MACHINE_FAULTS.has(code)) return undefined;
  if (typeof err.path !== 'string' && !MACHINE_FAULTS.has(code)) return undefined;
  const verb = WRITES.has(syscall ?? '') || code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' ? 'write' : syscall === 'open' && code !== 'ENOENT' ? 'open' : 'read';
  const what = verb === 'write' && code === 'ENOENT' ? 'its folder does not exist' : (REASONS[code] ?? `${code}: ${err.message.split('\n')[0]}`);
  return `cannot ${verb} ${typeof err.path === 'string' ? `'${err.path}'` : 'a file'}: ${what}`;
}
