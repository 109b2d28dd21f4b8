/**
 * A search through the SLURM executor against the real one-node test cluster
 * (scripts/slurm/start-test-cluster.sh): a trial per job, pausing at its rung, promoted by the
 * driver as rungs complete, then the final seeds as one array. The outcome must be the one the
 * same config gives locally, and a pruned trial must never train past its rung.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRun } from '../../src/core/results/runReader';
import { parseSearchRecord, SEARCH_FILE, type SearchRecord } from '../../src/core/search/record';
import { logDirOf, readSubmissions } from '../../src/host/slurm/slurmJobs';
import { tempDir } from './helpers';
import { epochsOf, testCluster, slurmKit, taskOf, until } from './slurmKit';

const root = tempDir('losslab-slurm-search-');
const env = testCluster(root);
const { writeConfig, cli, slurm, startIfPending } = slurmKit(root, env);

/** 2 losses × 3 trials × 3 epochs, ASHA with rungs at epochs 1 and 3, 2 final seeds. */
const SEARCH = {
  name: 'slurm-search',
  dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256, validation: 0.25 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: { uniform: [0.5, 1.2] } }],
  training: { epochs: 3, batchSize: 128, lr: { log: [0.01, 0.2] }, milestones: [2], augment: { crop: false, padding: 4, flip: true } },
  search: { trials: 3, seed: 0, prune: { minEpochs: 1, eta: 3 }, finalSeeds: 2 },
  backend: 'wasm',
};

const recordOf = (experimentDir: string): SearchRecord => parseSearchRecord(readFileSync(path.join(experimentDir, SEARCH_FILE), 'utf8'))!;

test('a search run with --executor slurm ends as the same search run locally, pruned trials never past their rung', async () => {
  const config = writeConfig('slurm-search', SEARCH);
  const local = cli(['run', config, '--executor', 'local', '--parallel', '2', '--out', path.join(root, 'local')]);
  const viaSlurm = cli(['run', config, '--executor', 'slurm', '--out', path.join(root, 'slurm')]);
  assert.equal(await local.code, 0, local.output());
  assert.equal(await viaSlurm.code, 0, viaSlurm.output());
  assert.match(viaSlurm.output(), /__trial0: SLURM job \d+, pausing after epoch 1/);

  const localDir = path.join(root, 'local', 'slurm-search');
  const slurmDir = path.join(root, 'slurm', 'slurm-search');
  const [a, b] = [recordOf(localDir), recordOf(slurmDir)];
  assert.equal(b.stage, 'done');
  // The same trials, states, rung accuracies, chosen trials and final runs.
  assert.deepEqual(b.studies, a.studies);
  for (const study of b.studies) {
    assert.deepEqual(study.trials.map((t) => t.state).sort(), ['complete', 'pruned', 'pruned']);
    assert.equal(study.finalRunIds.length, 2);
    for (const id of study.finalRunIds) {
      const run = readRun(path.join(slurmDir, id));
      assert.equal(run.status?.state, 'done', id);
      assert.deepEqual(run.spec?.search, { stage: 'final', study: study.key, trial: study.chosen!.trial, params: study.chosen!.params });
    }
    for (const t of study.trials.filter((x) => x.state === 'pruned')) {
      assert.deepEqual(
        readRun(path.join(slurmDir, t.runId)).metrics.map((m) => m.epoch),
        [1],
        `${t.runId} was pruned at its first rung`,
      );
    }
  }

  // Every job that trained a pruned trial paused it at epoch 1, and its log shows no later epoch.
  const submissions = readSubmissions(slurmDir);
  const pruned = new Set(b.studies.flatMap((s) => s.trials.filter((t) => t.state === 'pruned').map((t) => t.runId)));
  const logs = logDirOf(slurmDir);
  for (const s of submissions.filter((x) => x.runIds.some((id) => pruned.has(id)))) {
    assert.deepEqual(s.runIds.length, 1, 'a trial is one job');
    assert.match(readFileSync(path.join(slurmDir, s.script), 'utf8'), / --pause-after 1$/m, s.script);
    const log = readdirSync(logs).find((f) => f.startsWith(`${s.jobId}_`))!;
    const text = readFileSync(path.join(logs, log), 'utf8');
    assert.match(text, /epoch 1: validation accuracy [\d.]+% \(test [\d.]+%\)/);
    assert.doesNotMatch(text, /epoch [2-9]/, `${s.runIds[0]} trained past its rung`);
  }
  // 6 first-rung jobs, 2 promotions, one final array.
  assert.equal(submissions.length, 9);
  assert.deepEqual(submissions.at(-1)!.runIds.sort(), b.studies.flatMap((s) => s.finalRunIds).sort());
});

/** One trial (never promoted: ⌊1/3⌋ = 0) with its rung at epoch 2 of 4, epochs long enough (about 2 s) to interrupt. */
const REQUEUE = {
  ...SEARCH,
  name: 'slurm-search-requeue',
  dataset: { ...SEARCH.dataset, trainSubset: 1024 },
  losses: [{ name: 'ce' }],
  training: { ...SEARCH.training, epochs: 4 },
  search: { trials: 1, seed: 0, prune: { minEpochs: 2, eta: 3 }, finalSeeds: 1 },
};

test('a trial task stopped by SIGTERM with --requeue resumes from its checkpoint and still pauses at its rung', async () => {
  const config = writeConfig('requeue', REQUEUE);
  const out = path.join(root, 'requeue');
  const experimentDir = path.join(out, 'slurm-search-requeue');
  const trial = 'simple-cnn-w0.25__ce__trial0';
  const runDir = path.join(experimentDir, trial);
  const run = cli(['run', config, '--executor', 'slurm', '--requeue', '--out', out]);
  const task = await until('the trial to be submitted', () => taskOf(experimentDir, trial));
  await until('its first epoch', () => existsSync(runDir) && epochsOf(runDir).length >= 1);
  // A bare signal to the running task, as SLURM sends before preempting it.
  slurm('scancel', '--signal=TERM', '--full', task);
  await until('the task to be requeued', () => /PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T')));
  const kept = epochsOf(runDir).length;
  await until('the requeued task to run', () => (startIfPending(task), !/PENDING/.test(slurm('squeue', '-h', '-j', task, '-o', '%T'))), 120);
  assert.equal(await run.code, 0, run.output());

  const log = readFileSync(path.join(logDirOf(experimentDir), `${task}.log`), 'utf8');
  assert.match(log, /requeued task/);
  assert.match(log, /attempt 2/);
  assert.match(log, new RegExp(`resumed from epoch ${kept} of 4`));
  assert.match(log, /paused after epoch 2/);
  assert.doesNotMatch(log, /epoch [34]:/, 'the requeued task trained past its rung');
  assert.deepEqual(
    epochsOf(runDir).map((m) => m.epoch),
    [1, 2],
  );
  const [study] = recordOf(experimentDir).studies;
  assert.deepEqual(
    study.trials.map((t) => [t.state, t.epochs]),
    [['pruned', 2]],
  );
  assert.equal(readRun(path.join(experimentDir, study.finalRunIds[0])).status?.state, 'done');
});
