/**
 * A search's runs as an Executor's jobs (SLURM): one submission per decision, the trial's rung as
 * its pause epoch, and one poll loop that tells each waiting decision when its run has ended, so
 * trials are promoted as their rungs complete. The run files stay the source of truth for epochs;
 * the executor adds only how a job ended.
 */
import type { RunSpec } from '../../core/config/types';
import { isLive, type Executor, type ExecutorRunStatus, type SubmitResult } from '../executor';
import type { RunOutcome } from '../workerProcess';
import type { SearchTraining } from './searchTraining';

export interface ExecutorTrainingOptions {
  executor: Executor;
  /** Trials at once (SLURM: maxConcurrent): one job per decision, so the array throttle cannot count them. */
  lanes: number;
  /** Seconds between polls. */
  pollSeconds: number;
  /** A submission was made (for a progress line). */
  onSubmitted?: (result: SubmitResult, pauseAfter: number | undefined) => void;
}

interface Waiter {
  runId: string;
  /** Only this submission's job may answer; a status of an earlier job is not this one's end. */
  jobId?: string;
  resolve: (status: ExecutorRunStatus) => void;
  reject: (error: Error) => void;
}

/** How a job's end reads to the search: a scheduler's end (cancelled, timeout, preempted) counts as a failure of this attempt. */
function outcomeOf(s: ExecutorRunStatus): RunOutcome {
  if (s.state === 'done') return { state: 'done' };
  if (s.state === 'stopped') return { state: 'stopped', epoch: s.epoch };
  return { state: 'failed', category: s.label.toLowerCase(), message: s.detail ?? `its job ended as ${s.label}` };
}

/** Whether a status answers for the job a waiter waits on: its own task, or any when the executor names none. */
const answers = (w: Waiter, s: ExecutorRunStatus) => !w.jobId || !s.jobId || s.jobId === w.jobId || s.jobId.startsWith(`${w.jobId}_`);

export class ExecutorSearchTraining implements SearchTraining {
  private waiters: Waiter[] = [];
  private polling = false;
  private stopping = false;

  constructor(private readonly opts: ExecutorTrainingOptions) {}

  get lanes(): number {
    return Math.max(1, this.opts.lanes);
  }

  async trainTrial(spec: RunSpec, pauseAfter: number | undefined): Promise<RunOutcome> {
    const result = await this.opts.executor.submit([spec], pauseAfter ? { pauseAfter } : {});
    this.opts.onSubmitted?.(result, pauseAfter);
    return outcomeOf(await this.ended(spec.runId, result));
  }

  async trainFinals(specs: RunSpec[], onRunEnd: (runId: string, outcome: RunOutcome) => void): Promise<void> {
    if (this.stopping) return;
    const result = await this.opts.executor.submit(specs);
    this.opts.onSubmitted?.(result, undefined);
    await Promise.all(specs.map(async (spec) => onRunEnd(spec.runId, outcomeOf(await this.ended(spec.runId, result)))));
  }

  /** Cancels the jobs; the waiting decisions end (as stopped) once the cancel was sent. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    void this.opts.executor
      .cancel()
      .catch(() => undefined)
      .finally(() => {
        for (const w of this.waiters.splice(0)) w.resolve({ runId: w.runId, state: 'stopped', label: 'STOPPED', epoch: -1, epochs: 0 });
      });
  }

  private ended(runId: string, result: SubmitResult): Promise<ExecutorRunStatus> {
    // A run the executor skipped (queued by an earlier driver, or done) is waited on whatever job holds it.
    const jobId = result.submitted.includes(runId) ? result.jobId : undefined;
    return new Promise((resolve, reject) => {
      this.waiters.push({ runId, jobId, resolve, reject });
      void this.pollLoop();
    });
  }

  private async pollLoop(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      while (this.waiters.length > 0 && !this.stopping) {
        const states = new Map((await this.opts.executor.poll()).map((s) => [s.runId, s]));
        for (const w of [...this.waiters]) {
          const s = states.get(w.runId);
          if (!s || !answers(w, s) || isLive(s.state)) continue;
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(s);
        }
        if (this.waiters.length > 0) await new Promise((r) => setTimeout(r, this.opts.pollSeconds * 1000));
      }
    } catch (e) {
      for (const w of this.waiters.splice(0)) w.reject(e as Error);
    } finally {
      this.polling = false;
    }
  }
}
