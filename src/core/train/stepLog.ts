/**
 * Step-level training points: how often a run records one, and the window mean each holds
 * (the batches since the previous point, not the epoch's running mean, so a curve shows
 * what the network does now).
 */
import type { StepPoint } from '../results/types';

/** Points per epoch when the config does not set training.logEvery: enough to see the first epoch of a long run as it goes. */
export const DEFAULT_POINTS_PER_EPOCH = 20;

/** Steps between two points: the config's training.logEvery when set, else about DEFAULT_POINTS_PER_EPOCH per epoch. */
export function resolveLogEvery(logEvery: number | undefined, stepsPerEpoch: number): number {
  if (logEvery !== undefined) return Math.max(1, Math.floor(logEvery));
  return Math.max(1, Math.round(stepsPerEpoch / DEFAULT_POINTS_PER_EPOCH));
}

/** Loss and correct predictions of the batches since the last point, weighted by batch size. */
export class StepWindow {
  private lossSum = 0;
  private correct = 0;
  private seen = 0;

  /** `loss`: the batch's mean loss; `correct`: how many of its `size` images were classified right. */
  add(loss: number, correct: number, size: number): void {
    this.lossSum += loss * size;
    this.correct += correct;
    this.seen += size;
  }

  /** The window's point, and a fresh window for the next one. */
  take(at: { epoch: number; step: number; stepsPerEpoch: number; wallSeconds: number }): StepPoint {
    const point: StepPoint = {
      epoch: at.epoch,
      step: at.step,
      stepsPerEpoch: at.stepsPerEpoch,
      globalStep: (at.epoch - 1) * at.stepsPerEpoch + at.step,
      loss: this.lossSum / this.seen,
      acc: this.correct / this.seen,
      wallSeconds: at.wallSeconds,
    };
    this.lossSum = 0;
    this.correct = 0;
    this.seen = 0;
    return point;
  }
}
