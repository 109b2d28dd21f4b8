import type { EpochMetrics, LogitHistograms, RunSummary, WeightNorms } from '../results/types';

/** What a training run reports while it goes; the worker turns these into messages, the CLI into progress bars. */
export type TrainEvent =
  | { type: 'started'; runId: string; backend: string; trainableParams: number; epochs: number; stepsPerEpoch: number; resumedFromEpoch: number }
  | { type: 'step'; runId: string; epoch: number; step: number; steps: number; loss: number; acc: number; imagesPerSec: number; etaSeconds: number }
  | { type: 'epoch'; runId: string; metrics: EpochMetrics }
  | { type: 'finished'; runId: string; summary: RunSummary };

/** Where a run's results go. The results store implements it; tests can use an in-memory one. */
export interface RunSink {
  /** Finished epochs already recorded and the checkpoint after the last of them, for resuming. */
  resumePoint(): { epochs: EpochMetrics[]; checkpoint: Uint8Array | null };
  started(backend: string): void;
  epochFinished(metrics: EpochMetrics, checkpoint: Uint8Array): void;
  finished(summary: RunSummary, logits: LogitHistograms, weightNorms: WeightNorms | null): void;
}

/** A NaN or infinite loss: training cannot go on, finished epochs stay. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly value: number,
  ) {
    super(`loss became ${value} at epoch ${epoch}, step ${step}: lower the learning rate or check the data (finished epochs are kept)`);
    this.name = 'NonFiniteLossError';
  }
}

export class RunStoppedError extends Error {
  constructor(readonly epoch: number) {
    super(`stopped by the user during epoch ${epoch} (finished epochs are kept)`);
    this.name = 'RunStoppedError';
  }
}
