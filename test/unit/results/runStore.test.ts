import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import type { RunSpec } from '../../../src/core/config/types';
import { validateConfig } from '../../../src/core/config/validate';
import { markRunFailed, openRunSink, writeExperimentManifest } from '../../../src/core/results/runSink';
import { readExperiment, readRun, RunAlreadyDoneError, RunExistsError, RunWriter } from '../../../src/core/results/runStore';
import type { EpochMetrics, RunSummary } from '../../../src/core/results/types';

const config = validateConfig({
  name: 'store',
  dataset: { name: 'mnist' },
  models: [{ name: 'simple-cnn' }],
  losses: [{ name: 'ce' }, { name: 'scaled-bn', m: 0.9 }],
  seeds: [1],
  training: { epochs: 3, milestones: [2] },
});
const [spec, spec2] = expandGrid(config);

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-store-'));
const epoch = (n: number, testAcc = 0.5 + n / 100): EpochMetrics => ({ epoch: n, trainLoss: 1 / n, trainAcc: 0.6, testLoss: 1, testAcc, lr: 0.1, seconds: 2, imagesPerSec: 100 });
const summary = (s: RunSpec, finalTestAcc: number): RunSummary => ({
  runId: s.runId,
  model: s.model.name,
  loss: s.lossLabel,
  seed: s.seed,
  finalTestAcc,
  bestTestAcc: finalTestAcc,
  finalTrainAcc: 0.9,
  epochs: 3,
  backend: 'cpu',
  wallSeconds: 6,
  versions: {},
  machine: { platform: 'linux', arch: 'x64', cpus: 1, cpuModel: 'test', totalMemGiB: 1 },
});

/** Runs a sink through `epochs` epochs, as the trainer would. */
function train(dir: string, s: RunSpec, epochs: number[], finish?: number) {
  const sink = openRunSink(dir, s);
  sink.started('cpu');
  for (const n of epochs) sink.epochFinished(epoch(n), new Uint8Array([n]));
  if (finish !== undefined) sink.finished(summary(s, finish), { before: { edges: [0, 1], counts: [3] } }, { norms: [1, 2] });
  return sink;
}

test('a run writes its files and reads back the same', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2, 3], 0.75);
  const run = readRun(dir);
  assert.deepEqual(run.spec, spec);
  assert.equal(run.status?.state, 'done');
  assert.equal(run.status?.epoch, 3);
  assert.deepEqual(
    run.metrics.map((m) => m.epoch),
    [1, 2, 3],
  );
  assert.equal(run.summary?.finalTestAcc, 0.75);
  assert.deepEqual(run.weightNorms, { norms: [1, 2] });
  assert.equal(run.hasCheckpoint, true, 'a done run keeps its last checkpoint, to be extended by more epochs');
  assert.deepEqual(run.warnings, []);
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('re-running a done run is refused with a clear message unless restarted', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2, 3], 0.75);
  assert.throws(
    () => openRunSink(dir, spec),
    (e: unknown) => e instanceof RunAlreadyDoneError && /is already done \(3\/3 epochs, final test accuracy 75\.00%\); restart it/.test(e.message),
  );
  const sink = openRunSink(dir, spec, 'restart');
  assert.deepEqual(sink.resumePoint(), { epochs: [], checkpoint: null });
  assert.deepEqual(readRun(dir).metrics, []);
  assert.equal(readRun(dir).summary, undefined);
});

test('a partial run resumes from its finished epochs and checkpoint', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2]).stopped('stopped by the user');
  assert.equal(readRun(dir).status?.state, 'stopped');
  const writer = new RunWriter(dir);
  assert.deepEqual(
    writer.existing()?.metrics.map((m) => m.epoch),
    [1, 2],
  );
  const sink = openRunSink(dir, spec);
  const resume = sink.resumePoint();
  assert.deepEqual(
    resume.epochs.map((m) => m.epoch),
    [1, 2],
  );
  assert.deepEqual([...(resume.checkpoint ?? [])], [2]);
  sink.started('cpu');
  sink.epochFinished(epoch(3), new Uint8Array([3]));
  assert.deepEqual(
    readRun(dir).metrics.map((m) => m.epoch),
    [1, 2, 3],
  );
});

test("'refuse' leaves a partial run alone; a changed config cannot resume it", () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1]).failed('boom');
  assert.throws(() => openRunSink(dir, spec, 'refuse'), RunExistsError);
  const changed: RunSpec = { ...spec, training: { ...spec.training, lr: 0.5 }, backend: 'wasm' };
  assert.throws(() => openRunSink(dir, changed), /different config \(changed: training\.lr\)/);
  assert.doesNotThrow(() => openRunSink(dir, { ...spec, backend: 'wasm', threads: 4 }), 'backend and threads may change');
});

test('a torn last metrics line is reported and the complete epochs kept', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2]);
  fs.appendFileSync(path.join(dir, 'metrics.jsonl'), '{"epoch":3,"trainLo');
  const run = readRun(dir);
  assert.deepEqual(
    run.metrics.map((m) => m.epoch),
    [1, 2],
  );
  assert.equal(run.warnings.length, 1);
  assert.match(run.warnings[0], /line 3 is incomplete/);
  const sink = openRunSink(dir, spec); // resuming drops the torn line for good
  assert.equal(sink.resumePoint().epochs.length, 2);
  assert.equal(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n').length, 3);
});

