/**
 * Runs a grid as one SLURM job array: `submit` writes the job script into the experiment
 * folder and calls sbatch for the runs that are neither done nor already queued; `poll`
 * combines squeue/sacct with the runs' own files; `cancel` is scancel.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { signalMarginProblem } from '../../core/config/slurmTime';
import { configToRevalidate } from '../../core/search/space';
import type { ExperimentConfig, RunSpec, SlurmExecutorConfig } from '../../core/config/types';
import { writeFileAtomic, writeJsonAtomic } from '../../core/results/atomicFile';
import { readRun } from '../../core/results/runReader';
import { isLive, type Executor, type ExecutorRunStatus, type SubmitOptions, type SubmitResult } from '../executor';
import { jobScript } from './jobScript';
import { checkSharedFilesystem } from './sharedFilesystem';
import { latestTasks, logDirOf, logFileOf, readSubmissions, recordSubmission, slurmDirOf } from './slurmJobs';
import { queryTasks, taskStateOf } from './slurmQueue';
import { runStateOf } from './runStates';
import { releaseEndedTaskLock } from '../runLock';
import { firstLine, requireSlurmTools, runSlurm, SlurmError } from './slurmTools';

export interface SlurmExecutorOptions {
  experimentDir: string;
  /** The validated config, with every command-line override applied. */
  config: ExperimentConfig;
  /** Every run of the grid, in grid order (a search's later runs join as they are submitted). */
  runs: RunSpec[];
  /** `losslab`'s CLI bundle and the node that runs it, as the compute nodes will see them. */
  cliPath: string;
  nodePath?: string;
  /** Overrides the config's executor.requeue (`--requeue`). */
  requeue?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The resolved config the tasks read: absolute outputDir, so a task's working folder does not matter. */
const TASK_CONFIG_FILE = 'config.losslab.json';

