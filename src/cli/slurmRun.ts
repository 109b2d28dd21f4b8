/**
 * `losslab run --executor slurm`: submits the grid's unfinished runs as one SLURM job array,
 * then watches it until every run has ended, or with --detach leaves it to SLURM at once.
 * Ctrl-C cancels the tasks this grid has queued or running (scancel); their finished epochs
 * stay, and the same command resubmits them.
 */
import * as path from 'node:path';
import type { ExperimentConfig, RunSpec } from '../core/config/types';
import { ExecutorSearchTraining } from '../host/search/executorTraining';
import { SlurmExecutor } from '../host/slurm/slurmExecutor';
import { slurmDirOf } from '../host/slurm/slurmJobs';
import { isUnreachable, nextPollSeconds, tally, watchRuns } from './slurmWatch';
import { plural } from '../core/util/format';

/** The CLI bundle that SLURM tasks execute: it sits beside the worker bundle in dist/. */
export const cliPathOf = (workerPath: string) => path.join(path.dirname(workerPath), 'cli.js');

export interface SlurmRunOptions {
  config: ExperimentConfig;
  runs: RunSpec[];
  experimentDir: string;
  /** The CLI bundle the tasks execute (`run-one`). */
  cliPath: string;
  requeue?: boolean;
  /** Return once submitted, leaving the array to run (`--detach`). */
  detach?: boolean;
  print?: (line: string) => void;
}

export async function runOnSlurm(opts: SlurmRunOptions): Promise<number> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const executor = new SlurmExecutor({ experimentDir: opts.experimentDir, config: opts.config, runs: opts.runs, cliPath: opts.cliPath, requeue: opts.requeue });
  const submitted = await executor.submit(opts.runs);
  for (const s of submitted.skipped) print(`${s.runId}: ${s.why}, not submitted`);
  if (submitted.jobId) {
    print(`Loss Lab: submitted ${plural(submitted.submitted.length, 'run')} of '${opts.config.name}' as SLURM job array ${submitted.jobId}${executor.requeue ? ' (requeue on SIGTERM)' : ''}`);
    print(`  job script and logs: ${path.relative(process.cwd(), slurmDirOf(opts.experimentDir)) || '.'}; watch elsewhere with: losslab status ${opts.experimentDir} --watch`);
  } else {
    print(`Loss Lab: nothing to submit for '${opts.config.name}'`);
  }
  if (opts.detach) {
    print(`Detached: SLURM runs the array on its own; reattach with: losslab status ${opts.experimentDir} --watch`);
    return 0;
  }

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    print('Cancelling the SLURM tasks (finished epochs are kept; run the same command to resubmit; --detach leaves them running)...');
    executor.cancel().catch((e: Error) => print(`could not cancel: ${e.message}`));
  };
  process.on('SIGINT', onSigint);
  try {
    let states = await watchRuns(executor, { print, interrupted: () => false });
    print(`Loss Lab: ${tally(states)}`);
    if (interrupted) return 130;
    const lost = states.filter(isUnreachable);
    if (lost.length) {
      // Not a reason to resubmit: the tasks may be running still, and a second copy would be refused anyway.
      process.stderr.write(`SLURM's controller stayed out of reach; ${plural(lost.length, 'run')} may still be queued or running: follow them with losslab status ${opts.experimentDir} --watch\n`);
      return 1;
    }
    states = states.filter((s) => s.state !== 'done');
    if (states.length) {
      process.stderr.write(`${states.length} of ${opts.runs.length} runs did not finish; run the same command to resubmit them.\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * A search's runs as SLURM jobs, one per decision (a trial to its rung, or the final stage as one
 * array), so this driver promotes each trial as soon as its rung is done. `maxConcurrent` (or
 * --parallel) bounds the trials at once; without it every trial the budget allows may be queued.
 */
export function slurmSearchTraining(opts: Omit<SlurmRunOptions, 'detach'>, trials: number): ExecutorSearchTraining {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const executor = new SlurmExecutor({ experimentDir: opts.experimentDir, config: opts.config, runs: opts.runs, cliPath: opts.cliPath, requeue: opts.requeue });
  const maxConcurrent = opts.config.executor?.type === 'slurm' ? opts.config.executor.maxConcurrent : undefined;
  return new ExecutorSearchTraining({
    executor,
    lanes: maxConcurrent ?? trials,
    pollSeconds: nextPollSeconds(undefined, true),
    onSubmitted: (result, pauseAfter) => {
      for (const s of result.skipped) print(`${s.runId}: ${s.why}, not submitted`);
      if (result.jobId) print(`${result.submitted.join(', ')}: SLURM job ${result.jobId}${pauseAfter ? `, pausing after epoch ${pauseAfter}` : ''}`);
    },
  });
}
