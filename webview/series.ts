/**
 * Shapes run metrics into chart series: one line per run, and per group of runs that
 * differ only by seed a mean ± std band per epoch. Pure functions, unit-tested.
 */
import { mean, sampleStd } from '../src/core/results/stats';
import type { EpochMetrics } from '../src/core/results/types';

/** The four curves, then the other series each epoch records: learning rate, throughput (img/s), epoch time (s). */
export type MetricKey = 'testAcc' | 'trainAcc' | 'trainLoss' | 'testLoss' | 'lr' | 'imagesPerSec' | 'seconds';
export const METRICS: readonly MetricKey[] = ['testAcc', 'trainAcc', 'trainLoss', 'testLoss', 'lr', 'imagesPerSec', 'seconds'];

export const isAccuracy = (key: MetricKey): boolean => key === 'testAcc' || key === 'trainAcc';

export interface Point {
  x: number;
  y: number;
}

export interface RunLabels {
  lossLabel: string;
  modelLabel: string;
  datasetLabel: string;
}

/** Runs with the same key are seeds of one setting: they share a colour and a band. */
export function groupKey(run: RunLabels): string {
  return JSON.stringify([run.lossLabel, run.modelLabel, run.datasetLabel]);
}

/** Accuracies are plotted in percent, losses as they are. */
export function metricValue(metrics: EpochMetrics, key: MetricKey): number {
  const v = metrics[key];
  return isAccuracy(key) ? v * 100 : v;
}

/** Mean and sample std (n − 1), the table's own (src/core/results/stats); std 0 for one value. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  return { mean: mean(values), std: sampleStd(values) };
}

export interface Band {
  lower: Point[];
  upper: Point[];
}

/** Losses of different families differ by orders of magnitude (PEDCC ~100, CE ~0.5): log axes keep both readable. */
export function isLogScale(key: MetricKey): boolean {
  return key === 'trainLoss' || key === 'testLoss';
}

/**
 * Mean ± std per epoch over the runs of a group, at epochs that at least two runs have reached.
 * `positive` (for log axes, which cannot show 0 or less): a lower edge at or below 0 is raised
 * to the smallest run value of that epoch, so the band still covers every run.
 */
export function bandOf(runs: readonly Point[][], positive = false): Band {
  const byEpoch = new Map<number, number[]>();
  for (const points of runs) {
    for (const p of points) {
      if (Number.isFinite(p.y)) byEpoch.set(p.x, [...(byEpoch.get(p.x) ?? []), p.y]);
    }
  }
  const lower: Point[] = [];
  const upper: Point[] = [];
  for (const x of [...byEpoch.keys()].sort((a, b) => a - b)) {
    const values = byEpoch.get(x)!;
    if (values.length < 2) continue;
    const { mean, std } = meanStd(values);
    lower.push({ x, y: positive && mean - std <= 0 ? Math.min(...values) : mean - std });
    upper.push({ x, y: mean + std });
  }
  return { lower, upper };
}

/** Appends `item` to a list ordered by `key`, first dropping the items at or after it (a resumed run redoes an epoch). */
export function upsertBy<T>(items: T[], item: T, key: (t: T) => number): void {
  while (items.length > 0 && key(items[items.length - 1]) >= key(item)) items.pop();
  items.push(item);
}

/** Adds or replaces the point at `x`, dropping later ones. */
export const upsertPoint = (points: Point[], point: Point): void => upsertBy(points, point, (p) => p.x);

/** Index of each label in order of first appearance: the loss setting's colour. */
export function colourIndex(labels: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (const label of labels) if (!index.has(label)) index.set(label, index.size);
  return index;
}

/** Dash patterns that tell models apart when one chart holds several. */
export const MODEL_DASHES: readonly number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3]];

/** Histogram edges and counts as the corners of a step line (Chart.js `stepped: 'after'`). */
export function histogramPoints(h: { edges: readonly number[]; counts: readonly number[] }): Point[] {
  if (h.counts.length === 0) return [];
  const points = h.counts.map((c, i) => ({ x: h.edges[i], y: c }));
  points.push({ x: h.edges[h.counts.length], y: h.counts[h.counts.length - 1] });
  return points;
}

/** Total points over datasets: the charts' `data-points` attribute. */
export function countPoints(datasets: readonly { data: readonly unknown[] }[]): number {
  return datasets.reduce((a, d) => a + d.data.length, 0);
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `weight` in [0, 1),
 * debiased so the first points are not pulled towards 0. Weight 0 returns the points as they
 * are; a non-finite value is passed through and does not enter the average.
 */
export function emaSmooth(points: readonly Point[], weight: number): Point[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return points.map((p) => ({ ...p }));
  let average = 0;
  let n = 0;
  return points.map((p) => {
    if (!Number.isFinite(p.y)) return { ...p };
    n += 1;
    average = average * w + (1 - w) * p.y;
    return { x: p.x, y: average / (1 - w ** n) };
  });
}
