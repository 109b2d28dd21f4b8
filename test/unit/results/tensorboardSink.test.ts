// The TensorBoard decorator of the results store's sink: where its event files go, what a
// fresh start, a resume and a failure do to them. What the files say is read back by an
// independent reader in test/system/tensorboard.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import type { DatasetSummary } from '../../../src/core/data/types';
import { readRun } from '../../../src/core/results/runReader';
import { openRunSink, type ExistingResultsPolicy } from '../../../src/core/results/runSink';
import { encodeEvent } from '../../../src/core/results/tensorboard/eventProto';
import { tfRecord } from '../../../src/core/results/tensorboard/eventFile';
import { withTensorBoard } from '../../../src/core/results/tensorboardSink';
import type { EpochMetrics, RunSummary } from '../../../src/core/results/types';

const [spec] = expandGrid(
  validateConfig({ name: 'tb', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 3, batchSize: 4, milestones: [2] } }, 'test'),
);
/** 10 training images in batches of 4: 3 steps per epoch. */
const DATASET: DatasetSummary = { name: 'mnist', source: 'test', classes: 10, imageShape: [28, 28, 1], train: 10, test: 5, evaluation: 'test', notes: [], warnings: [] };
const NOW = 1_700_000_000;
const metrics = (epoch: number): EpochMetrics => ({ epoch, trainLoss: 1 / epoch, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 10 });
const summary: RunSummary = {
  runId: spec.runId,
  model: 'simple-cnn',
  loss: 'CE',
  seed: 1,
  finalTestAcc: 0.5,
  bestTestAcc: 0.5,
  finalTrainAcc: 0.5,
  epochs: 3,
  backend: 'cpu',
  wallSeconds: 3,
  versions: {},
  machine: { platform: 'linux', arch: 'x64', cpus: 1, cpuModel: 'test', totalMemGiB: 1 },
};
const runDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-tbsink-')), spec.runId);
const eventFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('events.out.tfevents.'));

/** Opens the decorated sink and takes it through `epochs` as the trainer does (resumePoint, started, epochs, maybe finished). */
function train(dir: string, epochs: number[], opts: { finish?: boolean; policy?: ExistingResultsPolicy; warnings?: string[] } = {}) {
  const sink = withTensorBoard(openRunSink(dir, spec, opts.policy), spec, { warn: (m) => opts.warnings?.push(m), now: () => NOW });
  sink.datasetLoaded(DATASET);
  sink.resumePoint();
  sink.started('cpu');
  for (const n of epochs) sink.epochFinished(metrics(n), new Uint8Array([n]));
  if (opts.finish) sink.finished(summary, { before: { edges: [0, 1], counts: [3] } }, { norms: [1, 2] });
  return sink;
}

test("a run writes one event file into its own folder, beside the store's files, starting with file_version and a SessionLog START at step 1", () => {
  const dir = runDir();
  train(dir, [1, 2, 3], { finish: true });
  assert.equal(eventFiles(dir).length, 1);
  assert.match(eventFiles(dir)[0], new RegExp(`^events\\.out\\.tfevents\\.${NOW}\\.${os.hostname()}\\.${process.pid}\\.\\d+$`));
  assert.equal(readRun(dir).status?.state, 'done');
  const expectedStart = Buffer.concat([tfRecord(encodeEvent({ wallTime: NOW, step: 0, fileVersion: 'brain.Event:2' })), tfRecord(encodeEvent({ wallTime: NOW, step: 1, sessionStart: true }))]);
  assert.deepEqual(fs.readFileSync(path.join(dir, eventFiles(dir)[0])).subarray(0, expectedStart.length), expectedStart);
});

test("starting over from epoch 1 removes an earlier attempt's event files (their results are gone too)", () => {
  const dir = runDir();
  train(dir, [1, 2, 3], { finish: true });
  const first = eventFiles(dir);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  train(dir, [1], { policy: 'restart' });
  const second = eventFiles(dir);
  assert.equal(second.length, 1);
  assert.notDeepEqual(second, first);
  assert.ok(fs.existsSync(path.join(dir, 'notes.txt')), 'only event files are removed');
});

test('a resumed run keeps the earlier file and opens a new one that starts with a SessionLog START at the first redone step', () => {
  const dir = runDir();
  train(dir, [1, 2]); // interrupted after epoch 2: its checkpoint is kept
  const [earlier] = eventFiles(dir);
  train(dir, [3], { finish: true });
  const files = eventFiles(dir).sort();
  assert.equal(files.length, 2);
  assert.equal(files[0], earlier);
  // 3 steps per epoch, 2 epochs done: epoch 3 starts at global step 7.
  const expectedStart = Buffer.concat([tfRecord(encodeEvent({ wallTime: NOW, step: 0, fileVersion: 'brain.Event:2' })), tfRecord(encodeEvent({ wallTime: NOW, step: 7, sessionStart: true }))]);
  const later = fs.readFileSync(path.join(dir, files[1]));
  assert.deepEqual(later.subarray(0, expectedStart.length), expectedStart);
});

test('failing to write event files warns once and the run goes on with every file of its own', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-tbsink-'));
  const dir = path.join(parent, spec.runId);
  const warnings: string[] = [];
  // The store's sink works; the event files land in a folder that cannot be made (its parent is a file).
  const store = openRunSink(dir, spec);
  const blocked = { ...store, dir: path.join(parent, 'a-file', 'run') };
  fs.writeFileSync(path.join(parent, 'a-file'), '');
  const sink = withTensorBoard(blocked, spec, { warn: (m) => warnings.push(m), now: () => NOW });
  sink.datasetLoaded(DATASET);
  sink.resumePoint();
  sink.started('cpu');
  for (const n of [1, 2, 3]) sink.epochFinished(metrics(n), new Uint8Array([n]));
  sink.stepLogged({ epoch: 3, step: 3, stepsPerEpoch: 3, globalStep: 9, loss: 1, acc: 0.5, wallSeconds: 3 });
  sink.finished(summary, { before: { edges: [0, 1], counts: [3] } }, { norms: [1, 2] });
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(
    warnings[0],
    /^TensorBoard event files are not written for this run: cannot write '.*a-file\/run': a part of the path is not a folder\. The run goes on; 'losslab tensorboard .*' writes them afterwards\.$/,
  );
  const run = readRun(dir);
  assert.equal(run.status?.state, 'done');
  assert.deepEqual(
    run.metrics.map((m) => m.epoch),
    [1, 2, 3],
  );
});

test('a failure of the store itself still fails: the decorator hides only its own', () => {
  const dir = runDir();
  const sink = train(dir, [1]);
  assert.throws(() => sink.epochFinished(metrics(3), new Uint8Array([3])), /epoch 3 cannot follow epoch 1/);
});
