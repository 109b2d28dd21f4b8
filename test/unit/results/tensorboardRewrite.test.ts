// `losslab tensorboard`'s reading side: which folders are runs, which step points a resumed run
// leaves, which runs it must not touch. The written files are read back independently in
// test/system/tensorboard.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandGrid } from '../../../src/core/config/grid';
import { validateConfig } from '../../../src/core/config/validate';
import { openRunSink } from '../../../src/core/results/runSink';
import { readSteps } from '../../../src/core/results/runReader';
import { findRunDirs, rewriteRunEvents } from '../../../src/core/results/tensorboard/rewriteRun';
import type { StepPoint } from '../../../src/core/results/types';

const [spec] = expandGrid(validateConfig({ name: 'tb', dataset: { name: 'mnist' }, models: [{ name: 'simple-cnn' }], losses: [{ name: 'ce' }], training: { epochs: 2, milestones: [2] } }, 'test'));
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'losslab-tbrw-'));
const point = (globalStep: number, loss: number): StepPoint => ({
  epoch: Math.ceil(globalStep / 4),
  step: ((globalStep - 1) % 4) + 1,
  stepsPerEpoch: 4,
  globalStep,
  loss,
  acc: 0.5,
  wallSeconds: globalStep,
});
const eventFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('events.out.tfevents.'));

test("a resumed run's step points: the redone epoch's points replace the interrupted attempt's, from the first redone step on", () => {
  const dir = tempDir();
  // Attempt 1 logged steps 2, 4 (epoch 1), 6, 8 (epoch 2, interrupted); attempt 2 redid epoch 2 (6, 8); a torn last line.
  const lines = [point(2, 1), point(4, 0.9), point(6, 5), point(8, 5), point(6, 0.8), point(8, 0.7)].map((p) => JSON.stringify(p));
  fs.writeFileSync(path.join(dir, 'steps.jsonl'), `${lines.join('\n')}\n{"globalStep": 1`);
  const warnings: string[] = [];
  assert.deepEqual(
    readSteps(dir, warnings).map((p) => [p.globalStep, p.loss]),
    [
      [2, 1],
      [4, 0.9],
      [6, 0.8],
      [8, 0.7],
    ],
  );
  assert.equal(warnings.length, 1, 'the torn last line is reported');
  assert.deepEqual(readSteps(tempDir(), []), [], 'no steps.jsonl (a run from before it): no points');
});

test('run folders are found at a run, an experiment or a results root; other folders are not runs', () => {
  const root = tempDir();
  const runA = path.join(root, 'exp1', 'run-a');
  const runB = path.join(root, 'exp2', 'run-b');
  for (const d of [runA, runB, path.join(root, 'exp1', 'report')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(runA, 'metrics.jsonl'), '');
  fs.writeFileSync(path.join(runB, 'status.json'), '{}');
  assert.deepEqual(findRunDirs(root), [runA, runB]);
  assert.deepEqual(findRunDirs(path.join(root, 'exp1')), [runA]);
  assert.deepEqual(findRunDirs(runB), [runB]);
  assert.deepEqual(findRunDirs(path.join(root, 'exp1', 'report')), []);
});

test('a run still running is skipped (its worker has the event file open); one with nothing recorded writes nothing', () => {
  const dir = path.join(tempDir(), spec.runId);
  const sink = openRunSink(dir, spec);
  sink.started('cpu'); // status.json: running, with this live process's pid
  assert.deepEqual(rewriteRunEvents(dir).skipped, 'running: its worker writes its event files');
  sink.stopped('test');
  assert.equal(rewriteRunEvents(dir).skipped, 'no finished epoch or step point yet');
  assert.deepEqual(eventFiles(dir), []);
});

test("a rewrite replaces the run's earlier event files with one", () => {
  const dir = path.join(tempDir(), spec.runId);
  const sink = openRunSink(dir, spec);
  sink.started('cpu');
  sink.epochFinished({ epoch: 1, trainLoss: 1, trainAcc: 0.5, testLoss: 1, testAcc: 0.5, lr: 0.1, seconds: 1, imagesPerSec: 10 }, new Uint8Array([1]));
  sink.stopped('test');
  fs.writeFileSync(path.join(dir, 'events.out.tfevents.1.old.1.0'), 'stale');
  const r = rewriteRunEvents(dir);
  assert.equal(r.epochs, 1);
  assert.deepEqual(eventFiles(dir), [path.basename(r.file!)]);
  assert.ok(
    r.warnings.some((w) => /steps per epoch unknown/.test(w)),
    r.warnings.join('; '),
  );
});
