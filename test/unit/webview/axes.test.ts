import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochRange, epochTicks, logTickLabels } from '../../../webview/axes';

test('the epoch axis starts at 1 and ends at the last planned epoch; one epoch is centred, not 0–2', () => {
  assert.deepEqual(epochRange(10), { min: 1, max: 10 });
  assert.deepEqual(epochRange(1), { min: 0.5, max: 1.5 });
  assert.deepEqual(epochRange(0), { min: 0.5, max: 1.5 }, 'before any epoch is known');
  assert.deepEqual(epochTicks(0.5, 1.5), [1]);
  assert.deepEqual(epochTicks(1, 4), [1, 2, 3, 4]);
});

test('a narrow log axis labels a few ticks far enough apart, never neighbours like 1.53 and 1.55', () => {
  const values = [1.5, 1.51, 1.52, 1.53, 1.54, 1.55, 1.56];
  const labels = logTickLabels(values);
  const shown = labels.filter(Boolean);
  assert.ok(shown.length >= 2 && shown.length <= 6, JSON.stringify(labels));
  assert.ok(!(labels[3] && labels[5]), JSON.stringify(labels));
  for (let i = 1; i < labels.length; i++) assert.ok(!(labels[i] && labels[i - 1]), `adjacent labels: ${JSON.stringify(labels)}`);
});

test('a wide log axis labels round values (1, 2, 5 × 10^k)', () => {
  const values = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 2, 3, 4, 5];
  const labels = logTickLabels(values);
  assert.deepEqual(
    values.filter((_, i) => labels[i]),
    [0.1, 0.2, 0.5, 1, 2, 5],
  );
});
