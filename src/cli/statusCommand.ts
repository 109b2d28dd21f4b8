/**
 * `losslab status <experiment dir>`: where each run of an experiment stands, from its files
 * and, for a grid submitted to SLURM, from squeue/sacct: so a new shell (or a new login)
 * reattaches to a running grid. `--watch` follows it until every run has ended.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { experimentRunSpecs } from '../core/search/readSearch';
import { configToRevalidate } from '../core/search/space';
import { validateConfig } from '../core/config/validate';
import { readJsonIfExists } from '../core/results/atomicFile';
import { readExperiment } from '../core/results/runReader';
import { staleReason, staleRuns, staleSummary } from '../core/results/staleness';
import { EXPERIMENT_FILE, type ExperimentManifest } from '../core/results/types';
import { readSubmissions } from '../host/slurm/slurmJobs';
import { SlurmExecutor } from '../host/slurm/slurmExecutor';
import { describeRun, isUnreachable, tally, watchRuns } from './slurmWatch';
import { UserError } from './errors';

/** experiment.json as written by `losslab run`; a damaged one is one line naming it, not a JSON parser's internal error. */
function readManifest(file: string): ExperimentManifest {
  let manifest: ExperimentManifest | undefined;
  try {
    manifest = readJsonIfExists<ExperimentManifest>(file);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new UserError(`${file} is not valid JSON (${e.message.split('\n')[0]}): the experiment's manifest is damaged; running its config again with 'losslab run' rewrites it`);
  }
  if (!manifest || typeof manifest !== 'object' || typeof manifest.config !== 'object')
    throw new UserError(`${file} holds no experiment config: the experiment's manifest is damaged; running its config again with 'losslab run' rewrites it`);
  return manifest;
}

export async function statusCommand(dir: string, opts: { watch: boolean; cliPath: string }, print = (line: string) => process.stdout.write(`${line}\n`)): Promise<number> {
  const experimentDir = path.resolve(dir);
  const manifestFile = path.join(experimentDir, EXPERIMENT_FILE);
  if (!fs.existsSync(manifestFile)) throw new UserError(`${dir} is not an experiment folder (no ${EXPERIMENT_FILE}; run 'losslab run' first)`);
  const manifest = readManifest(manifestFile);
  const config = validateConfig(configToRevalidate(manifest.config), manifestFile);
  const runs = experimentRunSpecs(config, experimentDir);
  const executor = new SlurmExecutor({ experimentDir, config, runs, cliPath: opts.cliPath });
  const jobs = readSubmissions(experimentDir).map((s) => s.jobId);
  print(`${config.name}: ${runs.length} runs${jobs.length ? `, SLURM job array${jobs.length > 1 ? 's' : ''} ${jobs.join(', ')}` : ', not submitted to SLURM'}`);
  const states = opts.watch ? await watchRuns(executor, { print }) : await executor.poll();
  if (!opts.watch) for (const s of states) print(describeRun(s));
  print(tally(states));
  // Runs trained with another config than experiment.json now holds (core/results/staleness.ts).
  const stale = staleRuns(config, readExperiment(experimentDir).runs);
  if (stale.size > 0) {
    // SLURM tasks only resume: extending or retraining is done on this machine.
    print(staleSummary(stale, jobs.length ? `SLURM tasks cannot extend or retrain them: run the config with --executor local --extend (or --retrain-stale).` : undefined));
    for (const [runId, changes] of stale) print(`  ${runId}: stale, ${staleReason(changes)}`);
  }
  // Unknown is not gone: a script polling status must not read "the controller is down" as success.
  return states.some(isUnreachable) ? 1 : 0;
}
