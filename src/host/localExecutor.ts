/**
 * The local executor behind the Executor interface: worker processes on this machine through
 * the Scheduler, `parallel` at a time. Submitting returns at once; `finished` resolves with
 * every run's outcome, as the Scheduler reports it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunSpec } from '../core/config/types';
import { readRun } from '../core/results/runReader';
import type { Executor, ExecutorRunState, ExecutorRunStatus, SubmitResult } from './executor';
import { Scheduler, type SchedulerOptions } from './scheduler';
import type { RunOutcome } from './workerProcess';

export class LocalExecutor implements Executor {
  private scheduler: Scheduler | undefined;
  private submitted: RunSpec[] = [];
  private done: Promise<Map<string, RunOutcome>> = Promise.resolve(new Map<string, RunOutcome>());

  constructor(private readonly opts: SchedulerOptions) {}

  async submit(runs: RunSpec[]): Promise<SubmitResult> {
    if (this.scheduler) throw new Error('this executor already runs a grid');
    this.submitted = [...runs];
    this.scheduler = new Scheduler(runs, this.opts);
    this.done = this.scheduler.run();
    return { submitted: runs.map((r) => r.runId), skipped: [] };
  }

  /** Every submitted run's outcome, once all have ended. */
  get finished(): Promise<Map<string, RunOutcome>> {
    return this.done;
  }

  async poll(): Promise<ExecutorRunStatus[]> {
    const active = new Set(this.scheduler?.activeRunIds ?? []);
    return this.submitted.map((spec) => {
      const runDir = path.join(this.opts.experimentDir, spec.runId);
      const record = fs.existsSync(runDir) ? readRun(runDir) : undefined;
      const outcome = this.scheduler?.outcomes.get(spec.runId);
      const epoch = record?.metrics.length ?? 0;
      const base = { runId: spec.runId, epoch, epochs: spec.training.epochs };
      if (active.has(spec.runId)) return { ...base, state: 'running', label: 'RUNNING' };
      if (!outcome) return { ...base, state: 'pending', label: 'QUEUED' };
      // A run kept because it was already done counts as done.
      const state: ExecutorRunState = outcome.state === 'failed' && outcome.category === 'already-done' ? 'done' : outcome.state;
      return { ...base, state, label: state.toUpperCase(), ...(outcome.state === 'failed' && state === 'failed' ? { detail: outcome.message.split('\n')[0] } : {}) };
    });
  }

  async cancel(runIds?: string[]): Promise<void> {
    if (!runIds) this.scheduler?.stop();
    else for (const id of runIds) this.scheduler?.stopRun(id);
  }
}
