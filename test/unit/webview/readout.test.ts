import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestRows, nearestIndex, readoutAt, segmentDistance } from '../../../webview/readout';
import { moreRowsText, readoutTooltip } from '../../../webview/curveReadout';

const series = (key: string, points: [number, number][]) => ({ key, points: points.map(([x, y]) => ({ x, y })) });

test('the read-out snaps to the x nearest the pointer over all runs, then lists each run there, highest first', () => {
  const a = series('a', [
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  const b = series('b', [
    [1.4, 50],
    [2.6, 60],
  ]);
  const stopped = series('stopped', [[1, 99]]);
  // Pointer at 1.5: b's 1.4 is nearest (a's 1 and 2 are 0.5 away).
  const r = readoutAt([a, b, stopped], 1.5)!;
  assert.equal(r.x, 1.4);
  assert.deepEqual(r.rows, [
    { key: 'b', index: 0, x: 1.4, y: 50 },
    { key: 'a', index: 0, x: 1, y: 10 },
  ]);
  // A run whose curve ended before that x is left out, not shown with its last value.
  assert.ok(!r.rows.some((row) => row.key === 'stopped'));
  const end = readoutAt([a, b, stopped], 2.95)!;
  assert.equal(end.x, 3);
  assert.deepEqual(
    end.rows.map((row) => row.key),
    ['a'],
  );
});

test('a run with a non-finite value at that x is left out; no points, no read-out', () => {
  const r = readoutAt(
    [
      series('a', [
        [1, NaN],
        [2, 1],
      ]),
      series('b', [
        [1, 5],
        [2, 6],
      ]),
    ],
    1,
  )!;
  assert.deepEqual(
    r.rows.map((row) => row.key),
    ['b'],
  );
  assert.equal(readoutAt([series('a', [])], 1), undefined);
});

test('nearestIndex finds the closest point by bisection', () => {
  const points = [0, 1, 2, 5, 9].map((x) => ({ x, y: 0 }));
  assert.equal(nearestIndex(points, -3), 0);
  assert.equal(nearestIndex(points, 3.4), 2);
  assert.equal(nearestIndex(points, 3.6), 3);
  assert.equal(nearestIndex(points, 100), 4);
  assert.equal(nearestIndex([], 1), -1);
});

test('the distance from the pointer to a drawn segment', () => {
  assert.equal(segmentDistance(0, 1, -1, 0, 1, 0), 1, 'above the middle');
  assert.equal(segmentDistance(4, 4, 0, 0, 1, 0), 5, 'past the end: to the end point (3-4-5)');
  assert.equal(segmentDistance(2, 2, 2, 2, 2, 2), 0, 'a one-point segment');
});

test('a crowded read-out lists the rows nearest the pointer and the highlighted one, in value order', () => {
  const rows = [90, 80, 70, 60, 50, 40, 30].map((y) => ({ key: `r${y}`, y }));
  // Pointer at 52: nearest three are 50, 60, 40; r90 is highlighted.
  const shown = closestRows(
    rows,
    (r) => Math.abs(r.y - 52),
    3,
    (r) => r.key === 'r90',
  );
  assert.deepEqual(
    shown.map((r) => r.key),
    ['r90', 'r60', 'r50', 'r40'],
  );
  assert.equal(
    closestRows(
      rows,
      () => 0,
      10,
      () => false,
    ).length,
    7,
  );
});

test('the hover read-out is a small box that says how many runs it leaves out', () => {
  const tooltip = readoutTooltip(
    () => 'epoch',
    () => undefined,
  );
  assert.equal(moreRowsText(9, 7), '+2 more');
  assert.equal(moreRowsText(6, 6), '');
  assert.ok(tooltip.bodyFont.size <= 11 && tooltip.padding <= 4, 'a small box');
});
