import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withAlpha } from '../../../webview/theme';

test('band colours: theme colours get an alpha whatever their notation', () => {
  assert.equal(withAlpha('#3794ff', 0.2), 'rgba(55, 148, 255, 0.2)');
  assert.equal(withAlpha('#fff', 0.5), 'rgba(255, 255, 255, 0.5)');
  assert.equal(withAlpha('#3794ffcc', 0.2), 'rgba(55, 148, 255, 0.2)');
  assert.equal(withAlpha('rgb(1, 2, 3)', 0.1), 'rgba(1, 2, 3, 0.1)');
  assert.equal(withAlpha('rgba(1,2,3,0.9)', 0.1), 'rgba(1, 2, 3, 0.1)');
  assert.equal(withAlpha('red', 0.1), 'red');
});
