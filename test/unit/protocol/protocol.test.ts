import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview, parseToWebview, parseWebviewState, WEBVIEW_PROTOCOL_VERSION } from '../../../src/protocol/webview';
import { buildSnapshot } from '../../../src/host/experimentSnapshot';
import { epoch, experiment, record, specs } from '../helpers/runFixtures';

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

test("a run's table fields are checked: config values are scalars, the measured fields numbers", () => {
  const { metrics: _m, logits: _l, weightNorms: _w, ...view } = snapshot.runs[0];
  const full = { ...view, config: { 'loss.m': 0.9, 'model.name': 'simple-cnn', 'training.augment.flip': true }, bestAcc: 0.8, wallSeconds: 12, backend: 'torch', experiment: 'a' };
  assert.ok(parseToWebview({ type: 'runState', ...full }));
  for (const [field, bad] of [
    ['config', { 'loss.m': [0.9] }],
    ['config', { 'loss.m': null }],
    ['config', { 'loss.m': Number.POSITIVE_INFINITY }],
    ['config', ['loss.m']],
    ['bestAcc', '80%'],
    ['wallSeconds', '12 s'],
    ['backend', 3],
    ['experiment', null],
  ] as const) {
    assert.equal(parseToWebview({ type: 'runState', ...full, [field]: bad }), null, `${field}: ${JSON.stringify(bad)}`);
  }
  assert.ok(parseToWebview({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot: { ...snapshot, dirs: ['/a', '/b'] } }));
  assert.equal(parseToWebview({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, snapshot: { ...snapshot, dirs: '/a' } }), null);
});

test('the focus message (Compare Runs) carries run ids only', () => {
  assert.deepEqual(parseToWebview({ type: 'focus', runIds: ['a', 'b', 'c'] }), { type: 'focus', runIds: ['a', 'b', 'c'] });
  assert.ok(parseToWebview({ type: 'focus', runIds: [] }), 'an empty focus ends a comparison');
  for (const bad of [{ type: 'focus' }, { type: 'focus', runIds: 'a' }, { type: 'focus', runIds: ['a', 2] }]) assert.equal(parseToWebview(bad), null, JSON.stringify(bad));
});

test('the persisted state keeps the run table, the compared runs and the experiments of a combined panel', () => {
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', runTable: { sortKey: 'finalAcc', descending: true, filter: 'bn' }, focus: ['r1', 4, 'r2'], experimentDirs: ['/a', '/b'] }), {
    experimentDir: '/a',
    runTable: { sortKey: 'finalAcc', descending: true, filter: 'bn' },
    focus: ['r1', 'r2'],
    experimentDirs: ['/a', '/b'],
  });
  // Wrong types are dropped field by field; a list of folders that does not start with experimentDir, or of one, describes no combined panel.
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', runTable: { sortKey: 3, descending: 'yes', filter: 'x' } }), { experimentDir: '/a', runTable: { filter: 'x' } });
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', experimentDirs: ['/b', '/a'] }), { experimentDir: '/a' });
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', experimentDirs: ['/a'] }), { experimentDir: '/a' });
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', experimentDirs: ['/a', 2] }), { experimentDir: '/a' });
  assert.deepEqual(parseWebviewState({ experimentDir: '/a', runTable: 'sorted' }), { experimentDir: '/a' });
});
