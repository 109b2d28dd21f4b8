/**
 * Where a run's points sit on the curves' x axis (epoch, step or wall time), and which points a
 * chart draws: the train charts a run's step points (epoch points only for epochs without any),
 * the test charts its epoch points. Pure, unit-tested.
 */
import type { EpochMetrics, StepPoint } from '../src/core/results/types';
import { formatDuration } from '../src/core/util/duration';
import type { CurveXAxis } from '../src/protocol/webview';
import { metricValue, upsertBy, type MetricKey, type Point } from './series';

/** Train charts can draw step points; test metrics exist only per epoch. */
const isStepMetric = (metric: MetricKey): boolean => metric === 'trainLoss' || metric === 'trainAcc';

/** A step point's x: the fraction of epochs done, the global step, or the training seconds so far. */
export function stepX(point: StepPoint, mode: CurveXAxis): number {
  if (mode === 'step') return point.globalStep;
  if (mode === 'wall') return point.wallSeconds;
  return point.epoch - 1 + point.step / point.stepsPerEpoch;
}

/** The run's steps per epoch, from its step points (the last one recorded, should it change on a resume); undefined without any. */
export function stepsPerEpochOf(steps: readonly StepPoint[]): number | undefined {
  return steps.at(-1)?.stepsPerEpoch;
}

/**
 * Each epoch point's x: its epoch; in step mode epoch × steps per epoch (undefined when the run
 * recorded no steps: there is no step to put it at); in wall-time mode the summed `seconds` of
 * the epochs up to and including it.
 */
export function epochXs(metrics: readonly EpochMetrics[], mode: CurveXAxis, stepsPerEpoch: number | undefined): (number | undefined)[] {
  let seconds = 0;
  return metrics.map((m) => {
    seconds += Number.isFinite(m.seconds) ? m.seconds : 0;
    if (mode === 'step') return stepsPerEpoch ? m.epoch * stepsPerEpoch : undefined;
    if (mode === 'wall') return seconds;
    return m.epoch;
  });
}

/** A step point's value in a train chart (accuracy in percent, as the epoch points). */
function stepValue(point: StepPoint, metric: MetricKey): number {
  return metric === 'trainAcc' ? point.acc * 100 : point.loss;
}

/**
 * The points one run draws in one chart, sorted by x. Train charts: every step point, and the
 * epoch point of each epoch that has no step point (runs recorded before step logging, or an
 * epoch whose steps were not written). Test charts: the epoch points. Points without an x are left out.
 * `stepsPerEpoch` places epoch points on the step axis before a run's step points have arrived.
 */
export function curvePoints(metrics: readonly EpochMetrics[], steps: readonly StepPoint[], metric: MetricKey, mode: CurveXAxis, stepsPerEpoch = stepsPerEpochOf(steps)): Point[] {
  const xs = epochXs(metrics, mode, stepsPerEpoch);
  const stepEpochs = isStepMetric(metric) ? new Set(steps.map((s) => s.epoch)) : new Set<number>();
  const points: Point[] = [];
  metrics.forEach((m, i) => {
    const x = xs[i];
    if (x !== undefined && !stepEpochs.has(m.epoch)) points.push({ x, y: metricValue(m, metric) });
  });
  if (isStepMetric(metric)) for (const s of steps) points.push({ x: stepX(s, mode), y: stepValue(s, metric) });
  return points.sort((a, b) => a.x - b.x);
}

/**
 * Adds a live step point to a run's list: a point at or before the last one (a resumed run
 * redoing an epoch) drops the later ones first, as epochs do.
 */
export const upsertStep = (steps: StepPoint[], point: StepPoint): void => upsertBy(steps, point, (s) => s.globalStep);

/** The x axis' title. */
export function xAxisTitle(mode: CurveXAxis): string {
  return mode === 'step' ? 'step' : mode === 'wall' ? 'wall time' : 'epoch';
}

/** An x value as the hover read-out and the wall-time ticks show it. */
export function formatX(x: number, mode: CurveXAxis): string {
  if (mode === 'wall') return formatDuration(x);
  if (mode === 'step') return `step ${Math.round(x)}`;
  return `epoch ${Number.isInteger(x) ? x : x.toFixed(2)}`;
}
