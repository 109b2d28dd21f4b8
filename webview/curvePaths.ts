/**
 * The curves in pixels, as the curve controller strokes them and the pointer finds them: a line's
 * unbroken stretches, a band's outline between its lower and upper edge, and the line nearest a
 * pixel. Pure, unit-tested.
 */
import { polylines, type DrawnPoint } from './highlightLayer';
import { segmentDistance } from './readout';
import type { Point } from './series';

export type ToPixel = (value: number) => number;

/** Each point in pixels; a missing value (NaN, ±∞) stays non-finite, so it breaks the line there. */
export function toPixels(points: readonly Point[], toX: ToPixel, toY: ToPixel): DrawnPoint[] {
  return points.map((p) => ({ x: toX(p.x), y: Number.isFinite(p.y) ? toY(p.y) : NaN }));
}

/** Strokes one line's stretches as one path (a lone point is a stretch too, and draws nothing). */
export function tracePolylines(path: Pick<CanvasPath, 'moveTo' | 'lineTo'>, pixels: readonly DrawnPoint[]): void {
  for (const stretch of polylines(pixels)) stretch.forEach((p, i) => (i === 0 ? path.moveTo(p.x, p.y) : path.lineTo(p.x, p.y)));
}

/**
 * A band's closed outlines: along the upper edge, back along the lower one, for each stretch where
 * both edges have a value. The edges share their x positions (a band is decimated on the union of
 * both edges' indices).
 */
export function bandOutlines(lower: readonly DrawnPoint[], upper: readonly DrawnPoint[]): DrawnPoint[][] {
  const finite = (p: DrawnPoint | undefined): p is DrawnPoint => p !== undefined && Number.isFinite(p.x) && Number.isFinite(p.y);
  const outlines: DrawnPoint[][] = [];
  let top: DrawnPoint[] = [];
  let bottom: DrawnPoint[] = [];
  const close = () => {
    if (top.length >= 2) outlines.push([...top, ...bottom.reverse()]);
    top = [];
    bottom = [];
  };
  for (let i = 0; i < Math.min(lower.length, upper.length); i++) {
    if (finite(lower[i]) && finite(upper[i])) {
      top.push(upper[i]);
      bottom.push(lower[i]);
    } else close();
  }
  close();
  return outlines;
}

/** The key of the line passing nearest (x, y), if one passes within `reach` pixels; a lone point counts as a line of one. */
export function nearestLine<K>(lines: Iterable<{ key: K; pixels: readonly DrawnPoint[] }>, x: number, y: number, reach: number): K | undefined {
  let best: { key: K; distance: number } | undefined;
  for (const { key, pixels } of lines) {
    for (const stretch of polylines(pixels)) {
      for (let i = 0; i < stretch.length; i++) {
        const a = stretch[i];
        const b = stretch[Math.min(i + 1, stretch.length - 1)];
        // Sorted by x: segments wholly left or right of the reach cannot be near.
        if (Math.max(a.x, b.x) < x - reach || Math.min(a.x, b.x) > x + reach) continue;
        const distance = segmentDistance(x, y, a.x, a.y, b.x, b.y);
        if (distance <= reach && (!best || distance < best.distance)) best = { key, distance };
      }
    }
  }
  return best?.key;
}
