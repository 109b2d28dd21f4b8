/**
 * `losslab run` of a config with `search`: drives the host's SearchRunner (the same one VS Code
 * uses), prints a progress line per stage as it moves, then the trials and the final comparison.
 */
import type { ExperimentConfig } from '../core/config/types';
import { tuningText } from '../core/search/progress';
import { searchTrialSpecs } from '../core/search/space';
import type { SearchRecord } from '../core/search/record';
import { SearchRunner } from '../host/search/searchRunner';
import type { SearchTraining } from '../host/search/searchTraining';
import type { ProgressView } from './progress';
import { finalText, trialsTableText } from './trialsTable';

export interface SearchRunCliOptions {
  config: ExperimentConfig;
  experimentDir: string;
  workerPath: string;
  parallel: number;
  view: ProgressView;
  /** Where the runs train (SLURM jobs); worker processes here when absent. */
  training?: SearchTraining;
}

/** Runs the search; returns the exit code (130 when stopped by Ctrl-C, 1 when a final run failed). */
export async function runSearchCli(opts: SearchRunCliOptions, printTable: (experimentDir: string) => void): Promise<number> {
  const { view } = opts;
  let lastLine = '';
  let finalsEnded = 0;
  const say = (record: SearchRecord) => {
    const text = record.stage === 'tuning' ? tuningText(record.studies, record.budget) : finalText(record, finalsEnded);
    if (text !== lastLine) view.line((lastLine = text));
  };
  let finalFailed = 0;
  const trials = new Set(searchTrialSpecs(opts.config).map((s) => s.runId));
  const runner = new SearchRunner({
    config: opts.config,
    experimentDir: opts.experimentDir,
    workerPath: opts.workerPath,
    parallel: opts.parallel,
    by: 'losslab run',
    ...(opts.training ? { training: opts.training } : {}),
    onMessage: (runId, msg) => {
      if (msg.type === 'train' && msg.event.type !== 'step') view.event(runId, msg.event, trials.has(runId));
      else if (msg.type === 'log' && msg.level === 'warn') view.line(`${runId}: warning: ${msg.message}`);
    },
    onRunEnd: (runId, outcome, stage) => {
      if (runner.stopped) return;
      if (outcome.state === 'failed' && outcome.category !== 'already-done') view.line(`${runId}: FAILED (${outcome.category}): ${outcome.message}`);
      if (stage === 'trial' && outcome.state === 'stopped') view.line(`${runId}: paused at epoch ${outcome.epoch}`);
      if (stage === 'final') {
        finalsEnded++;
        if (outcome.state === 'failed' && outcome.category !== 'already-done') finalFailed++;
      }
    },
    onRecord: say,
  });
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    view.line('Stopping the search (finished epochs are kept; run it again to resume; Ctrl-C again to quit at once)...');
    runner.stop();
  };
  process.on('SIGINT', onSigint);
  const record = await runner.run();
  process.off('SIGINT', onSigint);
  view.stop();
  // A finished search's table (as `losslab table` prints it) leads with the trials; a stopped one shows how far they got.
  if (record.stage === 'done') printTable(opts.experimentDir);
  else process.stdout.write(`\n${trialsTableText(record)}\n`);
  if (interrupted) return 130;
  return finalFailed > 0 ? 1 : 0;
}
