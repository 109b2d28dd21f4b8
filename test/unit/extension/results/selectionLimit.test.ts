import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMPARE_RUNS, limitSelection } from '../../../../src/extension/results/selectionLimit';

test('Compare Runs refuses a fifth pick the moment it is made, keeping the four before it', () => {
  const four = ['a', 'b', 'c', 'd'];
  assert.deepEqual(limitSelection(['a', 'b', 'c'], four, COMPARE_RUNS.max), four);
  assert.equal(limitSelection(four, [...four, 'e'], COMPARE_RUNS.max), four);
  assert.deepEqual(limitSelection(four, ['b'], COMPARE_RUNS.max), ['b'], 'unpicking is always allowed');
});
