/**
 * Follows an executor's runs until none is queued or running, printing one line whenever a
 * run's state changes (PENDING and why, RUNNING on which node, each finished epoch, how it
 * ended). Used by `losslab run --executor slurm` and `losslab status --watch`.
 */
import * as path from 'node:path';
import { isLive, type Executor, type ExecutorRunStatus } from '../host/executor';
import { UNREACHABLE } from '../host/slurm/runStates';

/** Each poll is one squeue for the whole grid; on a busy controller even that adds up, so quiet grids are asked less often. */
export const POLL_FIRST_SECONDS = 2;
export const POLL_MAX_SECONDS = 30;

/** The wait before the next poll: back to the first when something changed, else 1.5 times longer, at most 30 s. */
export function nextPollSeconds(previous: number | undefined, changed: boolean, env: NodeJS.ProcessEnv = process.env): number {
  const fixed = Number(env.LOSSLAB_POLL_SECONDS);
  if (fixed > 0) return fixed;
  if (previous === undefined || changed) return POLL_FIRST_SECONDS;
  return Math.min(POLL_MAX_SECONDS, previous * 1.5);
}

/** How long the controller may stay out of reach before the watch stops (the tasks may run on regardless). */
const unreachableSeconds = () => Number(process.env.LOSSLAB_UNREACHABLE_SECONDS) || 15 * 60;

export const isUnreachable = (s: ExecutorRunStatus) => s.label === UNREACHABLE;

/** Relative to where the user is when that is shorter. */
const shortPath = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel.length < file.length && !rel.startsWith('..') ? rel : file;
};

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
      return `${s.runId}: ${s.label}${s.detail ? `: ${s.detail}` : ''}${s.state === 'failed' ? '' : ` (${epochs})`}${s.jobId ? ` [${s.jobId}]` : ''}${s.log ? `, log ${shortPath(s.log)}` : ''}`;
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
  let wait: number | undefined;
  let unreachableSince: number | undefined;
  for (;;) {
    const states = await executor.poll();
    let changed = false;
    const lost = states.find(isUnreachable);
    if (lost && unreachableSince === undefined) {
      unreachableSince = Date.now();
      opts.print(`SLURM: ${lost.detail?.replace(/; task .*$/, '') ?? 'cannot reach the controller'}; retrying with back-off (the tasks may still be running)`);
    } else if (!lost && unreachableSince !== undefined) {
      unreachableSince = undefined;
      opts.print('SLURM: the controller answers again');
    }
    for (const s of states) {
      if (isUnreachable(s)) continue; // said once above, not once per run
      const line = describeRun(s);
      if (last.get(s.runId) !== line) {
        opts.print(line);
        changed = true;
      }
      last.set(s.runId, line);
      unknownPolls.set(s.runId, s.state === 'unknown' && s.jobId ? (unknownPolls.get(s.runId) ?? 0) + 1 : 0);
    }
    const waiting = states.filter((s) => (isUnreachable(s) ? true : s.state === 'unknown' ? Boolean(s.jobId) && unknownPolls.get(s.runId)! < UNKNOWN_POLLS : isLive(s.state)));
    if (waiting.length === 0 || opts.interrupted?.()) return states;
    if (unreachableSince !== undefined && Date.now() - unreachableSince > unreachableSeconds() * 1000) return states;
    wait = nextPollSeconds(wait, changed);
    await new Promise((r) => setTimeout(r, wait! * 1000));
  }
}

/** Counts by label, e.g. "2 COMPLETED, 1 CANCELLED". */
export function tally(states: ExecutorRunStatus[]): string {
  const counts = new Map<string, number>();
  for (const s of states) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  return [...counts].map(([label, n]) => `${n} ${label}`).join(', ');
}
