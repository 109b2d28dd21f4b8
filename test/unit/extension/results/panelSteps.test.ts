// The results panel's step-level points: the host posts `{ type: 'step', runId, point }`
// for each point once, whether it learns of it from a live worker or from steps.jsonl, and starts
// over when a resume or restart rewrote the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelSync } from '../../../../src/extension/results/panelSync';
import { buildSnapshot } from '../../../../src/host/experimentSnapshot';
import type { StepPoint } from '../../../../src/core/results/types';
import type { ToWebview } from '../../../../src/protocol/webview';
import { experiment, record, specs } from '../../helpers/runFixtures';

const [ce1, ce2] = specs;
const point = (epoch: number, step: number, loss = 1 / (epoch * 10 + step)): StepPoint => ({
  epoch,
  step,
  stepsPerEpoch: 4,
  globalStep: (epoch - 1) * 4 + step,
  loss,
  acc: 0.5,
  wallSeconds: epoch * 4 + step,
});
const running = (steps: StepPoint[], accs: number[] = []) => record(ce1, 'running', accs, { steps });
const snapshotOf = (...runs: ReturnType<typeof record>[]) => buildSnapshot(experiment(runs), { pending: new Set(), active: new Set(runs.map((r) => r.runId)) });
const stepsIn = (msgs: ToWebview[]) => msgs.flatMap((m) => (m.type === 'step' ? [`${m.runId === ce1.runId ? 'ce1' : 'ce2'} ${m.point.epoch}.${m.point.step}`] : m.type === 'init' ? ['init'] : []));

test('snapshots carry each run’s step points; runs without any have none, and run views never carry them', () => {
  const snap = snapshotOf(running([point(1, 2), point(1, 4)]), record(ce2, 'done', [0.5]));
  assert.deepEqual(snap.runs[0].steps, [point(1, 2), point(1, 4)]);
  assert.equal('steps' in snap.runs[1], false);
  const sync = new PanelSync();
  sync.init(snapshotOf(running([point(1, 2)])));
  const msgs = sync.update(buildSnapshot(experiment([record(ce1, 'failed', [], { steps: [point(1, 2)] })])));
  const state = msgs.find((m) => m.type === 'runState');
  assert.ok(state && !('steps' in state), 'a runState message is the run view, without its points');
});

test('new points in steps.jsonl are posted once each, in order', () => {
  const sync = new PanelSync();
  const init = sync.init(snapshotOf(running([point(1, 1)])));
  assert.equal(init.type === 'init' && init.snapshot.runs[0].steps?.length, 1, 'the first points travel with init');
  assert.deepEqual(stepsIn(sync.update(snapshotOf(running([point(1, 1), point(1, 2), point(1, 3)])))), ['ce1 1.2', 'ce1 1.3']);
  assert.deepEqual(stepsIn(sync.update(snapshotOf(running([point(1, 1), point(1, 2), point(1, 3)])))), []);
  const msgs = sync.update(snapshotOf(running([point(1, 1), point(1, 2), point(1, 3), point(1, 4), point(2, 1)], [0.5])));
  assert.deepEqual(stepsIn(msgs), ['ce1 1.4', 'ce1 2.1']);
  assert.deepEqual(
    msgs.find((m) => m.type === 'step'),
    { type: 'step', runId: ce1.runId, point: point(1, 4) },
  );
});

test('a live point is posted at once and not again when the file shows it; one the file shows first is not posted twice', () => {
  const sync = new PanelSync();
  sync.init(snapshotOf(running([point(1, 1)])));
  assert.deepEqual(sync.step(ce1.runId, point(1, 2)), [{ type: 'step', runId: ce1.runId, point: point(1, 2) }]);
  assert.deepEqual(stepsIn(sync.update(snapshotOf(running([point(1, 1), point(1, 2), point(1, 3)])))), ['ce1 1.3']);
  assert.deepEqual(sync.step(ce1.runId, point(1, 3)), [], 'already sent from the file');
  assert.deepEqual(sync.step('other__ce__seed9', point(1, 1)), [], 'a run the panel does not show yet: the next update brings it');
  assert.deepEqual(stepsIn(sync.step(ce2.runId, point(1, 1))), ['ce2 1.1'], 'a grid run the panel lists before its folder exists');
});

test('a resume that redid the interrupted epoch (other points under the same steps) starts the panel over', () => {
  const sync = new PanelSync();
  sync.init(snapshotOf(running([point(1, 2), point(1, 4)], [0.5])));
  assert.deepEqual(stepsIn(sync.update(snapshotOf(running([point(1, 2), point(1, 4), point(2, 2)], [0.5])))), ['ce1 2.2']);
  // Killed in epoch 2, resumed after epoch 1: the redone step 2 has another loss and time.
  assert.deepEqual(sync.step(ce1.runId, point(2, 2, 0.9)), [], 'not after the last point sent: left to the next update');
  const redone = snapshotOf(running([point(1, 2), point(1, 4), point(2, 2, 0.9)], [0.5]));
  assert.deepEqual(stepsIn(sync.update(redone)), ['init']);
  assert.deepEqual(stepsIn(sync.update(redone)), []);
  // A restart cleared the file: fewer points than were sent.
  assert.deepEqual(stepsIn(sync.update(snapshotOf(running([], [0.5])))), ['init']);
});

test('a running run’s steps.jsonl read on its own gives its new points, or says it was rewritten so the panel starts over', () => {
  const sync = new PanelSync();
  sync.init(snapshotOf(running([point(1, 2)])));
  assert.deepEqual(stepsIn(sync.steps(ce1.runId, [point(1, 2), point(1, 4)]) ?? []), ['ce1 1.4']);
  assert.deepEqual(sync.steps(ce1.runId, [point(1, 2), point(1, 4)]), []);
  assert.equal(sync.steps(ce1.runId, [point(1, 2)]), undefined, 'fewer points than were sent');
  assert.equal(sync.steps(ce1.runId, [point(1, 2), point(1, 4, 0.7)]), undefined, 'another point where one was sent');
  assert.deepEqual(sync.steps('other__ce__seed9', [point(1, 1)]), []);
});
