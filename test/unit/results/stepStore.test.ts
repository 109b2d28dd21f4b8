// steps.jsonl: the step-level points a run records while an epoch runs. Written a
// line at a time like metrics.jsonl, read back tolerating a torn last line, and trimmed on
// resume to the finished epochs (the interrupted epoch is redone, its points too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { openRunSink } from '../../../src/core/results/runSink';
import { readRun, RunWriter } from '../../../src/core/results/runStore';
import { StepsCache } from '../../../src/core/results/stepsCache';
import type { EpochMetrics, StepPoint } from '../../../src/core/results/types';

const [spec] = expandGrid(
  validateConfig({ name: 'steps', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], seeds: [1], training: { epochs: 3, milestones: [2] } }),
);
const WITH_STEPS = { steps: true };
const tempRun = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-steps-')), spec.runId);
const epoch = (n: number): EpochMetrics => ({ epoch: n, trainLoss: 1 / n, trainAcc: 0.6, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 2, imagesPerSec: 100 });
/** Four steps per epoch, a point every second step. */
const point = (e: number, step: number): StepPoint => ({ epoch: e, step, stepsPerEpoch: 4, globalStep: (e - 1) * 4 + step, loss: 2 / (e * 10 + step), acc: step / 10, wallSeconds: e * 10 + step });
const epochPoints = (e: number) => [point(e, 2), point(e, 4)];

test('step points written by the sink read back unchanged, one JSON line each', () => {
  const dir = tempRun();
  const sink = openRunSink(dir, spec);
  sink.started('cpu');
  for (const p of epochPoints(1)) sink.stepLogged(p);
  sink.epochFinished(epoch(1), new Uint8Array([1]));
  sink.stepLogged(point(2, 2));
  const run = readRun(dir, WITH_STEPS);
  assert.deepEqual(run.steps, [...epochPoints(1), point(2, 2)]);
  assert.deepEqual(run.warnings, []);
  // Independent of the reader: the file is exactly these lines.
  assert.equal(fs.readFileSync(path.join(dir, 'steps.jsonl'), 'utf8'), [...epochPoints(1), point(2, 2)].map((p) => JSON.stringify(p) + '\n').join(''));
});

test('a torn last line (killed mid-write) is reported and the complete points kept', () => {
  const dir = tempRun();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'steps.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(point(1, 2))}\n${JSON.stringify(point(1, 4))}\n{"epoch":2,"step":2,"stepsPer`);
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'stopped', epoch: 1, epochs: 3, updatedAt: '' }));
  const run = readRun(dir, WITH_STEPS);
  assert.deepEqual(run.steps, epochPoints(1));
  assert.deepEqual(run.warnings, ['steps.jsonl: line 3 is incomplete (the run was interrupted while writing it); kept the complete lines']);
});

test('lines that are not step points are skipped with a word, and a missing file reads as no points', () => {
  const dir = tempRun();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'running', epoch: 0, epochs: 3, updatedAt: '' }));
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, []);
  fs.writeFileSync(path.join(dir, 'steps.jsonl'), `${JSON.stringify(point(1, 2))}\n{"epoch":1,"loss":"high"}\n`);
  const run = readRun(dir, WITH_STEPS);
  assert.deepEqual(run.steps, [point(1, 2)]);
  assert.deepEqual(run.warnings, ['steps.jsonl: skipped a line that is not a step point']);
});

test('resuming after epoch 1 drops the interrupted epoch 2 points (a torn line too); the redone epoch writes its own', () => {
  const dir = tempRun();
  const first = openRunSink(dir, spec);
  first.started('cpu');
  for (const p of epochPoints(1)) first.stepLogged(p);
  first.epochFinished(epoch(1), new Uint8Array([1]));
  first.stepLogged(point(2, 2));
  fs.appendFileSync(path.join(dir, 'steps.jsonl'), '{"epoch":2,"st'); // killed while writing the next one

  const second = openRunSink(dir, spec, 'resume');
  assert.deepEqual(
    second.resumePoint().epochs.map((m) => m.epoch),
    [1],
  );
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, epochPoints(1), 'only the finished epoch keeps its points');
  const redone = { ...point(2, 2), loss: 0.123, wallSeconds: 99 };
  second.stepLogged(redone);
  const run = readRun(dir, WITH_STEPS);
  assert.deepEqual(run.steps, [...epochPoints(1), redone]);
  assert.deepEqual(run.warnings, []);
});

