/**
 * Linear y-axis labels written to the axis' own step (0.25 → two decimals, 5 → none), so float
 * noise in a value (a smoothed constant is 70.00000000000003) never reaches a label; and a range
 * that is flat but for such noise widened as Chart.js widens an exactly flat one. Pure, unit-tested.
 */

/** Decimals that write `step` exactly, at most 10. */
export function stepDecimals(step: number): number {
  if (!Number.isFinite(step) || step <= 0) return 0;
  for (let d = 0; d < 10; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
  }
  return 10;
}

/** Labels for tick values, each with the decimals of the smallest gap between two ticks. */
export function tickLabels(values: readonly number[]): string[] {
  let step = Infinity;
  for (let i = 1; i < values.length; i++) {
    const gap = Math.abs(values[i] - values[i - 1]);
    if (gap > 0) step = Math.min(step, gap);
  }
  const decimals = stepDecimals(step);
  return values.map((v) => {
    const text = v.toFixed(decimals);
    return Number(text) === 0 ? (0).toFixed(decimals) : text;
  });
}

/** A range flat but for rounding (a spread under 1e-9 of its size): widened by 5 % either side, as Chart.js does for an exactly flat one. */
export function widenFlatRange(min: number, max: number): { min: number; max: number } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max - min > 1e-9 * Math.max(Math.abs(min), Math.abs(max))) return { min, max };
  const mid = (min + max) / 2;
  const offset = mid === 0 ? 1 : Math.abs(mid * 0.05);
  return { min: mid - offset, max: mid + offset };
}
