/**
 * What SLURM says about array tasks: squeue for tasks slurmctld still holds (pending, running,
 * and finished ones until MinJobAge), sacct for older ones where accounting is enabled. One
 * call of each for all the jobs of an experiment, however many submissions it has.
 */
import { firstLine, runSlurm } from './slurmTools';

export interface TaskState {
  /** SLURM's state name: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, PREEMPTED, CANCELLED, ... */
  state: string;
  /** squeue's reason (PENDING: Resources, Priority, JobArrayTaskLimit, BeginTime, ...). */
  reason?: string;
  node?: string;
}

export interface QueueView {
  tasks: Map<string, TaskState>;
  /** Why SLURM could not be asked (controller down, a timeout): its tasks' states are not known, not gone. */
  unreachable?: string;
}

/**
 * The task ids of `123_4`, `123_[4-7%2]` or `123_[1,3,5-6]` (pending or never-started ranges);
 * a bare `123` (an array none of whose tasks started) stands for every task of that job.
 */
export function expandTaskIds(id: string): string[] {
  if (/^\d+(_\d+)?$/.test(id)) return [id];
  const range = /^(\d+)_\[([\d,-]+)(?:%\d+)?\]$/.exec(id);
  if (!range) return [];
  const ids: string[] = [];
  for (const part of range[2].split(',')) {
    const [from, to] = part.split('-').map(Number);
    if (!Number.isInteger(from)) continue;
    for (let i = from; i <= (Number.isInteger(to) ? to : from); i++) ids.push(`${range[1]}_${i}`);
  }
  return ids;
}

/** Parses `squeue -h -r -o %i|%T|%r|%N` (or sacct -P JobID|State|Reason|NodeList) lines into task id → state. */
export function parseQueueLines(text: string): Map<string, TaskState> {
  const tasks = new Map<string, TaskState>();
  for (const line of text.split('\n')) {
    const [id, rawState, reason, node] = line.trim().split('|');
    if (!id || !rawState) continue;
    const state = rawState.split(' ')[0]; // sacct: "CANCELLED by 1000"
    const task = { state, ...(reason && reason !== 'None' ? { reason } : {}), ...(node && node !== 'None assigned' ? { node } : {}) };
    for (const taskId of expandTaskIds(id)) tasks.set(taskId, task);
  }
  return tasks;
}

/** squeue's complaint when every id it was given is one slurmctld has forgotten: an answer, not a failure. */
const FORGOTTEN = /Invalid job id specified/i;

/** A task's state, or its whole array's where SLURM lists the array as one line. */
export const taskStateOf = (view: QueueView, taskId: string): TaskState | undefined => view.tasks.get(taskId) ?? view.tasks.get(taskId.split('_')[0]);

/** States of every task of the given array jobs that SLURM still knows. */
export async function queryTasks(jobIds: string[], env: NodeJS.ProcessEnv = process.env): Promise<QueueView> {
  const tasks = new Map<string, TaskState>();
  if (jobIds.length === 0) return { tasks };
  const q = await runSlurm('squeue', ['-h', '-r', '-t', 'all', '-j', jobIds.join(','), '-o', '%i|%T|%r|%N'], env);
  if (q.code === 0) for (const [id, t] of parseQueueLines(q.stdout)) tasks.set(id, t);
  else if (!FORGOTTEN.test(q.stderr + q.stdout)) return { tasks, unreachable: firstLine(q) || `squeue exited with ${q.code}` };
  const forgotten = jobIds.filter((j) => ![...tasks.keys()].some((id) => id === j || id.startsWith(`${j}_`)));
  if (forgotten.length > 0) {
    // Accounting may be disabled (sacct then fails): the runs' own files still tell how they ended.
    const r = await runSlurm('sacct', ['-n', '-P', '-X', '-j', forgotten.join(','), '-o', 'JobID,State,Reason,NodeList'], env).catch(() => undefined);
    if (r?.code === 0) for (const [id, t] of parseQueueLines(r.stdout)) if (!tasks.has(id)) tasks.set(id, t);
  }
  return { tasks };
}
