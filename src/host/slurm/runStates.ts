/**
 * One state per run from two witnesses: the run's own files (epochs, done, failed with its
 * message) and SLURM's view of its latest task (queued and why, on which node, how it ended).
 * The files win where they are final (a run is done when its status says so); SLURM says
 * what the files cannot (PENDING, TIMEOUT, PREEMPTED, CANCELLED, a task that died early).
 */
import * as fs from 'node:fs';
import type { RunRecord } from '../../core/results/runReader';
import { RUN_FILES } from '../../core/results/types';
import type { ExecutorRunState, ExecutorRunStatus } from '../executor';
import type { TaskState } from './slurmQueue';

/** SLURM states by what they mean for a run. */
const WAITING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'CONFIGURING', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const ACTIVE = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED', 'SIGNALING', 'STAGE_OUT', 'RESIZING']);
const ENDED: Record<string, ExecutorRunState> = {
  FAILED: 'failed',
  OUT_OF_MEMORY: 'failed',
  NODE_FAIL: 'failed',
  BOOT_FAIL: 'failed',
  DEADLINE: 'timeout',
  TIMEOUT: 'timeout',
  PREEMPTED: 'preempted',
  CANCELLED: 'cancelled',
  REVOKED: 'cancelled',
};

/** The line of a task's log that says why it failed: Loss Lab's own error line, else the last line. */
export function errorLineOf(logText: string): string | undefined {
  const lines = logText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const ours = lines.filter((l) => /^losslab( run-one)?:/.test(l) && /FAILED|error|cannot|not found|no such|missing|invalid/i.test(l));
  if (ours.length) return ours[ours.length - 1];
  const errors = lines.filter((l) => /error|failed|exception|killed/i.test(l) && !/CANCELLED AT/.test(l));
  return errors[errors.length - 1] ?? lines[lines.length - 1];
}

function readLog(file: string | undefined): string {
  if (!file) return '';
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-20_000);
  } catch {
    return '';
  }
}

export interface RunWitnesses {
  runId: string;
  record?: RunRecord;
  epochs: number;
  /** The run's latest task, when one was submitted. */
  taskId?: string;
  task?: TaskState;
  logFile?: string;
  /** SLURM could not be asked (this is why): a task it does not list may still be queued or running. */
  unreachable?: string;
}

/** The label of a run whose task's state could not be asked for: not the same as a task SLURM forgot. */
export const UNREACHABLE = 'UNREACHABLE';

export function runStateOf(w: RunWitnesses): ExecutorRunStatus {
  const s = stateOf(w);
  // A failure's one line rarely tells all: say where the rest is.
  return s.state === 'failed' && w.logFile && fs.existsSync(w.logFile) ? { ...s, log: w.logFile } : s;
}

function stateOf(w: RunWitnesses): ExecutorRunStatus {
  const status = w.record?.status;
  const epoch = w.record?.metrics.length ?? 0;
  const base = { runId: w.runId, epoch, epochs: status?.epochs || w.epochs, ...(w.taskId ? { jobId: w.taskId } : {}) };
  const slurm = w.task?.state;
  if (status?.state === 'done') return { ...base, epoch: status.epoch, state: 'done', label: 'COMPLETED' };
  // An unreadable status.json is not "never submitted": say it is damaged, unless SLURM knows better.
  if (!status && w.record?.unreadable?.includes(RUN_FILES.status) && (!w.taskId || !slurm)) {
    return { ...base, state: 'unknown', label: 'DAMAGED', detail: `${RUN_FILES.status} cannot be read; repair or delete it, or run again with --restart to train the run from scratch` };
  }
  if (!w.taskId) {
    // Never submitted to SLURM (or its record was lost): the files alone.
    if (!status) return { ...base, state: 'unknown', label: 'NOT SUBMITTED' };
    const local: ExecutorRunState = status.state === 'queued' || status.state === 'running' ? 'unknown' : status.state;
    return { ...base, state: local, label: status.state.toUpperCase(), ...(status.reason ? { detail: status.reason } : {}) };
  }
  if (!slurm && w.unreachable) {
    if (status?.state === 'failed' || status?.state === 'stopped') return { ...base, state: status.state, label: status.state.toUpperCase(), ...(status.reason ? { detail: status.reason } : {}) };
    return { ...base, state: 'unknown', label: UNREACHABLE, detail: `cannot reach the SLURM controller (${w.unreachable}); task ${w.taskId} may still be queued or running` };
  }
  if (!slurm) {
    // SLURM forgot the task (MinJobAge passed, no accounting): the files tell how far it got.
    if (status?.state === 'failed') return { ...base, state: 'failed', label: 'FAILED', detail: errorLineOf(readLog(w.logFile)) ?? status.reason };
    if (status?.state === 'stopped') return { ...base, state: 'stopped', label: 'STOPPED', ...(status.reason ? { detail: status.reason } : {}) };
    return { ...base, state: 'unknown', label: 'UNKNOWN', detail: `SLURM no longer knows task ${w.taskId}` };
  }
  if (WAITING.has(slurm)) return { ...base, state: 'pending', label: 'PENDING', ...(w.task?.reason ? { detail: w.task.reason } : {}) };
  if (ACTIVE.has(slurm)) return { ...base, state: 'running', label: 'RUNNING', ...(w.task?.node ? { detail: w.task.node } : {}) };
  const ended = ENDED[slurm];
  const kept = epoch > 0 ? `${epoch} finished epoch${epoch === 1 ? '' : 's'} kept` : 'no epoch finished';
  // The log ends wherever the node died, so its last line would be a random one: say what happened instead.
  if (slurm === 'NODE_FAIL') return { ...base, state: 'failed', label: slurm, detail: `${w.task?.node ? `node ${w.task.node}` : 'its node'} failed; ${kept}` };
  if (ended === 'failed') return { ...base, state: 'failed', label: slurm, detail: errorLineOf(readLog(w.logFile)) ?? status?.reason ?? w.task?.reason };
  if (ended) return { ...base, state: ended, label: slurm, detail: kept };
  // COMPLETED (the task exited 0) but the run is not done: it was stopped (SIGTERM without a requeue), or failed.
  if (status?.state === 'failed') return { ...base, state: 'failed', label: 'FAILED', detail: errorLineOf(readLog(w.logFile)) ?? status.reason };
  return { ...base, state: 'stopped', label: 'STOPPED', detail: status?.reason ?? `task ended as ${slurm}` };
}
