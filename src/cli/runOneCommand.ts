/**
 * `losslab run-one <config> --run <id>`: trains one run of a grid, in the foreground. It is
 * what each task of a SLURM job array executes (see host/slurm/jobScript.ts), so it prints
 * plain lines for the task's log, and SIGTERM (scancel, preemption, a time limit) stops the
 * run after its current step, keeping its checkpoint; with --requeue a task stopped while
 * SLURM still counts it as running puts itself back in the queue to resume later.
 */
import * as path from 'node:path';
import { loadConfigWithPaths } from '../core/config/configPaths';
import { DEFAULT_RESULTS_ROOT, experimentDirOf } from '../core/results/paths';
import { markRunFailed, markRunStopped, restateStopReason } from '../core/results/runSink';
import { slurmTaskHolder, whileRunLocked } from '../host/runLock';
import { requeueDecision } from '../host/slurm/requeuePolicy';
import { runSlurm } from '../host/slurm/slurmTools';
import { WorkerRun } from '../host/workerProcess';
import { UserError } from './errors';
import { percent } from '../core/util/format';
import { experimentRunSpecs } from '../core/search/readSearch';

export interface RunOneOptions {
  configPath: string;
  runId: string;
  outputDir?: string;
  requeue: boolean;
  /** Stop after this epoch, checkpoint kept (a search trial's rung). */
  pauseAfter?: number;
  workerPath: string;
}

const say = (text: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

export async function runOneCommand(opts: RunOneOptions): Promise<number> {
  // Paths in the file are relative to it, as for `losslab run` (the SLURM task config's are absolute anyway).
  const { config: cfg } = await loadConfigWithPaths(opts.configPath);
  const experimentDir = experimentDirOf(path.resolve(opts.outputDir ?? cfg.outputDir ?? DEFAULT_RESULTS_ROOT), cfg.name);
  // A search's trials are its grid; its final runs are those search.json has chosen.
  const runs = experimentRunSpecs(cfg, experimentDir);
  const spec = runs.find((r) => r.runId === opts.runId);
  if (!spec) {
    const ids = runs.map((r) => r.runId);
    throw new UserError(`${opts.configPath} has no run '${opts.runId}' (its ${ids.length} runs: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ', …' : ''})`);
  }
  const runDir = path.join(experimentDir, spec.runId);
  const trial = spec.search?.stage === 'trial';

  let signal: NodeJS.Signals | undefined;
  let epochsThisAttempt = 0;
  const task = slurmTask();
  const by = task ? slurmTaskHolder(task) : 'losslab run-one';
  // The worker locks the run folder: a run another live process trains is refused untouched.
  const worker = new WorkerRun({
    workerPath: opts.workerPath,
    spec,
    runDir,
    resume: 'resume',
    by,
    // SLURM's KillWait (30 s by default) bounds how long a step may take after SIGTERM.
    killAfterSeconds: 25,
    ...(opts.pauseAfter ? { pauseAfter: opts.pauseAfter } : {}),
    onMessage: (msg) => {
      if (msg.type === 'backend') say(`backend ${msg.backend}`);
      else if (msg.type === 'log' && msg.level === 'warn') say(`warning: ${msg.message}`);
      else if (msg.type === 'train' && msg.event.type === 'started')
        say(msg.event.resumedFromEpoch > 0 ? `resumed from epoch ${msg.event.resumedFromEpoch} of ${msg.event.epochs}` : `started, ${msg.event.epochs} epochs`);
      else if (msg.type === 'train' && msg.event.type === 'epoch') {
        epochsThisAttempt++;
        const m = msg.event.metrics;
        // A trial is judged on validation: its test number stays labelled, in brackets.
        if (trial && typeof m.valAcc === 'number') say(`epoch ${m.epoch}: validation accuracy ${percent(m.valAcc)} (test ${percent(m.testAcc)}), loss ${m.testLoss.toFixed(4)}`);
        else say(`epoch ${m.epoch}: test accuracy ${percent(m.testAcc)}, loss ${m.testLoss.toFixed(4)}`);
      }
    },
  });
  const onSignal = (s: NodeJS.Signals) => {
    signal ??= s;
    say(`${s}: stopping after the current step (finished epochs and the checkpoint are kept)`);
    worker.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  say(`losslab run-one: ${spec.runId} → ${runDir}`);
  const outcome = await worker.done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);

  if (outcome.state === 'done') {
    say(`${spec.runId}: done`);
    return 0;
  }
  if (outcome.state === 'failed' && outcome.category === 'already-done') {
    say(`${spec.runId}: already done, nothing to do`);
    return 0;
  }
  if (outcome.state === 'failed') {
    if (outcome.category === 'crash' || outcome.category === 'out-of-memory') whileRunLocked(runDir, by, () => markRunFailed(runDir, outcome.message));
    // One line the watcher quotes as the task's error (host/slurm/runStates.ts errorLineOf).
    process.stdout.write(`losslab run-one: ${spec.runId} FAILED (${outcome.category}): ${outcome.message.split('\n')[0]}\n`);
    return 1;
  }
  if (!signal && opts.pauseAfter && outcome.epoch === opts.pauseAfter) {
    say(`${spec.runId}: paused after epoch ${outcome.epoch} (its rung; the search decides whether it continues)`);
    return 0;
  }
  if (outcome.epoch < 0) whileRunLocked(runDir, by, () => markRunStopped(runDir, `stopped by ${signal ?? 'a signal'} (worker killed)`));
  say(`${spec.runId}: stopped${signal ? ` by ${signal}` : ''}`);
  if (signal === 'SIGTERM' && opts.requeue) {
    const decision = requeueDecision({ restarts: Number(process.env.SLURM_RESTART_COUNT) || 0, maxRequeues: cfg.executor?.type === 'slurm' ? cfg.executor.maxRequeues : undefined, epochsThisAttempt });
    if (decision.requeue) await requeueThisTask();
    else {
      say(decision.why);
      // The watcher shows the run's stop reason: this line, not a bare "stopped by SIGTERM".
      whileRunLocked(runDir, by, () => restateStopReason(runDir, decision.why));
    }
  }
  // Inside SLURM a stop ends the task with 0: SLURM's own state (CANCELLED, TIMEOUT, PREEMPTED)
  // says why, and a non-zero code would read as FAILED.
  return process.env.SLURM_JOB_ID ? 0 : 130;
}

/**
 * Puts this array task back in the queue, unless SLURM is ending it for good: on scancel the
 * job is already COMPLETING or CANCELLED when the signal arrives; on a bare signal (preemption
 * grace, `--signal` before a time limit) it is still RUNNING.
 */
async function requeueThisTask(): Promise<void> {
  const job = slurmTask();
  if (!job) {
    say('--requeue: not inside a SLURM job, nothing to requeue');
    return;
  }
  const show = await runSlurm('scontrol', ['show', 'job', '-o', job]).catch(() => undefined);
  const state = /JobState=(\S+)/.exec(show?.stdout ?? '')?.[1];
  if (state !== 'RUNNING') {
    say(`not requeued: task ${job} is ${state ?? 'unknown to scontrol'} (cancelled or ending)`);
    return;
  }
  const r = await runSlurm('scontrol', ['requeue', job]).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }));
  say(r.code === 0 ? `requeued task ${job}: it resumes from its checkpoint when SLURM starts it again` : `could not requeue task ${job}: ${(r.stderr || r.stdout).trim()}`);
}

/** This SLURM task as scontrol names it (`<array job>_<index>`), or undefined outside SLURM. */
function slurmTask(): string | undefined {
  const env = process.env;
  return env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}` : env.SLURM_JOB_ID;
}
