/**
 * The hover read-out, as TensorBoard shows it: the x nearest the pointer among every drawn
 * point, then each run's value at its own point nearest that x, sorted by value (highest
 * first). A run whose curve does not reach that x (it stopped earlier, or started later) is
 * left out rather than shown with a value from elsewhere. Pure, unit-tested.
 */
import type { Point } from './series';

export interface ReadoutSeries<K> {
  key: K;
  /** Sorted by x. */
  points: readonly Point[];
}

export interface ReadoutRow<K> {
  key: K;
  /** The index of the point in its series. */
  index: number;
  x: number;
  y: number;
}

/** Index of the point of `points` (sorted by x) closest to `x`; -1 for none. */
export function nearestIndex(points: readonly Point[], x: number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid;
    else hi = mid;
  }
  return Math.abs(points[lo].x - x) <= Math.abs(points[hi].x - x) ? lo : hi;
}

export function readoutAt<K>(series: readonly ReadoutSeries<K>[], pointerX: number): { x: number; rows: ReadoutRow<K>[] } | undefined {
  let snapped: number | undefined;
  for (const s of series) {
    const i = nearestIndex(s.points, pointerX);
    if (i >= 0 && (snapped === undefined || Math.abs(s.points[i].x - pointerX) < Math.abs(snapped - pointerX))) snapped = s.points[i].x;
  }
  if (snapped === undefined) return undefined;
  const x = snapped;
  const rows: ReadoutRow<K>[] = [];
  for (const s of series) {
    if (s.points.length === 0 || x < s.points[0].x || x > s.points[s.points.length - 1].x) continue;
    const index = nearestIndex(s.points, x);
    const p = s.points[index];
    if (Number.isFinite(p.y)) rows.push({ key: s.key, index, x: p.x, y: p.y });
  }
  rows.sort((a, b) => b.y - a.y);
  return { x, rows };
}

/** Distance from (px, py) to the segment from (ax, ay) to (bx, by): how near the pointer is to a drawn line. */
export function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * The rows a read-out has room for: the `count` nearest the pointer (by `distance`) and every row
 * `keep` asks for (the highlighted run), in their order (highest value first).
 */
export function closestRows<R>(rows: readonly R[], distance: (row: R) => number, count: number, keep: (row: R) => boolean): R[] {
  if (rows.length <= count) return [...rows];
  const nearest = new Set([...rows].sort((a, b) => distance(a) - distance(b)).slice(0, count));
  return rows.filter((row) => nearest.has(row) || keep(row));
}
