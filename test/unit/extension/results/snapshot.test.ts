import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PanelSync } from '../../../../src/extension/results/panelSync';
import { buildSnapshot, runStateText } from '../../../../src/host/experimentSnapshot';
import type { ToWebview } from '../../../../src/protocol/webview';
import { experiment, record, specs } from '../../helpers/runFixtures';

const [ce1, ce2, bn1, bn2] = specs;
const none = new Set<string>();

test('state text: "running epoch x/y" while running, the state otherwise', () => {
  assert.equal(runStateText('running', 2, 3), 'running epoch 2/3');
  for (const s of ['queued', 'done', 'failed', 'stopped'] as const) assert.equal(runStateText(s, 1, 3), s);
});

test('a snapshot reads states from disk: running shows the epoch in progress, failures keep their reason', () => {
  const snap = buildSnapshot(
    experiment([
      record(ce1, 'done', [0.5, 0.6, 0.7]),
      record(ce2, 'running', [0.5]),
      record(bn1, 'failed', [0.4], { status: { state: 'failed', epoch: 1, epochs: 3, reason: 'loss became NaN', updatedAt: '' } }),
    ]),
  );
  assert.deepEqual(
    snap.runs.map((r) => [r.runId, r.stateText, r.finalAcc]),
    [
      [ce1.runId, 'done', 0.7],
      [ce2.runId, 'running epoch 2/3', 0.5],
      [bn1.runId, 'failed', 0.4],
      [bn2.runId, 'not started', undefined],
    ],
  );
  assert.equal(snap.runs[2].reason, 'loss became NaN');
  assert.equal(snap.runs[0].reason, undefined);
  assert.equal(snap.runs[1].lossLabel, 'CE');
  assert.equal(snap.runs[2].lossLabel, 'Scaled-BN m=0.9');
  // What Fig. 2 plots for each, from its loss's descriptor, and the loss's place in the built-in order (the colour order); the not-started run too.
  assert.deepEqual(
    snap.runs.map((r) => [r.lossName, r.outputsLabel, r.lossRank]),
    [
      ['ce', 'logits W·f + b', 0],
      ['ce', 'logits W·f + b', 0],
      ['scaled-bn', 'logits W·f + b', 1],
      ['scaled-bn', 'logits W·f + b', 1],
    ],
  );
  assert.equal(snap.runs[0].datasetLabel, 'Fashion-MNIST');
  assert.equal(snap.description, 'two losses, two seeds');
  assert.deepEqual(snap.table.rows, ['CE', 'Scaled-BN m=0.9']);
});

test('live runs win over stale files: queued runs without a folder appear, a started worker shows running', () => {
  const stale = record(ce1, 'failed', [0.5]);
  const snap = buildSnapshot(experiment([stale]), { pending: new Set([bn2.runId]), active: new Set([ce1.runId]) });
  assert.deepEqual(
    snap.runs.map((r) => [r.runId, r.stateText]),
    [
      [ce1.runId, 'running epoch 2/3'],
      [ce2.runId, 'not started'],
      [bn1.runId, 'not started'],
      [bn2.runId, 'queued'],
    ],
  );
});

test('a stopped grid keeps the runs it never started, as not started (one state model with the notification)', () => {
  const snap = buildSnapshot(experiment([record(ce1, 'stopped', [0.5]), record(ce2, 'stopped', [])]), { pending: none, active: none });
  assert.deepEqual(
    snap.runs.map((r) => [r.runId, r.state, r.stateText]),
    [
      [ce1.runId, 'stopped', 'stopped'],
      [ce2.runId, 'stopped', 'stopped'],
      [bn1.runId, 'not-started', 'not started'],
      [bn2.runId, 'not-started', 'not started'],
    ],
  );
  assert.match(snap.runs[2].reason ?? '', /run the experiment again/);
  assert.equal(runStateText('not-started', 0, 3), 'not started');
});

test('runs without config.json are named from their summary, else from their run ids', () => {
  const snap = buildSnapshot(experiment([record(ce1, 'done', [0.6], { spec: undefined }), record(bn2, 'stopped', [0.6], { spec: undefined })], false));
  assert.deepEqual(
    snap.runs.map((r) => [r.lossLabel, r.modelLabel, r.seed]),
    [
      ['CE', 'simple-cnn', 1],
      ['scaled-bn-m0.9', 'simple-cnn-w1', 2],
    ],
  );
});

const types = (msgs: ToWebview[]) => msgs.map((m) => (m.type === 'epoch' ? `epoch ${m.runId.slice(-5)} ${m.metrics.epoch}` : m.type));

test('panel sync: init once, then only new epochs, changed states, new diagnostics and a changed table', () => {
  const sync = new PanelSync();
  const first = buildSnapshot(experiment([record(ce1, 'running', [0.5])]), { pending: new Set([ce2.runId]), active: new Set([ce1.runId]) });
  assert.equal(sync.init(first).type, 'init');
  assert.deepEqual(sync.update(first), [], 'nothing changed, nothing sent');

  const second = buildSnapshot(experiment([record(ce1, 'running', [0.5, 0.6]), record(ce2, 'running', [])]), { pending: none, active: new Set([ce1.runId, ce2.runId]) });
  assert.deepEqual(types(sync.update(second)), ['runState', 'epoch seed1 2', 'runState', 'table']);

  const logits = { before: { edges: [0, 1], counts: [1] } };
  const third = buildSnapshot(experiment([record(ce1, 'done', [0.5, 0.6, 0.7], { logits }), record(ce2, 'running', [0.4])]), { pending: none, active: new Set([ce2.runId]) });
  assert.deepEqual(types(sync.update(third)), ['runState', 'epoch seed1 3', 'diagnostics', 'runState', 'epoch seed2 1', 'table']);
  assert.deepEqual(sync.update(third), []);
});

test('panel sync sends logits and weight norms as each file appears (they are written one after the other)', () => {
  const sync = new PanelSync();
  const logits = { before: { edges: [0, 1], counts: [1] } };
  sync.init(buildSnapshot(experiment([record(ce1, 'running', [0.5, 0.6, 0.7], { logits })])));
  const msgs = sync.update(buildSnapshot(experiment([record(ce1, 'done', [0.5, 0.6, 0.7], { logits, weightNorms: { norms: [1, 2] } })])));
  const diag = msgs.find((m) => m.type === 'diagnostics');
  assert.deepEqual(diag, { type: 'diagnostics', runId: ce1.runId, weightNorms: { norms: [1, 2] } });
});

test('panel sync starts over when a run was restarted, deleted, or another experiment is shown', () => {
  const sync = new PanelSync();
  sync.init(buildSnapshot(experiment([record(ce1, 'done', [0.5, 0.6]), record(ce2, 'done', [0.5])])));
  assert.deepEqual(types(sync.update(buildSnapshot(experiment([record(ce1, 'running', []), record(ce2, 'done', [0.5])])))), ['init']);
  // Deleted: a grid run's folder gone leaves it not started, with none of its epochs.
  assert.deepEqual(types(sync.update(buildSnapshot(experiment([record(ce1, 'running', [])])))), ['init']);
  const other = { ...buildSnapshot(experiment([record(ce2, 'done', [0.5])])), dir: '/elsewhere' };
  assert.deepEqual(types(sync.update(other)), ['init']);
  assert.equal(sync.experimentDir, '/elsewhere');
});
