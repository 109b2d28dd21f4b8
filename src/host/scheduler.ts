import * as path from 'node:path';
import type { RunSpec } from '../core/config/types';
import { markRunFailed, markRunStopped } from '../core/results/runSink';
import type { FromWorker, ResumePolicy } from '../protocol/worker';
import { laneDevices, type Machine } from './parallelism';
import { whileRunLocked } from './runLock';
import { RunOutcome, WorkerRun } from './workerProcess';

export interface SchedulerOptions {
  workerPath: string;
  /** `<outputDir>/<experiment>` : each run goes to `<experimentDir>/<runId>`. */
  experimentDir: string;
  parallel: number;
  resume: ResumePolicy;
  /** Runs that take another policy than `resume` (a stale run extended or retrained). */
  resumeOf?: ReadonlyMap<string, ResumePolicy>;
  env?: NodeJS.ProcessEnv;
  /** The machine whose GPUs the lanes share out (parallelism.ts); default this one. */
  machine?: Machine;
  /** Who runs the grid ("losslab run", "VS Code"), named in each run's lock. */
  by?: string;
  onMessage?: (runId: string, msg: FromWorker) => void;
  onRunEnd?: (runId: string, outcome: RunOutcome) => void;
}

/** Outcomes of a worker that died without writing its own end state. */
const DEATHS = new Set(['crash', 'killed', 'out-of-memory']);

/**
 * Writes the end state a dead worker could not, under the run's lock (skipped when another process
 * has taken the run meanwhile). Never throws: when the status cannot be written either (the disk is
 * full), the outcome says so and the grid goes on.
 */
export function recordDeath(runDir: string, outcome: RunOutcome, by: string): RunOutcome {
  let fault: string | undefined;
  if (outcome.state === 'failed' && DEATHS.has(outcome.category)) fault = whileRunLocked(runDir, by, () => markRunFailed(runDir, outcome.message));
  if (outcome.state === 'stopped' && outcome.epoch < 0) fault = whileRunLocked(runDir, by, () => markRunStopped(runDir, 'stopped by the user (worker killed)'));
  if (!fault) return outcome;
  const note = `; its status.json could not be updated (${fault})`;
  return outcome.state === 'failed' ? { ...outcome, message: outcome.message + note } : outcome;
}

/** What runs an experiment's runs for a host: a grid's Scheduler, or a search's SearchRunner (host/search). */
export interface RunDriver {
  run(): Promise<unknown>;
  stop(): void;
  stopRun(runId: string): void;
  readonly outcomes: ReadonlyMap<string, RunOutcome>;
}

/**
 * Runs a grid with up to `parallel` workers at once. A failing run does not stop the
 * others; the host records a crash in the run's status itself, since a dead worker cannot.
 */
export class Scheduler implements RunDriver {
  private readonly queue: RunSpec[];
  private readonly active = new Map<string, WorkerRun>();
  private stopping = false;
  readonly outcomes = new Map<string, RunOutcome>();

  constructor(
    runs: RunSpec[],
    private readonly opts: SchedulerOptions,
  ) {
    this.queue = [...runs];
  }

  async run(): Promise<Map<string, RunOutcome>> {
    const count = Math.max(1, this.opts.parallel);
    const devices = laneDevices(this.queue, count, this.opts.machine);
    const lanes = Array.from({ length: count }, (_, i) => this.lane(devices ? { LOSSLAB_TORCH_DEVICE: devices[i] } : {}));
    await Promise.all(lanes);
    return this.outcomes;
  }

  /** Stops every active run and drops the queue. */
  stop(): void {
    this.stopping = true;
    this.queue.length = 0;
    for (const w of this.active.values()) w.stop();
  }

  stopRun(runId: string): void {
    this.active.get(runId)?.stop();
    const i = this.queue.findIndex((s) => s.runId === runId);
    if (i >= 0) this.queue.splice(i, 1);
  }

  get activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  /** `laneEnv`: what this lane's workers add to the environment (their GPU). */
  private async lane(laneEnv: NodeJS.ProcessEnv): Promise<void> {
    for (let spec = this.queue.shift(); spec && !this.stopping; spec = this.queue.shift()) {
      const runDir = path.join(this.opts.experimentDir, spec.runId);
      const worker = new WorkerRun({
        workerPath: this.opts.workerPath,
        spec,
        runDir,
        resume: this.opts.resumeOf?.get(spec.runId) ?? this.opts.resume,
        env: { ...this.opts.env, ...laneEnv },
        by: this.opts.by,
        onMessage: (msg) => this.opts.onMessage?.(spec.runId, msg),
      });
      this.active.set(spec.runId, worker);
      const outcome = await worker.done;
      this.active.delete(spec.runId);
      const recorded = recordDeath(runDir, outcome, this.opts.by ?? 'Loss Lab');
      this.outcomes.set(spec.runId, recorded);
      this.opts.onRunEnd?.(spec.runId, recorded);
    }
  }
}
