import * as path from 'node:path';
import { BACKEND_NAMES, isBackendName } from '../core/backend/backendNames';
import { loadConfigWithPaths } from '../core/config/configPaths';
import { ConfigError } from '../core/config/configError';
import { expandGrid } from '../core/config/grid';
import { formatDatasetSummary } from '../core/data/datasetSummary';
import type { BackendName, ExperimentConfig, RunSpec } from '../core/config/types';
import { DEFAULT_RESULTS_ROOT, experimentDirOf } from '../core/results/paths';
import { readExperiment } from '../core/results/runReader';
import { changesText, staleInGrid } from '../core/results/staleness';
import { writeExperimentManifest } from '../core/results/runSink';
import { lockExperiment } from '../host/experimentLock';
import { resolveParallelRuns } from '../host/parallelism';
import { LocalExecutor } from '../host/localExecutor';
import { liveSlurmTasks } from '../host/slurm/slurmExecutor';
import type { ResumePolicy } from '../protocol/worker';
import { UsageError, UserError } from './errors';
import { slurmRefusal } from './slurmFlags';
import { cliPathOf, runOnSlurm, slurmSearchTraining } from './slurmRun';
import { createProgressView } from './progress';
import { configModuleProblems } from './userModules';
import { plural } from '../core/util/format';
import { searchBudget, searchSettings, studiesOf } from '../core/search/space';
import { runSearchCli } from './searchRun';

export interface RunCommandOptions {
  configPath: string;
  /** The config already loaded (and perhaps adjusted) from configPath; read from the file when absent. */
  config?: ExperimentConfig;
  parallel?: number;
  backend?: BackendName;
  threads?: number;
  outputDir?: string;
  resume: ResumePolicy;
  workerPath: string;
  /** Overrides the config's executor type (`--executor`). */
  executor?: 'local' | 'slurm';
  /** SLURM: requeue a task stopped by SIGTERM (`--requeue`). */
  requeue?: boolean;
  /** SLURM: return once submitted, leaving the array running (`--detach`). */
  detach?: boolean;
  /** Stale runs (trained with another config, core/results/staleness.ts): train them on (`--extend`) or from scratch (`--retrain-stale`). */
  stale?: 'extend' | 'retrain';
}

