/**
 * Min/max decimation: a line of thousands of points drawn into a few hundred pixels keeps, per
 * bucket of equal x width, its lowest and highest point (in x order), so spikes and the envelope
 * survive; the first and last points always stay. Used by the results panel before drawing and
 * by the host before posting step points. Hand-written rather than Chart.js' decimation plugin:
 * that one thins only what is drawn, after every point has been posted and parsed, and cannot
 * keep a run's recorded and smoothed lines on the same points (the hover read-out pairs them).
 */

export interface XY {
  x: number;
  y: number;
}

/** The x window to decimate; the nearest point outside each edge is kept so the line reaches it. */
export interface XRange {
  min: number;
  max: number;
}

/**
 * Indices (ascending) of the points to keep: per bucket the first non-finite point (so a gap
 * stays a gap), the lowest and the highest; the first and last point of the window, and one
 * neighbour outside each edge. `points` must be sorted by x. At most 2 × buckets + 4 indices.
 */
export function minMaxIndices(points: readonly XY[], buckets: number, range?: XRange): number[] {
  const n = points.length;
  if (n === 0) return [];
  const first = range ? lowerBound(points, range.min) : 0;
  const last = range ? upperBound(points, range.max) - 1 : n - 1;
  const keep = new Set<number>();
  if (first > 0) keep.add(first - 1);
  if (last < n - 1) keep.add(last + 1);
  if (first > last) return [...keep].sort((a, b) => a - b);
  const count = last - first + 1;
  const slots = Math.max(1, Math.floor(buckets));
  if (count <= 2 * slots) {
    for (let i = first; i <= last; i++) keep.add(i);
    return [...keep].sort((a, b) => a - b);
  }
  keep.add(first).add(last);
  const x0 = points[first].x;
  const width = (points[last].x - x0) / slots || 1;
  let bucket = -1;
  let low = -1;
  let high = -1;
  let gap = -1;
  const flush = () => {
    for (const i of [gap, low, high]) if (i >= 0) keep.add(i);
  };
  for (let i = first; i <= last; i++) {
    const b = Math.min(slots - 1, Math.floor((points[i].x - x0) / width));
    if (b !== bucket) {
      flush();
      bucket = b;
      low = high = gap = -1;
    }
    const y = points[i].y;
    if (!Number.isFinite(y)) {
      if (gap < 0) gap = i;
      continue;
    }
    if (low < 0 || y < points[low].y) low = i;
    if (high < 0 || y > points[high].y) high = i;
  }
  flush();
  return [...keep].sort((a, b) => a - b);
}

/** The points at these indices. */
export const pick = <T>(items: readonly T[], indices: readonly number[]): T[] => indices.map((i) => items[i]);

/** As `pick`, but `items` itself when every index is kept (a short line is kept whole): one array held, not two. The result is shared: read it only. */
export const pickShared = <T>(items: T[], indices: readonly number[]): T[] => (indices.length === items.length ? items : pick(items, indices));

/** First index whose x is ≥ `x`. */
function lowerBound(points: readonly XY[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose x is > `x`. */
function upperBound(points: readonly XY[], x: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].x <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The indices of several decimations of one series (its loss and its accuracy), ascending, once each. */
export const unionIndices = (...lists: readonly (readonly number[])[]): number[] => [...new Set(lists.flat())].sort((a, b) => a - b);
