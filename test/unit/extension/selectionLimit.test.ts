import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitSelection } from '../../../src/extension/selectionLimit';

test('Compare Runs refuses a third pick the moment it is made, keeping the two before it', () => {
  const two = ['a', 'b'];
  assert.deepEqual(limitSelection(['a'], two, 2), two);
  assert.equal(limitSelection(two, ['a', 'b', 'c'], 2), two);
  assert.deepEqual(limitSelection(two, ['b'], 2), ['b'], 'unpicking is always allowed');
});
