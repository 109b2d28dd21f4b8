import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable } from '../../../src/core/results/table';
import { tableView } from '../../../webview/tableModel';
import { record, specs } from '../helpers/runFixtures';

test('the table view: a row per loss, mean (± std) [CI] in %, the difference from CE, no best within noise, † for unfinished runs', () => {
  const [ce1, ce2, bn1, bn2] = specs;
  const table = buildTable([record(ce1, 'done', [0.7]), record(ce2, 'done', [0.74]), record(bn1, 'done', [0.8]), record(bn2, 'running', [0.82])]);
  const view = tableView(table);
  assert.deepEqual(view.headers, ['Loss', 'Simple CNN']);
  assert.deepEqual(
    view.rows.map((r) => r.label),
    ['CE', 'Scaled-BN m=0.9'],
  );
  const [ce, bn] = view.rows.map((r) => r.cells[0]);
  // CE 70, 74: CI 72 ± 12.706·2.828/√2 = [46.59, 97.41]
  assert.equal(ce.text, `72.00 (± ${Math.sqrt(8).toFixed(2)}) [46.59, 97.41]`);
  assert.equal(ce.detail, undefined, 'the baseline has no difference to itself');
  assert.equal(ce.best, false);
  assert.equal(bn.best, false, 'two seeds (p = 0.5) cannot separate the best from the runner-up');
  assert.equal(bn.partial, true);
  assert.match(bn.text, /^81\.00 \(± 1\.41\) \[68\.29, 93\.71\] †$/);
  // Differences per seed 10 and 8: mean 9, CI 9 ± 12.706·1.414/√2 = [-3.71, 21.71], p = 2/4.
  assert.equal(bn.detail, 'Δ +9.00 [-3.71, 21.71] p=0.5 n.s.');
  assert.equal(bn.notSignificant, true);
  assert.match(bn.title, /vs CE, paired over 2 seeds: \+9\.00 .*exact sign-flip test, p=0\.5; about 6 seeds would resolve it/);
  assert.match(bn.title, /2 runs: 80\.00, 82\.00/);
  assert.match(bn.title, new RegExp(bn1.runId));
});

test('cells without runs show a dash; an empty table has headers only', () => {
  const table = {
    rows: ['CE', 'PEDCC'],
    columns: [{ key: 'a', model: 'A', dataset: '', label: 'A' }],
    cells: [[{ mean: 50, std: 0, n: 1, values: [50], runs: ['r'], seeds: [1], partial: false, best: true }], [undefined]],
  };
  const view = tableView(table, 1);
  assert.equal(view.rows[0].cells[0].text, '50.0 (n=1)', 'one run: no spread to show');
  assert.equal(view.rows[1].cells[0].text, '—');
  assert.deepEqual(tableView({ rows: [], columns: [], cells: [] }), { headers: ['Loss'], rows: [] });
});
