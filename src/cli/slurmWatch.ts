/**
 * Follows an executor's runs until none is queued or running, printing one line whenever a
 * run's state changes (PENDING and why, RUNNING on which node, each finished epoch, how it
 * ended). Used by `losslab run --executor slurm` and `losslab status --watch`.
 */
import { isLive, type Executor, type ExecutorRunStatus } from '../host/executor';

/** How often the queue is asked; each poll is one squeue per submission. */
export const pollSeconds = () => Number(process.env.LOSSLAB_POLL_SECONDS) || 5;

export function describeRun(s: ExecutorRunStatus): string {
  const epochs = `${s.epoch}/${s.epochs} epochs`;
  switch (s.state) {
    case 'pending':
      return `${s.runId}: PENDING${s.detail ? ` (${s.detail})` : ''}${s.epoch ? `, ${epochs} done` : ''}${s.jobId ? ` [${s.jobId}]` : ''}`;
    case 'running':
      return `${s.runId}: RUNNING${s.detail ? ` on ${s.detail}` : ''}, ${epochs}${s.jobId ? ` [${s.jobId}]` : ''}`;
    case 'done':
      return `${s.runId}: COMPLETED, ${epochs}`;
    default:
      return `${s.runId}: ${s.label}${s.detail ? `: ${s.detail}` : ''}${s.state === 'failed' ? '' : ` (${epochs})`}${s.jobId ? ` [${s.jobId}]` : ''}`;
  }
}

/** A task SLURM does not list yet (just submitted) or any more; how many polls it may stay so before the watch gives up on it. */
const UNKNOWN_POLLS = 12;

export interface WatchOptions {
  print: (line: string) => void;
  /** Resolves when the user interrupts (Ctrl-C): the watch then returns at the next poll. */
  interrupted?: () => boolean;
}

export async function watchRuns(executor: Executor, opts: WatchOptions): Promise<ExecutorRunStatus[]> {
  const last = new Map<string, string>();
  const unknownPolls = new Map<string, number>();
  for (;;) {
    const states = await executor.poll();
    for (const s of states) {
      const line = describeRun(s);
      if (last.get(s.runId) !== line) opts.print(line);
      last.set(s.runId, line);
      unknownPolls.set(s.runId, s.state === 'unknown' && s.jobId ? (unknownPolls.get(s.runId) ?? 0) + 1 : 0);
    }
    const waiting = states.filter((s) => (s.state === 'unknown' ? Boolean(s.jobId) && unknownPolls.get(s.runId)! < UNKNOWN_POLLS : isLive(s.state)));
    if (waiting.length === 0 || opts.interrupted?.()) return states;
    await new Promise((r) => setTimeout(r, pollSeconds() * 1000));
  }
}

/** Counts by label, e.g. "2 COMPLETED, 1 CANCELLED". */
export function tally(states: ExecutorRunStatus[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}
