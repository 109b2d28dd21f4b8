import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PairedComparison } from '../../../src/core/results/stats';
import type { ComparisonTable } from '../../../src/core/results/table';
import { diffText, seedAdvice, signed } from '../../../src/core/results/tableNotes';

function tableWith(cmps: PairedComparison[]): ComparisonTable {
  const cell = (vsBaseline?: PairedComparison) => ({ mean: 80, std: 1, n: 3, values: [], runs: [], seeds: [], partial: false, best: false, ...(vsBaseline ? { vsBaseline } : {}) });
  return {
    rows: ['CE', ...cmps.map((_, i) => `L${i}`)],
    columns: [{ key: 'm', model: 'M', dataset: '', label: 'M' }],
    cells: [[cell()], ...cmps.map((c) => [cell(c)])],
    baseline: 'CE',
  };
}

test('seed advice says why it cannot plan: one seed, no difference, or more seeds than is sensible; significant rows get none', () => {
  const advice = seedAdvice(
    tableWith([
      { diff: 1.5, p: 0.25, n: 3, significant: false, seedsToResolve: 9 },
      { diff: 2, p: 1, n: 1, significant: false },
      { diff: 0, p: 1, n: 3, significant: false },
      { diff: -0.08, p: 1, n: 3, significant: false },
      { diff: 3, p: 0.03125, n: 6, significant: true },
    ]),
  );
  assert.deepEqual(advice, [
    'L0 vs CE on M: +1.50 points with 3 seeds is not significant (p=0.25); about 9 seeds would resolve it at the observed spread.',
    'L1 vs CE on M: +2.00 points with 1 seed is not significant (p=1); one seed gives no spread to plan from.',
    'L2 vs CE on M: +0.00 points with 3 seeds is not significant (p=1); no difference to resolve.',
    'L3 vs CE on M: -0.08 points with 3 seeds is not significant (p=1); more than 1000 seeds would be needed at the observed spread.',
  ]);
});

test('differences read with their sign, interval and test; a rounded -0.00 shows as +0.00', () => {
  assert.equal(diffText({ diff: -0.5, ci95: [-1.25, 0.25], p: 0.0625, n: 5, significant: false }, 2), '-0.50 [-1.25, 0.25] p=0.063 n.s.');
  assert.equal(diffText({ diff: 2, ci95: [1, 3], p: 2 / 64, n: 6, significant: true }, 1), '+2.0 [1.0, 3.0] p=0.031');
  assert.equal(signed(-0.001, 2), '+0.00');
});

test('a difference paired over fewer seeds than the cell has says how many', () => {
  const cmp = { diff: 1, ci95: [0, 2] as [number, number], p: 0.25, n: 3, significant: false };
  assert.equal(diffText(cmp, 1, 5), '+1.0 [0.0, 2.0] p=0.25 n.s. (3 paired)');
  assert.equal(diffText(cmp, 1, 3), '+1.0 [0.0, 2.0] p=0.25 n.s.', 'every seed paired: nothing to add');
});