test('a run without a checkpoint starts over: its points go too; restart clears them', () => {
  const dir = tempRun();
  const first = openRunSink(dir, spec);
  for (const p of epochPoints(1)) first.stepLogged(p);
  openRunSink(dir, spec, 'resume'); // no epoch finished, so no checkpoint
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, []);

  const again = openRunSink(dir, spec);
  for (const p of epochPoints(1)) again.stepLogged(p);
  again.epochFinished(epoch(1), new Uint8Array([1]));
  openRunSink(dir, spec, 'restart');
  assert.equal(fs.existsSync(path.join(dir, 'steps.jsonl')), false);
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, []);
});

test('a point at or before the last one written (an epoch redone from an older checkpoint) replaces the points from it on', () => {
  const dir = tempRun();
  const writer = new RunWriter(dir);
  writer.open(spec);
  for (const p of [...epochPoints(1), ...epochPoints(2)]) writer.appendStep(p);
  const redo = { ...point(2, 2), loss: 9 };
  writer.appendStep(redo);
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, [...epochPoints(1), redo]);
});

test('a run recorded when logEvery defaulted to 10 resumes under a config that leaves it to the trainer', () => {
  const dir = tempRun();
  const old = { ...spec, training: { ...spec.training, logEvery: 10 } };
  const first = openRunSink(dir, old);
  first.epochFinished(epoch(1), new Uint8Array([1]));
  assert.equal(spec.training.logEvery, undefined);
  const resumed = openRunSink(dir, spec, 'resume');
  assert.deepEqual(
    resumed.resumePoint().epochs.map((m) => m.epoch),
    [1],
  );
});

test('steps.jsonl is read only when asked (the tree and tables do not draw it)', () => {
  const dir = tempRun();
  const sink = openRunSink(dir, spec);
  sink.stepLogged(point(1, 2));
  assert.equal(readRun(dir).steps, undefined);
  assert.deepEqual(readRun(dir, WITH_STEPS).steps, [point(1, 2)]);
});

test('the steps cache parses a file again only when it changed: an append, a rewrite, a removal', () => {
  const dir = tempRun();
  const sink = openRunSink(dir, spec);
  sink.stepLogged(point(1, 2));
  const cache = new StepsCache();
  const read = () => cache.read(dir, []);
  const first = read();
  assert.deepEqual(first, [point(1, 2)]);
  assert.equal(read(), first, 'unchanged file: the same parsed points');
  sink.stepLogged(point(1, 4));
  assert.deepEqual(read(), epochPoints(1), 'an append');
  // A rewrite to the same size (a resume redoing a point): another inode.
  const redone = { ...point(1, 4), acc: 0.5 }; // acc 0.4 before: the same number of bytes
  fs.writeFileSync(path.join(dir, 'steps.tmp'), [point(1, 2), redone].map((p) => JSON.stringify(p) + '\n').join(''));
  fs.renameSync(path.join(dir, 'steps.tmp'), path.join(dir, 'steps.jsonl'));
  assert.deepEqual(read(), [point(1, 2), redone]);
  // Its warnings come with every read, cached or not.
  fs.appendFileSync(path.join(dir, 'steps.jsonl'), '{"epoch":2,');
  for (let i = 0; i < 2; i++) {
    const warnings: string[] = [];
    assert.deepEqual(cache.read(dir, warnings), [point(1, 2), redone]);
    assert.deepEqual(warnings, ['steps.jsonl: line 3 is incomplete (the run was interrupted while writing it); kept the complete lines']);
  }
  fs.rmSync(path.join(dir, 'steps.jsonl'));
  assert.deepEqual(read(), []);
  assert.deepEqual(readRun(dir, { steps: cache.read }).steps, [], 'readRun takes the cache as its reader');
});
