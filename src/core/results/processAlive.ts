import * as os from 'node:os';

/** This machine's name, as status and lock files record it: a pid means something only on its own host. */
export const HOST = os.hostname();

/** Whether a process with this pid exists on this machine (one we may not signal counts as alive). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` was recorded on this host and that process is gone; false when alive, elsewhere or unknown. */
export function processGone(pid: number | undefined, host: string | undefined): boolean {
  return pid !== undefined && host === HOST && !processAlive(pid);
}