/** `losslab run`: validates the config, runs its grid through worker processes, prints the table. Returns the exit code. */
export async function runCommand(opts: RunCommandOptions, printTable: (experimentDir: string) => void): Promise<number> {
  if (opts.backend !== undefined && !isBackendName(opts.backend)) {
    throw new UsageError(`unknown backend '${opts.backend}' (allowed: ${BACKEND_NAMES.join(', ')})`, 'losslab run');
  }
  // Paths in the file are relative to it (core/config/configPaths.ts); --out and the default outputDir to the working folder.
  const cfg: ExperimentConfig = opts.config ?? (await loadConfigWithPaths(opts.configPath)).config;
  if (opts.backend) cfg.backend = opts.backend;
  if (opts.threads) cfg.threads = opts.threads;
  if (opts.executor === 'local') cfg.executor = { type: 'local' };
  if (opts.executor === 'slurm' && cfg.executor?.type !== 'slurm') cfg.executor = { type: 'slurm' };
  if (opts.detach && cfg.executor?.type !== 'slurm') throw new UsageError('--detach needs the SLURM executor (--executor slurm): local runs end with this command', 'losslab run');
  if (cfg.search && opts.detach) {
    throw new UsageError('--detach cannot leave a search to SLURM: its driver promotes trials as their rungs finish, so it must stay running (leave out --detach)', 'losslab run');
  }
  if (cfg.executor?.type === 'slurm') {
    const refusal = slurmRefusal(opts);
    if (refusal) throw new UsageError(refusal, 'losslab run');
    // --parallel means the same there: at most this many runs at once.
    if (opts.parallel) cfg.executor = { ...cfg.executor, maxConcurrent: opts.parallel };
  }
  const moduleProblems = await configModuleProblems(cfg, opts.configPath, opts.workerPath);
  if (moduleProblems.length > 0) throw new ConfigError(opts.configPath, moduleProblems);
  const runs = expandGrid(cfg);
  const outputDir = path.resolve(opts.outputDir ?? cfg.outputDir ?? DEFAULT_RESULTS_ROOT);
  const experimentDir = experimentDirOf(outputDir, cfg.name);
  // One writer per experiment folder: a second `run` of the same experiment stops here, before writing anything.
  const lock = lockExperiment(experimentDir, { by: 'losslab run' });
  try {
    if (cfg.executor?.type === 'slurm' && cfg.search) {
      writeExperimentManifest(experimentDir, cfg, opts.configPath);
      const view = createProgressView(Boolean(process.stdout.isTTY));
      const totalTrials = searchBudget(cfg).trialsPerStudy * studiesOf(cfg).length;
      const training = slurmSearchTraining({ config: cfg, runs, experimentDir, cliPath: cliPathOf(opts.workerPath), requeue: opts.requeue, print: (line) => view.line(line) }, totalTrials);
      view.line(`Loss Lab: search of '${cfg.name}' on SLURM, ${plural(searchSettings(cfg).trials, 'trial')} per loss (${training.lanes} at a time) → ${experimentDir}`);
      return await runSearchCli({ config: cfg, experimentDir, workerPath: opts.workerPath, parallel: training.lanes, view, training }, printTable);
    }
    if (cfg.executor?.type === 'slurm') {
      writeExperimentManifest(experimentDir, cfg, opts.configPath);
      const code = await runOnSlurm({ config: cfg, runs, experimentDir, cliPath: cliPathOf(opts.workerPath), requeue: opts.requeue, detach: opts.detach });
      // Every task may have failed before its run wrote a file: no table then, rather than a "no runs found".
      if (!opts.detach && readExperiment(experimentDir).runs.length > 0) printTable(experimentDir);
      return code;
    }
    const onSlurm = await liveSlurmTasks(experimentDir, cfg, runs);
    if (onSlurm.length > 0) {
      const tasks = onSlurm.map((s) => s.jobId).join(' ');
      throw new UserError(
        `${onSlurm.length} run(s) of '${cfg.name}' are still ${onSlurm.length === 1 ? onSlurm[0].label.toLowerCase() : 'queued or running'} on SLURM (tasks ${tasks}); a local run would train them twice. Wait for them (losslab status ${experimentDir} --watch), or cancel them: scancel ${tasks}`,
      );
    }
    return await runLocked(opts, cfg, runs, experimentDir, printTable);
  } finally {
    lock.release();
  }
}

/**
 * Stale runs of the grid: with --extend or --retrain-stale, each one's policy (an extension the schedule does not
 * allow fails before anything is trained, naming the run and why); without, a note of them and the flags.
 */
function staleRunPolicies(opts: RunCommandOptions, experimentDir: string, runs: RunSpec[], line: (text: string) => void): Map<string, ResumePolicy> {
  const stale = opts.resume === 'restart' ? [] : staleInGrid(experimentDir, runs);
  if (stale.length === 0) return new Map();
  if (!opts.stale) {
    line(
      `${stale.length} run${stale.length === 1 ? ' was' : 's were'} trained with another config and ${stale.length === 1 ? 'is' : 'are'} kept as stale (--extend trains them on, --retrain-stale from scratch):`,
    );
    for (const r of stale) line(`  ${r.runId}: ${changesText(r.changes)}${r.cannotExtend ? ` (cannot be extended: ${r.cannotExtend})` : ''}`);
    return new Map();
  }
  const blocked = opts.stale === 'extend' ? stale.find((r) => r.cannotExtend) : undefined;
  if (blocked) throw new UserError(`${blocked.runId} cannot be extended: ${blocked.cannotExtend}; --retrain-stale trains the stale runs from scratch`);
  return new Map(stale.map((r) => [r.runId, opts.stale === 'extend' ? 'extend' : 'restart']));
}

