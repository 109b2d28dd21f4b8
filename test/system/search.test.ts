// A real search with the built worker on a Fashion-MNIST subset: a trial paused at a rung and
// promoted trains exactly as one trained straight through, and a small search (2 losses × 3 trials ×
// 3 epochs, ASHA on) stopped mid-way resumes with the same trials and ends with its final stage.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../src/core/config/validate';
import { readRun } from '../../src/core/results/runReader';
import { parseSearchRecord, SEARCH_FILE } from '../../src/core/search/record';
import { SearchRunner } from '../../src/host/search/searchRunner';
import { WorkerRun } from '../../src/host/workerProcess';
import { FASHION_MNIST, gridOf, requireBuild, RESUME_CONFIG, runToEnd, tempDir, WORKER } from './helpers';

before(requireBuild);
const skip = !existsSync(FASHION_MNIST) && 'dataset-fashion-mnist not installed';

const learnedWithVal = (m: { epoch: number; trainLoss: number; testAcc: number; valAcc?: number; valLoss?: number; lr: number }) => [m.epoch, m.trainLoss, m.testAcc, m.valAcc, m.valLoss, m.lr];

test('a trial paused after epoch 1 and promoted trains bit for bit as one trained straight through', { skip }, async () => {
  const [spec] = gridOf({ ...RESUME_CONFIG, dataset: { ...RESUME_CONFIG.dataset, validation: 0.25 } });
  const straight = path.join(tempDir('losslab-straight-'), spec.runId);
  await runToEnd(spec, straight);
  const paused = path.join(tempDir('losslab-paused-'), spec.runId);
  const first = new WorkerRun({ workerPath: WORKER, spec, runDir: paused, resume: 'resume', pauseAfter: 1, onMessage: () => {} });
  assert.deepEqual(await first.done, { state: 'stopped', epoch: 1 });
  assert.deepEqual(
    readRun(paused).metrics.map((m) => m.epoch),
    [1],
  );
  assert.match(readRun(paused).status?.reason ?? '', /paused after epoch 1/);
  await runToEnd(spec, paused);
  const a = readRun(straight).metrics;
  const b = readRun(paused).metrics;
  assert.deepEqual(b.map(learnedWithVal), a.map(learnedWithVal));
  // milestones [2]: the lr drops for epoch 3 of the continued run, counted from the run's start.
  assert.deepEqual(
    b.map((m) => m.lr),
    [0.05, 0.05, 0.05 * 0.1],
  );
});

const SEARCH = {
  name: 'tiny-search',
  dataset: { name: 'fashion-mnist', trainSubset: 512, testSubset: 256, validation: 0.25 },
  models: [{ name: 'simple-cnn', width: 0.25 }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: { uniform: [0.5, 1.2] } }],
  training: { epochs: 3, batchSize: 128, lr: { log: [0.01, 0.2] }, milestones: [2], augment: { crop: false, padding: 4, flip: true } },
  search: { trials: 3, prune: { minEpochs: 1, eta: 3 }, finalSeeds: 2 },
  backend: 'wasm',
};

test('a tiny search stopped at its first pause resumes with the same trials, prunes, chooses on validation and runs its final seeds', { skip }, async () => {
  const config = validateConfig(SEARCH);
  const experimentDir = path.join(tempDir('losslab-search-'), 'tiny-search');
  const base = { config, experimentDir, workerPath: WORKER, parallel: 2, by: 'search test' };
  const first: SearchRunner = new SearchRunner({ ...base, onRunEnd: (_id, outcome) => outcome.state === 'stopped' && first.stop() });
  const stopped = await first.run();
  assert.equal(stopped.stage, 'tuning');
  const trained = new Set<string>();
  const record = await new SearchRunner({ ...base, onMessage: (id, msg) => msg.type === 'train' && msg.event.type === 'epoch' && trained.add(`${id}:${msg.event.metrics.epoch}`) }).run();
  assert.equal(record.stage, 'done');
  assert.deepEqual(parseSearchRecord(readFileSync(path.join(experimentDir, SEARCH_FILE), 'utf8')), record, 'search.json holds the last state');
  for (const study of record.studies) {
    assert.equal(study.trials.length, 3);
    // ⌊3/3⌋ = 1 trial moves to the top rung; the other two stop after epoch 1 for good.
    assert.deepEqual(study.trials.map((t) => t.state).sort(), ['complete', 'pruned', 'pruned']);
    for (const t of study.trials) {
      const run = readRun(path.join(experimentDir, t.runId));
      assert.equal(run.metrics.length, t.epochs);
      assert.deepEqual(run.spec?.search?.params, t.params, 'the trial trained the values search.json names');
      assert.deepEqual(
        t.rungs,
        [1, 3].filter((e) => e <= t.epochs).map((e) => ({ epoch: e, valAcc: run.metrics[e - 1].valAcc! * 100 })),
        'rungs record validation accuracy',
      );
    }
    const complete = study.trials.find((t) => t.state === 'complete')!;
    assert.deepEqual(study.chosen, { trial: complete.index, params: complete.params, valAcc: complete.rungs[1].valAcc, epoch: 3 });
    assert.equal(study.finalRunIds.length, 2);
    for (const id of study.finalRunIds) {
      const run = readRun(path.join(experimentDir, id));
      assert.equal(run.status?.state, 'done');
      assert.equal(run.metrics.length, 3);
      assert.deepEqual(run.spec?.search, { stage: 'final', study: study.key, trial: complete.index, params: complete.params });
    }
  }
  const finishedBeforeStop = stopped.studies.flatMap((s) => s.trials.filter((t) => t.epochs >= 1).map((t) => `${t.runId}:1`));
  assert.ok(finishedBeforeStop.length > 0, 'the first run finished an epoch before it was stopped');
  assert.deepEqual(
    finishedBeforeStop.filter((e) => trained.has(e)),
    [],
    'no epoch finished before the stop was trained again',
  );
  // Run again: nothing left to train, the same record.
  const again: string[] = [];
  const rerun = await new SearchRunner({ ...base, onMessage: (id, msg) => msg.type === 'train' && msg.event.type === 'epoch' && again.push(id) }).run();
  assert.deepEqual(again, []);
  assert.deepEqual(rerun, record);
});
