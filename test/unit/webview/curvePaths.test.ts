import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nearestLine, traceBand, traceLine } from '../../../webview/curvePaths';

// x pixel = 10 + 2x, y pixel = 100 − 10y: an axis growing up, as on a canvas.
const toX = (v: number) => 10 + 2 * v;
const toY = (v: number) => 100 - 10 * v;
const p = (x: number, y: number) => ({ x, y });

/** A path that writes down each call. */
function recorder() {
  const ops: string[] = [];
  return {
    ops,
    path: {
      moveTo: (x: number, y: number) => ops.push(`M ${x} ${y}`),
      lineTo: (x: number, y: number) => ops.push(`L ${x} ${y}`),
      closePath: () => ops.push('Z'),
    },
  };
}

test('a line is traced through the scales stretch by stretch: a gap moves the pen, it does not draw across', () => {
  const { ops, path } = recorder();
  traceLine(path, [p(0, 1), p(1, 2), p(2, NaN), p(3, 3), p(4, 4), p(5, Infinity), p(6, 6)], toX, toY);
  // (0, 1) → (10, 90); (1, 2) → (12, 80); (3, 3) → (16, 70); (4, 4) → (18, 60); (6, 6) → (22, 40), alone.
  assert.deepEqual(ops, ['M 10 90', 'L 12 80', 'M 16 70', 'L 18 60', 'M 22 40']);
});

test('a band is outlined along its upper edge and back along its lower one, split where an edge has no value', () => {
  const { ops, path } = recorder();
  const upper = [p(0, 3), p(1, 4), p(2, 5), p(3, NaN), p(4, 6), p(5, 7), p(6, 8), p(7, NaN)];
  const lower = [p(0, 1), p(1, 2), p(2, 3), p(3, 4), p(4, 5), p(5, 5), p(6, NaN), p(7, 1)];
  traceBand(path, lower, upper, toX, toY);
  assert.deepEqual(ops, [
    // x 0–2: upper (10, 70) (12, 60) (14, 50), then lower back (14, 70) (12, 80) (10, 90).
    'M 10 70',
    'L 12 60',
    'L 14 50',
    'L 14 70',
    'L 12 80',
    'L 10 90',
    'Z',
    // x 4–5 (x 6 lacks its lower edge): upper (18, 40) (20, 30), lower back (20, 50) (18, 50).
    'M 18 40',
    'L 20 30',
    'L 20 50',
    'L 18 50',
    'Z',
  ]);
  // One point wide has no area.
  const one = recorder();
  traceBand(one.path, [p(0, 1)], [p(0, 2)], toX, toY);
  assert.deepEqual(one.ops, []);
});

test('the pointer finds the line nearest it within reach, between its points, not across a gap', () => {
  const px = (v: number) => v;
  const lines = [
    { key: 'flat', points: [p(0, 50), p(100, 50)] },
    { key: 'rising', points: [p(0, 100), p(100, 0)] },
    { key: 'gapped', points: [p(0, 80), p(40, NaN), p(100, 80)] },
  ];
  // At (20, 52): flat is 2 px away; rising passes y = 80 there, 28 px away.
  assert.equal(nearestLine(lines, px, px, 20, 52, 6), 'flat');
  // At (50, 47): flat 3 px away; rising, along its perpendicular, |50 + 47 − 100| / √2 ≈ 2.12 px.
  assert.equal(nearestLine(lines, px, px, 50, 47, 6), 'rising');
  // Gapped draws no segment between x 0 and 100: at (60, 80) its nearest points are 40 and 60 px away.
  assert.equal(nearestLine(lines, px, px, 60, 80, 6), undefined);
  // Its lone points count at their own distance: (97, 80) is 3 px from (100, 80).
  assert.equal(nearestLine(lines, px, px, 97, 80, 6), 'gapped');
  // Through the scales: (1, 2) and (2, 2) are drawn from (12, 80) to (14, 80); (13, 83) is 3 px below.
  assert.equal(nearestLine([{ key: 'scaled', points: [p(1, 2), p(2, 2)] }], toX, toY, 13, 83, 3), 'scaled');
  assert.equal(nearestLine([{ key: 'scaled', points: [p(1, 2), p(2, 2)] }], toX, toY, 13, 83, 2.9), undefined);
});
