import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  comparePaired,
  confidenceInterval95,
  MAX_EXACT_PAIRS,
  mean,
  minSeedsForSignFlip,
  sampledSignFlipPValue,
  sampleStd,
  seedsToResolve,
  signFlipPValue,
  tQuantile975,
} from '../../../src/core/results/stats';
import { studentTCdf, studentTQuantile } from '../../../src/core/results/studentT';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('t quantiles t_{0.975, df} match the printed table, beyond df = 30 too', () => {
  // Student's t table, two-sided 95% (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), printed to 3 decimals.
  const table: [number, number][] = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [9, 2.262],
    [10, 2.228],
    [20, 2.086],
    [30, 2.042],
    [40, 2.021],
    [50, 2.009],
    [60, 2.0],
    [100, 1.984],
    [120, 1.98],
    [1000, 1.962],
  ];
  for (const [df, t] of table) close(tQuantile975(df), t, 5e-4, `df=${df}`);
  assert.throws(() => tQuantile975(0), /positive integer/);
});

test('t quantiles are exact where the distribution has a closed form', () => {
  // df = 1 is the Cauchy distribution: t = tan(π(p − ½)).
  for (const p of [0.6, 0.9, 0.975, 0.995, 0.0125]) close(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-12 * Math.abs(Math.tan(Math.PI * (p - 0.5))), `df=1 p=${p}`);
  // df = 2: t = (2p − 1)/√(2p(1 − p)).
  for (const p of [0.6, 0.975, 0.999]) close(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-12 * 5, `df=2 p=${p}`);
  // df = 4: with q = 4p(1 − p), t = 2·√(cos(acos(√q)/3)/√q − 1) (Hill 1970), for p > ½.
  for (const p of [0.7, 0.975, 0.995]) {
    const q = 4 * p * (1 - p);
    close(studentTQuantile(p, 4), 2 * Math.sqrt(Math.cos(Math.acos(Math.sqrt(q)) / 3) / Math.sqrt(q) - 1), 1e-11, `df=4 p=${p}`);
  }
  // Far out the t distribution is the normal one: z_{0.975} = 1.959963984540054.
  close(tQuantile975(1e7), 1.959963984540054, 1e-6, 'df → ∞');
  // The CDF at the quantile gives p back, and the quantile is odd: t_{1−p} = −t_p.
  for (const df of [3, 7.5, 29]) {
    close(studentTCdf(studentTQuantile(0.9, df), df), 0.9, 1e-13, `cdf(quantile) df=${df}`);
    close(studentTQuantile(0.1, df), -studentTQuantile(0.9, df), 1e-13, `odd df=${df}`);
  }
  assert.throws(() => studentTQuantile(1, 3), /probability/);
});

test('95% CI by hand: [75, 76, 78] → 76.333 ± 4.303·1.5275/√3 = [72.538, 80.128]; none for one value', () => {
  const [lo, hi] = confidenceInterval95([75, 76, 78])!;
  const half = (4.302652729749462 * Math.sqrt(7 / 3)) / Math.sqrt(3); // t_{0.975, 2} = 0.95/√(2·0.975·0.025)
  close(lo, 76 + 1 / 3 - half, 1e-9, 'low');
  close(hi, 76 + 1 / 3 + half, 1e-9, 'high');
  close(lo, 72.538, 1e-3, 'low, rounded');
  assert.equal(confidenceInterval95([42]), undefined);
  close(mean([75, 76, 78]), 76.333333333, 1e-8, 'mean');
  close(sampleStd([75, 76, 78]), Math.sqrt(7 / 3), 1e-12, 'std');
});

