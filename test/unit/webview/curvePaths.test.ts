import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandOutlines, nearestLine, toPixels, tracePolylines } from '../../../webview/curvePaths';

// x pixel = 10 + 2x, y pixel = 100 − 10y: an axis growing up, as on a canvas.
const toX = (v: number) => 10 + 2 * v;
const toY = (v: number) => 100 - 10 * v;

test('points go to pixels through the scales; a missing value stays non-finite', () => {
  assert.deepEqual(
    toPixels(
      [
        { x: 0, y: 1 },
        { x: 5, y: NaN },
        { x: 10, y: 2.5 },
      ],
      toX,
      toY,
    ),
    [
      { x: 10, y: 90 },
      { x: 20, y: NaN },
      { x: 30, y: 75 },
    ],
  );
});

test('a line is traced stretch by stretch: a gap moves the pen, it does not draw across', () => {
  const ops: string[] = [];
  const path = { moveTo: (x: number, y: number) => ops.push(`M ${x} ${y}`), lineTo: (x: number, y: number) => ops.push(`L ${x} ${y}`) };
  const p = (x: number, y: number) => ({ x, y });
  tracePolylines(path, [p(0, 0), p(1, 2), p(2, NaN), p(3, 3), p(4, 4), p(5, Infinity), p(6, 6)]);
  assert.deepEqual(ops, ['M 0 0', 'L 1 2', 'M 3 3', 'L 4 4', 'M 6 6']);
});

test('a band is outlined along its upper edge and back along its lower one, split where an edge has no value', () => {
  const p = (x: number, y: number) => ({ x, y });
  const upper = [p(0, 10), p(1, 11), p(2, 12), p(3, NaN), p(4, 14), p(5, 15)];
  const lower = [p(0, 20), p(1, 21), p(2, 22), p(3, 23), p(4, 24), p(5, 25)];
  assert.deepEqual(bandOutlines(lower, upper), [
    [p(0, 10), p(1, 11), p(2, 12), p(2, 22), p(1, 21), p(0, 20)],
    [p(4, 14), p(5, 15), p(5, 25), p(4, 24)],
  ]);
  // One point wide has no area.
  assert.deepEqual(bandOutlines([p(0, 1)], [p(0, 0)]), []);
});

test('the pointer finds the line nearest it within reach, between its points, not across a gap', () => {
  const p = (x: number, y: number) => ({ x, y });
  const lines = [
    { key: 'flat', pixels: [p(0, 50), p(100, 50)] },
    { key: 'rising', pixels: [p(0, 100), p(100, 0)] },
    { key: 'gapped', pixels: [p(0, 80), p(40, NaN), p(100, 80)] },
  ];
  // At (20, 52): flat is 2 px away; rising passes y = 80 there, 28 px away.
  assert.equal(nearestLine(lines, 20, 52, 6), 'flat');
  // At (50, 47): flat 3 px away; rising, along its perpendicular, |50 + 47 − 100| / √2 ≈ 2.12 px.
  assert.equal(nearestLine(lines, 50, 47, 6), 'rising');
  // Gapped has no segment between x 0 and 100: at (60, 80) its nearest drawn point is (100, 80), 40 px away.
  assert.equal(nearestLine(lines, 60, 80, 6), undefined);
  assert.equal(nearestLine(lines, 97, 80, 6), 'gapped');
  // A lone point is found at its own distance: (5, 4) is 5 px from (2, 0).
  assert.equal(nearestLine([{ key: 'dot', pixels: [p(2, 0)] }], 5, 4, 5), 'dot');
  assert.equal(nearestLine([{ key: 'dot', pixels: [p(2, 0)] }], 5, 4, 4.9), undefined);
});
