import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunView } from '../../../src/protocol/webview';
import { compareValues, matchesFilter, nextSort, runColumns, runTableView, sortRuns, varyingFields } from '../../../webview/runTableModel';

function run(runId: string, extra: Partial<RunView> = {}): RunView {
  return { runId, lossLabel: 'CE', modelLabel: 'Simple CNN', datasetLabel: 'Fashion-MNIST', seed: 1, state: 'done', epoch: 3, epochs: 3, stateText: 'done', ...extra };
}

const runs = [
  run('a', { seed: 10, finalAcc: 0.9, bestAcc: 0.91, wallSeconds: 75, backend: 'torch', config: { 'training.lr': 0.1, 'loss.m': 0.9, 'training.epochs': 3, seed: 10 } }),
  run('b', { seed: 2, lossLabel: 'Scaled-BN m=0.8', finalAcc: 0.85, wallSeconds: 4.25, backend: 'wasm', config: { 'training.lr': 0.05, 'loss.m': 0.8, 'training.epochs': 3, seed: 2 } }),
  run('c', { seed: 1, state: 'not-started', stateText: 'not started', config: { 'training.lr': 0.2, 'training.epochs': 3, seed: 1 } }),
  run('d', { seed: 3, lossLabel: 'Scaled-BN m=0.10', finalAcc: 0.3, wallSeconds: 7300, backend: 'torch', config: { 'training.lr': 0.1, 'loss.m': 0.1, 'training.epochs': 3, seed: 3 } }),
];
const byKey = (key: string) => {
  const col = runColumns(runs).find((c) => c.key === key);
  assert.ok(col, `no column ${key}`);
  return col;
};
const ids = (rs: readonly RunView[]) => rs.map((r) => r.runId).join('');

test('columns: the fixed ones and one per config field that differs between the runs', () => {
  assert.deepEqual(varyingFields(runs), ['loss.m'], 'lr and seed have their own columns; epochs are the same in every run');
  const withDefault = (r: RunView, extra: Record<string, string>) => ({ ...r, config: { ...r.config, ...extra } });
  assert.deepEqual(
    varyingFields([withDefault(runs[0], { 'loss.eval': 'running' }), runs[2], withDefault(runs[3], { 'loss.eval': 'running' })]),
    ['loss.m'],
    'a field some runs lack, at one value where present, sets no run apart',
  );
  assert.deepEqual(varyingFields([withDefault(runs[0], { 'loss.eval': 'running' }), runs[2], withDefault(runs[3], { 'loss.eval': 'batch' })]), ['loss.m', 'loss.eval']);
  assert.deepEqual(
    runColumns(runs).map((c) => c.label),
    ['Model', 'Loss', 'Seed', 'lr', 'loss.m', 'Backend', 'State', 'Final test acc (%)', 'Best test acc (%)', 'Wall time'],
  );
  assert.equal(runColumns(runs.map((r) => ({ ...r, experiment: 'x' })))[0].label, 'Experiment', 'a panel of several experiments names each run’s');
  const view = runTableView(runs);
  assert.deepEqual(view.rows[0].cells, ['Simple CNN', 'CE', '10', '0.1', '0.9', 'torch', 'done', '90.00', '91.00', '1 min 15 s']);
  assert.deepEqual(view.rows[2].cells.slice(4), ['—', '—', 'not started', '—', '—', '—'], 'what a run lacks is a dash');
  assert.equal(view.rows[3].cells[9], '2 h 01 min');
});

test('numbers sort as numbers, text numeric-aware, both directions', () => {
  assert.equal(ids(sortRuns(runs, byKey('seed'))), 'cbda', 'seed 10 after seed 3 (not as text)');
  assert.equal(ids(sortRuns(runs, byKey('seed'), true)), 'adbc');
  assert.equal(ids(sortRuns(runs, byKey('lr'))), 'badc', '0.05, 0.1, 0.1 (ties keep grid order), 0.2');
  assert.equal(ids(sortRuns(runs, byKey('loss'))), 'acbd', '"m=0.8" before "m=0.10": the numbers 8 < 10 in text');
  assert.ok(compareValues('run 2', 'run 10') < 0);
  assert.ok(compareValues(9, 10) < 0);
  assert.ok(compareValues('ce', 'CE') === 0, 'case does not order');
});