test('an epoch redone after resuming from an older checkpoint replaces the old line', () => {
  const dir = path.join(tempDir(), spec.runId);
  const writer = new RunWriter(dir);
  writer.open(spec);
  writer.appendEpoch(epoch(1));
  writer.appendEpoch(epoch(2, 0.1));
  writer.appendEpoch(epoch(2, 0.2));
  assert.deepEqual(
    readRun(dir).metrics.map((m) => m.testAcc),
    [0.51, 0.2],
  );
  assert.throws(() => writer.appendEpoch(epoch(4)), /epoch 4 cannot follow epoch 2/);
});

test('a finished metrics log without checkpoint restarts from epoch 1', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2]);
  fs.rmSync(path.join(dir, 'checkpoint.bin'));
  assert.deepEqual(openRunSink(dir, spec).resumePoint(), { epochs: [], checkpoint: null });
});

test('checkpoints round-trip as bytes', () => {
  const writer = new RunWriter(path.join(tempDir(), 'r'));
  writer.open(spec);
  assert.equal(writer.readCheckpoint(), undefined);
  writer.writeCheckpoint(new Uint8Array([9, 8, 7]));
  assert.deepEqual([...writer.readCheckpoint()!], [9, 8, 7]);
});

test('status changes follow the run lifecycle', () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2, 3], 0.7).failed('late error');
  assert.equal(readRun(dir).status?.state, 'done', 'an error after finishing does not undo done');
  const writer = new RunWriter(path.join(tempDir(), 'r'));
  writer.open(spec);
  assert.throws(() => writer.setStatus({ state: 'done' }), /cannot change from 'queued' to 'done'/);
});

test('a host can mark a crashed run failed, but not a done one', () => {
  const root = tempDir();
  const crashed = path.join(root, 'crashed');
  train(crashed, spec, [1]);
  markRunFailed(crashed, 'worker crashed');
  assert.deepEqual([readRun(crashed).status?.state, readRun(crashed).status?.reason, readRun(crashed).status?.epoch], ['failed', 'worker crashed', 1]);
  const done = path.join(root, 'done');
  train(done, spec, [1, 2, 3], 0.7);
  markRunFailed(done, 'late');
  assert.equal(readRun(done).status?.state, 'done');
});

test('readExperiment lists runs in grid order and tolerates a missing summary', () => {
  const expDir = path.join(tempDir(), config.name);
  writeExperimentManifest(expDir, config);
  train(path.join(expDir, spec2.runId), spec2, [1, 2, 3], 0.8);
  train(path.join(expDir, spec.runId), spec, [1]);
  fs.mkdirSync(path.join(expDir, 'not-a-run'));
  const exp = readExperiment(expDir);
  assert.deepEqual(
    exp.runs.map((r) => r.runId),
    [spec.runId, spec2.runId],
  );
  assert.equal(exp.runs[0].summary, undefined);
  assert.deepEqual(exp.manifest?.runIds, [spec.runId, spec2.runId]);
  assert.deepEqual(exp.warnings, []);
});

test("'extend' trains a done run on to more epochs from its checkpoint; its end files go, its epochs stay", () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2, 3], 0.75);
  const longer: RunSpec = { ...spec, training: { ...spec.training, epochs: 5 } };
  assert.throws(() => openRunSink(dir, longer, 'resume'), RunAlreadyDoneError, 'plain resume keeps a done run');
  const sink = openRunSink(dir, longer, 'extend');
  const point = sink.resumePoint();
  assert.deepEqual(
    point.epochs.map((m) => m.epoch),
    [1, 2, 3],
  );
  assert.deepEqual([...(point.checkpoint ?? [])], [3], 'the checkpoint written after epoch 3');
  const run = readRun(dir);
  assert.equal(run.status?.state, 'queued');
  assert.equal(run.status?.epochs, 5);
  assert.equal(run.summary, undefined);
  assert.equal(run.logits, undefined);
  assert.equal(run.spec?.training.epochs, 5);
});

test("'extend' refuses, with the reason, another lr, a moved milestone or a run without a checkpoint", () => {
  const dir = path.join(tempDir(), spec.runId);
  train(dir, spec, [1, 2, 3], 0.75);
  const changed = (training: Partial<RunSpec['training']>): RunSpec => ({ ...spec, training: { ...spec.training, epochs: 5, ...training } });
  assert.throws(() => openRunSink(dir, changed({ lr: spec.training.lr * 2 }), 'extend'), /cannot be extended: training\.lr .* changed, which the finished epochs were not trained with/);
  assert.throws(() => openRunSink(dir, changed({ milestones: [1] }), 'extend'), /cannot be extended: the milestones within the first 3 epochs moved \(\[2\] → \[1\]\)/);
  assert.equal(readRun(dir).status?.state, 'done', 'a refused extension leaves the run as it was');
  fs.rmSync(path.join(dir, 'checkpoint.bin'));
  assert.throws(() => openRunSink(dir, changed({}), 'extend'), /cannot be extended: it kept no checkpoint/);
  // A current done run under 'extend' is simply done.
  assert.throws(() => openRunSink(dir, spec, 'extend'), RunAlreadyDoneError);
});
