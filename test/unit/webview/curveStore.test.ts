import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StepPoint } from '../../../src/core/results/types';
import type { RunSnapshot } from '../../../src/protocol/webview';
import { CurveStore } from '../../../webview/curveStore';
import { epoch } from '../helpers/runFixtures';

function run(runId: string, lossLabel: string, seed: number, epochs = 3): RunSnapshot {
  const view = { runId, lossLabel, modelLabel: 'SimpleCNN', datasetLabel: 'Fashion-MNIST', seed, state: 'running', epoch: 1, epochs, stateText: 'running', metrics: [] };
  return view as RunSnapshot;
}

function step(epochNo: number, stepNo: number): StepPoint {
  return { epoch: epochNo, step: stepNo, stepsPerEpoch: 10, globalStep: (epochNo - 1) * 10 + stepNo, wallSeconds: stepNo, loss: 1, acc: 0.5 };
}

test('seeds of one setting share a group; each loss keeps its colour in the order first seen', () => {
  const store = new CurveStore();
  const runs = [run('ce-1', 'CE', 1), run('bn-1', 'Scaled-BN m=0.9', 1), run('ce-2', 'CE', 2)];
  store.reset(runs);
  for (const r of runs) store.add(r);
  assert.deepEqual(
    [...store.groups.values()].map((g) => [g.lossLabel, g.runIds]),
    [
      ['CE', ['ce-1', 'ce-2']],
      ['Scaled-BN m=0.9', ['bn-1']],
    ],
  );
  assert.equal(store.groupColour('Scaled-BN m=0.9'), 1);
  assert.equal(store.groupColour('AM-Softmax'), 2, 'a loss that came later gets the next colour');
  assert.equal(store.groupColour('CE'), 0);
  assert.equal(store.modelDash('SimpleCNN'), 0);
});

test('a resumed run redoes epochs: the later ones go; the epoch axis grows with plans and epochs', () => {
  const store = new CurveStore();
  store.reset([run('a', 'CE', 1, 3)]);
  const a = store.add(run('a', 'CE', 1, 3));
  for (const n of [1, 2, 3]) store.addEpoch(a, epoch(n, 0.5 + n / 10));
  store.addEpoch(a, epoch(2, 0.9));
  assert.deepEqual(
    a.metrics.map((m) => [m.epoch, m.testAcc]),
    [
      [1, 0.6],
      [2, 0.9],
    ],
  );
  assert.deepEqual(store.points(a, 'testAcc'), [
    { x: 1, y: 60 },
    { x: 2, y: 90 },
  ]);
  assert.equal(store.lastEpoch, 3);
  assert.equal(store.planEpochs(3), false);
  assert.equal(store.planEpochs(5), true);
  assert.equal(store.lastEpoch, 5);
});

test('hidden runs and Compare Runs focus; a legend click hides a loss, the next shows it again', () => {
  const store = new CurveStore();
  for (const r of [run('ce-1', 'CE', 1), run('ce-2', 'CE', 2), run('bn-1', 'BN', 1)]) store.add(r);
  store.setHidden(['ce-2']);
  assert.deepEqual(
    ['ce-1', 'ce-2', 'bn-1'].map((id) => store.isHidden(id)),
    [false, true, false],
  );
  store.setFocus(['bn-1']);
  assert.equal(store.isHidden('ce-1'), true, 'outside the focus');
  store.setFocus([]);
  assert.deepEqual(store.toggleLoss('CE'), { runIds: ['ce-1', 'ce-2'], hide: true });
  assert.equal(store.isHidden('ce-1'), true);
  assert.deepEqual(store.toggleLoss('CE'), { runIds: ['ce-1', 'ce-2'], hide: false });
  assert.deepEqual(
    ['ce-1', 'ce-2', 'bn-1'].map((id) => store.isHidden(id)),
    [false, false, false],
  );
});

test('highlighting tells whether anything changed', () => {
  const store = new CurveStore();
  assert.equal(store.setHighlighted([]), false);
  assert.equal(store.setHighlighted(['a']), true);
  assert.equal(store.setHighlighted(['a']), false);
  assert.equal(store.isHighlighted('a') && store.anyHighlighted, true);
  assert.equal(store.setHighlighted([]), true);
  assert.equal(store.anyHighlighted, false);
});

test('settings: smoothing is kept below 1, losses default to a log axis, step runs set the step axis', () => {
  const store = new CurveStore({ smoothing: 0.6, logAxes: { testLoss: false }, xAxis: 'step' });
  store.setSmoothing(1.5);
  assert.equal(store.smoothing, 0.99);
  store.setSmoothing(-1);
  assert.equal(store.smoothing, 0);
  assert.deepEqual([store.isLog('trainLoss'), store.isLog('testLoss'), store.isLog('testAcc')], [true, false, false]);
  const a = store.add(run('a', 'CE', 1));
  const b = store.add(run('b', 'CE', 2));
  store.addEpoch(a, epoch(1, 0.5));
  store.addEpoch(b, epoch(1, 0.5));
  store.addStep(b, step(1, 5));
  store.addStep(b, step(1, 5));
  assert.equal(b.steps.length, 1, 'a step seen twice is kept once');
  assert.equal(store.runsWithoutSteps, 1);
  assert.deepEqual(store.stepRuns(), { count: 1, stepsPerEpoch: 10 });
});

test("the report's charts of one model take their colours from the whole experiment's runs", () => {
  // CE and Scaled-BN for one model, Scaled-BN alone for the other: Scaled-BN keeps its colour in both.
  const all = [run('ce-a', 'CE', 1), run('bn-a', 'Scaled-BN m=0.9', 1), run('bn-b', 'Scaled-BN m=0.9', 1)].map((r, i) => ({
    ...r,
    lossRank: r.lossLabel === 'CE' ? 0 : 1,
    modelLabel: i < 2 ? 'A' : 'B',
  }));
  const onlyB = new CurveStore();
  onlyB.reset([all[2]], all);
  onlyB.add(all[2]);
  assert.equal(onlyB.groupColour('Scaled-BN m=0.9'), 1, "CE's colour stays CE's");
  assert.equal(onlyB.modelDash('B'), 1);
  const alone = new CurveStore();
  alone.reset([all[2]]);
  assert.equal(alone.groupColour('Scaled-BN m=0.9'), 0, 'from its own runs, as the panel does');
});
