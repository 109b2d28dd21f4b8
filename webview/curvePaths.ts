/**
 * The curves in pixels, as the curve controller strokes them and the pointer finds them: a line's
 * unbroken stretches, a band's outline between its lower and upper edge, and the line nearest a
 * pixel. Straight from the points through the scales, with nothing allocated per point: they run
 * for every line of every chart on each draw and pointer move. Pure, unit-tested.
 */
import { segmentDistance } from './readout';
import type { Point } from './series';

export type ToPixel = (value: number) => number;

type Path = Pick<CanvasPath, 'moveTo' | 'lineTo' | 'closePath'>;

const finite = (p: Point | undefined): boolean => p !== undefined && Number.isFinite(p.x) && Number.isFinite(p.y);

/** A line's stretches as one path: a point without a value (NaN, ±∞) ends a stretch; a lone point moves the pen only. */
export function traceLine(path: Path, points: readonly Point[], toX: ToPixel, toY: ToPixel): void {
  let pen = false;
  for (const p of points) {
    if (!finite(p)) pen = false;
    else if (pen) path.lineTo(toX(p.x), toY(p.y));
    else {
      path.moveTo(toX(p.x), toY(p.y));
      pen = true;
    }
  }
}

/**
 * A band's closed outlines: along the upper edge, back along the lower one, for each stretch of
 * two or more points where both edges have a value. The edges share their x positions (a band is
 * decimated on the union of both edges' indices).
 */
export function traceBand(path: Path, lower: readonly Point[], upper: readonly Point[], toX: ToPixel, toY: ToPixel): void {
  const n = Math.min(lower.length, upper.length);
  let start = 0;
  for (let i = 0; i <= n; i++) {
    if (i < n && finite(lower[i]) && finite(upper[i])) continue;
    if (i - start >= 2) {
      for (let j = start; j < i; j++) (j === start ? path.moveTo : path.lineTo).call(path, toX(upper[j].x), toY(upper[j].y));
      for (let j = i - 1; j >= start; j--) path.lineTo(toX(lower[j].x), toY(lower[j].y));
      path.closePath();
    }
    start = i + 1;
  }
}

/**
 * The key of the line passing nearest the pixel (x, y), if one passes within `reach` pixels,
 * along its drawn segments (not across a gap); a lone point counts at its own distance.
 */
export function nearestLine<K>(lines: Iterable<{ key: K; points: readonly Point[] }>, toX: ToPixel, toY: ToPixel, x: number, y: number, reach: number): K | undefined {
  let best: { key: K; distance: number } | undefined;
  for (const { key, points } of lines) {
    // The previous point of the stretch; NaN at a stretch's start.
    let ax = NaN;
    let ay = NaN;
    for (let i = 0; i < points.length; i++) {
      if (!finite(points[i])) {
        ax = ay = NaN;
        continue;
      }
      const bx = toX(points[i].x);
      const by = toY(points[i].y);
      const start = Number.isNaN(ax);
      const fromX = start ? bx : ax;
      const fromY = start ? by : ay;
      ax = bx;
      ay = by;
      // A stretch's first point is reached by the segment after it, unless it stands alone.
      if (start && finite(points[i + 1])) continue;
      // Segments wholly left or right of the reach cannot be near.
      if (Math.max(fromX, bx) < x - reach || Math.min(fromX, bx) > x + reach) continue;
      const distance = segmentDistance(x, y, fromX, fromY, bx, by);
      if (distance <= reach && (!best || distance < best.distance)) best = { key, distance };
    }
  }
  return best?.key;
}
