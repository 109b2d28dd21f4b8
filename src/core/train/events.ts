import type { EpochMetrics, LogitHistograms, RunSummary, StepPoint, WeightNorms } from '../results/types';

/** What a training run reports while it goes; the worker turns these into messages, the CLI into progress bars. */
export type TrainEvent =
  | { type: 'started'; runId: string; backend: string; trainableParams: number; epochs: number; stepsPerEpoch: number; resumedFromEpoch: number }
  /** Every training.logEvery steps: the epoch's running mean (loss, acc) for progress, and `point`, the window since the last one, already given to the sink. */
  | { type: 'step'; runId: string; epoch: number; step: number; steps: number; loss: number; acc: number; imagesPerSec: number; etaSeconds: number; point: StepPoint }
  | { type: 'epoch'; runId: string; metrics: EpochMetrics }
  | { type: 'finished'; runId: string; summary: RunSummary };

/** Where a run's results go. The results store implements it; tests can use an in-memory one. */
export interface RunSink {
  /** Finished epochs already recorded and the checkpoint after the last of them, for resuming. */
  resumePoint(): { epochs: EpochMetrics[]; checkpoint: Uint8Array | null };
  started(backend: string): void;
  epochFinished(metrics: EpochMetrics, checkpoint: Uint8Array): void;
  /** A step-level point (every training.logEvery steps); optional so in-memory sinks can ignore it. */
  stepLogged?(point: StepPoint): void;
  finished(summary: RunSummary, logits: LogitHistograms, weightNorms: WeightNorms | null): void;
}

/**
 * A batch loss above this means the run diverged, whatever the loss: cross-entropy starts near
 * ln(classes) (5.3 for 200 classes), AM-Softmax at a few tens, PEDCC's summed distance term at
 * most 4 × batch size. A learning rate far too high takes CE there within an epoch (lr 100:
 * 1e5 by step 3, 1e22 by step 10) without ever reaching NaN.
 */
export const DIVERGED_LOSS = 1e6;

const lossText = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1e4 ? v.toExponential(2) : String(Number(v.toPrecision(4)))) : String(v));

const lrHint = (lr: number | undefined) => `lower the learning rate${lr === undefined ? '' : ` (training.lr = ${lr})`}`;

/** The loss became NaN, infinite or larger than the limit (training.divergence.maxLoss): training cannot go on, finished epochs stay. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly value: number,
    /** The config's training.lr, named in the message. */
    readonly lr?: number,
    maxLoss: number = DIVERGED_LOSS,
    message?: string,
  ) {
    super(
      message ??
        `diverged at epoch ${epoch}, step ${step}: loss ${lossText(value)}${Number.isFinite(value) ? ` (above ${maxLoss >= 1e4 ? maxLoss.toExponential() : maxLoss}, training.divergence.maxLoss)` : ''}; ` +
          `${lrHint(lr)} or check the data (finished epochs are kept)`,
    );
    this.name = 'NonFiniteLossError';
  }
}

/** An epoch's mean training loss ended above training.divergence.factor × the run's starting loss. */
export class LossGrowthError extends NonFiniteLossError {
  constructor(epoch: number, value: number, startLoss: number, factor: number, lr?: number) {
    super(
      epoch,
      0,
      value,
      lr,
      undefined,
      `diverged at epoch ${epoch}: its mean training loss ${lossText(value)} is above ${factor} × the starting loss ${lossText(startLoss)} (training.divergence.factor); ` +
        `${lrHint(lr)} or raise the factor (finished epochs are kept)`,
    );
    this.name = 'LossGrowthError';
  }
}

export class RunStoppedError extends Error {
  constructor(
    readonly epoch: number,
    message = `stopped by the user during epoch ${epoch} (finished epochs are kept)`,
  ) {
    super(message);
    this.name = 'RunStoppedError';
  }
}

/** A search trial at its rung: stopped like a user's stop, so a promotion resumes it from its checkpoint. */
export class RunPausedError extends RunStoppedError {
  constructor(epoch: number) {
    super(epoch, `paused after epoch ${epoch} for the search's next decision (finished epochs are kept)`);
    this.name = 'RunPausedError';
  }
}
