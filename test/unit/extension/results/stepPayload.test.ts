// A finished run's many step points stay on the host until the page asks for them, decimated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelSync } from '../../../../src/extension/results/panelSync';
import { decimateSteps, STEP_POINTS_IN_INIT } from '../../../../src/extension/results/stepPayload';
import { buildSnapshot } from '../../../../src/host/experimentSnapshot';
import type { StepPoint } from '../../../../src/core/results/types';
import { parseFromWebview, parseToWebview } from '../../../../src/protocol/webview';
import { experiment, record, specs } from '../../helpers/runFixtures';

const [ce1, ce2, bn1] = specs;
const point = (globalStep: number, loss: number, acc: number): StepPoint => ({
  epoch: Math.ceil(globalStep / 10),
  step: ((globalStep - 1) % 10) + 1,
  stepsPerEpoch: 10,
  globalStep,
  loss,
  acc,
  wallSeconds: globalStep / 4,
});
const many = (n: number) => Array.from({ length: n }, (_, i) => point(i + 1, 1 / (i + 1), i / n));

test('init leaves out a finished run’s many step points, saying how many; a running or a short run keeps its own', () => {
  const done = record(ce1, 'done', [0.5], { steps: many(STEP_POINTS_IN_INIT + 1) });
  const short = record(ce2, 'done', [0.5], { steps: many(4) });
  const running = record(bn1, 'running', [0.5], { steps: many(STEP_POINTS_IN_INIT + 1) });
  const init = new PanelSync().init(buildSnapshot(experiment([done, short, running]), { pending: new Set(), active: new Set([bn1.runId]) }));
  assert.ok(init.type === 'init');
  const byId = new Map(init.snapshot.runs.map((r) => [r.runId, r]));
  assert.equal(byId.get(ce1.runId)!.steps, undefined);
  assert.deepEqual(byId.get(ce1.runId)!.stepInfo, { count: STEP_POINTS_IN_INIT + 1, stepsPerEpoch: 10 });
  assert.equal(byId.get(ce2.runId)!.steps!.length, 4);
  assert.equal(byId.get(bn1.runId)!.steps!.length, STEP_POINTS_IN_INIT + 1);
  assert.ok(parseToWebview(init), 'the thinned init is still a valid message');
  const posted = (JSON.stringify(init).match(/"globalStep"/g) ?? []).length;
  assert.equal(posted, 4 + STEP_POINTS_IN_INIT + 1, 'only the short and the running run’s points travel');
});

test('asked-for steps keep each bucket’s loss and accuracy extremes within the window, plus a neighbour each side', () => {
  // 20 points in 2 buckets by global step; loss spikes at step 7, accuracy dips at step 14.
  const steps = Array.from({ length: 20 }, (_, i) => point(i + 1, i + 1 === 7 ? 9 : 1, i + 1 === 14 ? 0 : 0.5));
  const kept = decimateSteps(steps, 2).map((s) => s.globalStep);
  // Bucket 1 (steps 1–10): loss low 1 (first), high 7; acc all equal → 1. Bucket 2 (11–20): loss 11; acc low 14, high 11. Plus first and last.
  assert.deepEqual(kept, [1, 7, 11, 14, 20]);
  // Window steps 5–9 in one bucket: loss low 5, high 7; edges 5, 9; neighbours 4 and 10.
  assert.deepEqual(
    decimateSteps(steps, 1, { min: 5, max: 9 }).map((s) => s.globalStep),
    [4, 5, 7, 9, 10],
  );
});

test('asked-for values are rounded to six significant digits and seconds to the millisecond', () => {
  const [p] = decimateSteps([{ ...point(1, 0.123456789, 0.987654321), wallSeconds: 12.34567 }], 10);
  assert.deepEqual([p.loss, p.acc, p.wallSeconds], [0.123457, 0.987654, 12.346]);
});

test('a steps request and its answer pass the parsers; a request without buckets does not', () => {
  assert.ok(parseFromWebview({ type: 'steps', requestId: 3, runIds: ['a'], buckets: 300, from: 10, to: 90 }));
  assert.equal(parseFromWebview({ type: 'steps', requestId: 3, runIds: ['a'] }), null);
  assert.ok(parseToWebview({ type: 'steps', requestId: 3, runs: [{ runId: 'a', steps: [point(1, 1, 0.5)] }] }));
  assert.equal(parseToWebview({ type: 'steps', requestId: 3, runs: [{ runId: 'a', steps: [{ loss: 1 }] }] }), null);
});
