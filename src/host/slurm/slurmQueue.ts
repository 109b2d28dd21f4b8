/**
 * What SLURM says about array tasks: squeue for tasks slurmctld still holds (pending, running,
 * and finished ones until MinJobAge), sacct for older ones where accounting is enabled.
 */
import { runSlurm } from './slurmTools';

export interface TaskState {
  /** SLURM's state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, PREEMPTED, CANCELLED, ... */
  state: string;
  /** squeue's reason (PENDING: Resources, Priority, JobArrayTaskLimit, BeginTime, ...). */
  reason?: string;
  node?: string;
}

/** Parses `squeue -h -r -o %i|%T|%r|%N` (or sacct -P JobID|State|NodeList) lines into task id → state. */
export function parseQueueLines(text: string): Map<string, TaskState> {
  const tasks = new Map<string, TaskState>();
  for (const line of text.split('\n')) {
    const [id, rawState, reason, node] = line.trim().split('|');
    if (!id || !rawState || !/^\d+_\d+$/.test(id)) continue;
    const state = rawState.split(' ')[0]; // sacct: "CANCELLED by 1000"
    tasks.set(id, { state, ...(reason && reason !== 'None' ? { reason } : {}), ...(node && node !== 'None assigned' ? { node } : {}) });
  }
  return tasks;
}

/** States of every task of the given array jobs that SLURM still knows. */
export async function queryTasks(jobIds: string[], env: NodeJS.ProcessEnv = process.env): Promise<Map<string, TaskState>> {
  const tasks = new Map<string, TaskState>();
  if (jobIds.length === 0) return tasks;
  // One squeue per job: an id slurmctld has forgotten makes squeue fail for the whole list.
  for (const jobId of jobIds) {
    const r = await runSlurm('squeue', ['-h', '-r', '-t', 'all', '-j', jobId, '-o', '%i|%T|%r|%N'], env);
    if (r.code === 0) for (const [id, t] of parseQueueLines(r.stdout)) tasks.set(id, t);
  }
  const forgotten = jobIds.filter((j) => ![...tasks.keys()].some((id) => id.startsWith(`${j}_`)));
  if (forgotten.length > 0) {
    // Accounting may be disabled (sacct then fails): the runs' own files still tell how they ended.
    const r = await runSlurm('sacct', ['-n', '-P', '-X', '-j', forgotten.join(','), '-o', 'JobID,State,Reason,NodeList'], env).catch(() => undefined);
    if (r?.code === 0) for (const [id, t] of parseQueueLines(r.stdout)) if (!tasks.has(id)) tasks.set(id, t);
  }
  return tasks;
}