test('missing values go last whichever the direction', () => {
  assert.equal(ids(sortRuns(runs, byKey('finalAcc'))), 'dbac');
  assert.equal(ids(sortRuns(runs, byKey('finalAcc'), true)), 'abdc');
  assert.equal(ids(sortRuns(runs, byKey('config:loss.m'))), 'dbac');
  assert.equal(ids(sortRuns(runs, byKey('config:loss.m'), true)), 'abdc');
  assert.equal(ids(sortRuns(runs, byKey('wallSeconds'), true)), 'dabc');
});

test('the filter keeps rows with every word somewhere in them, any case, the run id too', () => {
  const cols = runColumns(runs);
  assert.deepEqual(
    runs.filter((r) => matchesFilter(r, cols, 'scaled torch')).map((r) => r.runId),
    ['d'],
  );
  assert.deepEqual(
    runs.filter((r) => matchesFilter(r, cols, 'NOT STARTED')).map((r) => r.runId),
    ['c'],
  );
  assert.deepEqual(runs.filter((r) => matchesFilter(r, cols, '  ')).length, 4);
  assert.deepEqual(
    runs.filter((r) => matchesFilter(r, cols, 'b')).map((r) => r.runId),
    ['b', 'd'],
    'run id b; "Scaled-BN" in d',
  );
  const view = runTableView(runs, { filter: 'scaled', sortKey: 'finalAcc', descending: true });
  assert.deepEqual(
    view.rows.map((r) => r.runId),
    ['b', 'd'],
  );
  assert.equal(view.total, 4);
  assert.equal(view.columns.find((c) => c.key === 'finalAcc')?.sort, 'descending');
  assert.equal(view.columns.filter((c) => c.sort).length, 1);
});

test('header clicks: ascending, descending, then grid order; the filter is kept; an unknown sort key leaves grid order', () => {
  let state = nextSort({ filter: 'ce' }, 'seed');
  assert.deepEqual(state, { filter: 'ce', sortKey: 'seed', descending: false });
  state = nextSort(state, 'seed');
  assert.deepEqual(state, { filter: 'ce', sortKey: 'seed', descending: true });
  assert.deepEqual(nextSort(state, 'seed'), { filter: 'ce' });
  assert.deepEqual(nextSort(state, 'lr'), { filter: 'ce', sortKey: 'lr', descending: false });
  assert.deepEqual(
    runTableView(runs, { sortKey: 'config:gone' }).rows.map((r) => r.runId),
    ['a', 'b', 'c', 'd'],
  );
});

test('a stale run says so in its State cell (the experiment config changed since it trained)', () => {
  const view = runTableView([run('a'), run('b', { stale: 'training.epochs 4 → 5' })]);
  const state = view.columns.findIndex((c) => c.key === 'state');
  assert.deepEqual(
    view.rows.map((r) => r.cells[state]),
    ['done', 'done · stale'],
  );
});

test('a search: Stage, Trial and Rung columns; a trial shows its index, state and rung, a final run "final" and the chosen trial', () => {
  const searchRuns = [
    run('t2', { search: { stage: 'trial', trial: 2, trialState: 'pruned', rung: { reached: 1, of: 3, epoch: 1 } } }),
    run('t0', { search: { stage: 'trial', trial: 0, trialState: 'complete', rung: { reached: 3, of: 3, epoch: 4 } } }),
    run('t5', { search: { stage: 'trial', trial: 5 } }),
    run('f1', { search: { stage: 'final', trial: 0 } }),
  ];
  const view = runTableView(searchRuns);
  const at = (key: string) => view.columns.findIndex((c) => c.key === key);
  assert.deepEqual(
    view.columns.slice(at('seed') + 1, at('seed') + 4).map((c) => c.label),
    ['Stage', 'Trial', 'Rung'],
    'right after the seed',
  );
  assert.deepEqual(
    view.rows.map((r) => [r.runId, r.cells[at('stage')], r.cells[at('trial')], r.cells[at('rung')]]),
    [
      ['t2', 'trial', '2 · pruned', '1/3 · epoch 1'],
      ['t0', 'trial', '0 · complete', '3/3 · epoch 4'],
      ['t5', 'trial', '5', '—'],
      ['f1', 'final', '0 (chosen)', '—'],
    ],
  );
  const byRung = runTableView(searchRuns, { sortKey: 'rung', descending: true });
  assert.deepEqual(
    byRung.rows.map((r) => r.runId),
    ['t0', 't2', 't5', 'f1'],
    'sorted by rungs reached, runs without one last',
  );
  assert.ok(!runColumns(runs).some((c) => ['stage', 'trial', 'rung'].includes(c.key)), 'no search columns outside a search');
});
