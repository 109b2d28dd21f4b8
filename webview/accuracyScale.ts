/**
 * The sequential colour scale of the sweep heatmap and parallel coordinates: viridis, dark purple
 * (lowest accuracy) to yellow (highest). Perceptually even and readable in greyscale and by
 * colour-blind readers, unlike the categorical palette the curves use. Pure, unit-tested.
 */

/** Viridis at t = 0, 0.25, 0.5, 0.75, 1 (matplotlib's values). */
const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

const hex = (v: number) => Math.round(v).toString(16).padStart(2, '0');

/** The scale's colour at t in [0, 1] (clamped), as #rrggbb, linear between the stops. */
export function accuracyColour(t: number): string {
  const u = Math.min(Math.max(Number.isFinite(t) ? t : 0, 0), 1) * (STOPS.length - 1);
  const i = Math.min(Math.floor(u), STOPS.length - 2);
  const f = u - i;
  const [a, b] = [STOPS[i], STOPS[i + 1]];
  return `#${[0, 1, 2].map((c) => hex(a[c] + (b[c] - a[c]) * f)).join('')}`;
}

/** Black or white, whichever reads better on `colour` (#rrggbb), by its relative luminance. */
export function labelColour(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 ? '#000000' : '#ffffff';
}
