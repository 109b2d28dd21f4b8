/**
 * How a search's runs are trained, apart from what to train next (SearchRunner decides that):
 * worker processes on this machine, or an Executor's jobs (executorTraining.ts). A trial is trained
 * to its rung and pauses there; the final stage trains its runs to the end.
 */
import * as path from 'node:path';
import type { RunSpec } from '../../core/config/types';
import type { FromWorker } from '../../protocol/worker';
import { recordDeath, Scheduler } from '../scheduler';
import { WorkerRun, type RunOutcome } from '../workerProcess';

export interface SearchTraining {
  /** How many trials may train at once. */
  readonly lanes: number;
  /** Trains a trial's run until `pauseAfter` (to its end when undefined); resolves once it ended. */
  trainTrial(spec: RunSpec, pauseAfter: number | undefined): Promise<RunOutcome>;
  /** Trains the final stage's runs, reporting each one's end. */
  trainFinals(specs: RunSpec[], onRunEnd: (runId: string, outcome: RunOutcome) => void): Promise<void>;
  /** Stops everything it trains; finished epochs stay. */
  stop(): void;
}

export interface LocalTrainingOptions {
  experimentDir: string;
  workerPath: string;
  parallel: number;
  by: string;
  env?: NodeJS.ProcessEnv;
  onMessage?: (runId: string, msg: FromWorker) => void;
}

/** Worker processes on this machine: `parallel` trials at once, then the finals through the Scheduler. */
export class LocalSearchTraining implements SearchTraining {
  private readonly active = new Set<WorkerRun>();
  private scheduler: Scheduler | undefined;
  private stopping = false;

  constructor(private readonly opts: LocalTrainingOptions) {}

  get lanes(): number {
    return Math.max(1, this.opts.parallel);
  }

  async trainTrial(spec: RunSpec, pauseAfter: number | undefined): Promise<RunOutcome> {
    const runDir = path.join(this.opts.experimentDir, spec.runId);
    const worker = new WorkerRun({
      workerPath: this.opts.workerPath,
      spec,
      runDir,
      resume: 'resume',
      env: this.opts.env,
      by: this.opts.by,
      ...(pauseAfter ? { pauseAfter } : {}),
      onMessage: (msg) => this.opts.onMessage?.(spec.runId, msg),
    });
    this.active.add(worker);
    const outcome = recordDeath(runDir, await worker.done, this.opts.by);
    this.active.delete(worker);
    return outcome;
  }

  async trainFinals(specs: RunSpec[], onRunEnd: (runId: string, outcome: RunOutcome) => void): Promise<void> {
    this.scheduler = new Scheduler(specs, {
      workerPath: this.opts.workerPath,
      experimentDir: this.opts.experimentDir,
      parallel: this.opts.parallel,
      resume: 'resume',
      env: this.opts.env,
      by: this.opts.by,
      onMessage: this.opts.onMessage,
      onRunEnd,
    });
    if (!this.stopping) await this.scheduler.run();
  }

  stop(): void {
    this.stopping = true;
    for (const w of this.active) w.stop();
    this.scheduler?.stop();
  }
}
