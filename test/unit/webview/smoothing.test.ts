import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewState } from '../../../src/protocol/webview';
import { emaSmooth } from '../../../webview/series';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} ≈ ${b}`);

test('smoothing is a debiased exponential moving average, as TensorBoard draws it', () => {
  const points = [
    { x: 1, y: 10 },
    { x: 2, y: 0 },
    { x: 3, y: 10 },
  ];
  const smooth = emaSmooth(points, 0.5);
  assert.deepEqual(
    smooth.map((p) => p.x),
    [1, 2, 3],
  );
  close(smooth[0].y, 10); // debiased: the first point is itself, not pulled towards 0
  close(smooth[1].y, 2.5 / 0.75); // (0.5·5 + 0) / (1 − 0.25)
  close(smooth[2].y, (0.5 * 2.5 + 5) / 0.875);
  assert.deepEqual(emaSmooth(points, 0), points, 'weight 0: the points as they are');
  assert.notEqual(emaSmooth(points, 0), points, 'a copy: the chart’s raw data is never changed');
});

test('a non-finite value passes through without poisoning the average', () => {
  const smooth = emaSmooth(
    [
      { x: 1, y: 1 },
      { x: 2, y: NaN },
      { x: 3, y: 1 },
    ],
    0.9,
  );
  close(smooth[0].y, 1);
  assert.ok(Number.isNaN(smooth[1].y));
  close(smooth[2].y, 1);
});

test('the panel keeps smoothing and log/linear axes in its state across reloads; garbage is dropped', () => {
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', smoothing: 0.6, logAxes: { trainLoss: false, testAcc: true } }), {
    experimentDir: '/x',
    smoothing: 0.6,
    logAxes: { trainLoss: false, testAcc: true },
  });
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', smoothing: 1.5, logAxes: { trainLoss: 'yes' } }), { experimentDir: '/x', logAxes: {} });
  assert.deepEqual(parseWebviewState({ experimentDir: '/x', smoothing: '0.6', logAxes: [] }), { experimentDir: '/x' });
});
