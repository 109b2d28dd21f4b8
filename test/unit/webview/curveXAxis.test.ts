import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochMetrics, StepPoint } from '../../../src/core/results/types';
import { curveXRange } from '../../../webview/axes';
import { stepAxisNote } from '../../../webview/curveControls';
import { curvePoints, epochXs, formatX, stepX, upsertStep } from '../../../webview/xAxis';

const epoch = (n: number, seconds: number, trainLoss: number, testAcc: number): EpochMetrics => ({
  epoch: n,
  trainLoss,
  trainAcc: 0.5,
  testLoss: 1,
  testAcc,
  lr: 0.1,
  seconds,
  imagesPerSec: 100,
});

const step = (epochNo: number, stepNo: number, loss: number, wallSeconds: number, stepsPerEpoch = 20): StepPoint => ({
  epoch: epochNo,
  step: stepNo,
  stepsPerEpoch,
  globalStep: (epochNo - 1) * stepsPerEpoch + stepNo,
  loss,
  acc: 0.25,
  wallSeconds,
});

test('a step point sits at epoch − 1 + step/stepsPerEpoch, at its global step, or at its wall time', () => {
  const p = step(2, 5, 1, 12.5);
  assert.equal(stepX(p, 'epoch'), 1.25);
  assert.equal(stepX(p, 'step'), 25);
  assert.equal(stepX(p, 'wall'), 12.5);
});

test('epoch points: epoch × steps per epoch in step mode (none when unknown), summed seconds in wall-time mode', () => {
  const metrics = [epoch(1, 10, 2, 0.5), epoch(2, 12, 1, 0.6), epoch(3, 11, 0.5, 0.7)];
  assert.deepEqual(epochXs(metrics, 'epoch', undefined), [1, 2, 3]);
  assert.deepEqual(epochXs(metrics, 'step', 20), [20, 40, 60]);
  assert.deepEqual(epochXs(metrics, 'step', undefined), [undefined, undefined, undefined]);
  assert.deepEqual(epochXs(metrics, 'wall', undefined), [10, 22, 33]);
});

test('train charts draw the step points, and epoch points only for epochs without steps; test charts the epoch points', () => {
  const metrics = [epoch(1, 10, 2, 0.5), epoch(2, 12, 1, 0.6)];
  const steps = [step(1, 10, 3, 4), step(1, 20, 2.5, 9)];
  assert.deepEqual(curvePoints(metrics, steps, 'trainLoss', 'epoch'), [
    { x: 0.5, y: 3 },
    { x: 1, y: 2.5 },
    { x: 2, y: 1 },
  ]);
  assert.deepEqual(curvePoints(metrics, steps, 'trainLoss', 'step'), [
    { x: 10, y: 3 },
    { x: 20, y: 2.5 },
    { x: 40, y: 1 },
  ]);
  assert.deepEqual(curvePoints(metrics, steps, 'trainLoss', 'wall'), [
    { x: 4, y: 3 },
    { x: 9, y: 2.5 },
    { x: 22, y: 1 },
  ]);
  assert.deepEqual(
    curvePoints(metrics, steps, 'trainAcc', 'epoch').map((p) => p.y),
    [25, 25, 50],
    'accuracy in percent, steps and epochs alike',
  );
  assert.deepEqual(curvePoints(metrics, steps, 'testAcc', 'step'), [
    { x: 20, y: 50 },
    { x: 40, y: 60 },
  ]);
  assert.deepEqual(curvePoints(metrics, [], 'trainLoss', 'step'), [], 'no steps recorded: no step to put an epoch at');
});

test('a live step at or before the last one (a resumed run redoing an epoch) replaces the later ones', () => {
  const steps = [step(1, 10, 3, 1), step(1, 20, 2, 2), step(2, 10, 1, 3)];
  upsertStep(steps, step(1, 20, 2.2, 5));
  assert.deepEqual(
    steps.map((s) => [s.globalStep, s.loss]),
    [
      [10, 3],
      [20, 2.2],
    ],
  );
  upsertStep(steps, step(2, 10, 1.5, 6));
  assert.equal(steps.length, 3);
});

test('the x range: epochs from 1 (from 0 once steps exist), steps up to the last planned epoch, wall time from 0', () => {
  assert.deepEqual(curveXRange('epoch', 5, undefined, false), { min: 1, max: 5 });
  assert.deepEqual(curveXRange('epoch', 5, 20, true), { min: 0, max: 5 });
  assert.deepEqual(curveXRange('step', 5, 20, true), { min: 0, max: 100 });
  assert.deepEqual(curveXRange('step', 5, undefined, false), { min: 0, max: undefined });
  assert.deepEqual(curveXRange('wall', 5, 20, true), { min: 0, max: undefined });
});

test('the read-out names x in the axis’ unit', () => {
  assert.equal(formatX(1.25, 'epoch'), 'epoch 1.25');
  assert.equal(formatX(3, 'epoch'), 'epoch 3');
  assert.equal(formatX(120, 'step'), 'step 120');
  assert.equal(formatX(65, 'wall'), '1 min 05 s');
});

test('on the step axis the panel says how many runs have no steps to be drawn at', () => {
  assert.equal(stepAxisNote('step', 2), '2 runs recorded no step-level points and are not drawn against steps.');
  assert.equal(stepAxisNote('step', 1), '1 run recorded no step-level points and is not drawn against steps.');
  assert.equal(stepAxisNote('step', 0), '');
  assert.equal(stepAxisNote('wall', 2), '');
});
