import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minMaxIndices, pick, pickShared } from '../../../src/core/results/decimate';

const line = (ys: number[]) => ys.map((y, x) => ({ x, y }));

// x 0..11 in 3 buckets of width 11/3: {0–3}, {4–7}, {8–11}.
const ys = [5, 9, 1, 4, 7, 2, 8, 3, 6, 0, 6, 10];

test('each bucket keeps its lowest and highest point, and the first and last point stay', () => {
  // Bucket 0: low x2 (1), high x1 (9); bucket 1: low x5 (2), high x6 (8); bucket 2: low x9 (0), high x11 (10).
  assert.deepEqual(minMaxIndices(line(ys), 3), [0, 1, 2, 5, 6, 9, 11]);
});

test('a window keeps one neighbour outside each edge so the line reaches the axis', () => {
  // Window x 2.5–8.5 is x3..x8 (y 4 7 2 8 3 6), one bucket: low x5, high x6; edges x3, x8; neighbours x2, x9.
  assert.deepEqual(minMaxIndices(line(ys), 1, { min: 2.5, max: 8.5 }), [2, 3, 5, 6, 8, 9]);
  // A window between two points keeps just the two around it.
  assert.deepEqual(minMaxIndices(line(ys), 4, { min: 3.2, max: 3.8 }), [3, 4]);
});

test('few points are kept as they are; none gives none', () => {
  assert.deepEqual(minMaxIndices(line([3, 1, 2]), 2), [0, 1, 2]);
  assert.deepEqual(minMaxIndices([], 10), []);
});

test('a non-finite point stays, so a diverged stretch still shows as a gap', () => {
  const points = line([1, 2, 3, 4, NaN, 5, 6, 7, 8, 9, 10, 11]);
  assert.ok(minMaxIndices(points, 3).includes(4));
});

test('kept indices rise strictly and stay within 2 per bucket plus edges, so x stays monotone', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
  const points = Array.from({ length: 2300 }, (_, i) => ({ x: i / 23, y: random() }));
  const kept = minMaxIndices(points, 240);
  assert.ok(kept.length <= 2 * 240 + 4, `${kept.length} points`);
  assert.ok(kept.length > 400);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i] > kept[i - 1]);
  const drawn = pick(points, kept);
  assert.equal(Math.min(...drawn.map((p) => p.y)), Math.min(...points.map((p) => p.y)));
  assert.equal(Math.max(...drawn.map((p) => p.y)), Math.max(...points.map((p) => p.y)));
  assert.equal(drawn[0], points[0]);
  assert.equal(drawn.at(-1), points.at(-1));
});

test('pickShared hands back the line itself when every point is kept, and a copy of the kept ones otherwise', () => {
  const points = line([1, 3, 2]);
  assert.equal(pickShared(points, [0, 1, 2]), points);
  const some = pickShared(points, [0, 2]);
  assert.notEqual(some, points);
  assert.deepEqual(some, [points[0], points[2]]);
});
