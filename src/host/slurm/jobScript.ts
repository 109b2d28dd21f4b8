/**
 * The sbatch script of one submission: a job array with one task per run, each task exec'ing
 * `losslab run-one` for its run (exec, so SLURM's SIGTERM reaches Loss Lab itself and not a
 * shell that would die without checkpointing). It is kept in the experiment folder, readable
 * and resubmittable by hand with `sbatch <file>`.
 */
import { DEFAULT_SIGNAL_MARGIN } from '../../core/config/slurmTime';
import type { SlurmExecutorConfig } from '../../core/config/types';

export interface JobScriptInput {
  experiment: string;
  executor: SlurmExecutorConfig;
  /** Threads per run, the default for cpusPerRun. */
  threads: number;
  /** Task i trains runIds[i]. */
  runIds: string[];
  /** Where logs go: `<logDir>/<arrayJobId>_<task>.log`. */
  logDir: string;
  /** The resolved config the tasks read (absolute outputDir). */
  configFile: string;
  /** Working directory of the tasks. */
  workDir: string;
  /** Where the setup lines run: the folder `losslab run` was started in, as a shell there would. */
  setupDir?: string;
  /** The node binary and the CLI bundle; the compute nodes must see the same paths. */
  nodePath: string;
  cliPath: string;
  requeue: boolean;
  /** Every task stops after this epoch (a search trial's rung); a requeued task pauses there all the same. */
  pauseAfter?: number;
}

/** Single-quotes for bash. */
export const shellQuote = (s: string) => (/^[A-Za-z0-9_./=:@%+,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `#SBATCH` options for this submission, in the order they are written. */
export function sbatchOptions(input: JobScriptInput): string[] {
  const x = input.executor;
  const throttle = x.maxConcurrent ? `%${x.maxConcurrent}` : '';
  const opts = [
    `--job-name=losslab-${input.experiment}`,
    `--array=0-${input.runIds.length - 1}${throttle}`,
    `--output=${input.logDir}/%A_%a.log`,
    // Append: a requeued task adds to its log instead of wiping the first attempt's lines.
    '--open-mode=append',
    '--ntasks=1',
    `--cpus-per-task=${x.cpusPerRun ?? input.threads}`,
  ];
  if (x.partition) opts.push(`--partition=${x.partition}`);
  if (x.gpusPerRun) opts.push(`--gres=gpu:${x.gpusPerRun}`);
  if (x.memory) opts.push(`--mem=${x.memory}`);
  if (x.time) opts.push(`--time=${x.time}`);
  if (x.account) opts.push(`--account=${x.account}`);
  if (x.qos) opts.push(`--qos=${x.qos}`);
  if (input.requeue) {
    opts.push('--requeue');
    // Before a time limit, SIGTERM the task while it still runs: it checkpoints and requeues itself.
    if (x.time) opts.push(`--signal=B:TERM@${x.signalMargin ?? DEFAULT_SIGNAL_MARGIN}`);
  } else {
    opts.push('--no-requeue');
  }
  opts.push(...(x.extraSbatch ?? []));
  return opts;
}

/** executor.setup, each line stopping the task with a line naming it when it fails (the watcher quotes that line). */
function setupLines(input: JobScriptInput): string[] {
  const lines = input.executor.setup ?? [];
  if (lines.length === 0) return [];
  return [
    '# executor.setup',
    ...(input.setupDir ? [`cd ${shellQuote(input.setupDir)} || exit 1`] : []),
    ...lines.map((line) => `${line} || { echo "losslab: setup line FAILED (exit $?): "${shellQuote(line)}; exit 1; }`),
  ];
}

export function jobScript(input: JobScriptInput): string {
  if (input.runIds.length === 0) throw new Error('a job array needs at least one run');
  const runOne = [
    input.nodePath,
    input.cliPath,
    'run-one',
    input.configFile,
    '--run',
    '"$RUN"',
    ...(input.requeue ? ['--requeue'] : []),
    ...(input.pauseAfter ? ['--pause-after', String(input.pauseAfter)] : []),
  ];
  return [
    '#!/bin/bash',
    `# Loss Lab: ${input.runIds.length} run(s) of experiment '${input.experiment}' as one SLURM job array.`,
    '# Written by `losslab run --executor slurm`; resubmit by hand with: sbatch <this file>',
    ...sbatchOptions(input).map((o) => `#SBATCH ${o}`),
    '',
    'RUNS=(',
    ...input.runIds.map((id) => `  ${shellQuote(id)}`),
    ')',
    'RUN="${RUNS[$SLURM_ARRAY_TASK_ID]}"',
    'echo "losslab: task ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID} (run $RUN) on $(hostname), attempt $((${SLURM_RESTART_COUNT:-0} + 1)), $(date -u +%FT%TZ)"',
    ...setupLines(input),
    `cd ${shellQuote(input.workDir)} || exit 1`,
    `exec ${runOne.map((a) => (a === '"$RUN"' ? a : shellQuote(a))).join(' ')}`,
    '',
  ].join('\n');
}
