/**
 * Runs a search: lanes, each asking the search's state (rebuilt from the run files,
 * core/search/progress.ts) for its next step, training a trial to its rung and pausing it there;
 * then the final stage. How runs are trained is a SearchTraining: worker processes on this machine
 * (the default) or an Executor's jobs (SLURM). search.json is written after every decision, so a
 * stopped search resumes where it was with the same trials.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentConfig, RunSpec } from '../../core/config/types';
import { writeJsonAtomic } from '../../core/results/atomicFile';
import { readRun } from '../../core/results/runReader';
import { chooseTrial, nextLaneStep, trialProgress, trialRecord, type StudyFiles, type TrialFiles } from '../../core/search/progress';
import { SEARCH_FILE, type SearchBudget, type SearchRecord, type StudyRecord } from '../../core/search/record';
import { finalSpecs, searchBudget, studiesOf, trialSpec, type Study } from '../../core/search/space';
import type { RunDriver } from '../scheduler';
import type { RunOutcome } from '../workerProcess';
import { LocalSearchTraining, type LocalTrainingOptions, type SearchTraining } from './searchTraining';

/** The local training's options (worker processes here), which also serve when `training` trains elsewhere. */
export interface SearchRunOptions extends LocalTrainingOptions {
  config: ExperimentConfig;
  /** A worker ended; a trial paused at its rung ends `stopped`, its worker not stopped by `stop()`. */
  onRunEnd?: (runId: string, outcome: RunOutcome, stage: 'trial' | 'final') => void;
  /** search.json was written. */
  onRecord?: (record: SearchRecord) => void;
  /** Where runs train; worker processes here (workerPath, parallel, env, onMessage) when absent. */
  training?: SearchTraining;
}

interface StudyState extends StudyFiles {
  study: Study;
  trials: TrialFiles[];
  running: Set<number>;
  specs: Map<number, RunSpec>;
}

/** A trial's files as the driver reads them; a folder not written yet is a trial with no epochs. */
function readTrial(index: number, runDir: string): TrialFiles {
  if (!fs.existsSync(runDir)) return { index, metrics: [] };
  const run = readRun(runDir);
  return { index, metrics: run.metrics, state: run.status?.state };
}

export class SearchRunner implements RunDriver {
  private readonly budget: SearchBudget;
  private readonly studies: StudyState[];
  private readonly training: SearchTraining;
  private stage: SearchRecord['stage'] = 'tuning';
  private stopping = false;
  /** Why the search could not go on (an executor error), thrown by run() once search.json is written. */
  private failure: Error | undefined;
  /** Lanes waiting for a running trial to end. */
  private waiters: (() => void)[] = [];
  readonly outcomes = new Map<string, RunOutcome>();

  constructor(private readonly opts: SearchRunOptions) {
    this.budget = searchBudget(opts.config);
    this.training = opts.training ?? new LocalSearchTraining(opts);
    this.studies = studiesOf(opts.config).map((study) => {
      const specs = new Map(Array.from({ length: this.budget.trialsPerStudy }, (_, i) => [i, trialSpec(opts.config, study, i)] as const));
      // Trials already on disk (a resumed search): their files say how far each got.
      const trials = [...specs].filter(([, spec]) => fs.existsSync(this.dirOf(spec))).map(([i, spec]) => readTrial(i, this.dirOf(spec)));
      return { study, trials, running: new Set<number>(), specs };
    });
  }

  private dirOf(spec: RunSpec): string {
    return path.join(this.opts.experimentDir, spec.runId);
  }

