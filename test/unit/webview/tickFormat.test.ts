import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepDecimals, tickLabels, widenFlatRange } from '../../../webview/tickFormat';

test('a tick label has the decimals of the axis step, whatever float noise the value carries', () => {
  assert.equal(stepDecimals(5), 0);
  assert.equal(stepDecimals(0.25), 2);
  assert.equal(stepDecimals(0.1), 1);
  assert.equal(stepDecimals(0.0002), 4);
  assert.deepEqual(tickLabels([69.9, 69.95, 70.00000000000003, 70.05]), ['69.90', '69.95', '70.00', '70.05']);
  assert.deepEqual(tickLabels([0, 20, 40]), ['0', '20', '40']);
  // Chart.js puts the axis' own min below the first round tick: the smallest gap decides.
  assert.deepEqual(tickLabels([66.45, 66.5, 67.5]), ['66.45', '66.50', '67.50']);
  // Float noise around zero is not written as "-0.0".
  assert.deepEqual(tickLabels([-0.1, -1e-17, 0.1]), ['-0.1', '0.0', '0.1']);
});

test('a range flat but for rounding is widened by 5 % either side; a real one is kept', () => {
  // 70 ± 5 % = 66.5 to 73.5.
  const flat = widenFlatRange(70, 70.00000000000003);
  assert.ok(Math.abs(flat.min - 66.5) < 1e-9 && Math.abs(flat.max - 73.5) < 1e-9, JSON.stringify(flat));
  assert.deepEqual(widenFlatRange(69, 71), { min: 69, max: 71 });
  assert.deepEqual(widenFlatRange(0, 0), { min: -1, max: 1 });
});
