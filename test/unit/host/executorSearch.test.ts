/**
 * The search's decision loop driven through an Executor (as on SLURM), against a fake executor
 * that "trains" a submitted run by writing its files the way a worker would: the epochs up to
 * the submission's pause epoch, each with a validation accuracy fixed per trial (and a test
 * accuracy that would choose the opposite, so a decision reading test shows).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { parseSearchRecord, SEARCH_FILE } from '../../../src/core/search/record';
import type { Executor, ExecutorRunStatus, SubmitOptions, SubmitResult } from '../../../src/host/executor';
import { ExecutorSearchTraining } from '../../../src/host/search/executorTraining';
import { SearchRunner } from '../../../src/host/search/searchRunner';
import { tempRoot } from './experimentFiles';

/** One study (ce, lr searched), 4 trials, 2 epochs, ASHA rungs at epochs 1 and 2 (η = 2), 2 final seeds. */
const CONFIG = validateConfig({
  name: 'fake-search',
  dataset: { name: 'fashion-mnist', validation: 0.2 },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }],
  training: { epochs: 2, milestones: [], lr: { log: [0.01, 0.2] } },
  search: { trials: 4, seed: 0, prune: { minEpochs: 1, eta: 2 }, finalSeeds: 2 },
});
const STUDY = 'simple-cnn-w1__ce';
/** Validation accuracy of each trial; its test accuracy is 1 minus that. */
const VAL = [0.5, 0.7, 0.6, 0.8];

interface Job {
  id: string;
  runIds: string[];
  pauseAfter?: number;
  polls: number;
}

class FakeExecutor implements Executor {
  readonly jobs: Job[] = [];
  readonly specs = new Map<string, RunSpec>();
  maxLive = 0;
  cancelled = false;
  failPoll: Error | undefined;

  constructor(private readonly dir: string) {}

  async submit(runs: RunSpec[], options: SubmitOptions = {}): Promise<SubmitResult> {
    const id = String(this.jobs.length + 1);
    for (const r of runs) this.specs.set(r.runId, r);
    this.jobs.push({ id, runIds: runs.map((r) => r.runId), pauseAfter: options.pauseAfter, polls: 0 });
    this.maxLive = Math.max(
      this.maxLive,
      this.jobs.filter((j) => j.polls < 2).reduce((n, j) => n + j.runIds.length, 0),
    );
    return { submitted: runs.map((r) => r.runId), skipped: [], jobId: id };
  }

  /** A job is pending at its first poll and has trained its runs by the second. */
  async poll(): Promise<ExecutorRunStatus[]> {
    if (this.failPoll) throw this.failPoll;
    for (const job of this.jobs) if (job.polls++ === 1) for (const runId of job.runIds) this.train(runId, job.pauseAfter);
    return this.jobs.flatMap((job) =>
      job.runIds.map((runId, i) => {
        const spec = this.specs.get(runId)!;
        const epoch = this.epochsOf(runId);
        const ended = job.polls > 1;
        const state = !ended ? 'pending' : epoch >= spec.training.epochs ? 'done' : 'stopped';
        return { runId, state, label: state.toUpperCase(), epoch, epochs: spec.training.epochs, jobId: `${job.id}_${i}` };
      }),
    );
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
  }

  private epochsOf(runId: string): number {
    const file = path.join(this.dir, runId, 'metrics.jsonl');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  private train(runId: string, pauseAfter: number | undefined): void {
    const spec = this.specs.get(runId)!;
    const runDir = path.join(this.dir, runId);
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify(spec));
    const val = spec.search?.stage === 'trial' ? VAL[spec.search.trial] : 0.9;
    const last = Math.min(pauseAfter ?? spec.training.epochs, spec.training.epochs);
    for (let epoch = this.epochsOf(runId) + 1; epoch <= last; epoch++) {
      const m = { epoch, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 1 - val, valLoss: 1, valAcc: val, lr: 0.1, seconds: 1, imagesPerSec: 100 };
      fs.appendFileSync(path.join(runDir, 'metrics.jsonl'), `${JSON.stringify(m)}\n`);
    }
    const state = last >= spec.training.epochs ? 'done' : 'stopped';
    fs.writeFileSync(
      path.join(runDir, 'status.json'),
      JSON.stringify({ state, epoch: last, epochs: spec.training.epochs, updatedAt: '2026-12-08T00:00:00Z', ...(state === 'stopped' ? { reason: `paused after epoch ${last}` } : {}) }),
    );
  }
}