async function runLocked(opts: RunCommandOptions, cfg: ExperimentConfig, runs: RunSpec[], experimentDir: string, printTable: (experimentDir: string) => void): Promise<number> {
  const { parallel, source } = resolveParallelRuns(opts.parallel, cfg);
  const view = createProgressView(Boolean(process.stdout.isTTY));
  // Before the manifest is written: an extension that cannot be done changes nothing.
  const resumeOf = staleRunPolicies(opts, experimentDir, runs, (text) => view.line(text));
  writeExperimentManifest(experimentDir, cfg, opts.configPath);
  if (cfg.search) {
    const { trials } = searchSettings(cfg);
    view.line(`Loss Lab: search of '${cfg.name}', ${plural(trials, 'trial')} per loss (${parallel} at a time, ${source}) → ${experimentDir}`);
    return runSearchCli({ config: cfg, experimentDir, workerPath: opts.workerPath, parallel, view }, printTable);
  }
  view.line(`Loss Lab: ${plural(runs.length, 'run')} of '${cfg.name}' (${parallel} at a time, ${source}) → ${experimentDir}`);
  for (const r of readExperiment(experimentDir).runs) {
    if (r.interrupted) view.line(`${r.runId}: was interrupted (status.json said ${r.interrupted.state}, but its process, pid ${r.interrupted.pid}, is gone)`);
  }

  // Runs of a grid usually share one dataset: its summary is printed once, a different one again.
  const datasetsShown = new Set<string>();
  let torchWhyShown = false;
  const executor = new LocalExecutor({
    workerPath: opts.workerPath,
    experimentDir,
    parallel,
    resume: opts.resume,
    resumeOf,
    by: 'losslab run',
    onMessage: (runId, msg) => {
      if (msg.type === 'train') view.event(runId, msg.event);
      else if (msg.type === 'backend') {
        view.line(`${runId}: backend ${msg.backend}${msg.unavailable.length ? ` (${msg.unavailable.join(', ')} not available)` : ''}`);
        // Once per grid: why the native engine was passed over, with the command that fixes it.
        const torchWhy = msg.torchUnavailable;
        if (torchWhy && !torchWhyShown) {
          torchWhyShown = true;
          view.line(`  the native engine (PyTorch's own kernels and speed) was not used: ${torchWhy}`);
        }
      } else if (msg.type === 'dataset') {
        const lines = formatDatasetSummary(msg.summary);
        const key = lines.join('\n');
        if (!datasetsShown.has(key)) {
          datasetsShown.add(key);
          view.line(`dataset ${lines.join('\n')}`);
        }
      } else if (msg.type === 'log' && msg.level === 'warn') view.line(`${runId}: warning: ${msg.message}`);
    },
    onRunEnd: (runId, outcome) => {
      if (outcome.state === 'failed' && outcome.category === 'already-done') view.line(`${runId}: already done, kept (use --restart to train it again)`);
      else if (outcome.state === 'failed') view.line(`${runId}: FAILED (${outcome.category}): ${outcome.message}`);
      if (outcome.state === 'stopped') view.line(`${runId}: stopped; finished epochs are kept`);
    },
  });

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    view.line('Stopping (finished epochs are kept; Ctrl-C again to quit at once)...');
    void executor.cancel();
  };
  process.on('SIGINT', onSigint);
  await executor.submit(runs);
  const outcomes = await executor.finished;
  process.off('SIGINT', onSigint);
  view.stop();

  // Runs that failed before writing a file (a backend that cannot start) leave no table to print, and their failure is the news.
  const anyRunFiles = readExperiment(experimentDir).runs.length > 0;
  if (anyRunFiles) printTable(experimentDir);
  const failed = [...outcomes.values()].filter((o) => o.state === 'failed' && o.category !== 'already-done').length;
  if (interrupted) return 130;
  if (failed) {
    process.stderr.write(`${failed} of ${runs.length} runs failed; see the messages above${anyRunFiles ? " and each run's status.json" : ''}.\n`);
    return 1;
  }
  return 0;
}
