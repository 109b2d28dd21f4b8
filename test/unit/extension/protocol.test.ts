import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview, parseToWebview, parseWebviewState, WEBVIEW_PROTOCOL_VERSION } from '../../../src/protocol/webview';
import { buildSnapshot } from '../../../src/host/experimentSnapshot';
import { epoch, experiment, record, specs } from './fixtures';

const snapshot = buildSnapshot(experiment([record(specs[0], 'done', [0.5, 0.6, 0.7], { logits: { before: { edges: [0, 1, 2], counts: [3, 4] } }, weightNorms: { norms: [1, 2] } })]));

test('messages from the webview: valid ones pass, anything else is null', () => {
  assert.deepEqual(parseFromWebview({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION }), { type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
  assert.ok(parseFromWebview({ type: 'export', requestId: 3, format: 'latex' }));
  assert.ok(parseFromWebview({ type: 'copy', requestId: 1, format: 'md' }));
  assert.ok(parseFromWebview({ type: 'log', level: 'warn', message: 'x' }));
  for (const bad of [
    null,
    'ready',
    [],
    { type: 'ready', version: WEBVIEW_PROTOCOL_VERSION + 1 },
    { type: 'export', requestId: 1, format: 'xlsx' },
    { type: 'export', requestId: 1.5, format: 'csv' },
    { type: 'copy', format: 'md' },
    { type: 'log', level: 'debug', message: 'x' },
    { type: 'runExperiment' },
  ]) {
    assert.equal(parseFromWebview(bad), null, JSON.stringify(bad));
  }
});

test('messages to the webview: init, incremental updates and notices are checked', () => {
  assert.ok(parseToWebview({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot }));
  const { metrics: _m, logits: _l, weightNorms: _w, ...view } = snapshot.runs[0];
  assert.ok(parseToWebview({ type: 'runState', ...view }));
  assert.ok(parseToWebview({ type: 'epoch', runId: 'r', metrics: epoch(1, 0.5) }));
  assert.ok(parseToWebview({ type: 'diagnostics', runId: 'r', weightNorms: { norms: [1] } }));
  assert.ok(parseToWebview({ type: 'table', table: snapshot.table }));
  assert.ok(parseToWebview({ type: 'select', runIds: ['a', 'b'] }));
  assert.ok(parseToWebview({ type: 'notice', requestId: 1, ok: true, message: 'saved' }));

  assert.equal(parseToWebview({ type: 'init', version: 0, snapshot }), null);
  assert.equal(parseToWebview({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot: { ...snapshot, runs: [{ runId: 'x' }] } }), null);
  assert.equal(parseToWebview({ type: 'runState', ...view, state: 'exploded' }), null);
  assert.equal(parseToWebview({ type: 'epoch', runId: 'r', metrics: { epoch: 1.5, testAcc: 1, trainLoss: 1 } }), null);
  assert.equal(parseToWebview({ type: 'diagnostics', runId: 'r', logits: { before: { edges: [0, 1], counts: [1, 2] } } }), null);
  assert.equal(parseToWebview({ type: 'table', table: { rows: ['CE'], columns: [], cells: [] } }), null);
  assert.equal(parseToWebview({ type: 'select', runIds: [1] }), null);
});

test('the persisted webview state keeps the experiment folder and a clean selection', () => {
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', selection: ['a', 3, 'b'] }), { experimentDir: '/x', selection: ['a', 'b'] });
  assert.deepEqual(parseWebviewState({ experimentDir: '/x' }), { experimentDir: '/x' });
  assert.equal(parseWebviewState(undefined), undefined);
  assert.equal(parseWebviewState({ selection: [] }), undefined);
});

test('the persisted state keeps the curves’ x axis, hidden runs, run filter and scroll; garbage is dropped', () => {
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', xAxis: 'wall', hiddenRuns: ['a', 2, 'b'], runFilter: 'ce vgg', scrollY: 840 }), {
    experimentDir: '/x',
    xAxis: 'wall',
    hiddenRuns: ['a', 'b'],
    runFilter: 'ce vgg',
    scrollY: 840,
  });
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', xAxis: 'time', hiddenRuns: 'a', runFilter: 3, scrollY: -5 }), { experimentDir: '/x' });
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', scrollY: Infinity }), { experimentDir: '/x' });
});
