/**
 * Statistics over seeds for the comparison tables: the one mean and sample std of Loss Lab,
 * t-distribution confidence intervals, and an exact sign-flip permutation test of paired differences.
 * Pure functions of plain numbers: the webview and the report use them too.
 */
import { studentTQuantile } from './studentT';

export function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Standard deviation with Bessel's correction (n − 1), as PyTorch papers report; 0 for a single value. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** The 97.5% quantile of Student's t with `df` degrees of freedom, t_{0.975, df}: the half-width factor of a two-sided 95% interval. */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  return studentTQuantile(0.975, df);
}

/**
 * 95% confidence interval of the mean, mean ± t_{0.975, n−1}·s/√n; undefined for fewer than two values.
 * `bounds`: the range the quantity cannot leave (an accuracy in percent: [0, 100]); the interval is cut to it, which
 * loses no coverage since the true mean lies inside (with 2 seeds t is 12.7 and the raw interval of an
 * accuracy easily reaches past 100%).
 */
export function confidenceInterval95(xs: readonly number[], bounds?: readonly [number, number]): [number, number] | undefined {
  if (xs.length < 2) return undefined;
  const half = (tQuantile975(xs.length - 1) * sampleStd(xs)) / Math.sqrt(xs.length);
  const m = mean(xs);
  return bounds ? [Math.max(bounds[0], m - half), Math.min(bounds[1], m + half)] : [m - half, m + half];
}

/** Exact enumeration visits 2ⁿ sign patterns; beyond this many pairs it would take too long. */
export const MAX_EXACT_PAIRS = 20;

/**
 * Two-sided p-value of an exact sign-flip permutation test of paired differences: under the null
 * hypothesis (no difference) each difference is as likely negative as positive, so every one of the
 * 2ⁿ sign patterns is equally likely; p = the share of patterns whose |mean| is at least the observed one.
 * The smallest p it can give is 2/2ⁿ (0.25 for 3 seeds, 0.0625 for 5, 0.03125 for 6).
 */
export function signFlipPValue(diffs: readonly number[]): number {
  const n = diffs.length;
  if (n === 0) return 1;
  if (n > MAX_EXACT_PAIRS) throw new RangeError(`exact sign-flip test over ${n} pairs: at most ${MAX_EXACT_PAIRS}`);
  const observed = Math.abs(diffs.reduce((a, d) => a + d, 0));
  const tolerance = 1e-9 * (1 + diffs.reduce((a, d) => a + Math.abs(d), 0)); // ties count as extreme despite rounding
  let extreme = 0;
  for (let pattern = 0; pattern < 2 ** n; pattern++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += pattern & (1 << i) ? -diffs[i] : diffs[i];
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  return extreme / 2 ** n;
}

/** Beyond MAX_EXACT_PAIRS seeds: the same test on 2¹⁶ sign patterns drawn by a fixed generator (so tables are reproducible). */
export function sampledSignFlipPValue(diffs: readonly number[], samples = 65536): number {
  const observed = Math.abs(diffs.reduce((a, d) => a + d, 0));
  const tolerance = 1e-9 * (1 + diffs.reduce((a, d) => a + Math.abs(d), 0));
  let state = 0x9e3779b9;
  let extreme = 1; // the observed pattern itself, so p is never 0
  for (let k = 0; k < samples; k++) {
    let sum = 0;
    for (const d of diffs) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      sum += state & 0x80000000 ? -d : d;
    }
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  return extreme / (samples + 1);
}

/** Seeds the sign-flip test needs before p can fall below `alpha` at all: 2/2ⁿ < alpha. */
export function minSeedsForSignFlip(alpha = 0.05): number {
  return Math.floor(Math.log2(2 / alpha)) + 1;
}

/**
 * About how many paired seeds would resolve a difference with this mean and spread: the smallest n whose
 * 95% t-interval, ±t_{0.975, n−1}·sd/√n, excludes 0, and at least enough for the sign-flip test to reach
 * p < 0.05. A planning figure from the observed spread, not a guarantee. Undefined without a difference, or beyond `cap` seeds.
 */
export const SEEDS_TO_RESOLVE_CAP = 1000;

export function seedsToResolve(meanDiff: number, sdDiff: number, cap = SEEDS_TO_RESOLVE_CAP): number | undefined {
  if (meanDiff === 0 || !Number.isFinite(meanDiff) || !(sdDiff >= 0)) return undefined;
  if (sdDiff === 0) return minSeedsForSignFlip(); // every seed moved by the same amount: only the test's floor remains
  for (let n = 2; n <= cap; n++) {
    if ((tQuantile975(n - 1) * sdDiff) / Math.sqrt(n) < Math.abs(meanDiff)) return Math.max(n, minSeedsForSignFlip());
  }
  return undefined;
}

export interface PairedComparison {
  /** Mean of (this − baseline) over the seeds both have. */
  diff: number;
  ci95?: [number, number];
  /** Exact sign-flip permutation test, two-sided. */
  p: number;
  /** Number of seeds paired. */
  n: number;
  significant: boolean;
  /** From the observed spread, about how many seeds would resolve a difference that is not significant. */
  seedsToResolve?: number;
}

export const SIGNIFICANCE_LEVEL = 0.05;

/** Paired comparison of two cells' per-seed values, by seed; undefined when they share no seed. */
export function comparePaired(values: readonly number[], seeds: readonly number[], baseValues: readonly number[], baseSeeds: readonly number[]): PairedComparison | undefined {
  const baseBySeed = new Map(baseSeeds.map((s, i) => [s, baseValues[i]]));
  const diffs = seeds.flatMap((s, i) => (baseBySeed.has(s) ? [values[i] - baseBySeed.get(s)!] : []));
  if (diffs.length === 0) return undefined;
  const diff = mean(diffs);
  const p = diffs.length <= MAX_EXACT_PAIRS ? signFlipPValue(diffs) : sampledSignFlipPValue(diffs);
  const significant = p < SIGNIFICANCE_LEVEL;
  const ci95 = confidenceInterval95(diffs);
  const planned = significant || diffs.length < 2 ? undefined : seedsToResolve(diff, sampleStd(diffs));
  return { diff, ...(ci95 ? { ci95 } : {}), p, n: diffs.length, significant, ...(planned !== undefined ? { seedsToResolve: planned } : {}) };
}