export class SlurmExecutor implements Executor {
  private readonly env: NodeJS.ProcessEnv;
  private readonly slurm: SlurmExecutorConfig;
  /** The runs poll reports on: the grid's, then any other submitted (a search's final stage). */
  private readonly runs: Map<string, RunSpec>;
  /** The folder is checked once: a search submits a job per decision. */
  private sharedChecked = false;
  private submitting: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SlurmExecutorOptions) {
    this.env = opts.env ?? process.env;
    this.runs = new Map(opts.runs.map((r) => [r.runId, r]));
    this.slurm = opts.config.executor?.type === 'slurm' ? opts.config.executor : { type: 'slurm' };
  }

  get requeue(): boolean {
    return this.opts.requeue ?? this.slurm.requeue ?? false;
  }

  /** One submission at a time: each numbers its script and appends to the submissions file from what the last one wrote. */
  submit(runs: RunSpec[], options: SubmitOptions = {}): Promise<SubmitResult> {
    const result = this.submitting.then(() => this.submitNow(runs, options));
    this.submitting = result.catch(() => undefined);
    return result;
  }

  private async submitNow(runs: RunSpec[], options: SubmitOptions): Promise<SubmitResult> {
    requireSlurmTools(['sbatch', 'squeue', 'scancel', 'sinfo'], this.env);
    // --requeue on the command line turns requeueing on after the config was checked.
    const marginProblem = this.requeue ? signalMarginProblem(this.slurm.time, this.slurm.signalMargin) : undefined;
    if (marginProblem) throw new SlurmError(marginProblem);
    const dir = this.opts.experimentDir;
    fs.mkdirSync(logDirOf(dir), { recursive: true });
    if (!this.sharedChecked) await checkSharedFilesystem(dir, this.slurm.partition, this.env);
    this.sharedChecked = true;
    for (const spec of runs) if (!this.runs.has(spec.runId)) this.runs.set(spec.runId, spec);

    const states = new Map((await this.poll()).map((s) => [s.runId, s]));
    const skipped: SubmitResult['skipped'] = [];
    const todo: string[] = [];
    for (const spec of runs) {
      const s = states.get(spec.runId);
      if (s?.state === 'done') skipped.push({ runId: spec.runId, why: 'already done' });
      else if (s?.jobId && (s.state === 'pending' || s.state === 'running')) skipped.push({ runId: spec.runId, why: `already ${s.label.toLowerCase()} as task ${s.jobId}` });
      else {
        // SLURM says its last task ended: a lock it still holds is a dead node's, and would refuse the new task.
        if (s?.jobId && s.state !== 'unknown') releaseEndedTaskLock(path.join(dir, spec.runId), s.jobId);
        todo.push(spec.runId);
      }
    }
    if (todo.length === 0) return { submitted: [], skipped };

    const configFile = path.join(slurmDirOf(dir), TASK_CONFIG_FILE);
    writeJsonAtomic(configFile, { ...configToRevalidate(this.opts.config), outputDir: path.dirname(dir) });
    const n = readSubmissions(dir).length + 1;
    const script = path.join(slurmDirOf(dir), `array-${n}.sh`);
    writeFileAtomic(
      script,
      jobScript({
        experiment: this.opts.config.name,
        executor: this.slurm,
        threads: this.opts.config.threads ?? 1,
        runIds: todo,
        logDir: logDirOf(dir),
        configFile,
        workDir: dir,
        setupDir: process.cwd(),
        nodePath: this.opts.nodePath ?? process.execPath,
        cliPath: this.opts.cliPath,
        requeue: this.requeue,
        pauseAfter: options.pauseAfter,
      }),
    );
    fs.chmodSync(script, 0o755);
    const r = await runSlurm('sbatch', ['--parsable', script], this.env);
    const jobId = r.stdout.trim().split(';')[0];
    if (r.code !== 0 || !/^\d+$/.test(jobId)) throw new SlurmError(`sbatch refused ${script}: ${firstLine(r) || `exit code ${r.code}`}`);
    recordSubmission(dir, { jobId, script: path.relative(dir, script), runIds: todo, submittedAt: new Date().toISOString(), requeue: this.requeue });
    return { submitted: todo, skipped, jobId };
  }

  async poll(): Promise<ExecutorRunStatus[]> {
    const dir = this.opts.experimentDir;
    const submissions = readSubmissions(dir);
    const tasks = latestTasks(submissions);
    const queue = await queryTasks([...new Set([...tasks.values()].map((t) => t.submission.jobId))], this.env);
    return [...this.runs.values()].map((spec) => {
      const task = tasks.get(spec.runId);
      const runDir = path.join(dir, spec.runId);
      return runStateOf({
        runId: spec.runId,
        epochs: spec.training.epochs,
        record: fs.existsSync(runDir) ? readRun(runDir) : undefined,
        ...(task ? { taskId: task.taskId, task: taskStateOf(queue, task.taskId), logFile: logFileOf(dir, task.taskId) } : {}),
        ...(queue.unreachable ? { unreachable: queue.unreachable } : {}),
      });
    });
  }

  async cancel(runIds?: string[]): Promise<void> {
    const wanted = runIds ? new Set(runIds) : undefined;
    const targets = (await this.poll()).filter((s) => s.jobId && isLive(s.state) && (!wanted || wanted.has(s.runId))).map((s) => s.jobId!);
    if (targets.length === 0) return;
    const r = await runSlurm('scancel', targets, this.env);
    if (r.code !== 0) throw new SlurmError(`scancel ${targets.join(' ')} failed: ${firstLine(r)}`);
  }
}

/**
 * The runs of this experiment that SLURM still has queued or running (from an earlier
 * `--executor slurm`), so a local run does not train them a second time; [] when the folder was
 * never submitted or SLURM's client is not here to ask.
 */
export async function liveSlurmTasks(experimentDir: string, config: ExperimentConfig, runs: RunSpec[]): Promise<ExecutorRunStatus[]> {
  if (readSubmissions(experimentDir).length === 0) return [];
  try {
    requireSlurmTools(['squeue']);
  } catch {
    return [];
  }
  const states = await new SlurmExecutor({ experimentDir, config, runs, cliPath: '' }).poll();
  return states.filter((s) => s.jobId && (s.state === 'pending' || s.state === 'running'));
}