test('sign-flip p-values enumerated by hand', () => {
  // {±1 ±2 ±3} = 6 4 2 0 0 −2 −4 −6: only the two all-same-sign patterns reach |6|.
  assert.equal(signFlipPValue([1, 2, 3]), 2 / 8);
  // Observed |1 − 2 + 3| = 2: six of the eight |sums| (6 4 2 0 0 2 4 6) are ≥ 2.
  assert.equal(signFlipPValue([1, -2, 3]), 6 / 8);
  // Four seeds, observed 2.8 of a total 3.2: |3.2 − 2·Σ_S| ≥ 2.8 for S = ∅, {0.2}, and their complements.
  assert.equal(signFlipPValue([0.5, 1.0, 1.5, -0.2]), 4 / 16);
  // Observed 3 of a total 5: Σ_S ≤ 1 (∅ and the three single 1s) or ≥ 4 (their complements).
  assert.equal(signFlipPValue([2, -1, 1, 1]), 8 / 16);
  assert.equal(signFlipPValue([1, 1, 1, 1]), 2 / 16, 'equal differences: a tie with its mirror only');
  assert.equal(signFlipPValue([0, 0, 0]), 1, 'no difference at all');
  assert.equal(signFlipPValue([0.1 + 0.2, 0.3]), 2 / 4, 'float rounding does not break ties (0.1 + 0.2 ≠ 0.3)');
});

test('the sign-flip floor: with n seeds p ≥ 2/2ⁿ, so p < 0.05 needs 6 seeds', () => {
  for (let n = 1; n <= 7; n++) assert.equal(signFlipPValue(Array.from({ length: n }, (_, i) => i + 1)), 2 / 2 ** n);
  assert.equal(minSeedsForSignFlip(), 6);
  assert.equal(minSeedsForSignFlip(0.01), 8); // 2/2⁷ = 0.0156, 2/2⁸ = 0.0078
});

test('beyond the exact limit the sampled test agrees with the exact one within sampling error', () => {
  const diffs = Array.from({ length: MAX_EXACT_PAIRS }, (_, i) => Math.sin(i * 1.7) + 0.15);
  close(sampledSignFlipPValue(diffs), signFlipPValue(diffs), 0.01, 'p');
  assert.throws(() => signFlipPValue(new Array(MAX_EXACT_PAIRS + 1).fill(1)), /at most/);
});

test('seeds to resolve by hand: Δ = 1, sd = 2 → smallest n with t_{n−1}·2/√n < 1 is 18 (n = 17: 1.028, n = 18: 0.995)', () => {
  assert.equal(seedsToResolve(1, 2), 18);
  assert.equal(seedsToResolve(1, 0.1), 6, 'resolved by the interval at 2 seeds, but the sign-flip test needs 6');
  assert.equal(seedsToResolve(0, 1), undefined);
  assert.equal(seedsToResolve(0.08, 3.3), undefined, 'beyond 1000 seeds: (1.96·3.3/0.08)² ≈ 6500');
});

test('paired comparison pairs by seed, not by position, and drops unshared seeds', () => {
  const cmp = comparePaired([70, 71, 72, 99], [3, 1, 2, 9], [60, 61, 62], [1, 2, 3])!;
  // seed 3: 70 − 62 = 8, seed 1: 71 − 60 = 11, seed 2: 72 − 61 = 11
  assert.equal(cmp.n, 3);
  close(cmp.diff, 10, 1e-12, 'diff');
  assert.equal(cmp.p, 0.25);
  assert.equal(cmp.significant, false);
  assert.equal(cmp.seedsToResolve, 6);
  const [lo, hi] = cmp.ci95!;
  close(hi - lo, (2 * 4.302652729749462 * Math.sqrt(3)) / Math.sqrt(3), 1e-9, 'CI width 2·t₂·sd/√3 with sd = √3');
  assert.equal(comparePaired([1], [1], [2], [2]), undefined, 'no shared seed');
  const six = comparePaired([2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6])!;
  assert.equal(six.p, 2 / 64);
  assert.equal(six.significant, true);
  assert.equal(six.seedsToResolve, undefined);
});

test('an accuracy interval from two seeds is cut to [0, 1], keeping its mean inside', () => {
  // mean 0.95, s = 0.0424, t(1) = 12.706: raw [0.569, 1.331].
  const raw = confidenceInterval95([0.92, 0.98])!;
  assert.ok(raw[1] > 1.3 && raw[0] < 0.6, `raw ${raw.join(', ')}`);
  const cut = confidenceInterval95([0.92, 0.98], [0, 1])!;
  assert.equal(cut[1], 1);
  assert.ok(Math.abs(cut[0] - raw[0]) < 1e-12, 'the lower end, inside, is unchanged');
  assert.deepEqual(confidenceInterval95([0.02, 0.06], [0, 1])![0], 0);
});