  /** Stops every worker; finished epochs stay, and running the search again resumes it. */
  stop(): void {
    this.stopping = true;
    this.training.stop();
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** A search's runs depend on each other's results: stopping one stops the search (it resumes as a whole). */
  stopRun(): void {
    this.stop();
  }

  get stopped(): boolean {
    return this.stopping;
  }

  /** Tuning, then the final stage; resolves with search.json's last state. */
  async run(): Promise<SearchRecord> {
    fs.mkdirSync(this.opts.experimentDir, { recursive: true });
    this.writeRecord();
    await Promise.all(Array.from({ length: this.training.lanes }, () => this.lane()));
    if (this.failure) throw this.failure;
    if (this.stopping) return this.writeRecord();
    this.stage = 'final';
    const finals = this.studies.flatMap((s) => this.finalRuns(s));
    this.writeRecord();
    if (finals.length > 0) await this.runFinals(finals);
    if (!this.stopping) this.stage = 'done';
    return this.writeRecord();
  }

  private async lane(): Promise<void> {
    while (!this.stopping) {
      const step = nextLaneStep(this.studies, this.budget);
      if (step.action === 'finished') return;
      if (step.action === 'wait') {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      await this.train(this.studies[step.study], step.trial, step.untilEpoch);
    }
  }

  private async train(state: StudyState, index: number, untilEpoch: number): Promise<void> {
    const spec = state.specs.get(index)!;
    if (!state.trials.some((t) => t.index === index)) state.trials.push({ index, metrics: [] });
    state.running.add(index);
    this.writeRecord();
    const top = untilEpoch >= this.budget.maxEpochs;
    const outcome = await this.training.trainTrial(spec, top ? undefined : untilEpoch).catch((e: Error): RunOutcome => {
      // An executor that cannot be asked any more (SLURM's tools gone) ends the search, its finished epochs kept.
      this.stop();
      this.failure ??= e;
      return { state: 'stopped', epoch: -1 };
    });
    state.running.delete(index);
    const files = readTrial(index, this.dirOf(spec));
    // A worker that failed before writing its status (a backend that cannot start) is a failed trial all the same.
    const failed = outcome.state === 'failed' && outcome.category !== 'already-done';
    state.trials = state.trials.map((t) => (t.index === index ? (failed && files.state !== 'failed' ? { ...files, state: 'failed' } : files) : t));
    this.outcomes.set(spec.runId, outcome);
    this.opts.onRunEnd?.(spec.runId, outcome, 'trial');
    this.writeRecord();
    this.wake();
  }

  private chosen(state: StudyState): StudyRecord['chosen'] {
    const pick = chooseTrial(state.trials.map((t) => trialProgress(t, this.budget.rungs, false)));
    if (!pick) return undefined;
    const params = state.specs.get(pick.index)!.search!.params;
    const valAcc = trialProgress(
      state.trials.find((t) => t.index === pick.index)!,
      this.budget.rungs,
      false,
    ).scores[pick.rung];
    return { trial: pick.index, params, valAcc, epoch: this.budget.rungs[pick.rung] };
  }

  private finalRuns(state: StudyState): RunSpec[] {
    const chosen = this.chosen(state);
    return chosen ? finalSpecs(this.opts.config, state.study, chosen.trial, chosen.params) : [];
  }

  private async runFinals(specs: RunSpec[]): Promise<void> {
    if (this.stopping) return;
    await this.training.trainFinals(specs, (runId, outcome) => {
      this.outcomes.set(runId, outcome);
      this.opts.onRunEnd?.(runId, outcome, 'final');
      this.writeRecord();
    });
  }

  private studyRecord(state: StudyState): StudyRecord {
    const { study } = state;
    const settled = this.stage !== 'tuning';
    const chosen = settled ? this.chosen(state) : undefined;
    return {
      key: study.key,
      modelLabel: study.modelLabel,
      lossLabel: study.lossLabel,
      space: Object.fromEntries(study.params.map((p) => [p.key, p.written])),
      trials: [...state.trials]
        .sort((a, b) => a.index - b.index)
        .map((t) => trialRecord(t, state.specs.get(t.index)!.runId, state.specs.get(t.index)!.search!.params, this.budget.rungs, state.running.has(t.index), settled)),
      ...(chosen ? { chosen } : {}),
      finalRunIds: chosen ? finalSpecs(this.opts.config, study, chosen.trial, chosen.params).map((s) => s.runId) : [],
    };
  }

  private writeRecord(): SearchRecord {
    const record: SearchRecord = { version: 1, stage: this.stage, budget: this.budget, studies: this.studies.map((s) => this.studyRecord(s)) };
    writeJsonAtomic(path.join(this.opts.experimentDir, SEARCH_FILE), record);
    this.opts.onRecord?.(record);
    return record;
  }
}