function searchOn(dir: string, executor: FakeExecutor, lanes: number): SearchRunner {
  const training = new ExecutorSearchTraining({ executor, lanes, pollSeconds: 0.001 });
  return new SearchRunner({ config: CONFIG, experimentDir: dir, workerPath: 'unused', parallel: lanes, by: 'test', training });
}

test('one lane: each decision is one submission with its rung as the pause epoch, promotions as rungs complete, finals as one', async (t) => {
  const dir = path.join(tempRoot(t), 'fake-search');
  const executor = new FakeExecutor(dir);
  const record = await searchOn(dir, executor, 1).run();
  // Hand-traced ASHA (η = 2): t0 to epoch 1; t1 to epoch 1 is the top ⌊2/2⌋ = 1 → promoted to 2;
  // t2 to 1 (t1 still best); t3 to 1 enters the top ⌊4/2⌋ = 2 → promoted; budget spent.
  assert.deepEqual(
    executor.jobs.map((j) => [j.runIds.join(' '), j.pauseAfter]),
    [
      [`${STUDY}__trial0`, 1],
      [`${STUDY}__trial1`, 1],
      [`${STUDY}__trial1`, undefined],
      [`${STUDY}__trial2`, 1],
      [`${STUDY}__trial3`, 1],
      [`${STUDY}__trial3`, undefined],
      [`${STUDY}__seed1 ${STUDY}__seed2`, undefined],
    ],
  );
  assert.equal(record.stage, 'done');
  const [study] = record.studies;
  assert.deepEqual(
    study.trials.map((x) => [x.index, x.state, x.epochs]),
    [
      [0, 'pruned', 1],
      [1, 'complete', 2],
      [2, 'pruned', 1],
      [3, 'complete', 2],
    ],
  );
  assert.equal(study.chosen?.trial, 3);
  assert.equal(study.chosen?.valAcc, 80);
  assert.deepEqual(study.finalRunIds, [`${STUDY}__seed1`, `${STUDY}__seed2`]);
  assert.deepEqual(parseSearchRecord(fs.readFileSync(path.join(dir, SEARCH_FILE), 'utf8')), record);
});

test('two lanes: never more than two trials submitted and unfinished at once, and every trial pauses at a rung', async (t) => {
  const dir = path.join(tempRoot(t), 'fake-search');
  const executor = new FakeExecutor(dir);
  const record = await searchOn(dir, executor, 2).run();
  assert.equal(record.stage, 'done');
  const trialJobs = executor.jobs.filter((j) => j.runIds.every((id) => id.includes('__trial')));
  assert.ok(
    trialJobs.every((j) => j.runIds.length === 1 && (j.pauseAfter === 1 || j.pauseAfter === undefined)),
    'one trial per job, paused at rung 1 or trained to the top',
  );
  // The finals (two runs, one submission) come after every trial ended, so the peak is the trials'.
  assert.equal(executor.jobs.length, trialJobs.length + 1);
  assert.ok(executor.maxLive <= 2, `at most 2 at once (saw ${executor.maxLive})`);
  assert.ok(trialJobs.length >= 6, 'four trials to rung 1 and promotions');
});

test('an executor that cannot be polled ends the search with its error; search.json keeps the state', async (t) => {
  const dir = path.join(tempRoot(t), 'fake-search');
  const executor = new FakeExecutor(dir);
  executor.failPoll = new Error('squeue: cannot reach the controller');
  await assert.rejects(searchOn(dir, executor, 1).run(), /cannot reach the controller/);
  assert.equal(executor.cancelled, true, 'the submitted jobs are cancelled');
  assert.equal(parseSearchRecord(fs.readFileSync(path.join(dir, SEARCH_FILE), 'utf8'))?.stage, 'tuning');
});

test('stopping the search cancels its jobs and leaves it resumable', async (t) => {
  const dir = path.join(tempRoot(t), 'fake-search');
  const executor = new FakeExecutor(dir);
  const runner = searchOn(dir, executor, 1);
  const done = runner.run();
  await new Promise((r) => setTimeout(r, 5));
  runner.stop();
  const record = await done;
  assert.equal(executor.cancelled, true);
  assert.equal(record.stage, 'tuning');
  // Run again: it picks up from the files and finishes as in one go.
  const again = await searchOn(dir, new FakeExecutor(dir), 1).run();
  assert.equal(again.stage, 'done');
  assert.equal(again.studies[0].chosen?.trial, 3);
});
