/**
 * Where a grid's runs execute, behind one small interface so that another engine (Kubernetes
 * Jobs, a cloud batch service) can be added without touching the runner: submit the runs,
 * poll their states, cancel them. The results files each run writes stay the source of truth
 * for its epochs; an executor adds what only it knows (queued, on which node, why it ended).
 */
import type { RunSpec } from '../core/config/types';
import type { RunState } from '../core/results/types';

/**
 * One run as an executor sees it: the run's own states (`done` and `failed` agree with its status.json),
 * with the scheduler's words for waiting in its queue ('pending'), the ends it imposes, and no answer.
 */
export type ExecutorRunState = Exclude<RunState, 'queued'> | 'pending' | 'cancelled' | 'timeout' | 'preempted' | 'unknown';

export interface ExecutorRunStatus {
  runId: string;
  state: ExecutorRunState;
  /** The scheduler's own word for it (SLURM: PENDING, RUNNING, COMPLETED, FAILED, TIMEOUT, PREEMPTED, CANCELLED). */
  label: string;
  /** Why it waits (PENDING), where it runs (RUNNING), or the error line of its log (FAILED). */
  detail?: string;
  /** Finished epochs, from the run's own files. */
  epoch: number;
  epochs: number;
  /** The scheduler's handle, e.g. SLURM's `1234_5`. */
  jobId?: string;
  /** The output of a run that failed, where there is one to read (SLURM: the task's log). */
  log?: string;
}

/** Whether an executor still has work for this run (it may change state by itself). */
export const isLive = (s: ExecutorRunState) => s === 'pending' || s === 'running' || s === 'unknown';

export interface SubmitResult {
  /** Runs handed to the executor. */
  submitted: string[];
  /** Runs left out, and why (already done, already queued). */
  skipped: { runId: string; why: string }[];
  /** The scheduler's id for the submission (a SLURM job array id), when it has one. */
  jobId?: string;
}

export interface SubmitOptions {
  /** Stop each run after this epoch (a search trial pausing at its rung); it stays `stopped`, its checkpoint kept. */
  pauseAfter?: number;
}

export interface Executor {
  submit(runs: RunSpec[], options?: SubmitOptions): Promise<SubmitResult>;
  poll(): Promise<ExecutorRunStatus[]>;
  /** Cancels the given runs, or all this executor started. Finished epochs stay on disk. */
  cancel(runIds?: string[]): Promise<void>;
}
